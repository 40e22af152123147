"""SIGKILL at every step of a save, in a real child process.

Two ways to land the kill exactly: the kill points inside the code
(ZHENGGAI_FAULT=step, storage/faults.py: the process SIGKILLs itself there, some
after writing half of a file), and strace's fault injection, which kills the
child on its n-th call of each file-changing system call of one save (every
write, fsync, rename, mkdir, unlink, fchmod, fchown, ftruncate). After each kill:
the shard holds the old or the new value; the change is in the history exactly
when it was committed; check() finds the chain whole; every backup is whole or
absent; and the next save works and sweeps what the dead writer left.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from storage import Database, files
from storage.faults import __doc__ as FAULTS_DOC

ROOT = Path(__file__).resolve().parents[1]
OLD, NEW = "旧的标题", "新的标题"
NEXT_DAY = "2026-11-22"  # the child's save is the first of a new day: it makes the daily backup too

SAVE = r"""
import sys
from storage import Database
db = Database.open(sys.argv[1], create=False, user="child")
db.update("items", sys.argv[2], {"title": sys.argv[3]})
"""

BOTH = r"""
import sys
from storage import Database
db = Database.open(sys.argv[1], create=False, user="child")
with db.transaction():
    db.update("items", sys.argv[2], {"title": sys.argv[3]})
    db.update("persons", "p1", {"note": sys.argv[3]})
"""

STEPS = re.findall(r"``([a-z-]+)``", FAULTS_DOC or "")


def _setup(path: Path) -> str:
    from storage.items import add_item, create_campaign

    db = Database.open(str(path), user="tester")
    camp = create_campaign(db, "崩溃测试", "dsh2024")
    item = add_item(db, camp["uid"], "d1", OLD)
    db.insert("persons", {"uid": "p1", "name": "测试人", "role": "党员委员", "note": OLD})
    db.backups()  # the day's first backup, made in a thread, is done before a child starts
    return item["uid"]


def _child(args: list[str], env: dict[str, str], prefix: list[str] | None = None) -> subprocess.CompletedProcess:
    e = dict(os.environ, ZHENGGAI_TODAY=NEXT_DAY, **env)
    return subprocess.run([*(prefix or []), sys.executable, "-B", "-c", *args], cwd=ROOT, env=e,
                          capture_output=True, text=True, timeout=120)


def _verify(path: Path, uid: str, *, both: bool = False) -> bool:
    """The invariants after a kill; returns whether the child's change was committed."""
    data, _ = files.read_json(str(path))  # parses, right shape
    title = data["items"][uid]["title"]
    assert title in (OLD, NEW), title
    committed = title == NEW
    db = Database.open(str(path), user="tester")
    titles = [e["changes"]["title"][1] for e in db.history(uid=uid, limit=100) if e["action"] == "update"]
    assert titles == ([NEW] if committed else []), (titles, committed)  # the history line iff committed
    if both:
        note = db.get("persons", "p1")["note"]
        notes = [e["changes"]["note"][1] for e in db.history(uid="p1", limit=100) if e["action"] == "update"]
        assert notes == ([NEW] if note == NEW else [])
    report = db.check_report()
    assert report["problems"] == [], report["problems"]
    assert report["history"]["ok"]
    for b in report["backups"]:  # whole or absent: never a complete-looking broken one
        assert b["usable"], b
    assert sorted(n for n in os.listdir(db.backups_dir) if not n.startswith(".")) == [b["name"] for b in report["backups"]]
    # The next save works, and sweeps the dead writer's temp files and folders away.
    db.update("items", uid, {"title": "再次保存"})
    leftovers = [n for n in os.listdir(path.parent) if n.endswith(".tmp")]
    leftovers += [n for n in os.listdir(db.backups_dir) if n.endswith(".tmp")]
    assert leftovers == []
    assert db.history(uid=uid, limit=1)[0]["changes"]["title"][1] == "再次保存"
    assert Database.open(str(path)).check() == []
    return committed


def test_the_kill_points_are_documented():
    assert len(STEPS) >= 12 and "history-synced" in STEPS and "shard-renamed" in STEPS


@pytest.mark.parametrize("step", STEPS)
def test_sigkill_at_each_step_of_a_save(tmp_path, step):
    path = tmp_path / "zg" / "zhenggai.json"
    uid = _setup(path)
    r = _child([SAVE, str(path), uid, NEW], {"ZHENGGAI_FAULT": step})
    assert r.returncode == -signal.SIGKILL, (step, r.returncode, r.stderr)
    committed = _verify(path, uid)
    # Before the shard's rename nothing is committed; from the rename on, the change is.
    assert committed == (STEPS.index(step) >= STEPS.index("shard-renamed")), step


@pytest.mark.parametrize("step", ["history-synced", "shard-renamed", "index-renamed"])
def test_sigkill_in_a_save_of_both_shards(tmp_path, step):
    path = tmp_path / "zg" / "zhenggai.json"
    uid = _setup(path)
    r = _child([BOTH, str(path), uid, NEW], {"ZHENGGAI_FAULT": step})
    assert r.returncode == -signal.SIGKILL, r.stderr
    _verify(path, uid, both=True)


def test_a_dead_commits_lines_are_ignored_and_noted(tmp_path):
    path = tmp_path / "zg" / "zhenggai.json"
    uid = _setup(path)
    _child([SAVE, str(path), uid, NEW], {"ZHENGGAI_FAULT": "shard-synced"})
    db = Database.open(str(path))
    raw = Path(db.history_path).read_bytes()
    assert NEW.encode() in raw  # the line is there ...
    assert db.history(uid=uid, limit=10)[0]["action"] == "insert"  # ... and not taken for a change
    report = db.check_report()
    assert report["problems"] == [] and report["history"]["dead"] == 1
    assert any("未完成的保存" in n for n in report["notes"])
    # The same generation committed later by another save is told apart from the dead one.
    db.update("items", uid, {"title": "后来的标题"})
    assert [e["changes"]["title"][1] for e in db.history(uid=uid) if e["action"] == "update"] == ["后来的标题"]
    assert db.check() == []


# ---------------------------------------------------------------- strace: every system call

SYSCALLS = ("write", "pwrite64", "fsync", "fdatasync", "rename", "renameat", "renameat2", "mkdir", "mkdirat",
            "unlink", "unlinkat", "rmdir", "fchmod", "fchown", "ftruncate")


def _strace_ok() -> bool:
    if not shutil.which("strace"):
        return False
    r = subprocess.run(["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=none", "true"], capture_output=True)
    return r.returncode == 0


@pytest.mark.skipif(not _strace_ok(), reason="strace is not installed or not permitted (ptrace) here")
def test_sigkill_at_every_system_call_of_a_save(tmp_path):
    base = tmp_path / "base"
    path = base / "zhenggai.json"
    uid = _setup(path)
    log = tmp_path / "trace.txt"
    work = tmp_path / "dry"
    shutil.copytree(base, work)
    # strace counts a system call's n-th time per thread: the day's backup, made in a thread
    # after the commit, is made in the saving thread here (the kill points cover the thread).
    one = {"ZHENGGAI_BACKUP_IN_THREAD": "0"}
    r = _child([SAVE, str(work / "zhenggai.json"), uid, NEW], one,
               ["strace", "-f", "-qq", "-o", str(log), "-e", "trace=" + ",".join(SYSCALLS)])
    assert r.returncode == 0, r.stderr
    calls: dict[str, int] = {}
    for line in log.read_text().splitlines():
        m = re.match(r"(?:\d+\s+)?(\w+)\(", line)
        if m and m.group(1) in SYSCALLS:
            calls[m.group(1)] = calls.get(m.group(1), 0) + 1
    assert calls.get("fsync", 0) >= 6 and calls.get("write", 0) >= 4, calls  # backup, history, shard
    total = committed = 0
    for name, count in sorted(calls.items()):
        for n in range(1, count + 1):
            work = tmp_path / f"{name}-{n}"
            shutil.copytree(base, work)
            r = _child([SAVE, str(work / "zhenggai.json"), uid, NEW], one,
                       ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"trace={name}",
                        "-e", f"inject={name}:signal=KILL:when={n}"])
            assert r.returncode in (-signal.SIGKILL, 128 + signal.SIGKILL), (name, n, r.returncode, r.stderr)
            committed += _verify(work / "zhenggai.json", uid)
            total += 1
            shutil.rmtree(work)
    assert total == sum(calls.values())
    assert 0 < committed < total  # kills landed both before and after the commit point
