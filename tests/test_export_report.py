"""对照检查材料 read back: page, grid, fonts at every level, spacing, footers, numbering, text."""

from __future__ import annotations

import re

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from export_helpers import body_paragraphs, fmt, footer_xml, open_doc, style_el
from storage.items import add_item, add_outline, create_campaign, set_dimensions
from writers.export import ExportOptions, export

KNOWN_ITEM = (
    "一是理论学习深度不足。参加各类政治理论学习比较认真，但对一些重要论述领悟不够深刻，学用结合不够紧密。"
    "如在学习关于加强和改进人民政协工作的重要思想时，未能结合调研课题深入研究，调研成果对履职的推动作用不够明显。"
)
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@pytest.fixture
def report(demo_db, tmp_path):
    path = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "r.docx")))
    return open_doc(path), path


def _mm(length) -> float:
    return round(length / Mm(1), 1)


def test_page_a4_portrait_margins_and_grid(report):
    doc, _ = report
    sec = doc.sections[0]
    assert (_mm(sec.page_width), _mm(sec.page_height)) == (210.0, 297.0)
    assert sec.orientation == 0  # portrait
    assert (_mm(sec.top_margin), _mm(sec.bottom_margin), _mm(sec.left_margin), _mm(sec.right_margin)) == (37, 35, 28, 26)
    # A line grid only (22 lines of 28.95 pt); the 28 characters come from the body styles'
    # condensed spacing (test_export_grid.py does Word's arithmetic).
    grid = sec._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    assert grid.get(qn("w:linePitch")) == "579"
    assert grid.get(qn("w:charSpace")) is None


def test_doc_defaults_fonts_and_no_theme_fonts(report):
    doc, _ = report
    styles = doc.styles.element
    dd = styles.find(qn("w:docDefaults"))
    rpr = dd.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == "32"
    rf = rpr.find(qn("w:rFonts"))
    assert rf.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert rf.get(qn("w:hint")) == "eastAsia"
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
    # Not one theme font anywhere in styles.xml (docDefaults and every style).
    for el in styles.iter(qn("w:rFonts")):
        for a in THEME_ATTRS:
            assert el.get(qn(f"w:{a}")) is None, (a, el.getparent().getparent().get(qn("w:styleId")))
    # The Word 2010 stylesWithEffects copy (full of theme fonts) is gone.
    assert not any(r.reltype.endswith("stylesWithEffects") for r in doc.part.rels.values())


def test_title_and_every_level_font_size_spacing(report):
    doc, _ = report
    paras = body_paragraphs(doc)
    title = paras[0]
    f = fmt(doc, title)
    assert title.text.replace("\n", "") == "中共云海市政协党组2025年度民主生活会对照检查材料"
    assert f["east"] == "方正小标宋简体" and f["sz"] == "44" and f["jc"] == "center"
    assert f["firstLineChars"] == "0" and f["firstLine"] == "0"

    def one(pattern):
        hits = [p for p in paras if re.match(pattern, p.text)]
        assert hits, pattern
        return hits

    for p in one(r"^[一二三四五六七八九十]+、"):
        f = fmt(doc, p)
        assert (f["east"], f["sz"], f["bold"]) == ("黑体", "32", False), p.text
    for p in one(r"^（[一二三四五六七八九十]+）"):
        f = fmt(doc, p)
        assert (f["east"], f["sz"]) == ("楷体_GB2312", "32"), p.text
    for p in one(r"^[一二三四五六七八九十]+是"):
        f = fmt(doc, p)
        assert (f["east"], f["sz"], f["jc"]) == ("仿宋_GB2312", "32", "both"), p.text
        assert (f["line"], f["rule"]) == ("579", "exact")
        assert (f["firstLineChars"], f["firstLine"]) == ("200", "640")
        assert f["hint"] == "eastAsia"
    # Headings keep the body's indent and exact spacing too.
    for p in one(r"^[一二三]、") + one(r"^（一）"):
        f = fmt(doc, p)
        assert (f["line"], f["rule"], f["firstLineChars"]) == ("579", "exact", "200")


def test_level3_and_level4_styles(report):
    doc, _ = report
    h3, h4 = style_el(doc, "GwH3"), style_el(doc, "GwH4")
    for s, bold in ((h3, True), (h4, False)):
        rf = s.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert rf.get(qn("w:eastAsia")) == "仿宋_GB2312"
        assert s.find(qn("w:rPr")).find(qn("w:sz")).get(qn("w:val")) == "32"
        b = s.find(qn("w:rPr")).find(qn("w:b"))
        assert (b is not None and b.get(qn("w:val")) != "0") == bold


def test_structure_numbering_and_known_item(report):
    doc, _ = report
    # A wrapped heading is broken by meaning with a line break (test_export_titles.py).
    texts = [p.text.replace("\n", "") for p in body_paragraphs(doc)]
    h1 = [t for t in texts if re.match(r"^[一二三四]、", t)]
    assert h1 == ["一、存在的突出问题", "二、问题产生的原因", "三、今后的努力方向和改进措施"]
    assert "（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面" in texts
    assert "（五）在上年度民主生活会整改措施及巡视巡察反馈问题整改落实情况方面" in texts
    assert KNOWN_ITEM in texts
    # Items restart 一是 under each dimension; the personal item is not in the 班子 material.
    first = texts.index("（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面")
    assert [t[:2] for t in texts[first + 1 : first + 4]] == ["一是", "二是", "三是"]
    assert not any("调查研究不够深入" in t for t in texts)
    # Preface right after the title, outlines as （一） headings and body points.
    assert texts[1].startswith("根据市委关于召开年度民主生活会的通知要求")
    i = texts.index("二、问题产生的原因")
    assert texts[i + 1] == "（一）理论武装有所放松"
    assert texts[i + 2].startswith("对理论学习的重要性认识不足")


def test_signature_and_date_arabic_unpadded(report, demo_db):
    doc, _ = report
    paras = body_paragraphs(doc)
    camp = demo_db.all("campaigns")[0]
    y, m, d = (int(x) for x in camp["report_date"].split("-"))
    assert paras[-2].text == "中共云海市政协党组"
    assert paras[-1].text == f"{y}年{m}月{d}日"
    for p in paras[-2:]:
        f = fmt(doc, p)
        assert f["firstLineChars"] == "0"
    for p in paras[-2:]:
        assert fmt(doc, p)["jc"] == "left"
    # Both flush left at computed indents, so the date starts two characters (640 twips) right
    # of the signature's start in every word processor; whichever ends further right stands
    # two characters from the edge. Widths as Word sets them: a CJK character 315 twips (16 pt
    # condensed by 0.25 pt), a digit 155, 80 (1/4 em) where digits meet 年月日.
    sig_l = int(paras[-2]._p.pPr.find(qn("w:ind")).get(qn("w:left")))
    date_l = int(paras[-1]._p.pPr.find(qn("w:ind")).get(qn("w:left")))
    line = 11906 - 1587 - 1474
    digits = len(str(y)) + len(str(m)) + len(str(d))
    sig_w, date_w = 9 * 315, 3 * 315 + digits * 155 + 5 * 80
    assert date_l - sig_l == 640
    assert max(sig_l + sig_w, date_l + date_w) == line - 640


def test_page_number_footers(report):
    doc, _ = report
    assert doc.settings.odd_and_even_pages_header_footer is True
    sec = doc.sections[0]
    for footer, side, ind in ((sec.footer, "right", "rightChars"), (sec.even_page_footer, "left", "leftChars")):
        xml = footer_xml(footer)
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="separate"' in xml and 'w:fldCharType="end"' in xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        p = footer.paragraphs[0]
        assert p.text.startswith("— ") and p.text.endswith(" —")
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == side
        assert p._p.pPr.find(qn("w:ind")).get(qn(f"w:{ind}")) == "100"
        for r in p._p.iter(qn("w:r")):
            rpr = r.find(qn("w:rPr"))
            assert rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "宋体"
            assert rpr.find(qn("w:sz")).get(qn("w:val")) == "28"
    # Both footers are really referenced by the section.
    refs = {r.get(qn("w:type")) for r in sec._sectPr.iter(qn("w:footerReference"))}
    assert {"default", "even"} <= refs


def test_keep_empty_and_title_override(demo_db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    set_dimensions(demo_db, camp["uid"], camp["dimensions"] + [{"key": "d6", "title": "带头发扬斗争精神", "short": "斗争"}])
    p1 = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "a.docx")))
    p2 = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "b.docx"), keep_empty=True, title="自定义标题"))
    t1 = [p.text for p in body_paragraphs(open_doc(p1))]
    t2 = [p.text for p in body_paragraphs(open_doc(p2))]
    assert not any("斗争精神" in t for t in t1)
    assert "（六）在带头发扬斗争精神方面" in t2
    assert t2[0] == "自定义标题"


def test_personal_report_by_subject(demo_db, tmp_path):
    path = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "p.docx"), subject="李秀兰"))
    doc = open_doc(path)
    texts = [p.text for p in body_paragraphs(doc)]
    assert texts[0] == "2025年度民主生活会个人对照检查材料"
    assert texts[1] == "李秀兰"
    assert fmt(doc, body_paragraphs(doc)[1])["east"] == "楷体_GB2312"
    assert "在带头增强党性、严守纪律、砥砺作风方面" in texts  # the only dimension: no lone “（一）”
    # The dimension's only problem gets no 一是 (有一无二).
    assert "调查研究不够深入。下基层调研次数不少，但蹲点调研、解剖麻雀少。如年度内赴县区调研6次，均为当天往返，未形成有分量的调研报告。" in texts
    assert not any("理论学习深度不足" in t for t in texts)
    assert texts[-2] == "李秀兰"


def test_numbering_past_ten(db, tmp_path):
    camp = create_campaign(db, "测试活动", organ="某党组")
    dims = [{"key": f"d{n}", "title": f"维度{n}", "short": f"维{n}"} for n in range(1, 13)]
    set_dimensions(db, camp["uid"], dims)
    for n in range(1, 13):
        add_item(db, camp["uid"], f"d{n}", f"问题{n}")
    for n in range(2, 22):
        add_item(db, camp["uid"], "d1", f"问题一之{n}")
    for n in range(12):
        add_outline(db, camp["uid"], "causes", f"原因{n + 1}", ["说明"])
    path = export(db, ExportOptions(kind="report", output=str(tmp_path / "n.docx")))
    texts = [p.text for p in body_paragraphs(open_doc(path))]
    assert "（十一）在维度11方面" in texts and "（十二）在维度12方面" in texts
    assert "十一是问题一之11。" in texts
    assert "二十是问题一之20。" in texts
    assert "二十一是问题一之21。" in texts
    assert "（十二）原因12" in texts
