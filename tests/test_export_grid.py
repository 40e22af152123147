"""Word's arithmetic from the XML (28 characters, 22 lines) and no template leftovers (issue 10.1, 10.5).

LibreOffice's figures come from rendering (test_render.py); Word and WPS are not available
here, so these tests do Word's sums on what the file says (ECMA-376 §17.6.5, §17.3.2.35).
"""

from __future__ import annotations

import datetime as dt
import math
import zipfile

import pytest
from docx.oxml.ns import qn
from lxml import etree

from export_helpers import open_doc, run_prop, style_el
from writers.export import ExportOptions, export

KINDS = {
    "report": {},
    "personal": {"subject": "李秀兰"},
    "ledger": {},
    "contacts": {},
}
BODY_STYLES = ("Normal", "GwSubtitle", "GwH1", "GwH2", "GwH3", "GwH4", "GwSign")
FLAT_STYLES = ("GwTitle", "GwTable", "GwTableCenter", "GwTableHead", "GwTableGroup", "Footer")

PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
    "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd "
    "snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
    "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
).split()
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
    "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl cs "
    "em lang eastAsianLayout specVanish oMath"
).split()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("ZHENGGAI_TODAY", "2026-11-21")  # module scope: conftest's per-test freeze is not on yet
    from storage import Database
    from storage.demo import load_demo

    tmp = tmp_path_factory.mktemp("grid")
    db = Database.open(str(tmp / "db" / "zhenggai.json"), user="tester")
    load_demo(db)
    out = {}
    for name, kw in KINDS.items():
        kind = "report" if name == "personal" else name
        out[name] = export(db, ExportOptions(kind=kind, output=str(tmp / f"{name}.docx"), **kw))
    yield out
    mp.undo()


def _style_rpr(doc, style_id: str, tag: str, attr: str = "val"):
    """A style's effective run property (its own, then what it is based on, then docDefaults)."""
    p = etree.SubElement(etree.Element(qn("w:body")), qn("w:p"))
    etree.SubElement(etree.SubElement(p, qn("w:pPr")), qn("w:pStyle")).set(qn("w:val"), style_id)
    return run_prop(doc, p, None, tag, attr)


@pytest.mark.parametrize("name", KINDS)
def test_word_sets_28_characters_and_22_lines(files, name):
    doc = open_doc(files[name])
    sec = doc.sections[0]
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch")), grid.get(qn("w:charSpace"))) == ("lines", "579", None)
    width_pt = (sec.page_width.twips - sec.left_margin.twips - sec.right_margin.twips) / 20
    height_pt = (sec.page_height.twips - sec.top_margin.twips - sec.bottom_margin.twips) / 20
    if name == "ledger":
        assert (round(width_pt, 1), round(height_pt, 1)) == (637.8, 442.2)
        return
    assert (round(width_pt, 2), round(height_pt, 1)) == (442.25, 637.8)
    # 22 lines: every body style has exact 28.95 pt lines; 22 fit the block, 23 do not.
    assert 22 * 28.95 <= height_pt < 23 * 28.95
    for sid in BODY_STYLES:
        s = style_el(doc, sid)
        spacing = s.find(qn("w:pPr")).find(qn("w:spacing"))
        assert (spacing.get(qn("w:line")), spacing.get(qn("w:lineRule"))) == ("579", "exact"), sid
        # A character advances its size plus the condensed spacing: 16 + (−5/20) = 15.75 pt.
        size = int(_style_rpr(doc, sid, "sz")) / 2
        advance = size + int(_style_rpr(doc, sid, "spacing")) / 20
        assert (size, advance) == (16, 15.75), sid
        assert math.floor(width_pt / advance) == 28  # 28 × 15.75 = 441 ≤ 442.25 < 29 × 15.75
        first = int(s.find(qn("w:pPr")).find(qn("w:ind")).get(qn("w:firstLine")) or 0) / 20
        if first:
            assert first == 32 and math.floor((width_pt - first) / advance) == 26
    # The title (22 pt) and the tables and footer are not condensed: 20 title characters a line.
    for sid in FLAT_STYLES:
        assert int(_style_rpr(doc, sid, "spacing") or 0) == 0, sid
    assert math.floor(width_pt / (int(_style_rpr(doc, "GwTitle", "sz")) / 2)) == 20
    # Full-width punctuation is never compressed (it would put more than 28 on a line).
    control = doc.settings.element.find(qn("w:characterSpacingControl"))
    assert control.get(qn("w:val")) == "doNotCompress"
    # A closing mark that would be the 29th character hangs past the margin in Word (28 stay on
    # the line), said explicitly: LibreOffice reads overflowPunct inverted and then hangs none —
    # the marks it hangs after a first-line indent it never draws (gwstyles.py, test_render.py).
    for sid in BODY_STYLES + FLAT_STYLES:
        punct = style_el(doc, sid).find(qn("w:pPr")).find(qn("w:overflowPunct"))
        assert punct is not None and punct.get(qn("w:val")) == "1", sid


@pytest.mark.parametrize("name", KINDS)
def test_no_template_leftovers(files, name):
    path = files[name]
    doc = open_doc(path)
    names = zipfile.ZipFile(path).namelist()
    for gone in ("docProps/thumbnail.jpeg", "customXml/item1.xml", "word/numbering.xml", "word/webSettings.xml",
                 "word/stylesWithEffects.xml"):
        assert gone not in names
    # Properties: who it is from, when it was written (frozen “today” in tests), no Mac Word.
    props = doc.core_properties
    organ = "中共云海市政协党组"
    assert props.author == (organ if name != "personal" else "李秀兰") and props.last_modified_by == props.author
    assert props.created == props.modified == dt.datetime(2026, 11, 21, tzinfo=dt.timezone.utc)
    assert props.revision == 1
    app = zipfile.ZipFile(path).read("docProps/app.xml").decode()
    assert "Macintosh" not in app and "<Application>zhenggai</Application>" in app
    assert f"<Company>{organ}</Company>" in app
    # Word 2013+ layout: no 兼容模式.
    compat = {s.get(qn("w:name")): s.get(qn("w:val")) for s in doc.settings.element.iter(qn("w:compatSetting"))}
    assert compat["compatibilityMode"] == "15"
    assert doc.settings.element.find(qn("w:rsids")) is None
    # Only the styles used, the four defaults and the house 公文 styles; no latent-style list.
    styles = doc.styles.element
    ids = {s.get(qn("w:styleId")) for s in styles.iterchildren(qn("w:style"))}
    assert ids <= {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "Footer"} | {i for i in ids if i.startswith("Gw")}
    assert len(ids) < 25 and styles.find(qn("w:latentStyles")) is None
    # The font table: the standard's fonts with their fallbacks, nothing Japanese.
    fonts = etree.fromstring(zipfile.ZipFile(path).read("word/fontTable.xml"))
    alt = {f.get(qn("w:name")): (f.find(qn("w:altName")).get(qn("w:val")) if f.find(qn("w:altName")) is not None else None)
           for f in fonts.iter(qn("w:font"))}
    assert alt == {"Times New Roman": None, "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体",
                   "黑体": "SimHei", "宋体": "SimSun"}
    for part in ("word/fontTable.xml", "word/theme/theme1.xml", "word/styles.xml"):
        xml = zipfile.ZipFile(path).read(part).decode()
        for japanese in ("ＭＳ", "明朝", "ゴシック", "Mincho", "Gothic", "Jpan"):
            assert japanese not in xml, (part, japanese)


@pytest.mark.parametrize("name", KINDS)
def test_properties_in_schema_order(files, name):
    """Word refuses a file whose paragraph or run properties are out of the schema's order."""
    z = zipfile.ZipFile(files[name])
    for part in [n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")]:
        root = etree.fromstring(z.read(part))
        for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER)):
            for el in root.iter(qn(f"w:{tag}")):
                seq = [etree.QName(c).localname for c in el]
                idx = [order.index(t) for t in seq]
                assert idx == sorted(idx), (part, tag, seq)
