"""Titles and headings break by meaning (issue 10.4): 对照检查材料 on its own line, never
“民/主”, never “方面” alone, for titles up to 40 characters."""

from __future__ import annotations

from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from export_helpers import open_doc
from storage.dimensions import BUILTIN_SETS, section_heading
from storage.items import add_item, create_campaign
from writers.export import ExportOptions, export
from writers.gongwen import body_width
from writers.linebreak import INF, WORDS, break_costs, break_heading, break_title
from writers.numerals import level2
from writers.textwidth import width_pt

LINE = 442.25  # 156 mm in points (8845 twips)
FIRST = LINE - 32  # after the two-character indent


def title_lines(text: str) -> list[str]:
    return break_title(text, LINE, 22)


def test_report_titles_break_before_the_suffix():
    assert title_lines("中共云海市政协党组2025年度民主生活会对照检查材料") == ["中共云海市政协党组2025年度民主生活会", "对照检查材料"]
    assert title_lines("李秀兰同志2025年度民主生活会个人对照检查材料") == ["李秀兰同志2025年度民主生活会", "个人对照检查材料"]
    # Three lines: a diamond, the organ on its own.
    assert title_lines("中共云海市政协党组2025年度主题教育专题民主生活会对照检查材料") == [
        "中共云海市政协党组", "2025年度主题教育专题民主生活会", "对照检查材料"]
    assert title_lines("中共云海市政协党组专项整治「四个意识不强」对照检查材料") == [
        "中共云海市政协党组", "专项整治「四个意识不强」", "对照检查材料"]
    # Short enough: one line.
    assert title_lines("2025年度民主生活会个人对照检查材料") == ["2025年度民主生活会个人对照检查材料"]
    assert title_lines("2026年第四季度“三联系”工作情况") == ["2026年第四季度“三联系”工作情况"]


def test_other_titles_break_between_words():
    lines = title_lines("市政协修复净化党内政治生态专项整治工作会议上的点评讲话")
    assert lines == ["市政协修复净化党内政治生态", "专项整治工作会议上的点评讲话"]
    assert break_title("中共云海市政协党组2025年度民主生活会整改台账", 637.8, 22) == ["中共云海市政协党组2025年度民主生活会整改台账"]


words = st.sampled_from(WORDS + ("云海市", "2025年度", "“三联系”", "第四季度", "的", "和"))


@settings(max_examples=150, deadline=None)
@given(st.lists(words, min_size=3, max_size=14))
def test_any_title_up_to_forty_characters_breaks_between_words(parts):
    text = "".join(parts)[:40]
    lines = title_lines(text)
    assert "".join(lines) == text
    costs = break_costs(text)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert costs[at] < INF, (text, lines)  # never inside a word, a number or before 。，
    assert len(lines) <= 3
    for line in lines:
        assert width_pt(line, 22, latin_em=0.55) <= LINE, lines


def test_never_inside_these_words():
    for text in ("中共云海市政协党组2025年度民主生活会对照检查材料", "云海市政协党组2025年度组织生活会对照检查材料"):
        for line in title_lines(text):
            assert not line.endswith(("民", "组织", "2025", "对照")), line


def test_dimension_headings_never_leave_fangmian_alone():
    for dset in BUILTIN_SETS:
        for n, (title, _) in enumerate(dset.dimensions, 1):
            head = level2(n) + section_heading(title, dset.heading)
            lines = break_heading(head, FIRST, LINE, body_width, keep=len(level2(n)))
            assert "".join(lines) == head
            if len(lines) > 1:
                assert len(lines[-1]) >= 5, lines
                assert body_width(lines[0]) <= FIRST
    # The default set's first heading breaks after its comma, not before 方面.
    head = "（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面"
    assert break_heading(head, FIRST, LINE, body_width, keep=3) == ["（一）在带头严守政治纪律和政治规矩，", "维护党的团结统一方面"]


def test_title_and_heading_breaks_in_the_document(demo_db, tmp_path):
    path = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "r.docx")))
    doc = open_doc(path)
    paras = [p for p in doc.paragraphs if p.text.strip()]

    def parts(p):
        out, cur = [], ""
        for el in p._p.iter(qn("w:t"), qn("w:br")):
            if el.tag == qn("w:br"):
                out.append(cur)
                cur = ""
            else:
                cur += el.text
        return out + [cur]

    assert parts(paras[0]) == ["中共云海市政协党组2025年度民主生活会", "对照检查材料"]
    heading = next(p for p in paras if p.text.startswith("（一）"))
    assert parts(heading) == ["（一）在带头严守政治纪律和政治规矩，", "维护党的团结统一方面"]
    # A heading broken by hand is set flush left (a justified line ending in a break would be
    # stretched to the margin).
    assert heading._p.pPr.find(qn("w:jc")).get(qn("w:val")) == "left"
    # A title the user broke keeps the user's break.
    path = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "t.docx"), title="关于某某问题的\n对照检查材料"))
    first = next(p for p in open_doc(path).paragraphs if p.text.strip())
    assert parts(first) == ["关于某某问题的", "对照检查材料"]


def test_long_dimension_title_in_a_new_campaign(db, tmp_path):
    camp = create_campaign(db, "活动", organ="某党组")
    add_item(db, camp["uid"], "d3", "问题一")
    add_item(db, camp["uid"], "d3", "问题二")
    add_item(db, camp["uid"], "d4", "问题三")
    path = export(db, ExportOptions(kind="report", output=str(tmp_path / "r.docx")))
    texts = [p.text for p in open_doc(path).paragraphs]
    assert "（一）在带头在遵规守纪、清正廉洁前提下勇于担责、\n敢于创新方面" in texts


def test_qualified_suffix_stays_whole():
    assert title_lines("中共云海市政协党组2025年度巡视整改专题民主生活会领导班子对照检查材料") == [
        "中共云海市政协党组", "2025年度巡视整改专题民主生活会", "领导班子对照检查材料"]


def test_a_quoted_name_is_one_word_and_its_marks_are_full_width():
    """“四个意识不强” is never broken (it was: “…2025年度“四 / 个意识不强”…”), and the curly quotes
    count one em each, as the CJK font sets them (counted as half, the second line overflowed)."""
    title = "中共云海市政协机关党组关于2025年度“四个意识不强”专项整治整改落实情况的报告"
    lines = title_lines(title)
    assert lines == ["中共云海市政协机关党组", "关于2025年度“四个意识不强”专项整治", "整改落实情况的报告"]
    assert width_pt("“四”", 22) == 3 * 22
    assert title_lines("中共云海市政协党组关于2025年度民主生活会整改落实情况的报告") == [
        "中共云海市政协党组关于", "2025年度民主生活会整改落实情况的报告"]


def test_personal_goes_with_what_is_done():
    """A personal 整改落实情况报告 broke “……民主生活会个人 / 整改落实情况的报告”: 个人 belongs to 整改."""
    assert title_lines("关于2025年度民主生活会个人整改落实情况的报告") == ["关于2025年度民主生活会", "个人整改落实情况的报告"]
