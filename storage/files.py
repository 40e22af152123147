"""Low-level file helpers: OS error messages, parsing a database file, and an atomic
replace by path for files the user names outside the database folder (exports).

Files in the database folder are reached through storage/safedir.py instead.
"""

from __future__ import annotations

import errno
import os
import tempfile
from typing import Any

import orjson

from .errors import DamagedDatabaseError, StorageError

Stamp = tuple[int, int, int]


def stamp(path: str) -> Stamp | None:
    """(inode, mtime_ns, size) of the file, or None when it does not exist."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as e:
        raise StorageError(os_error_message(e, "读取数据库")) from None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def os_error_message(e: OSError, what: str, where: str | None = None) -> str:
    """A Chinese sentence for an OSError; ``where`` names the file the user knows (the
    database file, not a temp name the error may carry)."""
    where = where or e.filename or "未知文件"
    if e.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"{what}失败：磁盘空间已满（{where}）。原文件未受影响，请清理磁盘后重试。"
    if e.errno in (errno.EACCES, errno.EPERM):
        return f"{what}失败：没有权限（{where}）。请检查文件和文件夹的权限。"
    if e.errno == errno.EROFS:
        return f"{what}失败：文件系统为只读（{where}）。"
    if e.errno == errno.ENOENT:
        return f"{what}失败：路径不存在（{where}）。"
    if e.errno in (errno.ENOTDIR, errno.EEXIST):
        return f"{what}失败：路径中有一级是文件而不是文件夹（{where}）。请换一个位置。"
    if e.errno == errno.EISDIR:
        return f"{what}失败：这是一个文件夹，不是数据库文件（{where}）。"
    return f"{what}失败：{e.strerror or e}（{where}）。"


def read_json(path: str, backups: str | None = None) -> tuple[dict[str, Any], Stamp]:
    """Parse a database file; raise DamagedDatabaseError on anything odd."""
    raw, stmp = read_bytes(path, backups)
    return parse(raw, path, backups), stmp


def read_bytes(path: str, backups: str | None = None) -> tuple[bytes, Stamp]:
    """A database file's bytes and the stamp of what was read; refuses an empty file."""
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            raw = fh.read()
    except OSError as e:
        raise StorageError(os_error_message(e, "读取数据库")) from None
    if not raw.strip():
        raise DamagedDatabaseError(path, "文件为空（0 字节）", backups)
    return raw, (st.st_ino, st.st_mtime_ns, st.st_size)


def parse(raw: bytes, path: str, backups: str | None = None) -> dict[str, Any]:
    """The whole file as {table: {uid: record}}; DamagedDatabaseError when it is not that."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        if b"\x00" in raw[:4096] or not _mostly_text(raw):
            reason = "文件内容不是文本（可能被其他程序覆盖或磁盘损坏）"
        else:
            reason = f"JSON 格式错误，位于第 {e.lineno} 行第 {e.colno} 列附近（文件可能被截断或手工改坏）"
        raise DamagedDatabaseError(path, reason, backups) from None
    problem = shape_problem(data)
    if problem:
        raise DamagedDatabaseError(path, problem, backups)
    return data


def _mostly_text(raw: bytes) -> bool:
    window = raw[:4096]
    try:
        window.decode("utf-8")
        return True
    except UnicodeDecodeError as e:
        # A multi-byte char cut at the window's edge, or at the end of a truncated file.
        return e.start >= len(window) - 3


def shape_problem(data: Any) -> str | None:
    """TinyDB's shape: {table: {doc_id: {field: value}}}."""
    if not isinstance(data, dict):
        return f"文件结构不正确：顶层应为对象，实际是{_type_cn(data)}"
    for table, docs in data.items():
        if not isinstance(docs, dict):
            return f"文件结构不正确：表“{table}”应为对象，实际是{_type_cn(docs)}"
        for doc_id, doc in docs.items():
            if not isinstance(doc, dict):
                return f"文件结构不正确：表“{table}”中的记录 {doc_id} 应为对象，实际是{_type_cn(doc)}"
    return None


def _type_cn(v: Any) -> str:
    return {list: "数组", str: "字符串", int: "数字", float: "数字", bool: "布尔值", type(None): "null"}.get(
        type(v), type(v).__name__
    )


def atomic_write(path: str, payload: bytes, mode: int) -> Stamp:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new, never half."""
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    except OSError as e:
        raise StorageError(os_error_message(e, "保存")) from None
    try:
        try:
            view = memoryview(payload)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, mode)
        _keep_group(path, tmp)
        os.replace(tmp, path)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise StorageError(os_error_message(e, "保存")) from None
    fsync_dir(folder)
    return stamp(path)  # type: ignore[return-value]


def _keep_group(old: str, new: str) -> None:
    try:
        gid = os.stat(old).st_gid
        if os.stat(new).st_gid != gid:
            os.chown(new, -1, gid)
    except OSError:
        pass  # not a member of that group, or no old file: keep ours


def fsync_dir(folder: str) -> None:
    try:
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


def find_duplicate(raw: bytes, data: dict[str, Any], source: tuple[str, str | None]) -> None:
    """For a file in another layout (read with a full parse): raise DamagedDatabaseError
    when a table or a record key appears twice. Only this slow path pays for it."""
    import json
    import re

    from .lines import duplicate_record

    dups: list[str] = []

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            seen: set[str] = set()
            dups.extend(k for k in keys if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        return dict(pairs)

    try:
        json.loads(raw, object_pairs_hook=hook)
    except (ValueError, RecursionError):
        return
    for k in dups:
        table = k if k in data else next((t for t, docs in data.items() if isinstance(docs, dict) and k in docs), None)
        if table is None:
            continue  # a field named twice inside one record: the last one counts, as in any reader
        hits = [m.start() for m in re.finditer(re.escape(orjson.dumps(k)) + rb"\s*:\s*\{", raw)][:2]
        if len(hits) < 2:
            continue
        a, b = (raw.count(b"\n", 0, h) + 1 for h in hits)
        if table == k:
            raise DamagedDatabaseError(source[0], f"表“{k}”出现了两次（第 {a} 行和第 {b} 行），文件可能被手工改坏", source[1])
        raise duplicate_record(source, table, k, a, b)
