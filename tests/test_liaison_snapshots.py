"""SVG snapshots of the 三联系 screens at 80x24 (update with --snapshot-update)."""

from __future__ import annotations

import pytest

from storage.liaison import add_link, add_person, log_contact
from tests.test_liaison_tui import Host

SIZE = (80, 24)


@pytest.fixture
def roll(db):
    lead = add_person(db, "王建华", "党组成员", party="中共", sector="中共", unit_title="市政协副主席")
    cpc = [add_person(db, n, "党员委员", party="中共", sector=s, committee=c, phone=f"1380000000{k}")
           for k, (n, s, c) in enumerate((("李红", "经济界", "经济委员会"), ("周强", "教育界", "教科卫体委员会")))]
    non = [add_person(db, n, "党外委员", party=p, sector=s, committee=c)
           for n, p, s, c in (("赵明", "民盟", "教育界", "教科卫体委员会"), ("孙丽", "九三学社", "科技界", "提案委员会"),
                              ("钱文", "民进", "文化艺术界", "文化文史委员会"))]
    l1 = add_link(db, 1, lead["uid"], cpc[0]["uid"], since="2026-01-01")
    l2 = add_link(db, 2, cpc[0]["uid"], non[0]["uid"], since="2026-01-01", min_per_quarter=2)
    l3 = add_link(db, 2, cpc[1]["uid"], non[1]["uid"], since="2026-01-01")
    add_link(db, 3, non[0]["uid"], to_group="教育界别一线教师", since="2026-01-01")
    log_contact(db, l1["uid"], "谈心谈话，了解履职情况", on="2026-10-09", mode="座谈")
    log_contact(db, l2["uid"], "走访委员所在学校", on="2026-11-02", raised_kind="意见建议", raised="建议加强乡村教师培训")
    log_contact(db, l3["uid"], "电话沟通协商议题", on="2026-08-15", mode="电话")
    return db


def test_snapshot_people(snap_compare, roll):
    assert snap_compare(Host(roll), terminal_size=SIZE)


def test_snapshot_links(snap_compare, roll):
    assert snap_compare(Host(roll), press=["2"], terminal_size=SIZE)


def test_snapshot_contacts(snap_compare, roll):
    assert snap_compare(Host(roll), press=["3"], terminal_size=SIZE)


def test_snapshot_coverage(snap_compare, roll):
    assert snap_compare(Host(roll), press=["4"], terminal_size=SIZE)


def test_snapshot_contact_form(snap_compare, roll):
    assert snap_compare(Host(roll), press=["2", "c"], terminal_size=SIZE)
