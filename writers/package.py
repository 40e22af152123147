"""What a .docx carries besides its text: no leftovers of python-docx's template.

The template python-docx starts from is a 2013 Mac Word file: its properties name “Microsoft
Macintosh Word”, its settings put Word in compatibility mode 14 (兼容模式), it holds 170-odd
unused English styles, Japanese fonts in the font table and the theme, a thumbnail, a
bibliography part, a numbering part and web settings. ``finalize`` replaces or drops all of it
just before saving: properties from the document's own facts, Word 2013+ settings, a font
table with the fallbacks GB/T 9704 names, and only the styles the document uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from .cleaning import clean
from .gwstyles import FONT_BODY, FONT_HEI, FONT_KAI, FONT_LATIN, FONT_SONG, FONT_TITLE, W
from .stamp import doc_now

APP_NAME = "zhenggai"

# name -> (altName, panose or "", family, pitch). The altNames are the standard's own fallbacks
# (仿宋_GB2312→仿宋, 楷体_GB2312→楷体, 方正小标宋简体→宋体) and the English names of 黑体/宋体.
FONTS: dict[str, tuple[str, str, str, str]] = {
    FONT_LATIN: ("", "02020603050405020304", "roman", "variable"),
    FONT_BODY: ("仿宋", "02010609030101010101", "modern", "fixed"),
    FONT_KAI: ("楷体", "02010609030101010101", "modern", "fixed"),
    FONT_TITLE: ("宋体", "02000000000000000000", "auto", "default"),
    FONT_HEI: ("SimHei", "02010609060101010101", "modern", "fixed"),
    FONT_SONG: ("SimSun", "02010600030101010101", "auto", "variable"),
}

# Parts of the template nothing refers to any more.
DROP_DOC_RELS = ("/customXml", "/numbering", "/webSettings", "/stylesWithEffects")
# Styles kept even when unused: the defaults of each style type, which Word expects, and the
# house 公文 styles (公文一级标题 … 公文四级标题, 表格文字 …) for whoever edits the file.
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}
HOUSE_PREFIX = "Gw"

ETREE_OPTS = dict(xml_declaration=True, encoding="UTF-8", standalone=True)


@dataclass
class Meta:
    title: str = ""
    author: str = ""  # who the document is from (署名 / the campaign's 党组织)
    company: str = ""  # the organisation, shown by Word as 单位


def finalize(doc, meta: Meta) -> None:
    """Make the package clean; idempotent (a document may be saved twice)."""
    _drop_parts(doc)
    _core_properties(doc, meta)
    _app_properties(doc, meta)
    _settings(doc)
    _font_table(doc)
    _theme_fonts(doc)
    prune_styles(doc)


def _drop_parts(doc) -> None:
    rels = doc.part.rels
    for rid, rel in list(rels.items()):
        if rel.reltype.endswith(DROP_DOC_RELS):
            del rels[rid]
    pkg_rels = doc.part.package.rels
    for rid, rel in list(pkg_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg_rels[rid]


def _core_properties(doc, meta: Meta) -> None:
    props = doc.core_properties
    now = doc_now().replace(tzinfo=None)  # python-docx writes naive times as UTC (…Z)
    props.title = clean(meta.title)[:250]
    props.author = clean(meta.author)[:100]
    props.last_modified_by = clean(meta.author)[:100]
    props.created = now
    props.modified = now
    props.revision = 1
    props.language = "zh-CN"
    for name in ("comments", "keywords", "subject", "category", "content_status", "identifier", "version"):
        setattr(props, name, "")


def _part(doc, reltype, *, package: bool = False):
    rels = doc.part.package.rels if package else doc.part.rels
    for rel in rels.values():
        if rel.reltype == reltype and not rel.is_external:
            return rel.target_part
    return None


def _app_properties(doc, meta: Meta) -> None:
    part = _part(doc, RT.EXTENDED_PROPERTIES, package=True)
    if part is None:
        return
    ns = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
    root = etree.Element(f"{{{ns}}}Properties", nsmap={None: ns})
    for tag, value in (
        ("Application", APP_NAME),
        ("DocSecurity", "0"),
        ("ScaleCrop", "false"),
        ("Company", clean(meta.company)[:100]),
        ("LinksUpToDate", "false"),
        ("SharedDoc", "false"),
        ("HyperlinksChanged", "false"),
    ):
        etree.SubElement(root, f"{{{ns}}}{tag}").text = value
    part._blob = etree.tostring(root, **ETREE_OPTS)


def _settings(doc) -> None:
    """Word 2013+ settings (compatibilityMode 15: no 兼容模式), nothing of the template's own."""
    settings = doc.settings.element
    even_odd = settings.find(qn("w:evenAndOddHeaders")) is not None
    for child in list(settings):
        settings.remove(child)
    xml = (
        f'<w:x {W}><w:zoom w:percent="100"/>'
        + ("<w:evenAndOddHeaders/>" if even_odd else "")
        + '<w:defaultTabStop w:val="420"/>'
        # Full-width punctuation keeps its em: 28 characters a line (gwstyles.py).
        + '<w:characterSpacingControl w:val="doNotCompress"/>'
        + "<w:compat><w:useFELayout/>"
        + "".join(
            f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{val}"/>'
            for name, val in (
                ("compatibilityMode", "15"),
                ("overrideTableStyleFontSizeAndJustification", "1"),
                ("enableOpenTypeFeatures", "1"),
                ("doNotFlipMirrorIndents", "1"),
                ("differentiateMultirowTableHeaders", "1"),
            )
        )
        + "</w:compat>"
        + '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>'
        + '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:x>'
    )
    for child in parse_xml(xml):
        settings.append(child)


def _font_table(doc) -> None:
    part = _part(doc, RT.FONT_TABLE)
    if part is None:
        return
    xml = f"<w:fonts {W}>"
    for name, (alt, panose, family, pitch) in FONTS.items():
        xml += f'<w:font w:name="{name}">'
        if alt:
            xml += f'<w:altName w:val="{alt}"/>'
        xml += f'<w:panose1 w:val="{panose}"/>'
        xml += f'<w:charset w:val="{"00" if name == FONT_LATIN else "86"}"/>'
        xml += f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
    part._blob = etree.tostring(parse_xml(xml + "</w:fonts>"), **ETREE_OPTS)


def _theme_fonts(doc) -> None:
    """The theme's fonts: Times New Roman, 黑体 for headings and 仿宋_GB2312 for body text,
    and no per-script list (the template's names ＭＳ 明朝, 맑은 고딕 …)."""
    part = _part(doc, RT.THEME)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    for tag, east in (("majorFont", FONT_HEI), ("minorFont", FONT_BODY)):
        for fontset in root.iter(f"{{{a}}}{tag}"):
            for child in list(fontset):
                fontset.remove(child)
            for el, face in (("latin", FONT_LATIN), ("ea", east), ("cs", "")):
                etree.SubElement(fontset, f"{{{a}}}{el}", typeface=face)
    part._blob = etree.tostring(root, **ETREE_OPTS)


def prune_styles(doc) -> None:
    """Keep the styles the document and its footers use (with what they are based on), the
    four defaults and the house styles; drop the rest and the latent-style list."""
    styles = doc.styles.element
    used = set(KEEP_STYLES) | {s.get(qn("w:styleId")) for s in styles.iterchildren(qn("w:style"))
                               if (s.get(qn("w:styleId")) or "").startswith(HOUSE_PREFIX)}
    parts = [doc.part] + [rel.target_part for rel in doc.part.rels.values()
                          if not rel.is_external and rel.reltype in (RT.FOOTER, RT.HEADER)]
    for part in parts:
        el = part.element
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            for ref in el.iter(qn(tag)):
                used.add(ref.get(qn("w:val")))
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    todo = list(used)
    while todo:
        s = by_id.get(todo.pop())
        if s is None:
            continue
        for tag in ("w:basedOn", "w:next"):
            ref = s.find(qn(tag))
            if ref is not None and ref.get(qn("w:val")) not in used:
                used.add(ref.get(qn("w:val")))
                todo.append(ref.get(qn("w:val")))
    for sid, s in by_id.items():
        if sid not in used:
            styles.remove(s)
        else:
            link = s.find(qn("w:link"))
            if link is not None and link.get(qn("w:val")) not in used:
                s.remove(link)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)
