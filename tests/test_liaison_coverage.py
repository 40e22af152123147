"""Coverage arithmetic at quarter boundaries (today is frozen at 2026-11-21)."""

from __future__ import annotations

import pytest

from storage import ValidationError
from storage.liaison import add_link, add_person, coverage, delete_person, end_link, log_contact


@pytest.fixture
def pair(db):
    a = add_person(db, "王主席", "党组成员", party="中共")
    b = add_person(db, "李委员", "党员委员", party="中共")
    c = add_person(db, "赵委员", "党外委员", party="民盟")
    return a["uid"], b["uid"], c["uid"]


def tier(cov, t):
    return cov["tiers"][t - 1]


def test_march_31_is_q1_april_1_is_q2(db, pair):
    a, b, _ = pair
    link = add_link(db, 1, a, b, since="2025-01-01")
    log_contact(db, link["uid"], "谈心谈话", on="2025-03-31")
    q1, q2 = coverage(db, 2025, 1), coverage(db, 2025, 2)
    assert (tier(q1, 1)["met"], tier(q1, 1)["total"]) == (1, 1)
    assert (tier(q2, 1)["met"], tier(q2, 1)["total"]) == (0, 1)
    assert [o["link"] for o in q2["overdue"]] == [link["uid"]]
    assert q2["overdue"][0]["last"] == "2025-03-31"
    assert q2["overdue"][0]["days_since"] == 91  # 2025-06-30 - 2025-03-31
    log_contact(db, link["uid"], "走访", on="2025-04-01")
    q1, q2 = coverage(db, 2025, 1), coverage(db, 2025, 2)
    assert tier(q1, 1)["met"] == 1 and q1["contacts"] == 1
    assert tier(q2, 1)["met"] == 1 and q2["contacts"] == 1
    assert q2["overdue"] == []
    assert tier(q2, 1)["rate"] == 1.0


def test_december_31_is_q4_january_1_is_next_years_q1(db, pair):
    _, b, c = pair
    link = add_link(db, 2, b, c, since="2025-10-01")
    log_contact(db, link["uid"], "座谈", on="2025-12-31", mode="座谈")
    q4, q1 = coverage(db, 2025, 4), coverage(db, 2026, 1)
    assert (tier(q4, 2)["met"], q4["contacts"]) == (1, 1)
    assert (tier(q1, 2)["met"], tier(q1, 2)["total"], q1["contacts"]) == (0, 1, 0)
    log_contact(db, link["uid"], "电话", on="2026-01-01", mode="电话")
    q4, q1 = coverage(db, 2025, 4), coverage(db, 2026, 1)
    assert (tier(q4, 2)["met"], q4["contacts"]) == (1, 1)
    assert (tier(q1, 2)["met"], q1["contacts"]) == (1, 1)
    assert q1["start"] == "2026-01-01" and q1["end"] == "2026-03-31"


def test_min_per_quarter_above_one(db, pair):
    a, b, _ = pair
    link = add_link(db, 1, a, b, min_per_quarter=3, since="2026-01-01")
    for day in ("2026-07-01", "2026-08-15"):
        log_contact(db, link["uid"], "走访", on=day)
    cov = coverage(db, 2026, 3)
    assert tier(cov, 1)["met"] == 0
    assert cov["overdue"][0]["count"] == 2 and cov["overdue"][0]["need"] == 3
    log_contact(db, link["uid"], "走访", on="2026-09-30")
    cov = coverage(db, 2026, 3)
    assert tier(cov, 1)["met"] == 1 and cov["overdue"] == []
    # a fourth contact in the next quarter does not help this one
    assert tier(coverage(db, 2026, 4), 1)["met"] == 0


def test_link_starting_mid_quarter(db, pair):
    a, b, _ = pair
    link = add_link(db, 1, a, b, since="2025-05-15")
    assert tier(coverage(db, 2025, 1), 1)["total"] == 0
    q2 = coverage(db, 2025, 2)
    assert tier(q2, 1)["total"] == 1 and tier(q2, 1)["met"] == 0
    assert q2["overdue"][0]["last"] == "" and q2["overdue"][0]["days_since"] is None
    with pytest.raises(ValidationError, match="起才建立"):
        log_contact(db, link["uid"], "走访", on="2025-05-14")
    log_contact(db, link["uid"], "走访", on="2025-05-15")
    assert tier(coverage(db, 2025, 2), 1)["met"] == 1


def test_link_ending_mid_quarter(db, pair):
    a, b, _ = pair
    met = add_link(db, 1, a, b, since="2025-01-01")
    log_contact(db, met["uid"], "走访", on="2025-04-10")
    end_link(db, met["uid"], "2025-05-15")
    b2 = add_person(db, "钱委员", "党员委员", party="中共")["uid"]
    unmet = add_link(db, 1, a, b2, since="2025-01-01")
    end_link(db, unmet["uid"], "2025-05-15")
    q1, q2, q3 = coverage(db, 2025, 1), coverage(db, 2025, 2), coverage(db, 2025, 3)
    assert tier(q1, 1)["total"] == 2 and tier(q1, 1)["met"] == 0  # both owed in Q1
    # Q2: the met one counts; the unmet one ended before the quarter did, so is not owed
    assert (tier(q2, 1)["met"], tier(q2, 1)["total"]) == (1, 1)
    assert q2["overdue"] == []
    assert tier(q3, 1)["total"] == 0
    with pytest.raises(ValidationError, match="已于 2025-05-15 结束"):
        log_contact(db, met["uid"], "走访", on="2025-05-16")


def test_link_ending_on_last_day_still_owed(db, pair):
    a, b, _ = pair
    link = add_link(db, 1, a, b, since="2025-01-01")
    end_link(db, link["uid"], "2025-06-30")
    q2 = coverage(db, 2025, 2)
    assert tier(q2, 1)["total"] == 1 and len(q2["overdue"]) == 1


def test_people_without_a_contact_person(db, pair):
    a, b, c = pair
    cov = coverage(db)
    assert [p["uid"] for p in cov["cpc_without_leader"]] == [b]
    assert [p["uid"] for p in cov["noncpc_without_cpc"]] == [c]
    add_link(db, 1, a, b)
    l2 = add_link(db, 2, b, c)
    cov = coverage(db)
    assert cov["cpc_without_leader"] == [] and cov["noncpc_without_cpc"] == []
    assert (cov["year"], cov["quarter"]) == (2026, 4)
    end_link(db, l2["uid"])  # today: the 党外委员 has nobody from tomorrow on
    assert coverage(db, 2027, 1)["noncpc_without_cpc"] == [{"uid": c, "name": "赵委员"}]


def test_current_quarter_defaults_and_deleted_person_not_overdue(db, pair):
    a, b, _ = pair
    link = add_link(db, 1, a, b, since="2026-01-01")
    assert len(coverage(db)["overdue"]) == 1
    assert coverage(db)["overdue"][0]["days_since"] is None
    delete_person(db, b)
    cov = coverage(db)
    assert tier(cov, 1)["total"] == 0 and cov["overdue"] == []
    assert db.get("links", link["uid"])["until"] == "2026-11-21"
