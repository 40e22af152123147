"""The derived index files: lists and counts without parsing the big shards, never stale."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT
from storage import DamagedDatabaseError, Database
from storage.database import LIGHT_FIELDS, read_index
from storage.index import INDEX_FORMAT
from storage.liaison import coverage, log_contact
from storage.queries import campaign_summary, find_campaign, item_rows, items_for


def index_paths(db: Database) -> list[str]:
    return [os.path.join(db.folder, n) for n in ("zhenggai.index.json", "zhenggai.contacts.index.json")]


def light_of(rec: dict, table: str) -> dict:
    return {f: rec[f] for f in LIGHT_FIELDS[table] if f in rec}


def test_every_commit_writes_an_index_stamped_with_its_shard(demo_db):
    for idx_path, shard_path in zip(index_paths(demo_db), (demo_db.path, demo_db.path[:-5] + ".contacts.json")):
        idx = read_index(idx_path)
        st = os.stat(shard_path)
        assert idx["stamp"] == [st.st_ino, st.st_mtime_ns, st.st_size]
        assert oct(os.stat(idx_path).st_mode & 0o777) == oct(st.st_mode & 0o777)
    main = read_index(index_paths(demo_db)[0])["tables"]
    assert main["campaigns"] == demo_db.table_dict("campaigns")  # small tables whole
    assert main["items"] == {u: light_of(r, "items") for u, r in demo_db.table_dict("items").items()}
    assert "manifestation" not in next(iter(main["items"].values()))


def test_lazy_open_parses_neither_big_file_and_gives_the_same_figures(demo_db):
    lazy = Database.open(demo_db.path, lazy=True)
    camp = find_campaign(lazy, None)["uid"]
    assert campaign_summary(lazy, camp) == campaign_summary(demo_db, camp)
    assert coverage(lazy) == coverage(demo_db)
    assert [r["uid"] for r in item_rows(lazy, camp)] == [i["uid"] for i in items_for(demo_db, camp)]
    assert not lazy.loaded("items") and not lazy.loaded("contacts")
    # Full records are still there on demand.
    uid = item_rows(lazy, camp)[0]["uid"]
    assert lazy.get("items", uid) == demo_db.get("items", uid)
    assert lazy.loaded("items")


def test_light_rows_follow_saves_in_this_process(demo_db):
    camp = find_campaign(demo_db, None)["uid"]
    before = {r["uid"]: dict(r) for r in item_rows(demo_db, camp)}
    uid = next(iter(before))
    demo_db.update("items", uid, {"title": "改过的标题"})
    assert demo_db.light("items")[uid]["title"] == "改过的标题"
    demo_db.delete("items", uid)
    assert uid not in demo_db.light("items")


def test_another_process_save_is_seen_through_its_new_index(demo_db):
    lazy = Database.open(demo_db.path, lazy=True)
    uid = next(iter(lazy.light("items")))
    code = (
        "import sys\nfrom storage import Database\n"
        f"db = Database.open({demo_db.path!r}, user='colleague')\n"
        f"db.update('items', {uid!r}, {{'title': '同事改的标题'}})\n"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, env=os.environ)
    assert lazy.refresh() is True
    assert lazy.light("items")[uid]["title"] == "同事改的标题"
    assert not lazy.loaded("items")  # the new index was enough


@pytest.mark.parametrize("how", ["stale", "garbage", "missing", "wrong_format"])
def test_an_index_that_does_not_match_is_ignored(demo_db, how):
    main_idx = index_paths(demo_db)[0]
    uid = next(iter(demo_db.light("items")))
    old_index = open(main_idx, "rb").read()
    demo_db.update("items", uid, {"title": "新的标题"})
    if how == "stale":  # a writer died between the shard's rename and the index's
        open(main_idx, "wb").write(old_index)
    elif how == "garbage":
        open(main_idx, "wb").write(b'{"format": 1, "stamp": [')
    elif how == "missing":
        os.unlink(main_idx)
    else:
        raw = open(main_idx, "rb").read()
        open(main_idx, "wb").write(raw.replace(b'"format":%d' % INDEX_FORMAT, b'"format":999', 1))
    lazy = Database.open(demo_db.path, lazy=True)
    assert lazy.light("items")[uid]["title"] == "新的标题"
    assert lazy.loaded("items")  # fell back to the shard file ...
    healed = read_index(main_idx)  # ... and wrote a current index
    assert healed["tables"]["items"][uid]["title"] == "新的标题"


def test_a_damaged_shard_is_not_hidden_by_its_index(demo_db):
    with open(demo_db.path, "r+b") as fh:
        fh.truncate(100)
    with pytest.raises(DamagedDatabaseError):
        Database.open(demo_db.path, lazy=True)


def test_a_damaged_contacts_shard_is_reported_when_first_needed(demo_db):
    lazy = Database.open(demo_db.path, lazy=True)
    with open(demo_db.path[:-5] + ".contacts.json", "r+b") as fh:
        fh.truncate(50)
    with pytest.raises(DamagedDatabaseError):
        coverage(lazy)


def test_contacts_logged_elsewhere_reach_coverage_from_the_index(demo_db):
    lazy = Database.open(demo_db.path, lazy=True)
    before = coverage(lazy)
    link = before["overdue"][0]["link"]
    log_contact(demo_db, link, "走访", on="2026-11-20")
    lazy.refresh()
    after = coverage(lazy)
    assert after["contacts"] == before["contacts"] + 1
    assert not lazy.loaded("contacts")


def test_columns_from_the_index_and_from_parsed_records_agree(demo_db):
    lazy = Database.open(demo_db.path, lazy=True)
    from_index = lazy.columns("contacts", "link", "date")
    assert not lazy.loaded("contacts")
    parsed = demo_db.columns("contacts", "link", "date")
    assert sorted(zip(*from_index)) == sorted(zip(*parsed))
    assert len(from_index[0]) == len(demo_db.table_dict("contacts")) > 100
    # Rows expanded from the column-wise index carry the uid like parsed records do.
    rows = lazy.light("contacts")
    uid, row = next(iter(rows.items()))
    assert row["uid"] == uid and row["date"] == demo_db.table_dict("contacts")[uid]["date"]


def test_the_first_screen_parses_only_its_campaigns_rows(demo_db):
    from storage.items import add_item, create_campaign

    other = create_campaign(demo_db, "2026年度专项整治", "dsh2024")
    add_item(demo_db, other["uid"], "d1", "另一个活动的事项")
    camp = find_campaign(demo_db, demo_db.all("campaigns")[0]["name"])["uid"]
    raw = open(index_paths(demo_db)[0], "rb").read()
    group_lines = raw.split(b"\n")[1:-1]
    assert len(group_lines) == 2 and all(line.startswith(b"items\t") for line in group_lines)
    lazy = Database.open(demo_db.path, lazy=True)
    rows = item_rows(lazy, camp)
    assert [r["uid"] for r in rows] == [i["uid"] for i in items_for(demo_db, camp)]
    shard = lazy._shard("items")
    assert set(shard.index.group_rows["items"]) == {camp}  # the other campaign's line untouched
    assert "items" not in shard.index.tables
    assert len(lazy.light("items")) == len(demo_db.table_dict("items"))  # all, merged on demand
    assert not lazy.loaded("items")


def test_a_broken_group_line_falls_back_to_the_shard(demo_db):
    path = index_paths(demo_db)[0]
    raw = open(path, "rb").read()
    head, _, rest = raw.partition(b"\n")
    open(path, "wb").write(head + b"\n" + rest[: len(rest) // 2] + b"\n")  # a line cut short
    lazy = Database.open(demo_db.path, lazy=True)
    camp = lazy.all("campaigns")[0]["uid"]
    assert [r["uid"] for r in item_rows(lazy, camp)] == [i["uid"] for i in items_for(demo_db, camp)]
    assert lazy.loaded("items")  # read from the shard instead
    assert read_index(path)["tables"]["items"].keys() == demo_db.table_dict("items").keys()  # and rewritten


# ---------------------------------------------------------------- a hand-edited index (issue 11, point 10)


def _forge_a_status(demo_db) -> tuple[str, str]:
    """Change one item's status in the main index only (its stamp and commit still match)."""
    path = index_paths(demo_db)[0]
    raw = open(path, "rb").read()
    at = raw.index('"status":"未启动"'.encode(), raw.index(b"\nitems\t"))
    line_start = raw.rindex(b"\n", 0, at)
    uid = raw[raw.rindex(b'{"uid":"', line_start, at) + 8:].split(b'"', 1)[0].decode()
    open(path, "wb").write(raw[:at] + '"status":"已销号"'.encode() + raw[at + len('"status":"未启动"'.encode()):])
    return path, uid


def test_check_compares_the_index_with_the_shard_and_rebuilds_it(demo_db):
    from conftest import run_cli

    path, uid = _forge_a_status(demo_db)
    assert Database.open(demo_db.path, lazy=True).light("items")[uid]["status"] == "已销号"  # served as found
    r = run_cli("check", "--db", demo_db.path)
    assert r.returncode == 2 and "zhenggai.index.json" in r.stderr and "不一致" in r.stderr, (r.stdout, r.stderr)
    assert read_index(path)["tables"]["items"][uid]["status"] == "未启动"  # rebuilt from the shard
    assert Database.open(demo_db.path, lazy=True).light("items")[uid]["status"] == "未启动"
    r = run_cli("check", "--db", demo_db.path)
    assert r.returncode == 0 and "一致" in r.stdout


def test_a_forged_index_row_is_never_written_back(demo_db):
    path, uid = _forge_a_status(demo_db)
    lazy = Database.open(demo_db.path, lazy=True)
    other = next(u for u in lazy.light("items") if u != uid)
    lazy.update("items", other, {"title": "另一个事项改了标题"})  # a save: the index is rewritten
    assert read_index(path)["tables"]["items"][uid]["status"] == "未启动"
    assert lazy.light("items")[uid]["status"] == "未启动"


def test_regrouped_contacts_leave_no_tuple_for_the_collector_to_walk():
    """The contacts regrouped by quarter (every save of a contact, every refresh) are tuples
    of strings and numbers: each is looked at by a young collection as it is made and then
    no longer tracked. Left to the next automatic collection, all of them were walked in one
    go: 65 ms with the interpreter held at 10× (issue 14)."""
    import gc
    from array import array

    from storage.index_build import grouped
    from storage.lines import Layout

    rows = {f"k{n:05d}": {"link": f"l{n % 40:03d}", "date": f"202{n % 3 + 4}-{n % 12 + 1:02d}-15"} for n in range(6000)}
    lay = Layout()
    lay.keys = {uid: k for k, uid in enumerate(rows)}
    lay.starts, lay.lens = array("q", range(0, 600_000, 100)), array("q", [100] * 6000)
    gc.disable()  # only what grouped() itself asks of the collector
    try:
        out = grouped("contacts", rows, lay)
        tracked = [(g, f) for g, line in out.items() for f, col in [*line["rows"]["@columns"].items(), ("at", line["at"])]
                   if gc.is_tracked(col)]
    finally:
        gc.enable()
    assert len(out) == 12 and sum(len(line["at"]) for line in out.values()) == 12_000
    assert tracked == []
