"""Damaged files and unwritable folders: a clear Chinese message, nothing overwritten, exit 2 via the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
import pytest

from conftest import mounted_tmpfs, run_cli
from storage import Database, DamagedDatabaseError, StorageError, ZhenggaiError

ROOT = Path(__file__).resolve().parents[1]
META = {"schema": {"uid": "schema", "schema_version": 1, "app": "zhenggai"}}


def _sound(path: Path) -> bytes:
    db = Database.open(str(path), user="tester")
    from storage.items import create_campaign

    create_campaign(db, "二〇二五年度民主生活会", "dsh2024", organ="中共某某市政协党组")
    return path.read_bytes()


def _cut_inside_char(raw: bytes) -> bytes:
    i = raw.index("民".encode())  # 3 bytes in UTF-8: cut after the first one
    return raw[: i + 1]


def _j(obj) -> bytes:
    return orjson.dumps(obj)


# name -> (make bytes from a sound file, words the message must contain)
CASES = {
    "truncated": (lambda raw: raw[: len(raw) // 2], "截断"),
    "truncated_in_char": (_cut_inside_char, "截断"),
    "binary": (lambda raw: bytes(range(256)) * 8, "不是文本"),
    "top_list": (lambda raw: _j([{"meta": META}]), "顶层应为对象，实际是数组"),
    "table_not_object": (lambda raw: _j({"meta": META, "items": [1, 2]}), "表“items”应为对象"),
    "record_not_object": (lambda raw: _j({"meta": META, "items": {"i1": "文本"}}), "记录 i1 应为对象"),
    "missing_meta": (lambda raw: _j({"campaigns": {}}), "缺少 meta.schema"),
    "version_not_int": (lambda raw: _j({"meta": {"schema": {"schema_version": "1"}}}), "不是整数"),
    "newer_version": (lambda raw: _j({"meta": {"schema": {"schema_version": 999}}}), "更新版本"),
    "empty": (lambda raw: b"", "文件为空"),
    "blank": (lambda raw: b"\n  \n", "文件为空"),
}


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("case", list(CASES))
def test_damaged_main_file(case, db_path):
    make, words = CASES[case]
    raw = _sound(db_path)
    bad = make(raw)
    db_path.write_bytes(bad)
    before = _listing(db_path.parent)

    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path), user="tester")
    msg = str(exc.value)
    assert msg.startswith("数据库文件已损坏"), msg
    assert words in msg and str(db_path) in msg and "文件未做任何改动" in msg
    assert exc.value.exit_code == 2
    assert _listing(db_path.parent) == before

    for cmd in (["check"], ["demo"], ["demo", "--force"]):
        r = run_cli(*cmd, "--db", str(db_path))
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and words in r.stderr, r.stderr
        assert db_path.read_bytes() == bad
    assert _listing(db_path.parent) == before


def test_damage_message_names_the_backups(db_path):
    _sound(db_path)
    db = Database.open(str(db_path))
    db.backup("manual")
    db_path.write_bytes(b'{"meta": {"schema"')
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path))
    assert f"备份目录：{db.backups_dir}" in str(exc.value)
    r = run_cli("check", "--db", str(db_path))
    assert r.returncode == 2 and db.backups_dir in r.stderr and "Traceback" not in r.stderr


def test_damaged_contacts_shard(db_path):
    _sound(db_path)
    db = Database.open(str(db_path))
    db.insert("persons", {"name": "王某", "role": "党员委员"})
    shard = db_path.with_name("zhenggai.contacts.json")
    shard.write_bytes(b"\x00\x01garbage")
    db2 = Database.open(str(db_path))  # the workspace shard still opens
    camp = db2.all("campaigns")[0]
    with pytest.raises(DamagedDatabaseError) as exc:
        db2.all("persons")
    assert "不是文本" in str(exc.value) and str(shard) in str(exc.value)
    with pytest.raises(DamagedDatabaseError):
        db2.insert("persons", {"name": "李某", "role": "党外委员"})
    db2.update("campaigns", camp["uid"], {"organ": "中共某某县政协党组"})  # other shard unaffected
    assert shard.read_bytes() == b"\x00\x01garbage"
    for cmd in (["check"], ["demo", "--force"]):
        r = run_cli(*cmd, "--db", str(db_path))
        assert r.returncode == 2 and "Traceback" not in r.stderr and str(shard) in r.stderr, r.stderr
    assert shard.read_bytes() == b"\x00\x01garbage"


def test_path_through_a_regular_file(tmp_path):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("我是文件")
    path = blocker / "zhenggai.json"
    with pytest.raises(StorageError) as exc:
        Database.open(str(path))
    assert "不是文件夹" in str(exc.value)
    r = run_cli("demo", "--db", str(path))
    assert r.returncode == 1 and "不是文件夹" in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert blocker.read_text() == "我是文件"


def test_directory_as_database(tmp_path):
    folder = tmp_path / "x.json"
    folder.mkdir()
    with pytest.raises(ZhenggaiError) as exc:
        Database.open(str(folder))
    assert "文件夹" in str(exc.value)


@pytest.fixture
def readonly_mount():
    """A real read-only file system (works for root, where chmod does not restrict)."""
    yield from mounted_tmpfs("4m", "zg-ro-")


def test_readonly_folder(readonly_mount):
    path = readonly_mount / "zhenggai.json"
    raw = _sound(path)
    assert subprocess.run(["mount", "-o", "remount,ro", str(readonly_mount)]).returncode == 0
    db = Database.open(str(path), user="tester")  # reading still works
    camp = db.all("campaigns")[0]
    with pytest.raises(StorageError) as exc:
        db.update("campaigns", camp["uid"], {"organ": "改不了"})
    assert "只读" in str(exc.value)
    assert db.get("campaigns", camp["uid"])["organ"] == "中共某某市政协党组"  # memory rolled back too
    r = run_cli("demo", "--force", "--db", str(path))
    assert r.returncode == 1 and "只读" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = run_cli("check", "--db", str(path))
    assert r.returncode == 0, r.stderr
    assert path.read_bytes() == raw


def test_unwritable_folder_for_a_normal_user():
    """chmod 0500 on the folder, seen by a non-root user (root ignores modes, so drop to nobody)."""
    folder = Path(tempfile.mkdtemp(prefix="zg-perm-"))
    try:
        path = folder / "zhenggai.json"
        raw = _sound(path)
        as_user: list[str] = []
        if os.geteuid() == 0:  # root ignores modes: run as nobody
            if not shutil.which("setpriv"):
                pytest.skip("needs setpriv to drop root")
            for p in [folder, *folder.iterdir()]:
                os.chown(p, 65534, 65534)
            as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        os.chmod(folder, 0o500)
        probe = subprocess.run([*as_user, sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"],
                               capture_output=True)
        if probe.returncode == 0:
            pytest.skip("this user can write into a 0500 folder (capabilities)")
        env = dict(os.environ, HOME=str(folder))
        r = subprocess.run(
            [*as_user, sys.executable, "-m", "tui", "demo", "--force", "--db", str(path)], cwd=ROOT, env=env,
            capture_output=True, text=True, timeout=120,
        )
        assert r.returncode == 1, (r.stdout, r.stderr)
        assert "没有权限" in r.stderr and "Traceback" not in r.stderr, r.stderr
        assert path.read_bytes() == raw
    finally:
        os.chmod(folder, 0o700)
        shutil.rmtree(folder, ignore_errors=True)
