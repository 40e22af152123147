"""The 对照检查材料's preface states the opinions from the data, read back from the .docx."""

from __future__ import annotations

from export_helpers import body_paragraphs, open_doc
from storage.items import add_outline, create_campaign
from storage.opinions import opinion_counts, save_opinion
from writers.export import ExportOptions, export


def texts(path) -> list[str]:
    return [p.text for p in body_paragraphs(open_doc(path))]


def add_opinions(db, camp, rows):
    for r in rows:
        save_opinion(db, {"campaign": camp["uid"], **r})


def test_the_sentence_joins_the_closing_paragraph_of_the_preface(demo_db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    k = [d["key"] for d in camp["dimensions"]]
    add_opinions(demo_db, camp, [
        {"content": "甲", "channel": "座谈", "dimension": k[0]},
        {"content": "乙", "channel": "书面", "dimension": k[0]},
        {"content": "丙", "channel": "座谈", "dimension": k[2]},
        {"content": "丁", "channel": "个别谈话", "dimension": k[4]},
        {"content": "戊"},  # not sorted into a dimension
    ])
    c = opinion_counts(demo_db, camp["uid"])
    assert (c["total"], c["dimensions"]) == (5, 3)
    path = export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "r.docx")))
    paras = texts(path)
    preface = paras[1]  # after the title
    assert preface.startswith("根据市委关于召开年度民主生活会的通知要求")
    assert ("明确整改方向。会前，通过召开座谈会、书面征求、个别谈话等方式共征求意见建议5条，"
            "梳理归纳为3个方面。现将有关情况报告如下。") in preface
    assert paras[2].startswith("一、")
    assert sum("共征求意见建议" in p for p in paras) == 1


def test_no_opinions_no_sentence_and_a_preface_of_its_own_when_there_is_none(demo_db, db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    before = texts(export(demo_db, ExportOptions(kind="report", output=str(tmp_path / "a.docx"))))
    assert not any("共征求意见建议" in p for p in before)
    bare = create_campaign(db, "专题民主生活会")
    add_outline(db, bare["uid"], "causes", "理想信念有所松懈", ["学习不够深入。"])
    add_opinions(db, bare, [{"content": "甲"}, {"content": "乙"}])
    paras = texts(export(db, ExportOptions(kind="report", campaign=bare["uid"], output=str(tmp_path / "b.docx"))))
    assert paras[1] == "会前，共征求意见建议2条。"  # none sorted into a dimension: no “梳理归纳”
    assert paras[2] == "问题产生的原因"  # the only part: no lone “一、”
    assert camp["uid"] != bare["uid"]


def test_a_personal_material_counts_the_opinions_concerning_that_person(demo_db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    k = [d["key"] for d in camp["dimensions"]]
    add_opinions(demo_db, camp, [
        {"content": "甲", "concerns": "李秀兰", "channel": "个别谈话", "dimension": k[1]},
        {"content": "乙", "concerns": "王建华"},
    ])
    paras = texts(export(demo_db, ExportOptions(kind="report", subject="李秀兰", output=str(tmp_path / "p.docx"))))
    # One opinion is not sorted into anything (it read “……1条，梳理归纳为1个方面”).
    assert "会前，通过个别谈话共收到涉及本人的意见建议1条。" in paras


def test_a_figure_the_clerk_wrote_in_the_preface_is_kept_and_not_repeated(db, tmp_path):
    camp = create_campaign(db, "2025年度民主生活会")
    add_outline(db, camp["uid"], "preface", "", ["会前共征求意见建议 36 条，已逐条梳理。"])
    add_outline(db, camp["uid"], "causes", "理想信念有所松懈", ["学习不够深入。"])
    add_opinions(db, camp, [{"content": "甲"}])
    paras = texts(export(db, ExportOptions(kind="report", output=str(tmp_path / "c.docx"))))
    assert "会前共征求意见建议 36 条，已逐条梳理。" in paras
    assert not any("共征求意见建议1条" in p for p in paras)
