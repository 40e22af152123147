"""Reading what is needed (issue 14): a loaded shard keeps a descriptor, not the file's bytes;
one campaign or one quarter is read where the index says it is; a refresh reads in a thread
and swaps in after; nothing older ever replaces something newer."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import orjson
import pytest

from conftest import ROOT, run_cli
from storage import DamagedDatabaseError, Database
from storage.items import add_item, create_campaign
from storage.liaison import contacts_in_quarter, coverage, log_contact
from storage.queries import items_for
from storage.shardfile import FdSource


def other(path: str, code: str) -> None:
    script = f"from storage import Database\ndb = Database.open({path!r}, user='colleague')\n{code}\n"
    r = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


def test_a_loaded_shard_keeps_a_descriptor_and_reads_what_it_loaded(demo_db):
    """No copy of the file in memory: records are read back from the descriptor, which still
    reads the file that was loaded after a colleague's save renamed a new one over it."""
    items = demo_db.table_dict("items")
    assert isinstance(items.src, FdSource)
    uid = next(iter(items))
    title = items[uid]["title"]
    other(demo_db.path, f"db.update('items', {uid!r}, {{'title': '同事改的'}})")
    assert items[uid]["title"] == title  # the table in hand: the file as it was read
    assert demo_db.refresh() is True
    assert demo_db.table_dict("items")[uid]["title"] == "同事改的"


def _two_campaigns(db: Database) -> tuple[str, str, str]:
    a = create_campaign(db, "甲活动", "dsh2024")
    b = create_campaign(db, "乙活动", "dsh2024")
    for n in range(5):
        add_item(db, a["uid"], "d1", f"甲的问题{n}")
        add_item(db, b["uid"], "d1", f"乙的问题{n}")
    victim = next(i["uid"] for i in db.all("items") if i["campaign"] == b["uid"])
    return a["uid"], b["uid"], victim


def _break_in_place(path: str, uid: str) -> None:
    """A damaged value behind a matching index: same size and mtime (a disk fault, or a hand
    edit that put the time back), so only reading the record itself can find it."""
    raw = open(path, "rb").read()
    start = raw.index(b'    "' + uid.encode() + b'": {')
    pos = raw.index(b'"seq":', start) + 6
    st = os.stat(path)
    with open(path, "r+b") as fh:
        fh.seek(pos)
        fh.write(b'"')  # "seq":1 -> "seq":" : not a whole JSON record any more
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_one_campaign_is_read_without_parsing_the_others(db):
    a, _b, victim = _two_campaigns(db)
    _break_in_place(db.path, victim)
    lazy = Database.open(db.path, lazy=True)
    got = items_for(lazy, a)
    assert [i["title"] for i in got] == [f"甲的问题{n}" for n in range(5)]
    assert not lazy.loaded("items")  # read where the index says, not by loading the file
    with pytest.raises(DamagedDatabaseError) as e:  # the other campaign's damage is named when read
        items_for(lazy, _b)
    assert victim in str(e.value) and "行" in str(e.value)


def test_export_of_one_campaign_does_not_parse_the_others(db, tmp_path):
    """Before: the command loaded the whole items file, and another campaign's damaged
    record stopped the export (exit 2)."""
    _a, _b, victim = _two_campaigns(db)
    _break_in_place(db.path, victim)
    out = tmp_path / "甲.docx"
    r = run_cli("export", "report", "--db", db.path, "--campaign", "甲活动", "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert out.exists()


def test_a_record_read_where_the_index_says_is_checked(db):
    a, _b, _v = _two_campaigns(db)
    uid = next(i["uid"] for i in db.all("items") if i["campaign"] == a)
    _break_in_place(db.path, uid)
    lazy = Database.open(db.path, lazy=True)
    with pytest.raises(DamagedDatabaseError) as e:
        items_for(lazy, a)
    assert uid in str(e.value)


def test_a_file_that_is_no_longer_the_indexed_one_is_not_read_by_offset(db):
    a, _b, _v = _two_campaigns(db)
    lazy = Database.open(db.path, lazy=True)
    assert lazy.light("items", a)  # the index is in hand
    other(db.path, "from storage.items import add_item\n"
                   f"add_item(db, {a!r}, 'd1', '同事新增的问题')")  # offsets move
    titles = [i["title"] for i in items_for(lazy, a)]
    assert "同事新增的问题" in titles and len(titles) == 6  # the file read anew, never a stale offset


def test_quarters_and_coverage_come_from_the_index(db):
    from storage.liaison import add_link, add_person

    lead = add_person(db, "甲", "党组成员")
    member = add_person(db, "乙", "党员委员")
    link = add_link(db, 1, lead["uid"], member["uid"], since="2025-01-01")
    for d in ("2026-10-03", "2026-11-20", "2026-07-01"):
        log_contact(db, link["uid"], f"联系于{d}", on=d)
    lazy = Database.open(db.path, lazy=True)
    assert coverage(lazy, 2026, 4) == coverage(db, 2026, 4)
    assert [c["summary"] for c in contacts_in_quarter(lazy, 2026, 4)] == ["联系于2026-11-20", "联系于2026-10-03"]
    assert not lazy.loaded("contacts")
    raw = open(os.path.join(db.folder, "zhenggai.contacts.index.json"), "rb").read()
    quarters = sorted(orjson.loads(line.split(b"\t")[1]) for line in raw.split(b"\n")[1:] if line)
    assert quarters == ["2026-Q3", "2026-Q4"]  # one line per quarter, with each link's count in it


def test_a_refresh_reads_in_a_thread_and_never_goes_back(demo_db):
    demo_db.follow = False  # as in the TUI: reads show what is in memory until a refresh swaps
    uid = next(iter(demo_db.table_dict("items")))
    other(demo_db.path, f"db.update('items', {uid!r}, {{'title': '第一次'}})")
    box: dict = {}
    t = threading.Thread(target=lambda: box.update(p=demo_db.prepare_refresh()))
    t.start()
    t.join()
    assert demo_db.get("items", uid)["title"] != "第一次"  # read, not yet swapped in
    assert demo_db.apply_refresh(box["p"]) is True
    assert demo_db.get("items", uid)["title"] == "第一次"
    # A state read before our own save is dropped, not swapped over it.
    other(demo_db.path, f"db.update('items', {uid!r}, {{'title': '第二次'}})")
    stale = demo_db.prepare_refresh()
    demo_db.update("items", uid, {"leader": "自己"})  # re-reads under the lock, then commits
    assert demo_db.apply_refresh(stale) is False
    rec = demo_db.get("items", uid)
    assert rec["title"] == "第二次" and rec["leader"] == "自己"


def test_a_refresh_of_a_damaged_file_still_brings_the_other_one(demo_db, db_path):
    uid = next(iter(demo_db.table_dict("items")))
    other(demo_db.path, f"db.update('items', {uid!r}, {{'title': '新的'}})")
    contacts = db_path.with_name("zhenggai.contacts.json")
    contacts.write_bytes(contacts.read_bytes()[:-40])  # cut short
    prepared = demo_db.prepare_refresh()
    with pytest.raises(DamagedDatabaseError):
        demo_db.apply_refresh(prepared)
    assert demo_db.get("items", uid)["title"] == "新的"


def test_a_refresh_parses_only_the_records_that_changed(demo_db, monkeypatch):
    """A save copies unchanged lines as they are: a refresh compares each line's bytes with
    the file it read before and parses only the ones that differ (at 10×, one contact of
    500 000 instead of all of them), keeping the rest's light rows as they were."""
    from storage import shard_read

    demo_db.follow = False
    demo_db.table_dict("items")
    uid = list(demo_db.table_dict("items"))[3]
    rows_before = dict(demo_db.light("items"))
    other(demo_db.path, f"db.update('items', {uid!r}, {{'title': '只改这一条'}})")
    parsed: list[str] = []
    real = shard_read.record_problem

    def counting(table, rec):
        if table == "items":
            parsed.append(rec["uid"])
        return real(table, rec)

    monkeypatch.setattr(shard_read, "record_problem", counting)
    assert demo_db.apply_refresh(demo_db.prepare_refresh()) is True
    assert parsed == [uid]
    after = demo_db.light("items")
    assert after[uid]["title"] == "只改这一条"
    assert all(after[u] is rows_before[u] for u in rows_before if u != uid)
    assert demo_db.get("items", uid)["title"] == "只改这一条" and Database.open(demo_db.path).check() == []


def test_a_refresh_after_an_edit_in_place_parses_the_changed_line(demo_db, db_path):
    """A hand edit that rewrites the file in place (same inode) shows its new bytes through the
    descriptor read before too: a refresh must not take them for the old ones."""
    demo_db.follow = False
    uid, rec = next(iter(demo_db.table_dict("items").items()))
    raw = db_path.read_bytes()
    at = raw.index(orjson.dumps(rec["title"]), raw.index(orjson.dumps(uid) + b": {"))
    old = orjson.dumps(rec["title"])
    k = next(n for n, ch in enumerate(rec["title"]) if len(ch.encode()) == 3)  # a Chinese character
    swap = "写" if rec["title"][k] == "改" else "改"
    new = orjson.dumps(rec["title"][:k] + swap + rec["title"][k + 1:])
    assert len(new) == len(old) and new != old
    with open(db_path, "r+b") as fh:
        fh.seek(at)
        fh.write(new)
    os.utime(db_path)  # the stamp moves: the refresh re-reads
    assert demo_db.apply_refresh(demo_db.prepare_refresh()) is True
    assert demo_db.light("items")[uid]["title"] == orjson.loads(new)
    assert demo_db.get("items", uid)["title"] == orjson.loads(new)


def test_each_links_latest_contact_keeps_no_quarters_rows(demo_db):
    """The links tab and coverage read every quarter's counts and latest dates from the index;
    they keep only those, not each quarter's rows (at 3× that was 60 MB more with 三联系 open),
    and agree with the loaded file."""
    from storage import contacts

    lazy = Database.open(demo_db.path, lazy=True)
    lazy.table_dict("persons")  # the index read, the 三联系 file not loaded
    assert not lazy.loaded("contacts")
    latest = contacts.latest(lazy)
    total = contacts.total_for(lazy, set(latest))
    idx = lazy._shard("contacts").index
    assert len(idx.groups["contacts"]) > 2 and not idx.group_rows.get("contacts")
    demo_db.table_dict("contacts")
    assert latest == contacts.latest(demo_db) and total == contacts.total_for(demo_db, set(latest)) > 0
