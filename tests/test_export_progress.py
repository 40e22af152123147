"""整改落实情况报告 and the Word 整改方案 read back (issue 13 item 4)."""

from __future__ import annotations

import re

import pytest
from docx.oxml.ns import qn

from export_helpers import body_paragraphs, fmt, group_rows, item_rows, open_doc, p_style_id
from storage.errors import ZhenggaiError
from storage.items import add_item, add_outline, add_progress, create_campaign, save_outline, transition
from storage.models import ST_DOING, SUBJECT_GROUP
from storage.queries import dimension_progress, items_for, rectification_figures
from writers.export import ExportOptions, export

FIGURES = re.compile(r"查摆问题(\d+)项，已完成(\d+)项、持续推进(\d+)项、逾期(\d+)项")


def _export(db, tmp_path, kind="progress", name="p.docx", **kw):
    return open_doc(export(db, ExportOptions(kind=kind, output=str(tmp_path / name), **kw)))


def _styled(doc, style: str) -> list[str]:
    """The texts of the paragraphs of ``style``, a heading broken by design read whole."""
    return [p.text.replace("\n", "") for p in doc.paragraphs if p.text.strip() and p_style_id(p._p) == style]


@pytest.fixture
def every_status(db):
    """Items in each status, overdue or not (today is frozen at 2026-11-21)."""
    camp = create_campaign(db, "2025年度民主生活会", organ="中共测试市政协党组", signature="中共测试市政协党组")
    d1, d2, d3 = (d["key"] for d in camp["dimensions"][:3])
    cases = [  # (dimension, title, status path, deadline)
        (d1, "未启动按期", [], "2026-12-31"),
        (d1, "未启动逾期", [], "2026-10-31"),
        (d1, "整改中按期", ["start"], "2026-12-31"),
        (d2, "整改中逾期", ["start"], "2026-11-01"),
        (d2, "整改中无时限", ["start"], ""),
        (d2, "待销号按期申请", ["start", ("submit", "2026-11-10")], "2026-11-15"),
        (d3, "待销号逾期申请", ["start", ("submit", "2026-11-20")], "2026-11-15"),
        (d3, "已销号", ["start", ("submit", "2026-10-01"), ("close", "2026-10-08")], "2026-09-01"),
        (d3, "已销号二", ["start", ("submit", "2026-11-01"), ("close", "2026-11-02")], "2026-12-31"),
    ]
    for dim, title, path, deadline in cases:
        item = add_item(db, camp["uid"], dim, title, deadline=deadline, measures=["1.建立制度。", "开展检查"],
                        evidence=["〔2026〕5号文件"], leader="张三", owner_dept="办公室")
        for step in path:
            action, on = step if isinstance(step, tuple) else (step, None)
            item = transition(db, item["uid"], action, on=on, approver="王审核", reason="整改措施已落实")
    return camp


def test_figures_equal_the_storage_queries(db, every_status, tmp_path):
    camp = every_status
    items = items_for(db, camp["uid"], subject=SUBJECT_GROUP)
    figs = rectification_figures(items)
    assert figs == {"total": 9, "done": 2, "ongoing": 4, "overdue": 3, "review": 1}
    # The same as `review` and the sidebar count them.
    dims = dimension_progress(db, camp["uid"], SUBJECT_GROUP)
    assert figs["total"] == sum(d["total"] for d in dims)
    assert figs["done"] == sum(d["done"] for d in dims)
    assert figs["overdue"] == sum(d["overdue"] for d in dims)
    assert figs["done"] + figs["ongoing"] + figs["overdue"] == figs["total"]

    doc = _export(db, tmp_path)
    opening = body_paragraphs(doc)[1].text
    assert FIGURES.search(opening).groups() == ("9", "2", "4", "3")
    assert "持续推进的问题中，1项已完成整改、正在审核销号" in opening
    assert opening.startswith("中共测试市政协党组对照2025年度民主生活会查摆的问题")
    assert opening.endswith("现将整改落实情况报告如下：")  # what follows is the report itself


def test_report_structure_and_what_each_problem_says(db, every_status, tmp_path):
    camp = every_status
    add_outline(db, camp["uid"], "next_steps", "巩固整改成果", ["开展“回头看”。", "2.建立长效机制。"])
    add_outline(db, camp["uid"], "next_steps", "强化成果运用", ["把整改成效体现到工作实效上。"])
    item = items_for(db, camp["uid"], dimension=camp["dimensions"][0]["key"])[2]
    add_progress(db, item["uid"], "已召开专题会议部署", on="2026-10-05")
    doc = _export(db, tmp_path)
    title = [p for p in doc.paragraphs if p_style_id(p._p) == "GwTitle"][0]
    assert title.text.split("\n") == ["中共测试市政协党组关于", "2025年度民主生活会整改落实情况的报告"]
    assert _styled(doc, "GwH1") == ["一、问题整改落实情况", "二、下一步打算"]
    assert _styled(doc, "GwH2") == [f"（{n}）在{d['title']}方面" for n, d in zip("一二三", camp["dimensions"])] + [
        "（一）巩固整改成果", "（二）强化成果运用"]
    texts = [p.text for p in body_paragraphs(doc)]
    one = next(t for t in texts if "整改中按期" in t)
    # What was done, by date, then where the problem stands now.
    assert one == ("三是整改中按期。整改措施：建立制度；开展检查。整改情况：2026年10月5日，已召开专题会议部署。"
                   "目前正在推进，整改时限为2026年12月31日。佐证材料：〔2026〕5号文件。")
    late = next(t for t in texts if "待销号逾期申请" in t)
    # The reason given when applying is what was done, on its date; the date is not said twice.
    assert "整改情况：2026年11月20日，整改措施已落实，申请销号。目前已完成整改，正在审核销号（整改时限为2026年11月15日，已逾期）。" in late
    ok = next(t for t in texts if "待销号按期申请" in t)
    assert "2026年11月10日，整改措施已落实，申请销号。目前已完成整改，正在审核销号。" in ok and "逾期" not in ok
    closed = next(t for t in texts if t.startswith("二是已销号。"))
    assert "已完成整改，2026年10月8日销号。" in closed and "审核人" not in closed  # the workflow's notes stay out
    assert "整改情况：尚未启动，整改时限为2026年10月31日，已逾期。" in next(t for t in texts if "未启动逾期" in t)
    assert "正在推进。" in next(t for t in texts if "整改中无时限" in t)
    # 下一步打算: the points numbered by the style, a typed number replaced.
    assert "一是开展“回头看”。" in texts and "二是建立长效机制。" in texts
    # Signature and date, the GB/T 9704 fonts.
    signs = _styled(doc, "GwSign")
    assert signs == ["中共测试市政协党组", "2026年11月21日"]
    assert fmt(doc, [p for p in doc.paragraphs if p.text == "一、问题整改落实情况"][0])["east"] == "黑体"
    assert doc.core_properties.author == "中共测试市政协党组"


def test_without_next_steps_the_dimensions_are_the_parts(db, every_status, tmp_path):
    """No lone “一、”: without 下一步打算 the dimensions are numbered 一、二、三 themselves."""
    camp = every_status
    doc = _export(db, tmp_path, style={"numbering": "digits"})
    h1 = _styled(doc, "GwH1")
    assert h1 == [f"{n}、在{d['title']}方面" for n, d in zip("一二三", camp["dimensions"])]
    assert not _styled(doc, "GwH2")
    texts = [p.text for p in body_paragraphs(doc)]
    assert any(t.startswith("1.未启动按期。") for t in texts) and any(t.startswith("3.整改中按期。") for t in texts)
    # A long level-1 heading breaks by meaning, never leaving “方面” alone.
    for p in doc.paragraphs:
        if p_style_id(p._p) == "GwH1":
            assert all(len(part) >= 5 for part in p.text.split("\n"))


def test_run_in_style_and_a_personal_report(db, every_status, tmp_path):
    camp = every_status
    db.update("campaigns", camp["uid"], {"style": {"heading": "run_in"}})
    add_outline(db, camp["uid"], "next_steps", "", ["持续用力。"])
    doc = _export(db, tmp_path)
    texts = [p.text for p in body_paragraphs(doc)]
    first = next(t for t in texts if t.startswith("（一）"))
    assert first.startswith(f"（一）在{camp['dimensions'][0]['title']}方面。一是未启动按期。")
    assert "二是" not in first and any(t.startswith("二是未启动逾期。") for t in texts)  # each problem its own paragraph
    assert "持续用力。" in texts

    add_item(db, camp["uid"], camp["dimensions"][0]["key"], "个人问题", subject="李四", status=ST_DOING)
    doc = _export(db, tmp_path, name="personal.docx", subject="李四")
    assert [p.text for p in doc.paragraphs if p_style_id(p._p) == "GwSubtitle"] == ["李四"]
    assert "截至2026年11月21日，查摆问题1项，正在持续推进。" in body_paragraphs(doc)[2].text
    assert _styled(doc, "GwSign")[0] == "李四"
    with pytest.raises(ZhenggaiError, match="需指定一个材料主体"):
        _export(db, tmp_path, name="all.docx", subject="全部")


@pytest.mark.parametrize("cases, words", [
    ([("整改中逾期", ["start"], "2026-11-01")] * 2, "查摆问题2项，均已逾期。"),
    ([("已销号", ["start", ("submit", "2026-10-01"), ("close", "2026-10-08")], "2026-12-31")] * 3,
     "查摆问题3项，已全部完成整改。"),
    ([("待销号", ["start", ("submit", "2026-11-10")], "2026-12-31")], "查摆问题1项，已完成整改、正在审核销号。"),
    ([("整改中", ["start"], "2026-12-31"), ("待销号", ["start", ("submit", "2026-11-10")], "2026-12-31")],
     "查摆问题2项，均在持续推进，其中1项已完成整改、正在审核销号。"),
    ([("整改中", ["start"], "2026-12-31"), ("整改中逾期", ["start"], "2026-11-01")],
     "查摆问题2项，持续推进1项、逾期1项。"),
], ids=["all-overdue", "all-done", "one-in-review", "all-ongoing-some-in-review", "two-figures"])
def test_a_figure_of_nought_is_left_out(db, tmp_path, cases, words):
    """“已完成0项、持续推进0项、逾期12项” said what nobody writes: only the figures there are, and
    “均……” when every problem is in one group."""
    camp = create_campaign(db, "2025年度民主生活会", organ="中共测试市政协党组")
    for title, path, deadline in cases:
        item = add_item(db, camp["uid"], camp["dimensions"][0]["key"], title, deadline=deadline, evidence=["说明"])
        for step in path:
            action, on = step if isinstance(step, tuple) else (step, None)
            item = transition(db, item["uid"], action, on=on, approver="王审核", reason="整改措施已落实")
    opening = body_paragraphs(_export(db, tmp_path))[1].text
    assert f"截至2026年11月21日，{words}现将整改落实情况报告如下：" in opening
    assert "0项" not in opening


def test_an_empty_campaign_still_gives_a_report(db, tmp_path):
    create_campaign(db, "空活动", organ="中共测试党组")
    doc = _export(db, tmp_path)
    assert "尚未登记整改问题" in body_paragraphs(doc)[1].text
    assert not _styled(doc, "GwH1")


def test_next_steps_is_an_outline_part(db, every_status):
    camp = every_status
    rec = save_outline(db, {"campaign": camp["uid"], "part": "next_steps", "heading": "甲", "points": ["乙"]})
    assert rec["part"] == "next_steps"
    from storage.errors import ValidationError

    with pytest.raises(ValidationError) as e:
        save_outline(db, {"campaign": camp["uid"], "part": "nope", "heading": "甲", "points": []})
    assert "下一步打算" in str(e.value.errors)


def test_plan_docx(demo_db, tmp_path):
    from writers.plan import COLUMNS

    doc = _export(demo_db, tmp_path, kind="plan", name="plan.docx")
    sec = doc.sections[0]
    assert sec.orientation == 1
    assert [p.text for p in doc.paragraphs if p_style_id(p._p) == "GwSubtitle"] == ["（问题清单、任务清单、责任清单）"]
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [c[0] for c in COLUMNS]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in table.rows)
    camp = demo_db.all("campaigns")[0]
    items = items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
    rows = item_rows(table)
    assert len(rows) == len(items) and len(group_rows(table)) == 5
    assert sum(w for _, w, _ in COLUMNS) == 225
    # Long-term items say so under their date; the plan has no 完成情况.
    long_term = [n for n, i in enumerate(items) if i["kind"] == "长期坚持"]
    assert long_term and all(rows[n].cells[5].text.endswith("长期坚持") for n in long_term)
    assert "完成情况" not in [c.text for c in table.rows[0].cells]
