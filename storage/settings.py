"""Per-user settings: a small JSON file in the user's config dir (``$XDG_CONFIG_HOME/zhenggai``,
``~/.config/zhenggai/settings.json``), never beside the shared database, for what the app
should remember between sessions: the last export folder (TUI and CLI), whether the sidebar
is shown, the campaign and dimension last used in each database. UI-free, so the TUI and the
CLI share this one module.

Settings are a convenience: a missing, unreadable or damaged file reads as empty, and a save
that fails (full disk, read-only home) is silently skipped. Each save re-reads the file and
changes only its own keys, so two sessions of the same user do not undo each other's other
settings; the file is replaced atomically and kept private (0600).
"""

from __future__ import annotations

import os
import tempfile
import time
from typing import Any

import orjson

from .paths import APP_NAME

FILE_NAME = "settings.json"
EXPORT_DIR = "export_dir"  # the folder of the last export (TUI dialog and CLI)
SIDEBAR_HIDDEN = "sidebar_hidden"  # the workspace's sidebar hidden with `b`
LAST_CAMPAIGN = "last_campaign"  # database path -> {"campaign": uid, "dimension": key or None}
MAX_DATABASES = 20  # databases whose last campaign is remembered (the most recent ones)


def settings_path() -> str:
    from platformdirs import user_config_dir  # honours XDG_CONFIG_HOME

    return os.path.join(user_config_dir(APP_NAME, appauthor=False), FILE_NAME)


def load() -> dict[str, Any]:
    try:
        fd = os.open(settings_path(), os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return {}
    try:
        if not _is_regular(fd):
            return {}
        data = orjson.loads(os.read(fd, 1 << 20))
    except (OSError, orjson.JSONDecodeError):
        return {}
    finally:
        os.close(fd)
    return data if isinstance(data, dict) else {}


def get(key: str, default: Any = None) -> Any:
    return load().get(key, default)


def update(**values: Any) -> bool:
    """Set these keys (None removes one); returns False when the file could not be written."""
    path = settings_path()
    data = load()
    for k, v in values.items():
        if v is None:
            data.pop(k, None)
        else:
            data[k] = v
    folder = os.path.dirname(path)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix="." + FILE_NAME + ".", suffix=".tmp", dir=folder)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        return True
    except (OSError, TypeError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False


def export_dir() -> str | None:
    """The folder of the last export, if it still exists."""
    folder = get(EXPORT_DIR)
    return folder if isinstance(folder, str) and os.path.isdir(folder) else None


def remember_export(path: str | os.PathLike[str]) -> None:
    """Remember the folder of a file just exported."""
    update(**{EXPORT_DIR: os.path.dirname(os.path.abspath(path))})


def last_campaign(db_path: str) -> tuple[str | None, str | None]:
    """(campaign uid, dimension key) last shown in the database at ``db_path``, or (None, None)."""
    entries = get(LAST_CAMPAIGN)
    got = entries.get(_db_key(db_path)) if isinstance(entries, dict) else None
    if not isinstance(got, dict) or not isinstance(got.get("campaign"), str):
        return None, None
    dim = got.get("dimension")
    return got["campaign"], dim if isinstance(dim, str) else None


def remember_campaign(db_path: str, campaign: str | None, dimension: str | None) -> bool:
    """Remember the campaign (and dimension, None: all of them) shown in the database at
    ``db_path``; the most recently used MAX_DATABASES databases are kept."""
    if not campaign:
        return False
    key = _db_key(db_path)
    entries = get(LAST_CAMPAIGN)
    entries = {k: v for k, v in entries.items() if isinstance(v, dict)} if isinstance(entries, dict) else {}
    old = entries.get(key) or {}
    if (old.get("campaign"), old.get("dimension")) == (campaign, dimension):
        return True
    entries[key] = {"campaign": campaign, "dimension": dimension, "used": time.time()}
    for stale in sorted(entries, key=lambda k: entries[k].get("used") or 0)[:-MAX_DATABASES]:
        del entries[stale]
    return update(**{LAST_CAMPAIGN: entries})


def _db_key(db_path: str) -> str:
    return os.path.abspath(os.fspath(db_path))


def _is_regular(fd: int) -> bool:
    import stat

    return stat.S_ISREG(os.fstat(fd).st_mode)
