"""Errors raised by the storage layer.

Every error carries a Chinese message meant for the user (``str(err)``); the
UI and the CLI show it as is, never a traceback.
"""

from __future__ import annotations

from typing import Any


class ZhenggaiError(Exception):
    """Base class: ``str(err)`` is a complete Chinese sentence for the user."""

    exit_code = 1


class ValidationError(ZhenggaiError):
    """One or more fields are invalid. ``errors`` maps field name -> message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = dict(errors)
        super().__init__("；".join(self.errors.values()) or "输入有误")


class NotFoundError(ZhenggaiError):
    def __init__(self, table: str, uid: str):
        self.table, self.uid = table, uid
        super().__init__(f"找不到记录（{table}/{uid}），它可能已被他人删除。")


class ConflictError(ZhenggaiError):
    """The record changed on disk since the caller read it (rev mismatch)."""

    def __init__(self, table: str, uid: str, expected_rev: int, current: dict[str, Any] | None):
        self.table, self.uid = table, uid
        self.expected_rev = expected_rev
        self.current = current
        who = (current or {}).get("updated_by") or "其他用户"
        when = (current or {}).get("updated") or ""
        if current is None:
            msg = "该记录已被其他用户删除，您的修改未保存。"
        else:
            msg = f"该记录已被 {who} 于 {when[:19].replace('T', ' ')} 修改，您的修改未保存。"
        super().__init__(msg)


class StorageError(ZhenggaiError):
    """The file system refused something (full disk, permissions, lock timeout)."""


class UnsafePathError(StorageError):
    """A name in the database folder is not what the app made: a symlink, a hard link,
    a device, a file of a stranger. Refused before anything is read or written."""

    exit_code = 2

    def __init__(self, path: str, reason: str):
        self.path, self.reason = path, reason
        super().__init__(
            f"为安全起见，拒绝使用：{path}\n原因：{reason}。\n"
            "数据库文件夹中的文件可能被他人替换，请管理员查明并删除它后重试。未做任何改动。"
        )


class DamagedDatabaseError(ZhenggaiError):
    """The database file cannot be read; it is never overwritten."""

    exit_code = 2

    def __init__(self, path: str, reason: str, backups: str | None = None):
        self.path, self.reason, self.backups = path, reason, backups
        msg = f"数据库文件已损坏，无法读取：{path}\n原因：{reason}\n文件未做任何改动。"
        import os

        if backups and os.path.isdir(backups):
            msg += f"\n备份目录：{backups}（可将最近一份备份中的文件复制回原位置后重试）"
        else:
            msg += "\n尚无备份。"
        super().__init__(msg)


class DamagedHistoryError(DamagedDatabaseError):
    """A line of the history file has a shape the app never writes."""

    def __init__(self, path: str, reason: str):
        ZhenggaiError.__init__(self, f"修改记录文件中有一行格式不正确：{path}\n原因：{reason}\n"
                                     "数据文件未受影响；可运行 zhenggai check 查看详情。")
        self.path, self.reason, self.backups = path, reason, None


class RuleError(ZhenggaiError):
    """A business rule refuses the action (e.g. 销号 without evidence, tier rules)."""
