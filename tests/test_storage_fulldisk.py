"""Full disk: a save that fails with ENOSPC leaves the previous file intact and is reported."""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from conftest import mounted_tmpfs
from storage import Database, StorageError, files


@pytest.fixture
def small_fs():
    """A real 512 KiB tmpfs (we run as root); skipped where mounting is not permitted."""
    yield from mounted_tmpfs("512k", "zg-full-", "; test_enospc_injected covers this")


def _fill(folder: Path) -> Path:
    filler = folder / "filler.bin"
    with open(filler, "wb", buffering=0) as fh:
        for size in (65536, 4096, 1):
            while True:
                try:
                    fh.write(b"\0" * size)
                except OSError as e:
                    assert e.errno == errno.ENOSPC
                    break
    return filler


def _setup(path: Path):
    from storage.items import create_campaign

    db = Database.open(str(path), user="tester")
    camp = create_campaign(db, "磁盘测试", "dsh2024", organ="原来的党组")
    db.insert("persons", {"uid": "p1", "name": "赵某", "role": "党员委员"})
    return db, camp


def _names_a_database_file(msg: str, path: Path) -> None:
    """The message names a file of the database the user knows, never an empty "（）" or
    the random name of a temp file (issue 11, point 12)."""
    named = re.search(r"（([^（）]*)）", msg)
    assert named and named.group(1).startswith(str(path.parent) + os.sep), msg
    assert Path(named.group(1)).name.startswith("zhenggai.") and ".tmp" not in msg, msg


def _assert_refused(db, path: Path, camp) -> None:
    raw = path.read_bytes()
    shard = Path(str(path).replace(".json", ".contacts.json"))
    raw_shard = shard.read_bytes()
    hist = len(db.history(limit=100_000))
    with pytest.raises(StorageError) as exc:
        db.update("campaigns", camp["uid"], {"organ": "新的党组" * 20, "report_title": "材料" * 50})
    assert "磁盘空间已满" in str(exc.value) and "原文件未受影响" in str(exc.value)
    _names_a_database_file(str(exc.value), path)
    with pytest.raises(StorageError) as exc:
        db.insert("persons", {"name": "钱某", "role": "党外委员", "note": "备注" * 5000})
    _names_a_database_file(str(exc.value), path)
    assert path.read_bytes() == raw and shard.read_bytes() == raw_shard
    assert db.get("campaigns", camp["uid"])["organ"] == "原来的党组"  # memory rolled back
    assert [p["name"] for p in db.all("persons")] == ["赵某"]
    assert len(db.history(limit=100_000)) == hist  # no history for what was not saved
    assert not [n for n in os.listdir(path.parent) if n.endswith(".tmp")]
    fresh = Database.open(str(path))
    assert fresh.get("campaigns", camp["uid"])["organ"] == "原来的党组" and fresh.check() == []


def test_enospc_on_a_real_small_filesystem(small_fs):
    path = small_fs / "zhenggai.json"
    db, camp = _setup(path)
    import shutil

    db.backups()  # (the day's first backup is made in a thread: let it finish)
    shutil.rmtree(db.backups_dir)  # so the failing save also tries (and fails) its daily backup
    filler = _fill(small_fs)
    _assert_refused(db, path, camp)
    assert db.backups() == []  # a daily backup cut short by the full disk is not left behind
    with pytest.raises(StorageError) as exc:
        db.backup("manual")
    assert "磁盘空间已满" in str(exc.value) and db.backups_dir in str(exc.value) and ".tmp" not in str(exc.value)
    assert db.backups() == []
    filler.unlink()
    db.update("campaigns", camp["uid"], {"organ": "新的党组"})
    assert Database.open(str(path)).get("campaigns", camp["uid"])["organ"] == "新的党组"


def test_enospc_injected(db_path, monkeypatch):
    """Fault injection at the OS boundary: writes to temp files fail after 100 bytes."""
    db, camp = _setup(db_path)
    real_write = os.write
    budget = {"left": 100}

    def write(fd, data):
        if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
            if budget["left"] <= 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            data = bytes(data)[: budget["left"]]
            budget["left"] -= len(data)
        return real_write(fd, data)

    monkeypatch.setattr(files.os, "write", write)
    _assert_refused(db, db_path, camp)
    monkeypatch.setattr(files.os, "write", real_write)
    db.update("campaigns", camp["uid"], {"organ": "新的党组"})
    assert Database.open(str(db_path)).get("campaigns", camp["uid"])["organ"] == "新的党组"
