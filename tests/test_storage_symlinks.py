"""What a colleague plants in the shared folder never makes the app write elsewhere.

A symlink at every name the app touches (lock, history, backups folder, a backup
folder and a file in one, index, shards, temp names), a hard link, a FIFO, a file
of a stranger: refused with a message naming it, and the file outside (a
colleague's ~/.bashrc, say) keeps its bytes, mode and mtime. --db naming a
symlink is refused before anything is opened or created.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import run_cli
from storage import Database, StorageError, ZhenggaiError
from storage.errors import UnsafePathError


@pytest.fixture
def victim(tmp_path) -> Path:
    """A file outside the database folder, as a colleague's ~/.bashrc."""
    home = tmp_path / "home"
    home.mkdir()
    f = home / ".bashrc"
    f.write_text("echo 你好\n", encoding="utf-8")
    os.chmod(f, 0o600)
    return f


def _fingerprint(p: Path) -> tuple:
    st = os.stat(p)
    return p.read_bytes(), stat.S_IMODE(st.st_mode), st.st_mtime_ns, st.st_uid, st.st_gid


@pytest.fixture
def setup(db, db_path):
    from storage.items import create_campaign

    camp = create_campaign(db, "符号链接测试", "dsh2024")
    db.insert("persons", {"uid": "p1", "name": "王某", "role": "党员委员"})
    db.backups()  # the day's first backup is made in a thread: done before anything is planted
    return db, camp["uid"]


def _plant(link: Path, target: Path) -> None:
    if link.is_dir() and not link.is_symlink():
        import shutil

        shutil.rmtree(link)
    elif link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(target)


def _refused(exc: BaseException, link: Path) -> None:
    msg = str(exc)
    assert isinstance(exc, UnsafePathError), msg
    assert str(link) in msg and "符号链接" in msg and "拒绝" in msg, msg


NAMES = ["zhenggai.json.lock", "zhenggai.history.jsonl", "zhenggai.index.json", "zhenggai.contacts.index.json",
         "zhenggai.json", "zhenggai.contacts.json", ".zhenggai.json.0a1b2c3d.tmp", ".zhenggai.index.json.0a1b2c3d.tmp"]


@pytest.mark.parametrize("name", NAMES)
def test_a_save_refuses_a_symlink(setup, db_path, victim, name):
    db, camp = setup
    link = db_path.parent / name
    before = _fingerprint(victim)
    _plant(link, victim)
    with pytest.raises(ZhenggaiError) as exc:
        db.update("campaigns", camp, {"organ": "不该写到别处"})
    _refused(exc.value, link)
    with pytest.raises(ZhenggaiError):
        db.update("persons", "p1", {"note": "不该写到别处"})
    assert _fingerprint(victim) == before
    assert link.is_symlink()  # left for the administrator to see


@pytest.mark.parametrize("name", ["zhenggai.json", "zhenggai.index.json", "zhenggai.history.jsonl"])
def test_opening_and_reading_refuse_a_symlink(setup, db_path, victim, name):
    db, camp = setup
    link = db_path.parent / name
    _plant(link, victim)
    before = _fingerprint(victim)
    with pytest.raises(ZhenggaiError) as exc:
        fresh = Database.open(str(db_path), lazy=True)
        fresh.history()
    _refused(exc.value, link)
    for cmd in (["check"], ["review"]) if name != "zhenggai.history.jsonl" else (["check"],):  # review reads no history
        r = run_cli(*cmd, "--db", str(db_path))
        # --db naming the planted link itself is refused as it is named (exit 1), else on opening (2)
        assert r.returncode in (1, 2) and str(link) in r.stderr and "Traceback" not in r.stderr, r.stderr
        r = run_cli(*cmd, "--db", str(db_path.parent))
        assert r.returncode == 2 and str(link) in r.stderr and "Traceback" not in r.stderr, r.stderr
    assert _fingerprint(victim) == before


def test_the_contacts_shard_is_refused_when_first_read(setup, db_path, victim):
    db, camp = setup
    link = db_path.with_name("zhenggai.contacts.json")
    _plant(link, victim)
    fresh = Database.open(str(db_path))  # the workspace's own shard still opens
    with pytest.raises(ZhenggaiError) as exc:
        fresh.all("contacts")
    _refused(exc.value, link)


def test_the_backups_folder_as_a_symlink(setup, db_path, tmp_path, monkeypatch):
    db, camp = setup
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    link = Path(db.backups_dir)
    _plant(link, outside)
    monkeypatch.setenv("ZHENGGAI_TODAY", "2026-11-22")  # the next save makes the day's backup
    with pytest.raises(ZhenggaiError) as exc:
        db.update("campaigns", camp, {"organ": "新的一天"})
    _refused(exc.value, link)
    with pytest.raises(ZhenggaiError):
        db.backup("manual")
    assert list(outside.iterdir()) == []


def test_a_backup_folder_as_a_symlink_is_not_rotated_through(setup, db_path, tmp_path):
    db, camp = setup
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "keep.txt").write_text("别人的文件")
    link = Path(db.backups_dir) / "20200101-000000-000000-manual"  # the oldest: rotation's first pick
    link.symlink_to(outside)
    with pytest.raises(ZhenggaiError) as exc:
        for _ in range(12):
            db.backup("manual")
    _refused(exc.value, link)
    assert (outside / "keep.txt").read_text() == "别人的文件"
    report = db.check_report()["backups"]
    assert any(b["name"] == link.name and not b["usable"] for b in report)


def test_a_file_in_a_backup_as_a_symlink(setup, db_path, victim, monkeypatch):
    db, camp = setup
    backup = Path(db.backups()[-1])
    link = backup / "zhenggai.json.gz"  # the file its manifest lists
    _plant(link, victim)
    before = _fingerprint(victim)
    entry = next(b for b in db.check_report()["backups"] if b["name"] == backup.name)
    assert not entry["usable"] and str(link) in entry["reason"] and "符号链接" in entry["reason"]
    r = run_cli("check", "--db", str(db_path))
    assert f"{backup.name}：不可用" in r.stdout and str(link) in r.stdout
    # Today's daily backup is that one: the next save finds it broken and makes it again;
    # removing the broken one removes the link, never what it points to.
    db.update("campaigns", camp, {"organ": "再存一次"})
    assert not link.is_symlink() and _fingerprint(victim) == before
    assert all(b["usable"] for b in db.check_report()["backups"])


def test_a_hard_link_to_a_colleagues_file(setup, db_path, victim):
    db, camp = setup
    link = db_path.with_name("zhenggai.history.jsonl")
    link.unlink()
    os.link(victim, link)
    before = _fingerprint(victim)
    with pytest.raises(UnsafePathError) as exc:
        db.update("campaigns", camp, {"organ": "不该写到别处"})
    assert str(link) in str(exc.value) and "硬链接" in str(exc.value)
    assert _fingerprint(victim) == before


def test_a_fifo_at_the_lock_is_refused_not_waited_on(setup, db_path):
    db, camp = setup
    lock = Path(db.lock_path)
    lock.unlink()
    os.mkfifo(lock)
    with pytest.raises(UnsafePathError) as exc:
        db.update("campaigns", camp, {"organ": "不会卡住"})
    assert str(lock) in str(exc.value) and "不是普通文件" in str(exc.value)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user and group")
def test_a_strangers_file_is_refused(setup, db_path):
    db, camp = setup
    hist = Path(db.history_path)
    os.chown(hist, 65534, 65534)
    with pytest.raises(UnsafePathError) as exc:
        db.update("campaigns", camp, {"organ": "不该追加"})
    assert str(hist) in str(exc.value) and "属主" in str(exc.value)


# ---------------------------------------------------------------- --db naming a symlink


@pytest.mark.parametrize("kind", ["to a folder", "dangling", "to a database file"])
def test_db_option_naming_a_symlink_is_refused(tmp_path, kind):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    if kind == "to a folder":
        link.symlink_to(real)
    elif kind == "dangling":
        link.symlink_to(tmp_path / "nowhere" / "zhenggai.json")
    else:
        Database.open(str(real / "zhenggai.json"))
        link.symlink_to(real / "zhenggai.json")
    before = sorted(os.listdir(real))
    for cmd in (["demo"], ["check"], ["review"]):
        r = run_cli(*cmd, "--db", str(link))
        assert r.returncode == 1 and "符号链接" in r.stderr and str(link) in r.stderr, (cmd, r.stderr)
        assert "Traceback" not in r.stderr
    r = run_cli("check", env={"ZHENGGAI_DB": str(link)})
    assert r.returncode == 1 and "符号链接" in r.stderr
    assert sorted(os.listdir(real)) == before
    assert not (tmp_path / "nowhere").exists()
    from storage import resolve_db_path

    with pytest.raises(StorageError):
        resolve_db_path(str(link))
