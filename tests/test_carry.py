"""接续上年度: unfinished items carried into the new campaign, linked both ways, origin untouched."""

from __future__ import annotations

import pytest
from conftest import run_cli

from storage.carry import carry_over, carried_to, default_dimension, links, plan_carry
from storage.items import create_campaign
from storage.queries import items_for


@pytest.fixture
def two_years(demo_db):
    old = demo_db.all("campaigns")[0]
    new = create_campaign(demo_db, "2026年度民主生活会", year=2026)
    return demo_db, old, new


def _origin_state(db, uid):
    """Every record of the origin campaign, and the bytes of its items as stored."""
    return ({r["uid"]: r for r in db.all("items") if r["campaign"] == uid}, db.table_dict("campaigns")[uid])


def test_carry_unfinished_into_the_rectification_dimension(two_years):
    db, old, new = two_years
    before = _origin_state(db, old["uid"])
    unfinished = [i for i in items_for(db, old["uid"]) if i["status"] != "已销号"]
    assert unfinished and len(unfinished) < len(items_for(db, old["uid"]))  # the demo has some 已销号
    carried = carry_over(db, old["uid"], new["uid"])
    assert [c["origin"] for c in carried] == [i["uid"] for i in unfinished]
    assert {c["dimension"] for c in carried} == {default_dimension(new)} == {"d5"}
    for c, o in zip(carried, unfinished):
        assert (c["title"], c["measures"], c["subject"], c["leader"]) == (o["title"], o["measures"], o["subject"], o["leader"])
        assert c["progress"] == [] and c["deadline"] == "" and c["campaign"] == new["uid"]
        assert c["status"] == ("整改中" if o["status"] in ("整改中", "待销号") else "未启动")
    assert [c["seq"] for c in carried] == list(range(1, len(carried) + 1))
    # the origin campaign is exactly as it was (no rev, no field, no record changed)
    db.refresh()
    assert _origin_state(db, old["uid"]) == before
    # both directions
    first = carried[0]
    back = links(db, db.get("items", first["uid"]))["origin"]
    assert back["campaign"] == old["name"] and back["item"]["uid"] == unfinished[0]["uid"]
    assert back["item"]["progress"] == unfinished[0]["progress"]  # the detail pane shows them
    fwd = links(db, db.get("items", unfinished[0]["uid"]))["carried"]
    assert [(name, c["uid"]) for name, c in fwd] == [(new["name"], first["uid"])]
    # history (留痕) says where it came from
    assert db.history(first["uid"])[0]["changes"]["origin"] == [None, unfinished[0]["uid"]]


def test_carry_twice_adds_nothing_and_a_chosen_dimension(two_years):
    db, old, new = two_years
    carry_over(db, old["uid"], new["uid"], "政治纪律")
    assert {i["dimension"] for i in items_for(db, new["uid"])} == {"d1"}
    todo, already = plan_carry(db, old["uid"], new["uid"])
    assert not todo and already
    assert carry_over(db, old["uid"], new["uid"]) == []


def test_carry_into_itself_is_refused(two_years):
    from storage import RuleError

    db, old, _ = two_years
    with pytest.raises(RuleError, match="不能把活动接续到它自己"):
        carry_over(db, old["uid"], old["uid"])


def test_reverse_link_follows_other_processes(two_years, db_path):
    from tui_helpers import other_process

    db, old, new = two_years
    origin = [i for i in items_for(db, old["uid"]) if i["status"] != "已销号"][0]
    assert carried_to(db, origin["uid"]) == []
    other_process(db_path, f"from storage.carry import carry_over\ncarry_over(db, {old['uid']!r}, {new['uid']!r})")
    db.refresh()
    assert [c["campaign"] for c in carried_to(db, origin["uid"])] == [new["uid"]]


def test_carry_cli_preview_then_yes(two_years, db_path):
    db, old, new = two_years
    args = ("carry", "--db", str(db_path), "--from", old["name"], "--to", new["name"])
    r = run_cli(*args)
    assert r.returncode == 0 and "未写入任何数据" in r.stdout, r.stderr
    assert not items_for(db, new["uid"])
    r = run_cli(*args, "--yes")
    assert r.returncode == 0 and "已接续" in r.stdout and "未作改动" in r.stdout, r.stderr
    r = run_cli(*args, "--dimension", "没有这个维度")
    assert r.returncode == 1 and "中没有维度“没有这个维度”" in r.stderr
