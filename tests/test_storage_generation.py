"""Change detection by the commit id in the shard, not by its stat stamp.

ext4 reuses inode numbers and older kernels tick mtime every few milliseconds,
so a file can change and keep its (inode, mtime, size). These tests force that
case: another process saves; this one reads an older state that the test put
into the same inode, with the same mtime and size; then the other save's bytes
come back under that very stamp. This process must still see the change
before it writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage import ConflictError, Database, files
from storage.shard import commit_of_head

ROOT = Path(__file__).resolve().parents[1]
A, B, C = "甲" * 6, "乙" * 6, "丙" * 6  # titles of one length: the file keeps its size


def _other_process_saves(path: Path, uid: str, title: str) -> None:
    code = (
        "import sys\nfrom storage import Database\n"
        "db = Database.open(sys.argv[1], create=False, user='wangwu')\n"
        "db.update('items', sys.argv[2], {'title': sys.argv[3]})\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path), uid, title], cwd=ROOT, check=True, timeout=60)


def _rewrite_in_place(path: Path, raw: bytes, mtime_ns: int) -> None:
    """Put ``raw`` into the file's own inode (same size) and give it ``mtime_ns``: what
    inode reuse and a coarse clock can make of two different saves."""
    st = os.stat(path)
    assert len(raw) == st.st_size, "the test needs states of one size"
    with open(path, "r+b") as fh:
        fh.write(raw)
    os.utime(path, ns=(st.st_atime_ns, mtime_ns))


@pytest.fixture
def setup(db, db_path):
    """(The users "tester" and "wangwu" are of one length too.) ``mine`` holds the state with title A; ``colleague_saved()`` then puts the other
    process's save (title B) into the file under exactly the stamp ``mine`` read."""
    from storage.items import add_item, create_campaign

    camp = create_campaign(db, "并发测试", "dsh2024")
    item = add_item(db, camp["uid"], "d1", A)
    db.update("items", item["uid"], {"title": A})
    before = db_path.read_bytes()
    _other_process_saves(db_path, item["uid"], B)  # a real save by another process
    after = db_path.read_bytes()
    mtime = os.stat(db_path).st_mtime_ns
    _rewrite_in_place(db_path, before, mtime)
    mine = Database.open(str(db_path), user="me")
    mine.all("items")  # this process has the older state in memory now, with its stamp
    assert mine.get("items", item["uid"])["title"] == A
    stamp = files.stamp(str(db_path))

    def colleague_saved() -> None:
        _rewrite_in_place(db_path, after, mtime)
        assert files.stamp(str(db_path)) == stamp == mine._shard("items").stamp  # the hint says "unchanged"

    return mine, item, colleague_saved


def test_a_stale_write_is_caught_although_the_stamp_is_equal(setup, db_path):
    mine, item, colleague_saved = setup
    rev = mine.get("items", item["uid"])["rev"]
    colleague_saved()
    with pytest.raises(ConflictError) as exc:  # the commit id read under the lock says "changed"
        mine.update("items", item["uid"], {"title": C}, expected_rev=rev)
    assert exc.value.current["title"] == B and "wangwu" in str(exc.value)
    assert files.read_json(str(db_path))[0]["items"][item["uid"]]["title"] == B


def test_a_save_without_rev_merges_onto_the_other_save(setup, db_path):
    mine, item, colleague_saved = setup
    colleague_saved()
    mine.update("items", item["uid"], {"leader": "张三"})  # never writes its stale copy back
    rec = files.read_json(str(db_path))[0]["items"][item["uid"]]
    assert rec["title"] == B and rec["leader"] == "张三"


def test_refresh_sees_a_change_behind_an_equal_stamp(setup, db_path):
    mine, item, colleague_saved = setup
    assert mine.refresh() is False
    colleague_saved()
    assert mine.refresh() is True
    assert mine.get("items", item["uid"])["title"] == B


def test_the_index_is_not_trusted_on_an_equal_stamp(setup, db_path):
    """A lazy reader serves the index only when the shard's commit id matches it too."""
    mine, item, colleague_saved = setup
    index = db_path.with_name("zhenggai.index.json")
    mine._shard("items").write_index()  # the index of the older state, stamped as the file is now
    assert item["uid"] in index.read_text(encoding="utf-8")
    colleague_saved()
    lazy = Database.open(str(db_path), lazy=True)
    assert lazy.light("items")[item["uid"]]["title"] == B


def test_every_commit_has_a_new_id_and_counts_its_generation(db, db_path):
    from storage.items import create_campaign

    heads = []
    camp = create_campaign(db, "活动", "dsh2024")
    for n in range(3):
        db.update("campaigns", camp["uid"], {"organ": f"第{n}次"})
        heads.append(commit_of_head(db_path.read_bytes()[:4096]))
    assert [h["generation"] for h in heads] == [heads[0]["generation"] + k for k in range(3)]
    assert heads[1]["parent"] == heads[0]["id"] and heads[2]["parent"] == heads[1]["id"]
    assert len({h["id"] for h in heads}) == 3
