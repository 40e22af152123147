"""GB/T 9704-2012 fonts, sizes, the page grid and the paragraph styles of every document.

The grid, and why it is not Word's usual “linesAndChars” grid
-------------------------------------------------------------
A 公文 page holds 22 lines of 28 characters of 三号 (16 pt) in a 156 × 225 mm text block.

* Lines: every body paragraph has an exact line pitch of 579 twips (28.95 pt); 22 × 28.95 =
  636.9 pt fits the 637.8 pt block, 23 do not. The section's grid (``docGrid type="lines"
  linePitch="579"``) says the same, so Word's Page Setup shows 22 lines a page.
* Characters: Word's usual way is a character grid (``type="linesAndChars"``, charSpace −849:
  pitch = 16 pt + (−849/4096) pt = 15.79 pt, ECMA-376 §17.6.5), but LibreOffice gives a 16 pt
  character two cells of a grid narrower than 16 pt and sets 14 a line. So there is no
  character grid; instead every body style condenses its characters by 0.25 pt
  (``w:spacing w:val="-5"``, in twentieths of a point): a CJK character then advances 15.75 pt.
  The line is 156 mm = 8844 twips = 442.2 pt wide:
      28 × 15.75 pt = 441.0 pt ≤ 442.2 pt < 456.75 pt = 29 × 15.75 pt
  so Word, WPS and LibreOffice all set 28 characters a line (LibreOffice measured: 28 on every
  full line). The first line of a paragraph is indented 2 characters (640 twips = 32 pt):
      26 × 15.75 pt = 409.5 pt ≤ 410.2 pt
  so it holds 26. Word counts the −0.25 pt after the last character of a line too; if it did
  not, 27 × 15.75 + 16 = 441.25 pt would still fit. Justification (jc=both) spreads the
  remaining 1.2 pt. Punctuation is not compressed (``characterSpacingControl doNotCompress``),
  so every full-width mark keeps its full em.
* Marks at the line's end. A closing mark (，。、：…) that would be the 29th character may not
  start a line; Word and WPS hang it past the margin (``overflowPunct`` on, their default, said
  explicitly here), so their lines keep 28 characters. LibreOffice 7.4 hangs it too, but in a
  justified paragraph with a first-line indent it draws no hanging mark on any line but the
  first: the mark is missing from the page (measured: 1–4 a document). LibreOffice reads
  ``overflowPunct`` the wrong way round (writerfilter: hanging = ``val == 0``), so ``val="1"``
  turns its hanging off: it carries the last character down with the mark (a line of 27,
  justified to the full width) and every mark is drawn. The rendering check compares the
  .docx's text with the PDF's, so a mark lost again (a LibreOffice that reads the switch the
  right way) fails it.
* The title (22 pt, no condensing: 20 × 22 = 440 pt ≤ 442.2 pt) takes 20 characters a line and
  is broken by meaning beforehand (``linebreak.py``). It does not snap to the line grid:
  LibreOffice would give each 22 pt line two grid lines; Word ignores the grid for exact spacing.
* Tables (12 pt) and the footer are set off the grid, uncondensed.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml.ns import nsdecls, qn

# ------------------------------------------------------------------ fonts and sizes

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEI = "黑体"
FONT_KAI = "楷体_GB2312"
FONT_SONG = "宋体"
FONT_LATIN = "Times New Roman"

# Half-points.
SZ_TITLE = 44  # 二号 22 pt
SZ_BODY = 32  # 三号 16 pt
SZ_PAGE = 28  # 四号 14 pt
SZ_TABLE = 24  # 小四 12 pt

LINE_PITCH = 579  # twips: 28.95 pt, 22 lines in a 225 mm text block
CONDENSE = -5  # twentieths of a point: every body character advances 15.75 pt (see above)
BODY_CHAR_TWIPS = 320  # one 16 pt character (indents are counted in these)
BODY_PT = SZ_BODY / 2
BODY_ADVANCE_PT = BODY_PT + CONDENSE / 20  # 15.75
TITLE_PT = SZ_TITLE / 2

# Margins (mm): top, bottom, left, right. Landscape turns the text block: 225 × 156.
MARGINS_PORTRAIT = (37, 35, 28, 26)
MARGINS_LANDSCAPE = (28, 26, 37, 35)

W = nsdecls("w")
THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))


def rfonts(east: str, latin: str | None = None) -> str:
    latin = latin or FONT_LATIN
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{east}" w:cs="{latin}" w:hint="eastAsia"/>'


def rpr_xml(east: str, sz: int, *, latin: str | None = None, bold: bool = False, condense: int = 0) -> str:
    b = "<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>'
    return (
        f'<w:rPr>{rfonts(east, latin)}{b}<w:color w:val="000000"/><w:spacing w:val="{condense}"/>'
        f'<w:sz w:val="{sz}"/><w:szCs w:val="{sz}"/></w:rPr>'
    )


def ppr_xml(
    *,
    jc: str = "both",
    first_line: bool = True,
    line: int | None = LINE_PITCH,
    outline: int | None = None,
    keep_next: bool = False,
    snap: bool = True,
) -> str:
    parts = []  # in the schema's order (CT_PPrBase): Word refuses a file whose order is wrong
    if keep_next:
        parts.append("<w:keepNext/>")
    parts.append('<w:widowControl w:val="0"/>')  # 22 lines on every page: no widow/orphan moves
    parts.append('<w:overflowPunct w:val="1"/>')  # see “Marks at the line's end” above
    if not snap:
        parts.append('<w:snapToGrid w:val="0"/>')
    if line is None:
        parts.append('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>')
    else:
        parts.append(f'<w:spacing w:before="0" w:after="0" w:line="{line}" w:lineRule="exact"/>')
    first = f'w:firstLineChars="200" w:firstLine="{2 * BODY_CHAR_TWIPS}"' if first_line else 'w:firstLineChars="0" w:firstLine="0"'
    parts.append(f'<w:ind w:left="0" w:leftChars="0" w:right="0" w:rightChars="0" {first}/>')
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
    condense: int = CONDENSE
    kind: str = "paragraph"


TABLE = dict(sz=SZ_TABLE, first_line=False, line=None, snap=False, condense=0)

STYLES: tuple[StyleDef, ...] = (
    StyleDef("GwTitle", "公文标题", FONT_TITLE, SZ_TITLE, latin=FONT_TITLE, jc="center", first_line=False,
             keep_next=True, snap=False, condense=0),
    StyleDef("GwSubtitle", "公文副标题", FONT_KAI, jc="center", first_line=False, keep_next=True),
    StyleDef("GwH1", "公文一级标题", FONT_HEI, outline=0, keep_next=True),
    StyleDef("GwH2", "公文二级标题", FONT_KAI, outline=1, keep_next=True),
    StyleDef("GwH3", "公文三级标题", FONT_BODY, bold=True, outline=2, keep_next=True),
    StyleDef("GwH4", "公文四级标题", FONT_BODY, outline=3),
    # 署名 and 成文日期 are set flush left at computed indents (GongwenDocument.signature).
    StyleDef("GwSign", "公文署名", FONT_BODY, jc="left", first_line=False, keep_next=True),
    StyleDef("GwTable", "表格文字", FONT_BODY, jc="left", **TABLE),
    StyleDef("GwTableCenter", "表格文字居中", FONT_BODY, jc="center", **TABLE),
    StyleDef("GwTableHead", "表格标题行", FONT_HEI, jc="center", **TABLE),
    StyleDef("GwTableGroup", "表格分组行", FONT_HEI, jc="left", keep_next=True, **TABLE),
    # A level-2 heading run into its paragraph (“（一）在……方面。一是……”): 楷体 inside 仿宋.
    StyleDef("GwH2Char", "公文二级标题字符", FONT_KAI, kind="character"),
)


def style_xml(sd: StyleDef) -> str:
    if sd.kind == "character":
        return (
            f'<w:style {W} w:type="character" w:customStyle="1" w:styleId="{sd.style_id}">'
            f'<w:name w:val="{sd.name}"/><w:uiPriority w:val="1"/><w:qFormat/>'
            f'<w:rPr>{rfonts(sd.east, sd.latin)}</w:rPr></w:style>'
        )
    return (
        f'<w:style {W} w:type="paragraph" w:customStyle="1" w:styleId="{sd.style_id}">'
        f'<w:name w:val="{sd.name}"/><w:basedOn w:val="Normal"/><w:qFormat/>'
        + ppr_xml(jc=sd.jc, first_line=sd.first_line, line=sd.line, outline=sd.outline, keep_next=sd.keep_next,
                  snap=sd.snap)
        + rpr_xml(sd.east, sd.sz, latin=sd.latin, bold=sd.bold, condense=sd.condense)
        + "</w:style>"
    )


def doc_defaults_xml() -> str:
    """16 pt, named fonts, Chinese language, exact spacing, no space after."""
    return (
        f"<w:docDefaults {W}><w:rPrDefault><w:rPr>{rfonts(FONT_BODY)}"
        f'<w:sz w:val="{SZ_BODY}"/><w:szCs w:val="{SZ_BODY}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        f'<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
    )


def normal_props() -> tuple[str, str]:
    return ppr_xml(), rpr_xml(FONT_BODY, SZ_BODY, condense=CONDENSE)


# The footer line: exact spacing, so its height does not depend on the font's line gap.
FOOTER_LINE = 320  # twips: 16 pt for the 14 pt page number


def footer_props() -> tuple[str, str]:
    return (
        ppr_xml(first_line=False, jc="left", line=FOOTER_LINE, snap=False),
        rpr_xml(FONT_SONG, SZ_PAGE, latin=FONT_SONG),
    )
