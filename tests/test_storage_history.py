"""留痕: tagged with its commit, chained by hashes, by the real account; what check finds.

Each line names the shard commit it belongs to and carries a hash of the line
before; each shard's commit record keeps the hash of its commit's last line.
check names the first broken link; what the chain cannot prove is tested too.
"""

from __future__ import annotations

import hashlib
import os
import pwd
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from conftest import run_cli
from storage import DamagedDatabaseError, Database
from storage.shard import commit_of_head

ROOT = Path(__file__).resolve().parents[1]
REAL = pwd.getpwuid(os.geteuid()).pw_name


def _h(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()[:32]


@pytest.fixture
def saved(db, db_path):
    """A database with a dozen saves: (db, item uid, the history file's lines)."""
    from storage.items import add_item, create_campaign

    camp = create_campaign(db, "留痕测试", "dsh2024")
    item = add_item(db, camp["uid"], "d1", "第0稿")
    for n in range(1, 10):
        db.update("items", item["uid"], {"title": f"第{n}稿"})
    db.insert("persons", {"name": "王某", "role": "党员委员"})
    return db, item["uid"]


def _lines(db) -> list[bytes]:
    return Path(db.history_path).read_bytes().splitlines()


def _write(db, lines: list[bytes]) -> None:
    Path(db.history_path).write_bytes(b"".join(line + b"\n" for line in lines))


def test_each_line_names_its_commit_and_chains_to_the_line_before(saved, db_path):
    db, uid = saved
    lines = _lines(db)
    prev = ""
    for line in lines:
        e = orjson.loads(line)
        assert e["prev"] == prev and e["shard"] in ("main", "contacts") and e["commit"]
        prev = _h(line)
    head = commit_of_head(db_path.read_bytes()[:4096])
    last_main = [line for line in lines if orjson.loads(line)["shard"] == "main"][-1]
    assert head["history"] == _h(last_main) and orjson.loads(last_main)["commit"] == head["id"]
    report = db.check_report()["history"]
    assert report["ok"] and report["lines"] == len(lines) and report["tip"] == _h(lines[-1])


@pytest.mark.parametrize("how", ["edit", "delete", "insert", "swap"])
def test_check_names_the_first_broken_link(saved, how):
    db, uid = saved
    lines = _lines(db)
    k = 5  # 0-based: line 6 of the file
    if how == "edit":
        edited = orjson.loads(lines[k])
        edited["user"] = "他人"
        lines[k] = orjson.dumps(edited)
        bad = k + 2  # the next line no longer matches the edited one
    elif how == "delete":
        del lines[k]
        bad = k + 1
    elif how == "insert":
        forged = orjson.loads(lines[k])
        forged["user"] = "他人"
        lines.insert(k + 1, orjson.dumps(forged))
        bad = k + 2  # the forged line's own hash link is right: the line after it breaks
    else:
        lines[k], lines[k + 1] = lines[k + 1], lines[k]
        bad = k + 1
    _write(db, lines)
    report = Database.open(db.path).check_report()
    assert not report["history"]["ok"] and report["history"]["broken_line"] == bad
    assert any(f"修改记录第 {bad} 行的校验值" in p for p in report["problems"])
    r = run_cli("check", "--db", db.path)
    assert r.returncode == 2 and f"第 {bad} 行" in r.stderr and "Traceback" not in r.stderr


def test_a_cut_tail_is_found_by_the_shard_s_commit_record(saved):
    db, uid = saved
    _write(db, _lines(db)[:-3])  # the last saves' lines removed: the chain itself is intact
    problems = Database.open(db.path).check()
    assert any("在修改记录中找不到" in p for p in problems), problems


def test_an_edited_last_line_is_found_by_the_anchor(saved):
    db, uid = saved
    lines = _lines(db)
    lines[-1] = lines[-1].replace("王某".encode(), "李某".encode())
    _write(db, lines)
    problems = Database.open(db.path).check()
    assert any("校验值不符：该行被改动" in p for p in problems), problems


def test_what_the_chain_does_not_prove(saved, db_path):
    """A member of the group can rewrite the history from any line on, recompute every
    hash and the anchors in the shards: check cannot tell (README says so). The chain
    catches edits that do not redo everything after them."""
    db, uid = saved
    lines = _lines(db)
    entries = [orjson.loads(line) for line in lines]
    entries[3]["user"] = "他人"
    prev, out, tips = "", [], {}
    for e in entries:
        e["prev"] = prev
        line = orjson.dumps(e)
        out.append(line)
        prev = _h(line)
        tips[e["shard"]] = prev
    _write(db, out)
    for shard, path in (("main", db_path), ("contacts", db_path.with_name("zhenggai.contacts.json"))):
        raw = path.read_bytes()
        head = commit_of_head(raw[:4096])
        path.write_bytes(raw.replace(head["history"].encode(), tips[shard].encode(), 1))
    assert Database.open(db.path).check() == []


def test_a_line_of_an_odd_shape_is_named_not_a_traceback(saved):
    db, uid = saved
    lines = _lines(db)
    e = orjson.loads(lines[4])
    e["changes"] = ["不是", "对象"]
    lines[4] = orjson.dumps(e)
    _write(db, lines)
    with pytest.raises(DamagedDatabaseError) as exc:
        db.history(uid=uid)
    assert "第 5 行" in str(exc.value) and uid in str(exc.value) and "changes" in str(exc.value)
    r = run_cli("check", "--db", db.path)
    assert r.returncode == 2 and "修改记录第 5 行格式不正确" in r.stderr and "Traceback" not in r.stderr


def test_the_author_is_the_real_account_not_USER_or_LOGNAME(saved, db_path):
    db, uid = saved
    code = (
        "import sys\nfrom storage import Database\nfrom storage.items import add_progress\n"
        "db = Database.open(sys.argv[1], create=False)\n"
        "add_progress(db, sys.argv[2], '进展顺利')\n"
    )
    env = dict(os.environ, USER="mallory", LOGNAME="mallory", LNAME="mallory", USERNAME="mallory")
    subprocess.run([sys.executable, "-c", code, str(db_path), uid], cwd=ROOT, env=env, check=True, timeout=60)
    again = Database.open(str(db_path))
    rec = again.get("items", uid)
    assert rec["updated_by"] == REAL and rec["progress"][-1]["by"] == REAL
    assert again.history(uid=uid, limit=1)[0]["user"] == REAL
    r = run_cli("demo", "--force", "--db", str(db_path), env={"USER": "mallory", "LOGNAME": "mallory"})
    assert r.returncode == 0, r.stderr
    assert {e["user"] for e in Database.open(str(db_path)).history(limit=50)} == {REAL}
    assert "mallory" not in Path(again.history_path).read_text(encoding="utf-8")
