"""征求意见 in storage: validation, references, stable numbers, links to items, delete rules, counts."""

from __future__ import annotations

import pytest

from storage import Database, NotFoundError, RuleError, ValidationError
from storage.items import add_item, create_campaign, delete_campaign
from storage.opinions import (
    attach, convert, delete_item, delete_opinion, detach, draft_title, item_draft, item_opinions, next_seq,
    opinion_counts, opinions_for, preface_sentence, save_opinion, with_preface_sentence,
)


@pytest.fixture
def camp(db):
    return create_campaign(db, "2025年度民主生活会")


def add(db, camp, content="理论学习不够深入，学用结合不紧。", **kw):
    return save_opinion(db, {"campaign": camp["uid"], "content": content, **kw})


def dims(camp):
    return [d["key"] for d in camp["dimensions"]]


# ------------------------------------------------------------------ validation


def test_an_opinion_needs_content_and_valid_choices_and_a_dimension_of_its_campaign(db, camp):
    with pytest.raises(ValidationError) as e:
        add(db, camp, content="  ")
    assert "意见内容：不能为空" in str(e.value)
    with pytest.raises(ValidationError) as e:
        add(db, camp, channel="电话")
    assert "渠道" in e.value.errors["channel"] and "座谈" in e.value.errors["channel"]
    with pytest.raises(ValidationError) as e:
        add(db, camp, source_kind="张三")
    assert "来源类别" in e.value.errors["source_kind"]
    with pytest.raises(ValidationError) as e:
        add(db, camp, date="2025-02-30")
    assert "2月没有30日" in e.value.errors["date"]
    with pytest.raises(ValidationError) as e:
        add(db, camp, dimension="no-such-key")
    assert "本活动中的一个维度" in e.value.errors["dimension"]
    with pytest.raises(ValidationError):
        add(db, camp, concerns="名" * 51)
    assert db.all("opinions") == []  # nothing of the refused ones was written


def test_defaults_cleaning_and_a_100000_character_content_survive_a_reopen(db, db_path, camp):
    long = "群众反映办事效率低，" * 10_000  # 100 000 characters
    assert len(long) == 100_000
    o = add(db, camp, content=long + "\x00\x07", date="2025年1月10日", concerns="")
    assert o["concerns"] == "党组班子" and o["date"] == "2025-01-10" and o["item"] == "" and o["seq"] == 1
    again = Database.open(str(db_path)).get("opinions", o["uid"])
    assert again["content"] == long  # control characters gone, every character kept
    assert again["uid"].startswith("y")
    assert db.check() == []


def test_references_campaign_must_exist_and_items_must_be_of_the_same_campaign(db, camp):
    with pytest.raises(NotFoundError):
        save_opinion(db, {"campaign": "c-none", "content": "x"})
    with pytest.raises(RuleError):  # written past the helpers: the database still checks the reference
        db.insert("opinions", {"campaign": camp["uid"], "content": "x", "seq": 1, "item": "i-none"})
    other = create_campaign(db, "另一个活动")
    foreign = add_item(db, other["uid"], dims(other)[0], "别处的问题")
    o = add(db, camp)
    with pytest.raises(RuleError, match="同一整改活动"):
        attach(db, o["uid"], foreign["uid"])
    assert db.get("opinions", o["uid"])["item"] == ""


# ------------------------------------------------------------------ numbers


def test_numbers_are_given_once_and_never_change(db, camp):
    a, b, c = (add(db, camp, content=f"意见{n}") for n in (1, 2, 3))
    assert [a["seq"], b["seq"], c["seq"]] == [1, 2, 3]
    delete_opinion(db, b["uid"])
    d = add(db, camp, content="意见4")
    assert d["seq"] == 4
    delete_opinion(db, d["uid"])  # the highest: its number is not given again either
    e = add(db, camp, content="意见5")
    assert e["seq"] == 5
    assert [o["seq"] for o in opinions_for(db, camp["uid"])] == [1, 3, 5]
    # editing keeps the number, the campaign and the link whatever the form sends
    other = create_campaign(db, "另一个活动")
    save_opinion(db, {"uid": a["uid"], "content": "改过的意见", "seq": 99, "campaign": other["uid"], "item": "x"})
    a2 = db.get("opinions", a["uid"])
    assert (a2["seq"], a2["campaign"], a2["item"], a2["content"]) == (1, camp["uid"], "", "改过的意见")
    # numbers are per campaign
    assert add(db, other)["seq"] == 1
    assert next_seq(db, camp["uid"]) == 6


def test_a_stale_edit_is_a_conflict(db, camp):
    from storage import ConflictError

    o = add(db, camp)
    save_opinion(db, {"uid": o["uid"], "content": "同事改的"}, expected_rev=o["rev"])
    with pytest.raises(ConflictError):
        save_opinion(db, {"uid": o["uid"], "content": "我改的"}, expected_rev=o["rev"])
    assert db.get("opinions", o["uid"])["content"] == "同事改的"


# ------------------------------------------------------------------ becoming an item


def test_convert_creates_the_item_from_the_draft_and_links_both_ways(db, camp):
    o = add(db, camp, content="理论学习不够深入，学用结合不紧。建议加强。", dimension=dims(camp)[2], concerns="李秀兰")
    draft = item_draft(db, o)
    assert draft["title"] == "理论学习不够深入"
    assert draft["manifestation"] == o["content"]
    assert (draft["dimension"], draft["subject"]) == (dims(camp)[2], "李秀兰")
    item = convert(db, o["uid"], draft)
    assert item["sources"] == ["征求意见第1条"] and item["rev"] == 1
    assert db.get("opinions", o["uid"])["item"] == item["uid"]
    with pytest.raises(RuleError, match="已转为问题"):
        convert(db, o["uid"], draft)
    assert len(db.all("items")) == 1


def test_a_refused_conversion_writes_neither_the_item_nor_the_link(db, camp):
    o = add(db, camp)
    draft = item_draft(db, o)
    with pytest.raises(ValidationError):
        convert(db, o["uid"], {**draft, "title": ""})
    assert db.all("items") == [] and db.get("opinions", o["uid"])["item"] == ""


def test_several_opinions_point_to_one_item_and_its_sources_follow(db, camp):
    item = add_item(db, camp["uid"], dims(camp)[0], "调研不深入", sources=["巡察反馈意见"])
    a, b, c = (add(db, camp, content=f"意见{n}") for n in (1, 2, 3))
    attach(db, c["uid"], item["uid"])
    attach(db, a["uid"], item["uid"])
    assert db.get("items", item["uid"])["sources"] == ["巡察反馈意见", "征求意见第1条", "征求意见第3条"]
    assert [o["seq"] for o in item_opinions(db, item["uid"])] == [1, 3]
    detach(db, c["uid"])
    assert db.get("items", item["uid"])["sources"] == ["巡察反馈意见", "征求意见第1条"]
    other = add_item(db, camp["uid"], dims(camp)[1], "另一个问题")
    attach(db, a["uid"], other["uid"])  # moved: the first item forgets it
    assert db.get("items", item["uid"])["sources"] == ["巡察反馈意见"]
    assert db.get("items", other["uid"])["sources"] == ["征求意见第1条"]
    delete_opinion(db, a["uid"])
    assert db.get("items", other["uid"])["sources"] == []
    assert db.check() == []


# ------------------------------------------------------------------ delete rules


def test_an_item_an_opinion_points_to_cannot_be_deleted_behind_its_back(db, camp):
    o = add(db, camp)
    item = convert(db, o["uid"], item_draft(db, o))
    with pytest.raises(RuleError, match="征求意见"):
        db.delete("items", item["uid"])
    assert db.get("items", item["uid"]) is not None


def test_delete_item_detaches_its_opinions_in_the_same_transaction(db, db_path, camp):
    a, b = add(db, camp, content="甲"), add(db, camp, content="乙")
    item = convert(db, a["uid"], item_draft(db, a))
    attach(db, b["uid"], item["uid"])
    delete_item(db, item["uid"], expected_rev=db.get("items", item["uid"])["rev"])
    fresh = Database.open(str(db_path))
    assert fresh.get("items", item["uid"]) is None
    assert [o["item"] for o in opinions_for(fresh, camp["uid"])] == ["", ""]
    assert fresh.check() == []
    assert opinion_counts(fresh, camp["uid"])["converted"] == 0


def test_a_stale_delete_item_changes_nothing(db, camp):
    from storage import ConflictError

    o = add(db, camp)
    item = convert(db, o["uid"], item_draft(db, o))
    db.update("items", item["uid"], {"leader": "同事"})
    with pytest.raises(ConflictError):
        delete_item(db, item["uid"], expected_rev=item["rev"])
    assert db.get("opinions", o["uid"])["item"] == item["uid"]


def test_deleting_the_campaign_deletes_its_opinions(db, camp):
    o = add(db, camp)
    convert(db, o["uid"], item_draft(db, o))
    delete_campaign(db, camp["uid"])
    assert db.all("opinions") == [] and db.all("items") == [] and db.check() == []


# ------------------------------------------------------------------ counts and the preface


def test_counts_and_the_preface_sentence(db, camp):
    k = dims(camp)
    assert preface_sentence(db, camp["uid"]) == ""
    add(db, camp, content="一", channel="座谈", dimension=k[0])
    add(db, camp, content="二", channel="个别谈话", dimension=k[0])
    add(db, camp, content="三", channel="网络", dimension=k[3], concerns="李秀兰")
    add(db, camp, content="四")
    assert opinion_counts(db, camp["uid"]) == {"total": 4, "dimensions": 2, "converted": 0, "unclassified": 1}
    assert preface_sentence(db, camp["uid"]) == (
        "会前，通过召开座谈会、个别谈话、网络征集等方式共征求意见建议4条，梳理归纳为2个方面。")
    assert preface_sentence(db, camp["uid"], "李秀兰") == (
        "会前，通过网络征集共收到涉及本人的意见建议1条。")  # one opinion is not “梳理归纳为1个方面”
    assert preface_sentence(db, camp["uid"], "王建华") == ""


def test_the_sentence_goes_before_a_closing_paragraph_and_never_twice(db, camp):
    add(db, camp, content="一")
    s = "会前，共征求意见建议1条。"
    assert with_preface_sentence([], db, camp["uid"]) == [s]
    assert with_preface_sentence(["按照要求……。", "现将对照检查情况报告如下："], db, camp["uid"]) == [
        "按照要求……。", s, "现将对照检查情况报告如下："]
    assert with_preface_sentence(["按照要求……。"], db, camp["uid"]) == ["按照要求……。", s]
    assert with_preface_sentence(["按照要求，认真查摆问题。现将有关情况报告如下。"], db, camp["uid"]) == [
        "按照要求，认真查摆问题。" + s + "现将有关情况报告如下。"]
    own = ["会前共征求意见建议 30 条，已逐条梳理。"]
    assert with_preface_sentence(own, db, camp["uid"]) == own


@pytest.mark.parametrize("content, title", [
    ("理论学习不够深入，学用结合不紧。", "理论学习不够深入"),
    ("建议：加强调研，改进作风", "建议，加强调研"),  # a first clause of a few characters takes the next
    ("1. 会议多、文件多，基层负担重", "会议多、文件多"),
    ("长" * 300, "长" * 60),
])
def test_the_draft_title_is_the_first_clause(content, title):
    assert draft_title(content) == title


def test_history_records_every_opinion_change(db, camp):
    o = add(db, camp)
    save_opinion(db, {"uid": o["uid"], "content": "改"})
    delete_opinion(db, o["uid"])
    assert [e["action"] for e in db.history(o["uid"])] == ["delete", "update", "insert"]
