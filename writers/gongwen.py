"""GB/T 9704-2012 page and paragraph formatting on top of python-docx.

Everything a 公文 needs that python-docx does not do by itself lives here:
A4 with the standard margins and document grid, East-Asian fonts on
``w:eastAsia`` with every theme font removed, exact line spacing, the
"— 1 —" page numbers in a PAGE field on odd/even footers, and text cleaning
so that nothing a user typed can make the XML invalid.

Runs and table cells are built with lxml directly: python-docx's per-run API
is correct but slow at thousands of table cells.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

from .textwidth import char_width

# ------------------------------------------------------------------ fonts and sizes

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"

# Fallbacks Word/WPS use when a named font is missing on the reader's machine.
FONT_ALT = {FONT_BODY: "仿宋", FONT_KAI: "楷体", FONT_TITLE: "宋体"}

SZ_TITLE = 44  # 二号 22 pt, in half-points
SZ_BODY = 32  # 三号 16 pt
SZ_PAGE = 28  # 四号 14 pt
SZ_TABLE = 24  # 小四 12 pt

LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in a 225 mm text block
CHAR_SPACE = -849  # 28 characters of 16 pt in a 156 mm line
BODY_CHAR_TWIPS = 320  # one 16 pt character

# Margins (mm): top, bottom, left, right. Landscape turns the text block: 225 × 156.
MARGINS_PORTRAIT = (37, 35, 28, 26)
MARGINS_LANDSCAPE = (28, 26, 37, 35)
# The page number's top sits 7 mm below the text block; a 14 pt line is ~5 mm.
PAGE_NUMBER_GAP = 7 + 5

THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))

# ------------------------------------------------------------------ text cleaning

# C0 controls except TAB and LF, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_PIECES = re.compile(r"(\n|\t)")


def clean(value: object) -> str:
    """Text safe for XML: \\r\\n and \\r become one \\n; what XML cannot hold is removed."""
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _BAD.sub("", s)


def lines(value: object) -> list[str]:
    """Cleaned text split into its non-empty lines (each becomes a paragraph)."""
    return [ln.strip() for ln in clean(value).split("\n") if ln.strip()]


def end_sentence(text: str) -> str:
    """Add 。 unless the text already ends with closing punctuation."""
    t = text.rstrip()
    if not t:
        return t
    if t[-1] in "。！？；：…!?;:":
        return t
    if t[-1] in "”’）)】」』》" and len(t) > 1 and t[-2] in "。！？!?":
        return t
    return t + "。"


# ------------------------------------------------------------------ XML snippets

W = nsdecls("w")


def _rfonts(east: str, latin: str | None = None) -> str:
    latin = latin or FONT_LATIN
    return (
        f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}" w:hint="eastAsia"/>'
    )


def _rpr_xml(east: str, sz: int, *, latin: str | None = None, bold: bool = False) -> str:
    b = "<w:b/><w:bCs/>" if bold else "<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>"
    return f"<w:rPr>{_rfonts(east, latin)}{b}<w:color w:val=\"000000\"/><w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/></w:rPr>"


def _ppr_xml(
    *,
    jc: str = "both",
    first_line: bool = True,
    line: int | None = LINE_PITCH,
    rule: str = "exact",
    outline: int | None = None,
    keep_next: bool = False,
    snap: bool = True,
    right_chars: float = 0,
) -> str:
    parts = []
    if keep_next:
        parts.append("<w:keepNext/>")
    parts.append('<w:widowControl w:val="0"/>')
    if not snap:
        parts.append('<w:snapToGrid w:val="0"/>')
    if line is None:
        parts.append('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    else:
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="{rule}"/>')
    ind = ['w:left="0"', 'w:leftChars="0"']
    if right_chars:
        ind.append(f'w:rightChars="{int(round(right_chars * 100))}" w:right="{int(round(right_chars * BODY_CHAR_TWIPS))}"')
    else:
        ind.append('w:right="0" w:rightChars="0"')
    if first_line:
        ind.append(f'w:firstLineChars="200" w:firstLine="{2 * BODY_CHAR_TWIPS}"')
    else:
        ind.append('w:firstLineChars="0" w:firstLine="0"')
    parts.append(f"<w:ind {' '.join(ind)}/>")
    parts.append(f'<w:jc w:val="{jc}"/>')
    if outline is not None:
        parts.append(f'<w:outlineLvl w:val="{outline}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>"


@dataclass(frozen=True)
class StyleDef:
    style_id: str
    name: str
    east: str
    sz: int = SZ_BODY
    latin: str | None = None
    bold: bool = False
    jc: str = "both"
    first_line: bool = True
    line: int | None = LINE_PITCH
    outline: int | None = None
    keep_next: bool = False
    snap: bool = True


STYLES: tuple[StyleDef, ...] = (
    StyleDef("GwTitle", "公文标题", FONT_TITLE, SZ_TITLE, latin=FONT_TITLE, jc="center", first_line=False, keep_next=True),
    StyleDef("GwSubtitle", "公文副标题", FONT_KAI, jc="center", first_line=False, keep_next=True),
    StyleDef("GwH1", "公文一级标题", FONT_HEI, outline=0, keep_next=True),
    StyleDef("GwH2", "公文二级标题", FONT_KAI, outline=1, keep_next=True),
    StyleDef("GwH3", "公文三级标题", FONT_BODY, bold=True, outline=2, keep_next=True),
    StyleDef("GwH4", "公文四级标题", FONT_BODY, outline=3),
    StyleDef("GwSign", "公文署名", FONT_BODY, jc="right", first_line=False),
    StyleDef("GwTable", "表格文字", FONT_BODY, SZ_TABLE, jc="left", first_line=False, line=None, snap=False),
    StyleDef("GwTableCenter", "表格文字居中", FONT_BODY, SZ_TABLE, jc="center", first_line=False, line=None, snap=False),
    StyleDef("GwTableHead", "表格标题行", FONT_HEI, SZ_TABLE, jc="center", first_line=False, line=None, snap=False),
)


# ------------------------------------------------------------------ the document


class GongwenDocument:
    """A python-docx Document set up per GB/T 9704, with paragraph helpers."""

    def __init__(self, *, landscape: bool = False, title: str = "", author: str = "") -> None:
        self.doc = Document()
        self.landscape = landscape
        self._body = self.doc.element.body
        self._setup_styles()
        self._setup_section()
        self._setup_settings()
        self._setup_fonts_table()
        self._drop_styles_with_effects()
        props = self.doc.core_properties
        props.title = clean(title)[:250]
        props.author = clean(author)[:100]
        props.last_modified_by = clean(author)[:100]
        props.comments = ""
        props.keywords = ""
        props.subject = ""
        # The template's own empty paragraph would put a blank line above the title.
        for p in list(self._body.iterchildren(qn("w:p"))):
            self._body.remove(p)
        self._sectpr = self._body.find(qn("w:sectPr"))
        self._run_rpr = parse_xml(f'<w:rPr {W}><w:rFonts w:hint="eastAsia"/></w:rPr>')
        self._run_rpr_bold = parse_xml(f'<w:rPr {W}><w:rFonts w:hint="eastAsia"/><w:b/><w:bCs/></w:rPr>')
        self._ppr_cache: dict[tuple, object] = {}

    # ---------------------------------------------------------- setup

    def _setup_styles(self) -> None:
        styles = self.doc.styles.element
        # docDefaults: 16 pt, named fonts, Chinese language, exact spacing, no space after.
        defaults = styles.find(qn("w:docDefaults"))
        if defaults is not None:
            styles.remove(defaults)
        defaults = parse_xml(
            f"<w:docDefaults {W}><w:rPrDefault><w:rPr>{_rfonts(FONT_BODY)}"
            f'<w:sz w:val="{SZ_BODY}"/><w:szCs w:val="{SZ_BODY}"/>'
            '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
            f'<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/></w:pPr></w:pPrDefault>'
            "</w:docDefaults>"
        )
        styles.insert(0, defaults)

        normal = self.doc.styles["Normal"].element
        _replace_props(normal, _ppr_xml(), _rpr_xml(FONT_BODY, SZ_BODY))

        footer = self.doc.styles["Footer"].element
        _replace_props(
            footer,
            _ppr_xml(first_line=False, jc="left", line=None, snap=False),
            _rpr_xml(FONT_SONG, SZ_PAGE, latin=FONT_SONG),
        )

        for sd in STYLES:
            xml = (
                f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{sd.style_id}">'
                f'<w:name w:val="{sd.name}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
                + _ppr_xml(jc=sd.jc, first_line=sd.first_line, line=sd.line, outline=sd.outline, keep_next=sd.keep_next, snap=sd.snap)
                + _rpr_xml(sd.east, sd.sz, latin=sd.latin, bold=sd.bold)
                + "</w:style>"
            )
            styles.append(parse_xml(xml))

        # No theme font may override a named one, in any style (the template's Heading and
        # table styles carry asciiTheme/eastAsiaTheme …).
        for rf in styles.iter(qn("w:rFonts")):
            for a in THEME_ATTRS:
                if a in rf.attrib:
                    del rf.attrib[a]

    def _setup_section(self) -> None:
        sec = self.doc.sections[0]
        if self.landscape:
            sec.orientation = WD_ORIENT.LANDSCAPE
            sec.page_width, sec.page_height = Mm(297), Mm(210)
            top, bottom, left, right = MARGINS_LANDSCAPE
        else:
            sec.orientation = WD_ORIENT.PORTRAIT
            sec.page_width, sec.page_height = Mm(210), Mm(297)
            top, bottom, left, right = MARGINS_PORTRAIT
        sec.top_margin, sec.bottom_margin = Mm(top), Mm(bottom)
        sec.left_margin, sec.right_margin = Mm(left), Mm(right)
        sec.gutter = 0
        sec.header_distance = Mm(15)
        sec.footer_distance = Mm(max(bottom - PAGE_NUMBER_GAP, 8))
        sectpr = sec._sectPr
        grid = sectpr.find(qn("w:docGrid"))
        if grid is None:
            grid = parse_xml(f"<w:docGrid {W}/>")
            sectpr.append(grid)
        grid.attrib.clear()
        grid.set(qn("w:type"), "linesAndChars")
        grid.set(qn("w:linePitch"), str(LINE_PITCH))
        grid.set(qn("w:charSpace"), str(CHAR_SPACE))

        # Page numbers: odd pages right, even pages left, one character in.
        self.doc.settings.odd_and_even_pages_header_footer = True
        sec.different_first_page_header_footer = False
        _page_number(sec.footer, "right")
        _page_number(sec.even_page_footer, "left")

    def _setup_settings(self) -> None:
        settings = self.doc.settings.element
        tfl = settings.find(qn("w:themeFontLang"))
        if tfl is not None:
            tfl.set(qn("w:eastAsia"), "zh-CN")

    def _setup_fonts_table(self) -> None:
        """Declare the Chinese fonts (charset GB2312) with the usual fallbacks."""
        try:
            part = self.doc.part.part_related_by(RT.FONT_TABLE)
        except KeyError:
            return
        fonts = parse_xml(part.blob)
        have = {f.get(qn("w:name")) for f in fonts.iter(qn("w:font"))}
        for name in (FONT_BODY, FONT_KAI, FONT_HEI, FONT_SONG, FONT_TITLE):
            if name in have:
                continue
            alt = FONT_ALT.get(name)
            alt_xml = f'<w:altName w:val="{alt}"/>' if alt else ""
            fonts.append(
                parse_xml(
                    f'<w:font {W} w:name="{name}">{alt_xml}<w:charset w:val="86"/>'
                    '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
                )
            )
        from lxml import etree

        part._blob = etree.tostring(fonts, xml_declaration=True, encoding="UTF-8", standalone=True)

    def _drop_styles_with_effects(self) -> None:
        """The template's Word 2010 stylesWithEffects part still holds theme fonts: drop it."""
        rels = self.doc.part.rels
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith("/stylesWithEffects"):
                del rels[rid]

    # ---------------------------------------------------------- paragraphs

    def _ppr(self, style: str, jc: str | None = None, right_chars: float = 0):
        key = (style, jc, right_chars)
        hit = self._ppr_cache.get(key)
        if hit is None:
            xml = f'<w:pPr {W}><w:pStyle w:val="{style}"/>'
            if right_chars:
                xml += f'<w:ind w:rightChars="{int(round(right_chars * 100))}" w:right="{int(round(right_chars * BODY_CHAR_TWIPS))}"/>'
            if jc:
                xml += f'<w:jc w:val="{jc}"/>'
            hit = self._ppr_cache[key] = parse_xml(xml + "</w:pPr>")
        return copy.deepcopy(hit)

    def paragraph(self, style: str, runs: Iterable[tuple[str, bool]] | str = "", *, jc: str | None = None, right_chars: float = 0):
        """Append a paragraph of ``style`` with runs of (text, bold)."""
        p = parse_xml(f"<w:p {W}/>")
        p.append(self._ppr(style, jc, right_chars))
        if isinstance(runs, str):
            runs = [(runs, False)]
        for text, bold in runs:
            self._append_run(p, text, bold)
        self._sectpr.addprevious(p)
        return p

    def _append_run(self, p, text: str, bold: bool = False, rpr=None) -> None:
        text = clean(text)
        if not text:
            return
        r = p.makeelement(qn("w:r"), {})
        r.append(copy.deepcopy(rpr if rpr is not None else (self._run_rpr_bold if bold else self._run_rpr)))
        _append_text(r, text)
        p.append(r)

    def title(self, text: str) -> None:
        """The title; ``\\n`` in it breaks the line (GB/T 9704: 梯形或菱形 for long titles)."""
        t = clean(text).strip()
        p = self.paragraph("GwTitle")
        parts = [x.strip() for x in t.split("\n") if x.strip()] or [""]
        for n, part in enumerate(parts):
            if n:
                r = p.makeelement(qn("w:r"), {})
                r.append(copy.deepcopy(self._run_rpr))
                r.append(r.makeelement(qn("w:br"), {}))
                p.append(r)
            self._append_run(p, part)

    def subtitle(self, text: str) -> None:
        self.paragraph("GwSubtitle", clean(text).replace("\n", " ").strip())

    def blank(self) -> None:
        self.paragraph("Normal")

    def h1(self, text: str) -> None:
        self.paragraph("GwH1", clean(text).replace("\n", " ").strip())

    def h2(self, text: str) -> None:
        self.paragraph("GwH2", clean(text).replace("\n", " ").strip())

    def h3(self, text: str) -> None:
        self.paragraph("GwH3", clean(text).replace("\n", " ").strip())

    def h4(self, text: str) -> None:
        self.paragraph("GwH4", clean(text).replace("\n", " ").strip())

    def body(self, text: str) -> None:
        """Body text; each line of ``text`` becomes its own indented paragraph."""
        for ln in lines(text) or [""]:
            self.paragraph("Normal", ln)

    def body_runs(self, runs: Sequence[tuple[str, bool]]) -> None:
        """One body paragraph from several runs; line breaks inside start new paragraphs."""
        current: list[tuple[str, bool]] = []
        for text, bold in runs:
            pieces = clean(text).split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    self._flush(current)
                    current = []
                if piece:
                    current.append((piece, bold))
        self._flush(current)

    def _flush(self, runs: list[tuple[str, bool]]) -> None:
        runs = [(t.strip() if i == 0 else t, b) for i, (t, b) in enumerate(runs)]
        if any(t.strip() for t, _ in runs):
            self.paragraph("Normal", runs)

    def signature(self, name: str, date_text: str) -> None:
        """署名 and 成文日期 per GB/T 9704 7.3.5.2: a blank line, then the signature right-aligned
        with two characters free; the date below, its first character two to the right of the
        signature's; a date longer than that keeps two free and pushes the signature left."""
        name = clean(name).replace("\n", " ").strip()
        date_text = clean(date_text).strip()
        ws, wd = char_width(name), char_width(date_text)
        date_right = max(2.0, ws - wd)
        sign_right = date_right + wd + 2 - ws
        self.blank()
        if name:
            self.paragraph("GwSign", name, right_chars=sign_right)
        if date_text:
            self.paragraph("GwSign", date_text, right_chars=date_right)

    # ---------------------------------------------------------- tables

    def table(self, columns: Sequence[tuple[str, float, str]], *, header: bool = True) -> "TableWriter":
        """A bordered fixed-layout table; ``columns`` are (label, width_mm, align) with
        align ``left`` (justified) or ``center``. The header row repeats on every page."""
        return TableWriter(self, columns, header=header)

    # ---------------------------------------------------------- output

    def save(self, path) -> None:
        self.doc.save(path)


class TableWriter:
    def __init__(self, gw: GongwenDocument, columns: Sequence[tuple[str, float, str]], *, header: bool = True) -> None:
        self.gw = gw
        self.columns = list(columns)
        n = len(self.columns)
        table = gw.doc.add_table(rows=1 if header else 0, cols=n)
        self.table = table
        tbl = table._tbl
        # python-docx appended it before sectPr already (body.add_tbl keeps sectPr last).
        widths = [Mm(w) for _, w, _ in self.columns]
        for col, w in zip(table.columns, widths):
            col.width = w
        total = sum(int(w.twips) for w in widths)
        tblpr = tbl.tblPr
        for child in list(tblpr):
            if child.tag != qn("w:tblStyle"):
                tblpr.remove(child)
        tblpr.append(parse_xml(f'<w:tblW {W} w:w="{total}" w:type="dxa"/>'))
        tblpr.append(parse_xml(f'<w:jc {W} w:val="center"/>'))
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        tblpr.append(parse_xml(f"<w:tblBorders {W}>{borders}</w:tblBorders>"))
        tblpr.append(parse_xml(f'<w:tblLayout {W} w:type="fixed"/>'))
        tblpr.append(
            parse_xml(
                f'<w:tblCellMar {W}><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
                '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
            )
        )
        tblpr.append(parse_xml(f'<w:tblLook {W} w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'))
        self._ppr = {
            "left": gw._ppr("GwTable"),
            "center": gw._ppr("GwTableCenter"),
            "head": gw._ppr("GwTableHead"),
        }
        self._valign = parse_xml(f'<w:vAlign {W} w:val="center"/>')
        if header:
            row = table.rows[0]
            tr = row._tr
            tr.insert(0, parse_xml(f"<w:trPr {W}><w:cantSplit/><w:tblHeader/></w:trPr>"))
            for cell, (label, _, _), w in zip(row.cells, self.columns, widths):
                cell.width = w
                self._fill(cell._tc, [label], "head", center_v=True)
        self.rows = 0

    def add_row(self, values: Sequence[str | Sequence[str]]) -> None:
        """One row; a value that is a list gives one paragraph per element, and a string one
        paragraph per line."""
        cells = self.table.add_row().cells
        for cell, value, (_, _, align) in zip(cells, values, self.columns):
            texts = value if isinstance(value, (list, tuple)) else lines(value)
            self._fill(cell._tc, texts, align, center_v=(align == "center"))
        self.rows += 1

    def _fill(self, tc, texts: Sequence[str], kind: str, *, center_v: bool = False) -> None:
        ppr = self._ppr[kind]
        if center_v:
            tc.tcPr.append(copy.deepcopy(self._valign))
        p = tc.find(qn("w:p"))
        first = True
        for text in texts or [""]:
            if not first:
                new = p.makeelement(qn("w:p"), {})
                tc.append(new)
                p = new
            first = False
            p.append(copy.deepcopy(ppr))
            self.gw._append_run(p, text)


# ------------------------------------------------------------------ helpers


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
    ind = 'w:rightChars="100" w:right="280"' if side == "right" else 'w:leftChars="100" w:left="280"'
    rpr = f'<w:rPr>{_rfonts(FONT_SONG, FONT_SONG)}<w:sz w:val="{SZ_PAGE}"/><w:szCs w:val="{SZ_PAGE}"/></w:rPr>'
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
