"""The per-user settings file: private, atomic, keeps other keys, never fatal."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from storage import settings


def test_update_keeps_other_keys_and_the_file_is_private(tmp_path):
    path = Path(settings.settings_path())
    assert str(path).startswith(os.environ["XDG_CONFIG_HOME"])
    assert settings.load() == {} and settings.export_dir() is None
    assert settings.update(sidebar=False)
    settings.remember_export(tmp_path / "a.docx")
    assert settings.load() == {"sidebar": False, "export_dir": str(tmp_path)}
    assert settings.export_dir() == str(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in path.parent.iterdir() if p.name != path.name]  # no temp files left


def test_a_damaged_or_planted_file_reads_as_empty(tmp_path):
    path = Path(settings.settings_path())
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    assert settings.load() == {}
    path.write_text("[1, 2]", encoding="utf-8")
    assert settings.load() == {}
    path.unlink()
    target = tmp_path / "elsewhere.json"
    target.write_text('{"export_dir": "/"}', encoding="utf-8")
    path.symlink_to(target)
    assert settings.load() == {}  # a symlink is not followed
    # a folder that no longer exists is not offered
    path.unlink()
    settings.update(export_dir=str(tmp_path / "gone"))
    assert settings.export_dir() is None


def test_an_unwritable_config_dir_is_not_fatal(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(blocker))  # a file where the folder should be
    assert settings.update(export_dir=str(tmp_path)) is False
    assert settings.load() == {}
