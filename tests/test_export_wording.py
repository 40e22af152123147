"""What a careful reader of the rendered documents retouched: punctuation at the joins of what
the clerk typed, half-width marks among Chinese text, a heading with nothing under it."""

from __future__ import annotations

import pytest

from export_helpers import body_paragraphs, open_doc
from storage.items import add_item, add_outline, create_campaign
from writers.cleaning import cjk_punct, end_sentence
from writers.export import ExportOptions, export


def _doc(db, tmp_path, kind="report", name=None, **kw):
    return open_doc(export(db, ExportOptions(kind=kind, output=str(tmp_path / (name or f"{kind}.docx")), **kw)))


def _texts(doc) -> list[str]:
    return [p.text.replace("\n", "") for p in body_paragraphs(doc)]


def test_a_sentence_ends_once_whatever_mark_was_typed():
    """A part ending in ；or ： is followed by the next sentence: “……不足；参加……”, “一是……：二是……”
    were read in the 对照检查材料."""
    assert end_sentence("理论学习深度不足；") == "理论学习深度不足。"
    assert end_sentence("主要表现在：") == "主要表现在。"
    assert end_sentence("落实不够细;") == "落实不够细。"
    assert end_sentence("是否到位？") == "是否到位？"
    assert end_sentence("“有没有？”") == "“有没有？”"


@pytest.mark.parametrize("typed, written", [
    ("理论学习不够,学用结合不紧密;如:在学习中(一)未能结合实际.", "理论学习不够，学用结合不紧密；如：在学习中（一）未能结合实际。"),
    ('落实"第一议题"制度', "落实“第一议题”制度"),
    ("是否完成?", "是否完成？"),
    ("（1）加强学习", "（1）加强学习"),
    ("加强(1)学习", "加强（1）学习"),
    # Latin text and numbers keep their own marks.
    ("会议于3:00召开", "会议于3:00召开"),
    ("1,000元", "1,000元"),
    ("第1.2条", "第1.2条"),
    ("Office 2016, Word", "Office 2016, Word"),
    ('a "b" c', 'a "b" c'),
    ("见附件.docx", "见附件.docx"),
])
def test_half_width_marks_among_chinese(typed, written):
    assert cjk_punct(typed) == written


def test_the_documents_write_full_width_marks(db, tmp_path):
    """What the clerk typed half-width (“不够,学用”, “(2026)”) comes out as a 公文 writes it, in
    every kind, Word and Excel alike."""
    camp = create_campaign(db, "2025年度民主生活会", organ="中共测试市政协党组")
    d1 = camp["dimensions"][0]["key"]
    add_item(db, camp["uid"], d1, "理论学习深度不足;", manifestation="学习不够系统,学用结合不紧密.",
             example="如:对重要论述领悟不深", measures=["每月开展一次专题研讨;", '落实"第一议题"制度'],
             leader="张三", owner_dept="办公室", deadline="2026-12-31")
    report = _texts(_doc(db, tmp_path))
    assert "理论学习深度不足。学习不够系统，学用结合不紧密。如：对重要论述领悟不深。" in report
    assert "一是每月开展一次专题研讨。" in report and "二是落实“第一议题”制度。" in report
    progress = " ".join(_texts(_doc(db, tmp_path, "progress")))
    assert "整改措施：每月开展一次专题研讨；落实“第一议题”制度。" in progress
    ledger = _doc(db, tmp_path, "ledger").tables[0]
    cells = " ".join(c.text for r in ledger.rows for c in r.cells)
    assert "学习不够系统，学用结合不紧密。" in cells and "落实“第一议题”制度" in cells
    assert not any(m in cells.replace("1.", "").replace("2.", "") for m in (",", ";", ':', '"'))

    from openpyxl import load_workbook

    path = export(db, ExportOptions(kind="ledger", output=str(tmp_path / "l.xlsx")))
    values = [str(c.value) for row in load_workbook(path).active.iter_rows() for c in row if c.value]
    assert any("学习不够系统，学用结合不紧密。" in v for v in values)


def test_a_run_in_point_ending_in_a_colon_is_one_sentence(db, tmp_path):
    camp = create_campaign(db, "活动", organ="某党组", style={"heading": "run_in"})
    add_outline(db, camp["uid"], "causes", "思想认识不到位", ["对整改重要性认识不足：", "自我要求有所放松；"])
    texts = _texts(_doc(db, tmp_path))
    assert "思想认识不到位。一是对整改重要性认识不足。二是自我要求有所放松。" in texts


def test_a_heading_with_nothing_under_it_is_a_sentence(db, tmp_path):
    """An outline section with a heading and no points printed a （一） heading over nothing."""
    from export_helpers import p_style_id

    camp = create_campaign(db, "活动", organ="某党组")
    add_outline(db, camp["uid"], "causes", "理论武装有所放松", [])
    add_outline(db, camp["uid"], "causes", "党性锤炼有所弱化", ["对照党章党规检视自身不够经常。"])
    doc = _doc(db, tmp_path)
    paras = {p.text: p_style_id(p._p) for p in doc.paragraphs if p.text.strip()}
    assert paras["（一）理论武装有所放松。"] == "Normal"
    assert paras["（二）党性锤炼有所弱化"] == "GwH2"


@pytest.mark.parametrize("heading", ["alone", "run_in"])
def test_points_and_deadlines_typed_with_a_trailing_mark(db, tmp_path, heading):
    """“持续用力，” stood alone as a paragraph of 下一步打算, and a 时限说明 typed “2026年底前，”
    read “整改时限为2026年底前，。”."""
    camp = create_campaign(db, "活动", organ="某党组", style={"heading": heading})
    add_item(db, camp["uid"], camp["dimensions"][0]["key"], "问题", deadline_text="2026年底前，")
    add_outline(db, camp["uid"], "causes", "思想认识不到位", ["学习不够，", "要求不严；"])
    add_outline(db, camp["uid"], "next_steps", "巩固成果", ["持续用力，"])
    for kind in ("report", "progress"):
        texts = _texts(_doc(db, tmp_path, kind))
        assert not [t for t in texts if t.endswith(("，", "；", "，。"))], (kind, texts)
    progress = " ".join(_texts(_doc(db, tmp_path, "progress", name="p2.docx")))
    assert "整改时限为2026年底前。" in progress and "持续用力。" in progress


def test_table_cells_of_typed_marks_and_workflow_notes(db, tmp_path):
    """The 台账 showed a title label “理论学习不够深入，”, measures “1.建立制度；” / “2.开展检查。” /
    “3.定期通报，” in one list, and the 申请销号 note as “2026年11月10日：申请销号：已整改完毕。”."""
    from storage.items import transition

    camp = create_campaign(db, "活动", organ="某党组")
    d1 = camp["dimensions"][0]["key"]
    item = add_item(db, camp["uid"], d1, "理论学习不够深入，", measures=["1、建立制度；", "2.开展检查。", "（3）定期通报，"],
                    deadline="2026-12-31", evidence=["说明"])
    transition(db, item["uid"], "start")
    transition(db, item["uid"], "submit", on="2026-11-10", reason="已整改完毕。")
    other = add_item(db, camp["uid"], d1, "作风不实", deadline="2026-12-31", evidence=["说明"])
    for action, on in (("start", None), ("submit", "2026-11-01"), ("reject", "2026-11-05")):
        transition(db, other["uid"], action, on=on, reason="材料不全")
    rows = [[c.text for c in r.cells] for r in _doc(db, tmp_path, "ledger").tables[0].rows[2:]]
    problem, measures, done = rows[0][1], rows[0][2], rows[0][6]
    assert problem.split("\n")[0] == "理论学习不够深入"
    assert measures.split("\n") == ["1.建立制度", "2.开展检查", "3.定期通报"]
    assert "2026年11月10日：已整改完毕，申请销号。" in done
    assert "2026年11月5日：驳回，材料不全" in rows[1][6]
    progress = " ".join(_texts(_doc(db, tmp_path, "progress")))
    assert "整改情况：2026年11月10日，已整改完毕，申请销号。" in progress


def test_a_single_part_has_no_numeral(demo_db, db, tmp_path):
    """The demo's personal 整改落实情况报告 had one part, “一、在带头增强党性……方面”, and no “二、”
    (有一无二), its personal 对照检查材料 a lone “（一）”; so had a 对照检查材料 of problems only."""
    from export_helpers import p_style_id

    doc = _doc(demo_db, tmp_path, "progress", subject="李秀兰")
    h1 = [p.text.replace("\n", "") for p in doc.paragraphs if p_style_id(p._p) == "GwH1"]
    assert h1 == ["在带头增强党性、严守纪律、砥砺作风方面"]
    # Nor a lone “（一）”: the personal 对照检查材料's only dimension.
    doc = _doc(demo_db, tmp_path, "report", name="p.docx", subject="李秀兰")
    assert [p.text for p in doc.paragraphs if p_style_id(p._p) == "GwH2"] == ["在带头增强党性、严守纪律、砥砺作风方面"]
    camp = create_campaign(db, "活动", organ="某党组")
    add_item(db, camp["uid"], camp["dimensions"][0]["key"], "问题一")
    add_item(db, camp["uid"], camp["dimensions"][1]["key"], "问题二")
    doc = _doc(db, tmp_path, name="r.docx", campaign=camp["uid"])
    assert [p.text for p in doc.paragraphs if p_style_id(p._p) == "GwH1"] == ["存在的突出问题"]
    assert [p.text.replace("\n", "") for p in doc.paragraphs if p_style_id(p._p) == "GwH2"][:2] == [
        f"（一）在{camp['dimensions'][0]['title']}方面", f"（二）在{camp['dimensions'][1]['title']}方面"]
