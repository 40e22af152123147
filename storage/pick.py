"""Chosen records read straight from a shard file, where its index says they are.

The index (index.py) says, for each record of a big table, where it is in the shard
file it describes (offset and length). When the shard is not loaded, the records of
one campaign (an export) or one quarter (三联系) are read there, one ``pread`` each,
so that nothing else of a file of 100 000 records is read or parsed. The file is
proved to be the one the index describes first (its stamp and the commit id in its
first line); otherwise nothing is returned, and the caller loads the shard as usual.
Each record read is checked as a load checks it (storage/sanity.py): a damaged one is
named with its line, never handed on.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import orjson

from .errors import DamagedDatabaseError, StorageError
from .files import os_error_message
from .sanity import record_name, record_problem

if TYPE_CHECKING:
    from .shard import Shard


def read_at(shard: "Shard", table: str, picks: list[tuple[str, int, int]]) -> list[dict[str, Any]] | None:
    """The records ``picks`` (uid, offset, length) in the given order; None when the file is
    not the one the index describes (any more)."""
    from .shard import commit_of_head
    from .shard_read import open_file

    idx = shard.index
    if idx.tables is None:
        return None
    opened = open_file(shard)
    if opened is None:
        return None
    src, st = opened
    fd = src.fd
    try:
        if (st.st_ino, st.st_mtime_ns, st.st_size) != idx.stamp:
            return None
        if (commit_of_head(os.pread(fd, 4096, 0)) or {}).get("id") != idx.commit:
            return None
        out = []
        for uid, start, n in picks:
            raw = os.pread(fd, n, start)
            try:
                rec = orjson.loads(raw)
            except orjson.JSONDecodeError:
                rec = None
            if not isinstance(rec, dict) or rec.get("uid", uid) != uid:
                raise _damaged(shard, fd, start, f"记录 {uid} 已损坏（不是完整的 JSON 对象）")
            problem = record_problem(table, rec)
            if problem:
                raise _damaged(shard, fd, start, f"{record_name(table, uid, rec)}：{problem}")
            out.append(rec)
        return out
    except OSError as e:
        raise StorageError(os_error_message(e, "读取数据库", shard.path)) from None
    finally:
        src.close()


def _damaged(shard: "Shard", fd: int, at: int, what: str) -> DamagedDatabaseError:
    """The message names the line: counted only now, when there is something to name."""
    line, pos = 1, 0
    while pos < at:
        chunk = os.pread(fd, min(1 << 22, at - pos), pos)
        if not chunk:
            break
        line += chunk.count(b"\n")
        pos += len(chunk)
    return DamagedDatabaseError(shard.path, f"第 {line} 行的{what}", shard.owner.backups_dir)
