"""三联系 tier rules: every (tier, from role, to role) pair, in the rule function and in the database."""

from __future__ import annotations

import itertools

import pytest

from storage import RuleError
from storage.liaison import add_link, add_person
from storage.models import ROLES
from storage.rules import tier_problem

ALLOWED = {
    ("1", "党组成员", "党员委员"),
    ("2", "党员委员", "党外委员"),
    ("3", "党员委员", None),
    ("3", "党外委员", None),
}
TARGETS = list(ROLES) + [None]
ALL = [(t, f, to) for t, f, to in itertools.product(("1", "2", "3"), ROLES, TARGETS)]


@pytest.mark.parametrize("tier,frm,to", ALL)
def test_tier_problem_every_pair(tier, frm, to):
    problem = tier_problem(tier, frm, to)
    if (tier, frm, to) in ALLOWED:
        assert problem is None
    else:
        assert problem and isinstance(problem, str)
        # the message names the rule in Chinese
        assert "层" in problem


def test_messages_name_the_rule():
    assert tier_problem("1", "党员委员", "党员委员") == "第一层须由党组成员联系党员委员，而联系人的身份是“党员委员”"
    assert tier_problem("1", "党组成员", "党外委员") == "第一层须由党组成员联系党员委员，而联系对象的身份是“党外委员”"
    assert tier_problem("2", "党员委员", None) == "第二层须由党员委员联系党外委员，而联系对象的身份是“（未选择）”"
    assert tier_problem("3", "机关干部", None).startswith("第三层须由委员")
    assert tier_problem("3", "党员委员", "党外委员") == "第三层联系的是界别群众，不应选择具体人员"
    assert "无效" in tier_problem("4", "党组成员", "党员委员")


@pytest.fixture
def people(db):
    return {role: add_person(db, f"{role}甲", role, party="中共" if role != "党外委员" else "民盟")["uid"] for role in ROLES}


@pytest.mark.parametrize("tier,frm,to", [p for p in ALL if p[0] != "3" or p[2] is None])
def test_database_enforces_tier_rules(db, people, tier, frm, to):
    to_uid = people[to] if to else ""
    group = "经济界别企业职工" if tier == "3" else ""
    if frm == to and to is not None:
        # same person at both ends is never allowed
        with pytest.raises(RuleError):
            add_link(db, tier, people[frm], to_uid, group)
        return
    if (tier, frm, to) in ALLOWED:
        link = add_link(db, tier, people[frm], to_uid, group)
        assert db.get("links", link["uid"]) is not None
    else:
        with pytest.raises(Exception) as exc:  # RuleError or ValidationError (tier 1/2 without a target)
            add_link(db, tier, people[frm], to_uid, group)
        assert str(exc.value)
        assert db.all("links") == []


def test_tier3_with_a_person_is_refused(db, people):
    with pytest.raises(RuleError, match="界别群众"):
        add_link(db, 3, people["党员委员"], people["党外委员"], "经济界别")


def test_duplicate_link_refused(db, people):
    add_link(db, 2, people["党员委员"], people["党外委员"])
    with pytest.raises(RuleError, match="已经存在"):
        add_link(db, 2, people["党员委员"], people["党外委员"])


def test_database_rejects_rule_breaking_update(db, people):
    link = add_link(db, 2, people["党员委员"], people["党外委员"])
    with pytest.raises(RuleError, match="第一层"):
        db.update("links", link["uid"], {"tier": "1"})
    assert db.get("links", link["uid"])["tier"] == "2"


def test_role_change_refused_while_links_rely_on_it(db, people):
    from storage import ValidationError
    from storage.liaison import end_link, save_person

    link = add_link(db, 2, people["党员委员"], people["党外委员"])
    with pytest.raises(ValidationError) as exc:
        save_person(db, {"role": "机关干部"}, uid=people["党员委员"])
    assert "身份" in exc.value.errors["role"]
    assert db.get("persons", people["党员委员"])["role"] == "党员委员"
    end_link(db, link["uid"], "2026-11-01")
    save_person(db, {"role": "机关干部"}, uid=people["党员委员"])
    assert db.get("persons", people["党员委员"])["role"] == "机关干部"


def test_party_must_fit_role(db):
    from storage import ValidationError
    from storage.liaison import save_person

    with pytest.raises(ValidationError) as exc:
        save_person(db, {"name": "甲", "role": "党外委员", "party": "中共"})
    assert "党派" in exc.value.errors["party"]
    p = save_person(db, {"name": "乙", "role": "党员委员"})
    assert p["party"] == "中共"  # filled in
    q = save_person(db, {"name": "丙", "role": "党外委员", "party": "九三"})
    assert q["party"] == "九三学社"  # alias


def test_inactive_person_cannot_get_new_links(db, people):
    from storage.liaison import delete_person

    add_link(db, 1, people["党组成员"], people["党员委员"])
    delete_person(db, people["党员委员"])
    other = add_person(db, "党组成员乙", "党组成员", party="中共")
    with pytest.raises(RuleError, match="不在册"):
        add_link(db, 1, other["uid"], people["党员委员"])


def test_contact_dates_stay_inside_the_links_period_also_when_edited(db, people):
    from storage import ValidationError
    from storage.liaison import log_contact

    link = add_link(db, 1, people["党组成员"], people["党员委员"], since="2026-03-01", until="2026-10-31")
    with pytest.raises(ValidationError) as e:
        log_contact(db, link["uid"], "太早", on="2026-02-28")
    assert "2026-03-01" in str(e.value.errors["date"])
    c = log_contact(db, link["uid"], "谈心谈话", on="2026-06-01")
    with pytest.raises(ValidationError) as e:  # an edit may not move it out either
        db.update("contacts", c["uid"], {"date": "2026-11-05"}, expected_rev=c["rev"])
    assert "已于 2026-10-31 结束" in str(e.value.errors["date"])
    assert db.get("contacts", c["uid"])["date"] == "2026-06-01"
    # The link's period later shrinks past the contact: its text can still be corrected.
    db.update("links", link["uid"], {"until": "2026-05-31"})
    fixed = db.update("contacts", c["uid"], {"summary": "谈心谈话（已更正）"})
    assert fixed["summary"] == "谈心谈话（已更正）"
