"""A GB/T 9704-2012 document on top of python-docx: page, paragraphs, headings, signature.

What a 公文 needs that python-docx does not do by itself: A4 with the standard margins and
line grid (gwstyles.py explains the grid), East-Asian fonts on ``w:eastAsia`` with every
theme font removed, exact line spacing, “— 1 —” page numbers in a PAGE field on odd/even
footers, titles and headings broken by meaning (linebreak.py), the signature and date placed
by the standard, and text cleaning so that nothing a user typed can make the XML invalid.
On save the package is tidied (package.py).

Runs and table cells are built with lxml directly: python-docx's per-run API is correct but
slow at thousands of table cells.
"""

from __future__ import annotations

import copy
import re
from typing import Iterable, Sequence, Union

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from . import gwstyles as gs
from .cleaning import cjk_punct, clean, lines, one_line
from .gwstyles import BODY_CHAR_TWIPS, CONDENSE, SZ_PAGE, TITLE_PT, W
from .linebreak import break_heading, break_title
from .package import Meta, finalize
from .textwidth import width_pt

# A run: (text, bold) or (text, bold, character style id).
Run = Union[tuple[str, bool], tuple[str, bool, str]]

# GB/T 9704 7.5: the page number's dash lies 7 mm below the text block. The footer line has an
# exact height (gwstyles.FOOTER_LINE), so Word and LibreOffice put its baseline one descent
# above the footer's bottom edge, and the dash of a 14 pt 宋体 “—” about 0.36 em above the
# baseline: 宋体/SimSun (descent 0.141 em) puts the dash 7.0 pt = 2.5 mm above the edge, Noto
# Serif CJK (descent 0.288 em, LibreOffice on Linux) 9.3 pt = 3.3 mm. The footer's edge is set
# between the two: 35 − 7 − 2.9 = 25.1 mm above the page's bottom, within ±0.5 mm of 7 mm in both.
DASH_BELOW_BLOCK_MM = 7
DASH_ABOVE_EDGE_MM = 2.9


class GongwenDocument:
    """A python-docx Document set up per GB/T 9704, with paragraph helpers."""

    def __init__(self, *, landscape: bool = False, title: str = "", author: str = "", company: str = "") -> None:
        self.doc = Document()
        self.landscape = landscape
        self.meta = Meta(title=title, author=author, company=company or author)
        self._body = self.doc.element.body
        self._setup_styles()
        self._setup_section()
        # The template's own empty paragraph would put a blank line above the title.
        for p in list(self._body.iterchildren(qn("w:p"))):
            self._body.remove(p)
        self._sectpr = self._body.find(qn("w:sectPr"))
        self._run_rpr = parse_xml(f'<w:rPr {W}><w:rFonts w:hint="eastAsia"/></w:rPr>')
        self._ppr_cache: dict[tuple, object] = {}
        sec = self.doc.sections[0]
        # The text line in points, as Word computes it from the section's twips.
        self.line_pt = (sec.page_width.twips - sec.left_margin.twips - sec.right_margin.twips) / 20

    # ---------------------------------------------------------- setup

    def _setup_styles(self) -> None:
        styles = self.doc.styles.element
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            styles.remove(defaults)
        styles.insert(0, parse_xml(gs.doc_defaults_xml()))
        _replace_props(self.doc.styles["Normal"].element, *gs.normal_props())
        _replace_props(self.doc.styles["Footer"].element, *gs.footer_props())
        for sd in gs.STYLES:
            styles.append(parse_xml(gs.style_xml(sd)))
        # No theme font may override a named one, in any style (the template's Heading and
        # table styles carry asciiTheme/eastAsiaTheme …).
        for rf in styles.iter(qn("w:rFonts")):
            for a in gs.THEME_ATTRS:
                if a in rf.attrib:
                    del rf.attrib[a]

    def _setup_section(self) -> None:
        sec = self.doc.sections[0]
        if self.landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Mm(297), Mm(210)
            top, bottom, left, right = gs.MARGINS_LANDSCAPE
        else:
            sec.orientation = WD_ORIENT.PORTRAIT
            sec.page_width, sec.page_height = Mm(210), Mm(297)
            top, bottom, left, right = gs.MARGINS_PORTRAIT
        sec.top_margin, sec.bottom_margin = Mm(top), Mm(bottom)
        sec.left_margin, sec.right_margin = Mm(left), Mm(right)
        sec.gutter = 0
        sec.header_distance = Mm(15)
        sec.footer_distance = Mm(bottom - DASH_BELOW_BLOCK_MM - DASH_ABOVE_EDGE_MM)
        sectpr = sec._sectPr
        grid = sectpr.find(qn("w:docGrid"))
        if grid is None:
            grid = parse_xml(f"<w:docGrid {W}/>")
            sectpr.append(grid)
        grid.attrib.clear()
        # A line grid only: see gwstyles.py for why there is no character grid.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(gs.LINE_PITCH))

        # Page numbers: odd pages right, even pages left, one character in.
        self.doc.settings.odd_and_even_pages_header_footer = True
        sec.different_first_page_header_footer = False
        _page_number(sec.footer, "right")
        _page_number(sec.even_page_footer, "left")

    # ---------------------------------------------------------- paragraphs

    def _ppr(self, style: str, jc: str | None = None, left_twips: int = 0, keep_next: bool = False):
        key = (style, jc, left_twips, keep_next)
        hit = self._ppr_cache.get(key)
        if hit is None:
            xml = f'<w:pPr {W}><w:pStyle w:val="{style}"/>'
            if keep_next:
                xml += "<w:keepNext/>"
            if left_twips:
                xml += f'<w:ind w:left="{left_twips}" w:leftChars="0"/>'
            if jc:
                xml += f'<w:jc w:val="{jc}"/>'
            hit = self._ppr_cache[key] = parse_xml(xml + "</w:pPr>")
        return copy.deepcopy(hit)

    def paragraph(self, style: str, runs: Iterable[Run] | str = "", *, jc: str | None = None,
                  left_twips: int = 0, keep_next: bool = False):
        """Append a paragraph of ``style`` with runs of (text, bold[, character style])."""
        p = parse_xml(f"<w:p {W}/>")
        p.append(self._ppr(style, jc, left_twips, keep_next))
        if isinstance(runs, str):
            runs = [(runs, False)]
        for run in runs:
            self._append_run(p, run[0], run[1], run[2] if len(run) > 2 else None)
        self._sectpr.addprevious(p)
        return p

    def _append_run(self, p, text: str, bold: bool = False, rstyle: str | None = None) -> None:
        text = cjk_punct(clean(text))  # “不够,如:” as a 公文 writes it: “不够，如：”
        if not text:
            return
        r = p.makeelement(qn("w:r"), {})
        rpr = copy.deepcopy(self._run_rpr)
        if rstyle:
            rpr.insert(0, parse_xml(f'<w:rStyle {W} w:val="{rstyle}"/>'))
        if bold:
            rpr.append(parse_xml(f"<w:b {W}/>"))
            rpr.append(parse_xml(f"<w:bCs {W}/>"))
        r.append(rpr)
        _append_text(r, text)
        p.append(r)

    def _lines_paragraph(self, style: str, parts: Sequence[str]) -> None:
        """One paragraph whose lines are ``parts``, joined by line breaks. A justified style is
        set flush left then: a line ending in a break would be stretched to the margin."""
        p = self.paragraph(style, jc="left" if len(parts) > 1 and style != "GwTitle" else None)
        for n, part in enumerate(parts):
            if n:
                r = p.makeelement(qn("w:r"), {})
                r.append(copy.deepcopy(self._run_rpr))
                r.append(r.makeelement(qn("w:br"), {}))
                p.append(r)
            self._append_run(p, part)

    def title(self, text: str) -> None:
        """The title, broken by meaning (linebreak.break_title); a ``\\n`` typed in it is kept."""
        t = clean(text).strip()
        given = [x.strip() for x in t.split("\n") if x.strip()] or [""]
        parts = given if len(given) > 1 else break_title(given[0], self.line_pt, TITLE_PT)
        self._lines_paragraph("GwTitle", parts)

    def subtitle(self, text: str) -> None:
        self.paragraph("GwSubtitle", one_line(text))

    def blank(self, *, keep_next: bool = False) -> None:
        self.paragraph("Normal", keep_next=keep_next)

    def h1(self, text: str, *, keep: int = 0) -> None:
        """A level-1 heading; one that wraps (a dimension's title as “一、在……方面”) breaks like h2."""
        self._heading("GwH1", text, keep)

    def h2(self, text: str, *, keep: int = 0) -> None:
        """A level-2 heading on its own line; when it wraps it breaks by meaning and never
        leaves a few characters (“方面”) alone (``keep``: the numeral's length)."""
        self._heading("GwH2", text, keep)

    def _heading(self, style: str, text: str, keep: int) -> None:
        t = one_line(text)
        first = self.line_pt - 2 * BODY_CHAR_TWIPS / 20
        self._lines_paragraph(style, break_heading(t, first, self.line_pt, body_width, keep=keep))

    def h3(self, text: str) -> None:
        self.paragraph("GwH3", one_line(text))

    def h4(self, text: str) -> None:
        self.paragraph("GwH4", one_line(text))

    def body(self, text: str) -> None:
        """Body text; each line of ``text`` becomes its own indented paragraph."""
        for ln in lines(text) or [""]:
            self.paragraph("Normal", ln)

    def body_runs(self, runs: Sequence[Run]) -> None:
        """One body paragraph from several runs; line breaks inside start new paragraphs."""
        current: list[Run] = []
        for run in runs:
            pieces = clean(run[0]).split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    self._flush(current)
                    current = []
                if piece:
                    current.append((piece, *run[1:]))
        self._flush(current)

    def _flush(self, runs: list[Run]) -> None:
        runs = [((r[0].lstrip() if i == 0 else r[0]), *r[1:]) for i, r in enumerate(runs)]
        if any(r[0].strip() for r in runs):
            self.paragraph("Normal", runs)

    def signature(self, name: str, date_text: str) -> None:
        """署名 and 成文日期 per GB/T 9704 7.3.5.2: a blank line, then the signature with two
        characters free on its right; the date below it, its first character two characters
        right of the signature's; a date longer than that keeps two free on its right and
        pushes the signature left.

        Both lines are set flush left at computed indents, so the first characters stand
        exactly two characters apart in every word processor; widths are counted as Word sets
        them (15.75 pt a CJK character, 7.75 pt a digit, 1/4 em between CJK and digits)."""
        name = one_line(name)
        date_text = one_line(date_text)
        two = 2 * gs.BODY_PT
        ws, wd = body_width(name, latin_em=0.5), body_width(date_text, latin_em=0.5)
        sign_left = self.line_pt - two - ws
        date_left = sign_left + two
        if date_left + wd > self.line_pt - two:
            date_left = self.line_pt - two - wd
            sign_left = date_left - two
        # The signature never stands on a page of its own: the last line of the text goes
        # with it (the blank line and the signature keep with what follows them).
        last = self._sectpr.getprevious()
        if last is not None and last.tag == qn("w:p"):
            ppr = last.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:keepNext")) is None:
                ppr.find(qn("w:pStyle")).addnext(parse_xml(f"<w:keepNext {W}/>"))
        self.blank(keep_next=True)
        if name:
            self.paragraph("GwSign", name, left_twips=max(0, round(sign_left * 20)), keep_next=True)
        if date_text:
            self.paragraph("GwSign", date_text, left_twips=max(0, round(date_left * 20)))

    # ---------------------------------------------------------- tables

    def table(self, columns: Sequence[tuple[str, float, str]], *, header: bool = True):
        """A bordered fixed-layout table; ``columns`` are (label, width_mm, align) with align
        ``left`` (justified) or ``center``. The header row repeats on every page and no row
        breaks across pages (tables.py)."""
        from .tables import TableWriter

        return TableWriter(self, columns, header=header)

    # ---------------------------------------------------------- output

    def save(self, path) -> None:
        finalize(self.doc, self.meta)
        self.doc.save(path)


def body_width(text: str, latin_em: float = 0.55) -> float:
    """Width in points of body text (16 pt, condensed 0.25 pt; Latin on the wide side unless
    ``latin_em`` says otherwise: Times New Roman digits are exactly 0.5)."""
    return width_pt(text, gs.BODY_PT, spacing_pt=CONDENSE / 20, latin_em=latin_em)


# ------------------------------------------------------------------ helpers

_PIECES = re.compile(r"(\n|\t)")


def _append_text(r, text: str) -> None:
    """w:t / w:br / w:tab children for ``text`` (already cleaned)."""
    for piece in _PIECES.split(text):
        if not piece:
            continue
        if piece == "\n":
            r.append(r.makeelement(qn("w:br"), {}))
        elif piece == "\t":
            r.append(r.makeelement(qn("w:tab"), {}))
        else:
            t = r.makeelement(qn("w:t"), {})
            t.text = piece
            if piece[0].isspace() or piece[-1].isspace():
                t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)


def _replace_props(style_el, ppr_xml: str, rpr_xml: str) -> None:
    for tag in ("w:pPr", "w:rPr"):
        old = style_el.find(qn(tag))
        if old is not None:
            style_el.remove(old)
    ppr = parse_xml(ppr_xml.replace("<w:pPr>", f"<w:pPr {W}>", 1))
    rpr = parse_xml(rpr_xml.replace("<w:rPr>", f"<w:rPr {W}>", 1))
    # pPr and rPr go after the style's other leading children (name, basedOn, qFormat, rsid …)
    # and before any table properties.
    anchor = None
    for tag in ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr"):
        anchor = style_el.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(ppr)
        anchor.addprevious(rpr)
    else:
        style_el.append(ppr)
        style_el.append(rpr)


def _page_number(footer, side: str) -> None:
    """“— 1 —” with a PAGE field, 宋体 14 pt, one character in from ``side``."""
    footer.is_linked_to_previous = False
    ftr = footer._element
    for p in list(ftr.iterchildren(qn("w:p"))):
        ftr.remove(p)
    one = SZ_PAGE * 10  # one 14 pt character, in twips
    ind = f'w:rightChars="100" w:right="{one}"' if side == "right" else f'w:leftChars="100" w:left="{one}"'
    rpr = f'<w:rPr>{gs.rfonts(gs.FONT_SONG, gs.FONT_SONG)}<w:sz w:val="{SZ_PAGE}"/><w:szCs w:val="{SZ_PAGE}"/></w:rPr>'
    p = parse_xml(
        f'<w:p {W}><w:pPr><w:pStyle w:val="Footer"/><w:ind {ind}/><w:jc w:val="{side}"/></w:pPr>'
        f'<w:r>{rpr}<w:t xml:space="preserve">— </w:t></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r>{rpr}<w:t>1</w:t></w:r>"
        f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
        f'<w:r>{rpr}<w:t xml:space="preserve"> —</w:t></w:r>'
        "</w:p>"
    )
    ftr.append(p)
