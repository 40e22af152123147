"""Shared fixtures: every test gets its own XDG dirs, a frozen "today" and no colour surprises."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FROZEN_TODAY = "2026-11-21"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.setenv("ZHENGGAI_TODAY", FROZEN_TODAY)
    monkeypatch.delenv("ZHENGGAI_DB", raising=False)
    monkeypatch.delenv("ZHENGGAI_SHARED", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    yield
    wait_for_backups()  # none outlives its test's folder


def wait_for_backups() -> None:
    """Until the backups being made in threads (the day's first, after a save) are made."""
    import threading

    for t in threading.enumerate():
        if t.name.startswith("zhenggai-backup"):
            t.join()


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "zg" / "zhenggai.json"


@pytest.fixture
def db(db_path):
    from storage import Database

    return Database.open(str(db_path), user="tester")


@pytest.fixture
def demo_db(db):
    from storage.demo import load_demo

    load_demo(db)
    return db


@pytest.fixture
def demo_path(db_path):
    """The path of a database the `zhenggai demo` command filled (in a real process)."""
    r = run_cli("demo", "--db", str(db_path))
    assert r.returncode == 0, r.stderr
    return db_path


def bench_module(name: str):
    """A module of benchmarks/ (gen_scale, launch), imported without leaving the folder on sys.path."""
    import importlib

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    """Run `python -m tui ...` in a real subprocess; returns CompletedProcess."""
    import subprocess

    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        cwd=ROOT, env=e, input=input, capture_output=True, text=True, timeout=120,
    )


def mounted_tmpfs(size: str, prefix: str, skip_hint: str = ""):
    """A generator for fixtures: a real tmpfs of ``size`` (needs root), unmounted afterwards.

    Skips the test where mounting is not permitted.
    """
    import shutil
    import subprocess
    import tempfile

    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip(f"needs root to mount a tmpfs{skip_hint}")
    mnt = tempfile.mkdtemp(prefix=prefix)
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", mnt], capture_output=True)
    if r.returncode:
        os.rmdir(mnt)
        pytest.skip(f"mount not permitted: {r.stderr.decode(errors='replace').strip()}")
    try:
        yield Path(mnt)
    finally:
        subprocess.run(["umount", "-l", mnt], capture_output=True)
        os.rmdir(mnt)
