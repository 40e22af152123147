"""Where exports go: a folder or a name without suffix is accepted, only regular files are ever
written (never a device, pipe or symlink), a full disk gives a clean Chinese message, the
last export folder is remembered, and the CLI says how to fetch the file over SSH."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import mounted_tmpfs, run_cli
from export_helpers import body_paragraphs, open_doc


@pytest.fixture
def small_disk():
    yield from mounted_tmpfs("256k", "zg-export-full-")


def _settings() -> dict:
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "zhenggai" / "settings.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _no_leftovers(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".zhenggai-")]


def test_a_folder_gets_the_default_name_and_a_name_gets_docx(demo_path, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    r = run_cli("export", "report", "--db", str(demo_path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    written = out / "2025年度民主生活会-对照检查材料.docx"
    assert f"已导出：{written}" in r.stdout and body_paragraphs(open_doc(written))
    r = run_cli("export", "ledger", "--db", str(demo_path), "-o", str(out / "台账"))
    assert r.returncode == 0, r.stderr
    assert (out / "台账.docx").read_bytes()[:2] == b"PK"
    r = run_cli("export", "contacts", "--db", str(demo_path), "-o", str(out) + "/")
    assert r.returncode == 0 and (out / "2026年第四季度-三联系工作情况.docx").exists(), r.stderr
    # another kind of document is refused, not given a second suffix
    r = run_cli("export", "report", "--db", str(demo_path), "-o", str(out / "材料.pdf"))
    assert r.returncode == 1 and "应以 .docx 结尾" in r.stderr
    # a folder path that does not exist
    r = run_cli("export", "report", "--db", str(demo_path), "-o", str(tmp_path / "nope") + "/")
    assert r.returncode == 1 and "文件夹不存在" in r.stderr
    _no_leftovers(out)


def test_cli_remembers_the_folder_and_says_how_to_fetch(demo_path, tmp_path):
    r = run_cli("export", "report", "--db", str(demo_path), "-o", str(tmp_path / "a.docx"),
                env={"ZHENGGAI_SSH_HOST": "zg.example.cn", "SSH_CONNECTION": "10.0.0.9 50000 10.0.0.1 2222"})
    assert r.returncode == 0, r.stderr
    import pwd

    user = pwd.getpwuid(os.geteuid()).pw_name
    assert f"scp -P 2222 {user}@zg.example.cn:{tmp_path / 'a.docx'} ." in r.stdout
    assert f"WinSCP / SFTP 连接 zg.example.cn（端口 2222），用户 {user}，进入 {tmp_path}" in r.stdout
    assert _settings()["export_dir"] == str(tmp_path)
    (tmp_path / "sub").mkdir()
    r = run_cli("people", "export", str(tmp_path / "sub"), "--db", str(demo_path))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "sub" / "人员名单.csv").exists() and "scp " in r.stdout
    assert _settings()["export_dir"] == str(tmp_path / "sub")


def _special_files(tmp_path: Path) -> dict[str, Path]:
    files = {}
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    files["fifo"] = fifo
    link = tmp_path / "link.docx"
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    link.symlink_to(victim)
    files["symlink"] = link
    if os.geteuid() == 0:
        dev = tmp_path / "full.docx"
        # A /dev/full of our own: the real one must never be at stake in a test (the old code,
        # run as root, replaced it with a regular file).
        os.mknod(dev, stat.S_IFCHR | 0o666, os.makedev(1, 7))
        files["device"] = dev
    return files


@pytest.mark.parametrize("command", ["docx", "csv"])
def test_only_regular_files_are_written_even_with_force(demo_path, tmp_path, command):
    for kind, target in _special_files(tmp_path).items():
        if command == "csv":
            target = target.rename(target.with_suffix(".csv")) if kind != "symlink" else target
            if kind == "symlink":
                target = tmp_path / "link.csv"
                target.symlink_to(tmp_path / "victim.txt")
            argv = ["people", "export", str(target), "--force"]
        else:
            argv = ["export", "report", "-o", str(target), "--force"]
        before = os.lstat(target)
        r = run_cli(*argv, "--db", str(demo_path))
        assert r.returncode == 1, (kind, r.stdout)
        assert "Traceback" not in r.stderr
        said = {"fifo": "不是普通文件", "device": "不是普通文件", "symlink": "符号链接"}[kind]
        assert said in r.stderr, (kind, r.stderr)
        after = os.lstat(target)
        assert (after.st_mode, after.st_ino, after.st_rdev) == (before.st_mode, before.st_ino, before.st_rdev), kind
    assert (tmp_path / "victim.txt").read_text(encoding="utf-8") == "keep"
    _no_leftovers(tmp_path)


def _fill(folder: Path) -> None:
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:
        pass  # ENOSPC: the disk is full
    finally:
        os.close(fd)


@pytest.mark.parametrize("argv", [
    ["export", "report", "-o", "{out}/材料.docx"],
    ["export", "ledger", "-o", "{out}/台账.docx"],
    ["people", "export", "{out}/名单.csv"],
])
def test_full_disk_gives_a_clean_message(demo_path, small_disk, argv):
    _fill(small_disk)
    target = argv[-1].format(out=small_disk)
    r = run_cli(*[a.format(out=small_disk) for a in argv], "--db", str(demo_path))
    assert r.returncode == 1, r.stdout
    assert "磁盘空间已满" in r.stderr and target in r.stderr, r.stderr
    assert "Traceback" not in r.stderr and "Exception ignored" not in r.stderr and "ZipFile" not in r.stderr
    assert r.stderr.count("\n") == 1  # one line, nothing after it
    assert not os.path.exists(target)
    _no_leftovers(small_disk)


def test_overwrite_on_a_full_disk_keeps_the_old_file(demo_path, small_disk):
    target = small_disk / "材料.docx"
    target.write_bytes(b"old")
    _fill(small_disk)
    r = run_cli("export", "report", "-o", str(target), "--force", "--db", str(demo_path))
    assert r.returncode == 1 and "磁盘空间已满" in r.stderr
    assert target.read_bytes() == b"old"
    _no_leftovers(small_disk)
