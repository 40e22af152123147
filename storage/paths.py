"""Where the database lives: --db PATH, then $ZHENGGAI_DB, then the user data dir."""

from __future__ import annotations

import os

APP_NAME = "zhenggai"


def default_db_path() -> str:
    from platformdirs import user_data_dir  # honours XDG_DATA_HOME

    return os.path.join(user_data_dir(APP_NAME, appauthor=False), "zhenggai.json")


def resolve_db_path(cli_value: str | None = None) -> str:
    path = cli_value or os.environ.get("ZHENGGAI_DB") or default_db_path()
    path = os.path.abspath(os.path.expanduser(path))
    if os.path.isdir(path):
        path = os.path.join(path, "zhenggai.json")
    return path
