"""Deleting a person: links ended (not erased), contacts kept, nothing dangling."""

from __future__ import annotations

from storage.liaison import (
    add_link, add_person, contacts_for_person, delete_impact, delete_person, link_active, log_contact, person_links,
)


def test_delete_person_with_links_and_contacts(db):
    lead = add_person(db, "王主席", "党组成员", party="中共")["uid"]
    cpc = add_person(db, "李委员", "党员委员", party="中共")["uid"]
    non = add_person(db, "赵委员", "党外委员", party="民盟")["uid"]
    l1 = add_link(db, 1, lead, cpc, since="2026-01-01")
    l2 = add_link(db, 2, cpc, non, since="2026-01-01")
    l3 = add_link(db, 3, cpc, to_group="经济界别企业职工", since="2026-01-01")
    k1 = log_contact(db, l1["uid"], "谈心谈话", on="2026-10-09")
    k2 = log_contact(db, l2["uid"], "走访", on="2026-11-02")
    assert delete_impact(db, cpc) == {"links": 3, "contacts": 2}

    delete_person(db, cpc)

    person = db.get("persons", cpc)
    assert person is not None and person["active"] is False  # kept for history
    for l in (l1, l2, l3):
        rec = db.get("links", l["uid"])
        assert rec is not None and rec["until"] == "2026-11-21"
    assert db.get("contacts", k1["uid"]) and db.get("contacts", k2["uid"])
    assert {c["uid"] for c in contacts_for_person(db, cpc)} == {k1["uid"], k2["uid"]}
    # the others stay, and their page still shows the (ended) link
    assert db.get("persons", lead)["active"] is True
    out = person_links(db, lead)["outgoing"]
    assert [l["uid"] for l in out] == [l1["uid"]] and not link_active(db.get("links", l1["uid"]), *_tomorrow())
    assert db.check() == []
    h = db.history(uid=l2["uid"])
    assert h[0]["action"] == "update" and h[0]["changes"]["until"] == ["", "2026-11-21"]


def _tomorrow():
    import datetime as dt

    d = dt.date(2026, 11, 22)
    return d, d


def test_delete_person_without_links_erases(db):
    p = add_person(db, "临时", "机关干部")
    assert delete_impact(db, p["uid"]) == {"links": 0, "contacts": 0}
    delete_person(db, p["uid"])
    assert db.get("persons", p["uid"]) is None
    assert db.check() == []


def test_plain_delete_of_referenced_person_is_refused(db):
    import pytest

    from storage import RuleError

    lead = add_person(db, "王主席", "党组成员", party="中共")["uid"]
    cpc = add_person(db, "李委员", "党员委员", party="中共")["uid"]
    add_link(db, 1, lead, cpc)
    with pytest.raises(RuleError, match="仍有 1 条联系关系引用它"):
        db.delete("persons", cpc)
    assert db.check() == []


def test_a_link_with_contacts_cannot_be_deleted_also_from_a_lazily_opened_database(db):
    import pytest

    from storage import Database, RuleError
    from storage.liaison import log_contact

    lead = add_person(db, "王主席", "党组成员", party="中共")["uid"]
    cpc = add_person(db, "李委员", "党员委员", party="中共")["uid"]
    link = add_link(db, 1, lead, cpc, since="2026-01-01")["uid"]
    log_contact(db, link, "谈心谈话", on="2026-10-09")
    log_contact(db, link, "走访", on="2026-11-02")
    lazy = Database.open(db.path, lazy=True)
    with pytest.raises(RuleError, match="仍有 2 条联系记录引用它"):
        lazy.delete("links", link)
    assert lazy.get("links", link) is not None
