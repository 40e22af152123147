"""Backups: whole or absent, verified against their manifest, a broken one made again;
folders keep a team folder's setgid bit and group."""

from __future__ import annotations

import grp
import os
import stat
from pathlib import Path

import orjson
import pytest

from conftest import run_cli
from storage import Database, files
from storage.backups import MANIFEST


@pytest.fixture
def saved(db, db_path):
    from storage.items import create_campaign

    camp = create_campaign(db, "备份测试", "dsh2024", organ="原来的党组")
    db.insert("persons", {"uid": "p1", "name": "王某", "role": "党员委员"})
    return db, camp["uid"]


def test_a_backup_carries_a_manifest_of_sizes_and_hashes(saved, db_path):
    db, camp = saved
    path = Path(db.backup("manual"))
    manifest = orjson.loads((path / MANIFEST).read_bytes())
    assert set(manifest["files"]) == {"zhenggai.json", "zhenggai.contacts.json"}
    for name, want in manifest["files"].items():
        assert (path / name).stat().st_size == want["size"]
    assert manifest["reason"] == "manual" and manifest["user"] == "tester"
    assert files.read_json(str(path / "zhenggai.json"))[0]["campaigns"][camp]["organ"] == "原来的党组"
    assert [n for n in os.listdir(db.backups_dir) if n.startswith(".")] == []  # the temp folder was renamed


BREAK = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),
    "emptied": lambda p: p.write_bytes(b""),
    "altered": lambda p: p.write_bytes(p.read_bytes().replace(b"\xe5\x8e\x9f", b"\xe6\x96\xb0", 1)),  # 原 -> 新
    "missing": lambda p: p.unlink(),
}


@pytest.mark.parametrize("how", list(BREAK))
def test_check_says_which_backups_are_usable(saved, db_path, how):
    db, camp = saved
    good = Path(db.backup("manual"))
    bad = Path(db.backup("manual"))
    BREAK[how](bad / "zhenggai.json")
    report = {b["name"]: b for b in db.check_report()["backups"]}
    assert report[good.name]["usable"] and not report[bad.name]["usable"]
    assert "zhenggai.json" in report[bad.name]["reason"]
    r = run_cli("check", "--db", str(db_path))
    assert r.returncode == 0, r.stderr  # the database itself is sound
    assert f"{bad.name}：不可用" in r.stdout and "1 份不可用" in r.stdout and f"最近一份可用的备份：{good.name}" in r.stdout


def test_a_backup_from_before_manifests_is_checked_by_parsing(saved, db_path):
    db, camp = saved
    old = Path(db.backups_dir) / "20200101-120000-000000-manual"
    old.mkdir()
    (old / "zhenggai.json").write_bytes(db_path.read_bytes())
    assert db.store.verify(old.name) is None
    (old / "zhenggai.json").write_bytes(db_path.read_bytes()[:100])
    assert "无法解析" in db.store.verify(old.name)


def test_a_broken_daily_backup_is_made_again(saved, db_path):
    db, camp = saved
    daily = [b for b in db.backups() if b.endswith("-daily")]
    assert len(daily) == 1
    Path(daily[0], "zhenggai.json").write_bytes(b"")  # as a crash or a power cut left it
    db.update("campaigns", camp, {"organ": "当天第二次保存"})
    again = [b for b in db.backups() if b.endswith("-daily")]
    assert len(again) == 1 and again != daily
    assert all(b["usable"] for b in db.check_report()["backups"])
    assert files.read_json(os.path.join(again[0], "zhenggai.json"))[0]["campaigns"][camp]["organ"] == "原来的党组"


def test_backups_of_a_shared_database_are_readable_by_the_group(tmp_path):
    db = Database.open(str(tmp_path / "team" / "zhenggai.json"), shared=True)
    db.insert("persons", {"name": "王某", "role": "党员委员"})
    path = Path(db.backup("import"))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o770
    for f in path.iterdir():
        assert stat.S_IMODE(f.stat().st_mode) == 0o660, f


@pytest.fixture
def team_folder(tmp_path):
    """A team folder as an administrator makes one: a group, chmod 2770."""
    if os.geteuid() != 0:
        pytest.skip("needs root to give a folder to another group")
    try:
        gid = grp.getgrnam("users").gr_gid
    except KeyError:
        gid = 100
    team = tmp_path / "team"
    team.mkdir()
    os.chown(team, 0, gid)
    os.chmod(team, 0o2770)
    return team, gid


def test_folders_the_app_creates_keep_the_setgid_bit_and_group(team_folder):
    team, gid = team_folder
    db = Database.open(str(team / "二〇二六" / "zhenggai.json"), shared=True)  # a new subfolder
    db.insert("persons", {"name": "王某", "role": "党员委员"})
    db.backup("import")
    made = [team / "二〇二六", Path(db.backups_dir), *map(Path, db.backups())]
    for d in made:
        st = os.stat(d)
        assert st.st_gid == gid and st.st_mode & stat.S_ISGID and stat.S_IMODE(st.st_mode) & 0o770 == 0o770, (d, oct(st.st_mode))
    for f in [Path(db.path), Path(db.history_path), Path(db.lock_path), *(p for b in db.backups() for p in Path(b).iterdir())]:
        assert os.stat(f).st_gid == gid, f
