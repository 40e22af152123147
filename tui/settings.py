"""Per-user settings that outlive a session (whether the sidebar is shown, ...).

A small JSON object in the user's config dir (``$XDG_CONFIG_HOME/zhenggai/settings.json``,
by platformdirs), never beside the shared database. ``get(key, default)`` and
``set(key, value)``; a missing, unreadable or damaged file reads as no settings, and a
setting that cannot be written is kept for this session only: a preference is never worth
an error.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

_cache: dict[Path, dict[str, Any]] = {}  # settings file -> its contents, read once


def path() -> Path:
    import platformdirs

    return platformdirs.user_config_path("zhenggai") / "settings.json"


def _load() -> dict[str, Any]:
    file = path()
    if file not in _cache:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        _cache[file] = data if isinstance(data, dict) else {}
    return _cache[file]


def get(key: str, default: Any = None) -> Any:
    return _load().get(key, default)


def set(key: str, value: Any) -> bool:  # noqa: A001 - the module's API: settings.set
    """Remember ``value``; False when it could not be written (it still holds this session)."""
    data = _load()
    data[key] = value
    target = path()
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".settings.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def forget_cache() -> None:
    """Read the file again at the next get() (another process may have changed it)."""
    _cache.clear()
