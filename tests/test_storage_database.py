"""The Database class on real files: modes, refresh, conflicts, rollback, migration, backups, history."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

import storage.database as database
from storage import ConflictError, DamagedDatabaseError, Database, NotFoundError, StorageError, ZhenggaiError, files
from storage.lock import FileLock
from storage.models import blank

ROOT = Path(__file__).resolve().parents[1]


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def _camp(db, **kw):
    from storage.items import create_campaign

    return create_campaign(db, kw.pop("name", "测试活动"), "dsh2024", **kw)


def _contacts(db) -> Path:
    return Path(db.path.replace(".json", ".contacts.json"))


@pytest.fixture
def umask022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# ---------------------------------------------------------------- modes


def test_new_files_are_private(db, db_path, umask022):
    _camp(db)
    db.insert("persons", {"name": "孙某", "role": "党员委员"})
    db.backup("manual")
    assert _mode(db_path) == 0o600 and _mode(_contacts(db)) == 0o600
    for extra in (db.lock_path, db.history_path):
        assert _mode(extra) & 0o077 == 0, oct(_mode(extra))
    for b in db.backups():
        assert _mode(b) & 0o077 == 0
        for f in os.listdir(b):
            assert _mode(os.path.join(b, f)) == 0o600


@pytest.mark.parametrize("how", ["argument", "env"])
def test_shared_files_are_group_writable_and_no_wider(tmp_path, monkeypatch, umask022, how):
    path = tmp_path / "team" / "zhenggai.json"
    if how == "env":
        monkeypatch.setenv("ZHENGGAI_SHARED", "1")
        db = Database.open(str(path))
    else:
        db = Database.open(str(path), shared=True)
    _camp(db)
    db.insert("persons", {"name": "孙某", "role": "党员委员"})
    db.backup("manual")
    assert _mode(path) == 0o660 and _mode(_contacts(db)) == 0o660
    # With the usual umask 022 the group must still be able to lock, log, back up and save.
    assert _mode(db.lock_path) == 0o660 and _mode(db.history_path) == 0o660
    assert _mode(path.parent) == 0o770
    assert _mode(db.backups_dir) == 0o770
    for b in db.backups():
        assert _mode(b) == 0o770
        assert all(_mode(os.path.join(b, f)) == 0o660 for f in os.listdir(b))


def test_mode_survives_many_replaces(tmp_path):
    path = tmp_path / "zhenggai.json"
    db = Database.open(str(path), shared=True)
    camp = _camp(db)
    inodes = set()
    for n in range(30):
        db.update("campaigns", camp["uid"], {"organ": f"第{n}次"})
        inodes.add(os.stat(path).st_ino)
        assert _mode(path) == 0o660
    assert len(inodes) > 1  # the file really was replaced


def test_admin_chmod_is_kept(db, db_path):
    camp = _camp(db)
    p = db.insert("persons", {"name": "孙某", "role": "党员委员"})
    os.chmod(db_path, 0o640)
    os.chmod(_contacts(db), 0o600)  # each shard keeps its own mode
    for n in range(3):
        db.update("campaigns", camp["uid"], {"organ": f"第{n}次"})
        db.update("persons", p["uid"], {"note": f"第{n}次"})
    assert _mode(db_path) == 0o640
    assert _mode(_contacts(db)) == 0o600
    os.chmod(db_path, 0o660)
    os.chmod(_contacts(db), 0o640)
    db.update("persons", p["uid"], {"note": "再改"})
    assert _mode(_contacts(db)) == 0o640


def test_lock_and_history_never_wider_than_the_database(db_path):
    old = os.umask(0)
    try:
        db = Database.open(str(db_path))
        _camp(db)
    finally:
        os.umask(old)
    assert _mode(db_path) == 0o600
    assert _mode(db.lock_path) == 0o600 and _mode(db.history_path) == 0o600
    assert _mode(db_path.parent) & 0o077 == 0


# ---------------------------------------------------------------- refresh and conflicts


def test_refresh_sees_other_writers_and_skips_unchanged(db, db_path):
    camp = _camp(db)
    other = Database.open(str(db_path), user="other")
    assert other.get("campaigns", camp["uid"])["organ"] == ""
    live = other.table_dict("campaigns")
    v = other.version
    assert other.refresh() is False
    assert other.version == v and other.table_dict("campaigns") is live  # not re-parsed

    db.update("campaigns", camp["uid"], {"organ": "新党组"})
    assert other.refresh() is True and other.version > v
    assert other.get("campaigns", camp["uid"])["organ"] == "新党组"
    assert other.refresh() is False


def test_stale_instance_writes_on_fresh_state(db, db_path):
    """A long-lived instance that never refreshed must not write back its stale copy."""
    camp = _camp(db)
    a = db.insert("items", blank("items", campaign=camp["uid"], dimension="d1", title="甲"))
    other = Database.open(str(db_path), user="other")
    other.all("items")  # other caches the file now
    b = db.insert("items", blank("items", campaign=camp["uid"], dimension="d2", title="乙"))
    db.update("items", a["uid"], {"leader": "张三"})
    other.update("items", a["uid"], {"owner_dept": "办公室"})  # no expected_rev: merges onto fresh state
    c = other.insert("items", blank("items", campaign=camp["uid"], dimension="d3", title="丙"))
    data, _ = files.read_json(str(db_path))
    assert set(data["items"]) == {a["uid"], b["uid"], c["uid"]}
    assert data["items"][a["uid"]]["leader"] == "张三" and data["items"][a["uid"]]["owner_dept"] == "办公室"
    assert data["items"][a["uid"]]["rev"] == 3


def test_conflict_carries_the_current_record(db, db_path):
    camp = _camp(db)
    it = db.insert("items", blank("items", campaign=camp["uid"], dimension="d1", title="原标题"))
    other = Database.open(str(db_path), user="李四")
    mine = other.get("items", it["uid"])
    db.update("items", it["uid"], {"title": "他人的标题"}, expected_rev=it["rev"])
    with pytest.raises(ConflictError) as exc:
        other.update("items", it["uid"], {"title": "我的标题"}, expected_rev=mine["rev"])
    e = exc.value
    assert e.current["title"] == "他人的标题" and e.current["rev"] == mine["rev"] + 1
    assert "tester" in str(e) and "修改" in str(e) and "未保存" in str(e)
    with pytest.raises(ConflictError):
        other.delete("items", it["uid"], expected_rev=mine["rev"])
    assert files.read_json(str(db_path))[0]["items"][it["uid"]]["title"] == "他人的标题"


def test_update_after_delete_by_another_instance(db, db_path):
    camp = _camp(db)
    it = db.insert("items", blank("items", campaign=camp["uid"], dimension="d1", title="将被删除"))
    other = Database.open(str(db_path), user="other")
    mine = other.get("items", it["uid"])
    db.delete("items", it["uid"], expected_rev=it["rev"])
    with pytest.raises(ConflictError) as exc:
        other.update("items", it["uid"], {"title": "晚了"}, expected_rev=mine["rev"])
    assert exc.value.current is None and "已被其他用户删除" in str(exc.value)
    with pytest.raises(NotFoundError):
        other.update("items", it["uid"], {"title": "晚了"})
    assert it["uid"] not in files.read_json(str(db_path))[0]["items"]


# ---------------------------------------------------------------- rollback, locks


def test_failed_transaction_rolls_back_memory_and_writes_nothing(db, db_path):
    camp = _camp(db, organ="原党组")
    raw = db_path.read_bytes()
    hist = len(db.history(limit=10_000))
    with pytest.raises(RuntimeError):
        with db.transaction():
            db.update("campaigns", camp["uid"], {"organ": "改到一半"})
            db.insert("persons", {"name": "周某", "role": "党员委员"})
            assert db.get("campaigns", camp["uid"])["organ"] == "改到一半"
            raise RuntimeError("boom")
    assert db_path.read_bytes() == raw and not _contacts(db).exists()
    assert db.get("campaigns", camp["uid"])["organ"] == "原党组"
    assert db.all("persons") == []
    assert len(db.history(limit=10_000)) == hist  # nothing logged for what was not saved
    db.update("campaigns", camp["uid"], {"year": 2025})  # the instance still works
    assert files.read_json(str(db_path))[0]["campaigns"][camp["uid"]]["organ"] == "原党组"


def _fds() -> int:
    """Open descriptors, once the backups being made in threads (this test's or an earlier
    one's: each holds its snapshot of the files open) are done."""
    from conftest import wait_for_backups

    wait_for_backups()
    return len(os.listdir("/proc/self/fd"))


def test_no_lock_fd_leaks(db, db_path):
    import gc

    camp = _camp(db)
    gc.collect()  # databases of earlier tests hold their folder's descriptor until collected
    before = _fds()
    for n in range(50):
        db.update("campaigns", camp["uid"], {"organ": f"第{n}次"})
        with pytest.raises(ZhenggaiError):
            with db.transaction():
                db.update("campaigns", camp["uid"], {"year": 1})  # ValidationError inside
        db.history(limit=5)
        db.refresh()
    assert _fds() == before


HOLDER = r"""
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()
"""


def test_lock_held_by_another_process(db, db_path):
    _camp(db)
    start = _fds()
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, db.lock_path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        before = _fds()
        lock = FileLock(db.lock_path, 0o600, timeout=0.2)
        with pytest.raises(StorageError) as exc:
            lock.acquire()
        assert "占用" in str(exc.value)
        assert _fds() == before
    finally:
        holder.communicate("done\n", timeout=30)
    lock.acquire()
    lock.release()
    assert _fds() == start


# ---------------------------------------------------------------- migration


def test_migration_backs_up_first_then_migrates(db, db_path, monkeypatch):
    camp = _camp(db, organ="中共某某市政协党组")
    seen = {}

    def v1_to_v2(d: Database) -> None:
        migrate_backups = [b for b in d.backups() if b.endswith("-migrate")]
        assert len(migrate_backups) == 1  # the backup exists before the data changes
        old = _backed_up(migrate_backups[0], db_path.name)
        seen["backup_version"] = old["meta"]["schema"]["schema_version"]
        for c in d.all("campaigns"):
            d.update("campaigns", c["uid"], {"organ": c["organ"] + "（迁移后）", "migrated": True})

    monkeypatch.setattr(database, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(database, "MIGRATIONS", {1: v1_to_v2})
    db2 = Database.open(str(db_path), user="admin")
    assert seen["backup_version"] == 1
    data, _ = files.read_json(str(db_path))
    assert data["meta"]["schema"]["schema_version"] == 2
    assert data["campaigns"][camp["uid"]]["organ"] == "中共某某市政协党组（迁移后）"
    assert data["campaigns"][camp["uid"]]["migrated"] is True
    assert db2.get("campaigns", camp["uid"])["migrated"] is True
    # Opening again does not migrate (or back up) twice.
    Database.open(str(db_path))
    assert len([b for b in db2.backups() if b.endswith("-migrate")]) == 1


def test_missing_migration_leaves_the_file_alone(db, db_path, monkeypatch):
    _camp(db)
    raw = db_path.read_bytes()
    monkeypatch.setattr(database, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(database, "MIGRATIONS", {1: lambda d: None})
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path))
    assert "没有从结构版本 2 升级的方法" in str(exc.value)
    assert db_path.read_bytes() == raw


def test_newer_file_is_refused_untouched(db, db_path):
    _camp(db)
    data, _ = files.read_json(str(db_path))
    data["meta"]["schema"]["schema_version"] = database.SCHEMA_VERSION + 1
    db_path.write_bytes(orjson.dumps(data))
    raw = db_path.read_bytes()
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path))
    assert "请升级程序" in str(exc.value)
    from conftest import run_cli

    r = run_cli("check", "--db", str(db_path))
    assert r.returncode == 2 and "请升级程序" in r.stderr and "Traceback" not in r.stderr
    assert db_path.read_bytes() == raw


# ---------------------------------------------------------------- backups


def _backed_up(backup: str, name: str) -> dict:
    """A shard as a backup holds it (gzip-compressed)."""
    import gzip

    with gzip.open(os.path.join(backup, name + ".gz")) as fh:
        return files.parse(fh.read(), name)


def test_backups_rotate(db, db_path):
    camp = _camp(db)
    db.backup("migrate")
    made = []
    for n in range(13):
        db.update("campaigns", camp["uid"], {"organ": f"第{n}版"})
        made.append(db.backup("manual"))
    manual = [b for b in db.backups() if b.endswith("-manual")]
    assert manual == made[-database.BACKUP_KEEP["manual"]:]
    assert len([b for b in db.backups() if b.endswith("-migrate")]) == 1  # other reasons untouched
    last = _backed_up(manual[-1], db_path.name)
    assert last["campaigns"][camp["uid"]]["organ"] == "第12版"


def test_daily_backup_once_per_day_and_rotates(db, db_path, monkeypatch):
    camp = _camp(db)  # first save of 2026-11-21: backs up the file as it was
    daily = [b for b in db.backups() if b.endswith("-daily")]
    assert len(daily) == 1 and os.path.basename(daily[0]).startswith("20261121")
    db.update("campaigns", camp["uid"], {"organ": "同一天"})
    assert len([b for b in db.backups() if b.endswith("-daily")]) == 1
    for day in range(1, 17):  # 16 more days: only the newest 14 daily backups remain
        monkeypatch.setenv("ZHENGGAI_TODAY", f"2026-12-{day:02d}")
        db.update("campaigns", camp["uid"], {"organ": f"12月{day}日"})
        db.update("campaigns", camp["uid"], {"organ": f"12月{day}日 下午"})
    daily = [os.path.basename(b) for b in db.backups() if b.endswith("-daily")]
    assert len(daily) == database.BACKUP_KEEP["daily"]
    assert daily[0].startswith("20261203") and daily[-1].startswith("20261216")
    # The 12-16 backup holds the state before that day's first save.
    b = next(b for b in db.backups() if os.path.basename(b).startswith("20261216"))
    assert _backed_up(b, db_path.name)["campaigns"][camp["uid"]]["organ"] == "12月15日 下午"


# ---------------------------------------------------------------- history


def test_history_lines(db, db_path):
    camp = _camp(db)
    it = db.insert("items", blank("items", campaign=camp["uid"], dimension="d1", title="旧标题"))
    db.update("items", it["uid"], {"title": "新标题", "leader": "张三"})
    db.update("items", it["uid"], {"title": "新标题"})  # no change: no line
    db.delete("items", it["uid"])
    h = db.history(uid=it["uid"])
    assert [e["action"] for e in h] == ["delete", "update", "insert"]
    upd = h[1]
    assert upd["user"] == "tester" and upd["table"] == "items" and upd["time"].startswith("2026-11-21")
    assert upd["changes"] == {"title": ["旧标题", "新标题"], "leader": ["", "张三"]}
    assert h[0]["changes"]["title"] == ["新标题", None]
    assert [e["table"] for e in db.history(table="campaigns")] == ["campaigns"]
    assert len(db.history(limit=2)) == 2
    lines = Path(db.history_path).read_bytes().splitlines()
    assert all(orjson.loads(line) for line in lines)


def test_history_survives_a_cut_last_line(db, db_path):
    camp = _camp(db)
    with open(db.history_path, "ab") as fh:
        fh.write(b'{"time": "2026-11-21T10:00:00", "user": "crashed", "tab')  # a writer died here
    assert all(e["user"] != "crashed" for e in db.history())
    db.update("campaigns", camp["uid"], {"organ": "崩溃之后"})
    h = db.history()
    assert h[0]["action"] == "update" and h[0]["changes"]["organ"] == ["", "崩溃之后"]
    assert h[1]["action"] == "insert"


def test_history_reads_backwards_across_blocks(db, db_path):
    from storage.history import lines_backwards

    camp = _camp(db)
    for n in range(40):  # lines of ~200 bytes over 64 KiB blocks of 1 KiB below
        db.update("campaigns", camp["uid"], {"organ": f"第{n}次" + "长" * n})
    lines = [l for l in Path(db.history_path).read_bytes().split(b"\n") if l]
    raw = Path(db.history_path).read_bytes()
    fd = os.open(db.history_path, os.O_RDONLY)
    try:
        for block in (1024, 7):  # 7: lines longer than a block
            got = list(lines_backwards(fd, len(raw), block=block))
            assert [line for _, line in got] == lines[::-1]
            assert all(raw[at:at + len(line)] == line for at, line in got)  # and where each starts
    finally:
        os.close(fd)
    h = db.history(uid=camp["uid"], limit=3)
    assert [e["changes"]["organ"][1][:4] for e in h] == ["第39次", "第38次", "第37次"]
