"""A campaign's document style: 一是 or 1., headings alone or run in, the set's heading wording,
points numbered by the writer and never twice (issue 10.3, 10.4)."""

from __future__ import annotations

import pytest

from export_helpers import body_paragraphs, open_doc, style_campaign
from storage.dimensions import FOUR_AWARENESS, campaign_style, section_heading
from storage.errors import ValidationError
from storage.items import add_item, add_outline, create_campaign
from storage.models import STYLE_DEFAULTS

from writers.docstyle import DocStyle, strip_number
from writers.export import ExportOptions, export


def _texts(db, tmp_path, name="r.docx", **kw) -> list[str]:
    path = export(db, ExportOptions(kind="report", output=str(tmp_path / name), **kw))
    return [p.text.replace("\n", "") for p in body_paragraphs(open_doc(path))]


def _runs(db, tmp_path, name="r.docx", **kw):
    path = export(db, ExportOptions(kind="report", output=str(tmp_path / name), **kw))
    return body_paragraphs(open_doc(path))


# ------------------------------------------------------------------ the schema


def test_style_defaults_and_validation(db):
    camp = create_campaign(db, "活动")
    assert camp["style"] == STYLE_DEFAULTS
    c2 = create_campaign(db, "专项", FOUR_AWARENESS.key)
    assert c2["style"]["dimension_heading"] == "{title}方面"
    # Missing keys mean the defaults (an imported campaign may set only one).
    assert campaign_style({"style": {"numbering": "digits"}}) == {**STYLE_DEFAULTS, "numbering": "digits"}
    assert campaign_style({}) == STYLE_DEFAULTS
    db.update("campaigns", camp["uid"], {"style": {"heading": "run_in"}})
    assert db.get("campaigns", camp["uid"])["style"] == {"heading": "run_in"}
    for bad, word in (({"numbering": "roman"}, "roman"), ({"heading": "x"}, "x"),
                      ({"dimension_heading": "在方面"}, "{title}"), ("一是", "格式")):
        with pytest.raises(ValidationError) as e:
            db.update("campaigns", camp["uid"], {"style": bad})
        assert word in str(e.value.errors["style"])
    # A key a later version may know is kept as it is.
    db.update("campaigns", camp["uid"], {"style": {"numbering": "digits", "future": 1}})
    assert db.get("campaigns", camp["uid"])["style"] == {"numbering": "digits", "future": 1}


def test_section_heading_templates():
    assert section_heading("带头严守纪律") == "在带头严守纪律方面"
    assert section_heading("在带头严守纪律方面") == "在带头严守纪律方面"  # never 在在…方面方面
    assert section_heading("责任意识不强", "{title}方面") == "责任意识不强方面"
    assert section_heading("带头增强党性", "在{short}方面", "党性作风") == "在党性作风方面"


@pytest.mark.parametrize(
    "typed, clean",
    [("一是加强学习", "加强学习"), ("二是：加强学习", "加强学习"), ("1.加强学习", "加强学习"), ("1．加强学习", "加强学习"),
     ("3、加强学习", "加强学习"), ("（2）加强学习", "加强学习"), ("(2) 加强学习", "加强学习"), ("（三）加强学习", "加强学习"),
     ("第一，加强学习", "加强学习"), ("十一是加强学习", "加强学习"),
     ("1.5倍于去年", "1.5倍于去年"), ("一岗双责", "一岗双责"), ("“一是”的写法", "“一是”的写法"), ("一是", "一是")],
)
def test_typed_numbers_are_taken_off(typed, clean):
    assert strip_number(typed) == clean


def test_single_point_has_no_number():
    ds = DocStyle()
    assert ds.numbered(["一是唯一一条"]) == ["唯一一条"]
    assert ds.numbered(["1.甲", "乙"]) == ["一是甲", "二是乙"]
    assert DocStyle(numbering="digits").numbered(["一是甲", "（2）乙"]) == ["1.甲", "2.乙"]


# ------------------------------------------------------------------ the documents


def test_digits_alone(db, tmp_path):
    style_campaign(db, numbering="digits", heading="alone")
    texts = _texts(db, tmp_path)
    i = texts.index("（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面")
    assert texts[i + 1].startswith("1.理论学习深度不足。")
    assert texts[i + 2].startswith("2.政治敏锐性有待提高。")
    # Hand-typed numbers in causes and measures are replaced, never doubled.
    j = texts.index("二、问题产生的原因")
    assert texts[j + 1] == "（一）理论武装有所放松"
    assert texts[j + 2] == "1.学习的系统性不够。"
    assert texts[j + 3] == "2.以学促干的成效不够明显。"
    assert not any("一是1." in t or "1.一是" in t or "1.1." in t for t in texts)


def test_yishi_run_in(db, tmp_path):
    style_campaign(db, numbering="yishi", heading="run_in")
    paras = _runs(db, tmp_path)
    texts = [p.text for p in paras]
    first = next(p for p in paras if p.text.startswith("（一）"))
    # “（一）在……方面。一是……二是……” in one paragraph, the heading in 楷体 as a run.
    assert first.text.startswith("（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面。一是理论学习深度不足。")
    assert "二是政治敏锐性有待提高。" in first.text
    assert first.runs[0].style.style_id == "GwH2Char"
    assert first.runs[0].text == "（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面。"
    assert first.style.style_id == "Normal"
    assert any(t.startswith("（一）理论武装有所放松。一是学习的系统性不够。二是以学促干的成效不够明显。") for t in texts)


def test_digits_run_in(db, tmp_path):
    style_campaign(db, numbering="digits", heading="run_in")
    texts = _texts(db, tmp_path)
    i = next(n for n, t in enumerate(texts) if t.startswith("（一）在带头"))
    assert texts[i].startswith("（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面。1.理论学习深度不足。")
    assert texts[i + 1].startswith("2.政治敏锐性有待提高。")


def test_export_override_of_the_style(db, tmp_path):
    style_campaign(db, numbering="yishi", heading="alone")
    texts = _texts(db, tmp_path, style={"numbering": "digits"})
    assert any(t.startswith("1.理论学习深度不足") for t in texts)


def test_special_set_heading_wording(db, tmp_path):
    camp = create_campaign(db, "“四个意识不强”专项整治", FOUR_AWARENESS.key, organ="中共某市政协机关党组")
    add_item(db, camp["uid"], "d1", "工作标准不高")
    add_item(db, camp["uid"], "d1", "推诿扯皮")
    add_item(db, camp["uid"], "d2", "规矩不严")
    texts = _texts(db, tmp_path)
    assert "（一）责任意识不强方面" in texts and "（二）规矩意识不强方面" in texts


def test_empty_sections_keep_numbering_consecutive(db, tmp_path):
    camp = create_campaign(db, "活动", organ="某党组")
    add_item(db, camp["uid"], "d2", "问题甲", measures=["1.措施一", "2.措施二"])
    add_outline(db, camp["uid"], "causes", "", [])  # an empty outline section: no content
    texts = _texts(db, tmp_path)
    h1 = [t for t in texts if t[:2] in ("一、", "二、", "三、")]
    assert h1 == ["一、存在的突出问题", "二、今后的努力方向和改进措施"]
    # The only dimension with items: its heading has no numeral (no “（一）” without “（二）”).
    assert "在带头增强党性、严守纪律、砥砺作风方面" in texts
    assert "一是措施一。" in texts and "二是措施二。" in texts


def test_every_style_writes_a_report_of_every_builtin_set(db, tmp_path):
    from storage.dimensions import BUILTIN_SETS

    for n, s in enumerate(BUILTIN_SETS):
        camp = create_campaign(db, f"活动{n}", s.key, organ="某党组")
        for d in camp["dimensions"][:2]:
            add_item(db, camp["uid"], d["key"], "问题一", measures=["整改一"])
            add_item(db, camp["uid"], d["key"], "问题二")
        for numbering in ("yishi", "digits"):
            for heading in ("alone", "run_in"):
                texts = _texts(db, tmp_path, f"{n}{numbering}{heading}.docx", campaign=camp["uid"],
                               style={"numbering": numbering, "heading": heading})
                assert texts[1] == "一、存在的突出问题"


def test_cli_style_for_one_export(db_path, tmp_path):
    from conftest import run_cli

    assert run_cli("demo", "--db", str(db_path)).returncode == 0
    out = tmp_path / "r.docx"
    r = run_cli("export", "report", "--db", str(db_path), "--numbering", "digits", "--heading", "run_in", "-o", str(out))
    assert r.returncode == 0, r.stderr
    texts = [p.text.replace("\n", "") for p in body_paragraphs(open_doc(out))]
    assert any(t.startswith("（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面。1.理论学习深度不足。") for t in texts)
    r = run_cli("export", "report", "--db", str(db_path), "--numbering", "roman", "-o", str(tmp_path / "x.docx"))
    assert r.returncode != 0 and "Traceback" not in r.stderr and "digits" in r.stderr


def test_sentences_end_once(db, tmp_path):
    """A point typed with a trailing comma ends in 。, never “，。”."""
    from writers.cleaning import end_sentence

    assert end_sentence("落实不够细，") == "落实不够细。"
    assert end_sentence("落实不够细、") == "落实不够细。"
    assert end_sentence("已完成。") == "已完成。"
    assert end_sentence("“已完成。”") == "“已完成。”"
    camp = create_campaign(db, "活动", organ="某党组")
    add_item(db, camp["uid"], "d1", "问题一，", manifestation="表现，")
    add_item(db, camp["uid"], "d1", "问题二")
    texts = _texts(db, tmp_path)
    assert "一是问题一。表现。" in texts
    assert not any("，。" in t for t in texts)


def test_a_wrong_style_value_is_named_briefly(db):
    camp = create_campaign(db, "活动")
    with pytest.raises(ValidationError) as e:
        db.update("campaigns", camp["uid"], {"style": {"numbering": "x" * 100_000}})
    assert len(e.value.errors["style"]) < 120
