"""Where the database lives: --db PATH, then $ZHENGGAI_DB, then the user data dir."""

from __future__ import annotations

import os

APP_NAME = "zhenggai"


def default_db_path() -> str:
    from platformdirs import user_data_dir  # honours XDG_DATA_HOME

    return os.path.join(user_data_dir(APP_NAME, appauthor=False), "zhenggai.json")


def resolve_db_path(cli_value: str | None = None) -> str:
    """The database file's absolute path. A folder names its zhenggai.json.

    A symlink is refused (StorageError): followed, a symlink to a folder, or a dangling
    one, would silently open (or create) a database somewhere else than the path named.
    """
    given = cli_value or os.environ.get("ZHENGGAI_DB") or default_db_path()
    path = os.path.abspath(os.path.expanduser(given))
    _refuse_link(path)
    if os.path.isdir(path):
        path = os.path.join(path, "zhenggai.json")  # a link planted there is refused on opening
    return path


def _refuse_link(path: str) -> None:
    if os.path.islink(path):
        from .errors import StorageError

        try:
            target = os.readlink(path)
        except OSError:
            target = "？"
        state = "指向" if os.path.exists(path) else "指向不存在的"
        raise StorageError(
            f"数据库路径是一个符号链接：{path}（{state} {target}）。\n为避免在别处打开或新建数据库，不跟随符号链接："
            "请直接给出数据库文件或文件夹的真实路径；如果这个链接不是你建立的，请管理员检查。"
        )
