"""Reading a shard file: every record proved whole and undamaged, the big tables kept as
LazyTables over the file's descriptor, their light rows beside them (shard.py).

``read(shard)`` touches nothing of the shard's state in memory, so it may run in any thread
(a refresh, the 三联系 file after the screen shows) and be swapped in afterwards
(``Shard.adopt``). ``check`` adds `zhenggai check`'s own look at each record to the same
single parse (it collects problems instead of refusing the file); ``opened`` reads a file
opened earlier (a snapshot taken under the lock).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable

import orjson

from . import files, lines
from .errors import DamagedDatabaseError, StorageError
from .files import os_error_message
from .index import LAZY, project
from .index_build import grouped
from .sanity import record_name, record_problem
from .shardfile import FdSource
from .yielding import Pacer

if TYPE_CHECKING:
    from .shard import Loaded, Shard

Visit = Callable[[str, str, dict[str, Any]], Any]


def read(shard: "Shard", opened: tuple[FdSource, os.stat_result] | None = None, check: Visit | None = None,
         views: bool = True, reuse: dict[str, dict[str, Any]] | None = None) -> "Loaded | None":
    from .shard import VIEWS, Loaded, commit_of_head, commit_problem

    got = opened or open_file(shard)
    if got is None:
        return None
    src, st = got
    if st.st_size == 0:
        src.close()
        raise DamagedDatabaseError(shard.path, "文件为空（0 字节）", shard.owner.backups_dir)
    data, light, head = _parse(shard, src, check, reuse or {})
    commit = (data.get("meta") or {}).get("commit")
    if commit is not None and commit_problem(commit):
        raise DamagedDatabaseError(shard.path, commit_problem(commit), shard.owner.backups_dir)  # type: ignore[arg-type]
    # An older version may have rewritten the file with the record inside meta but not first:
    # then the record still continues the chain, but only the first line proves a state.
    head_id = (commit_of_head(head) or {}).get("id")
    derived = {t: grouped(t, light[t]) for t in VIEWS if t in light} if views else {}
    return Loaded(data, light, (st.st_ino, st.st_mtime_ns, st.st_size), commit, head_id, derived)


def open_file(shard: "Shard") -> tuple[FdSource, os.stat_result] | None:
    """The shard file opened for reading (checked: no symlink, no stranger's file)."""
    try:
        fd = shard.folder.open(shard.file, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        st = os.fstat(fd)
    except OSError as e:
        os.close(fd)
        raise StorageError(os_error_message(e, "读取数据库", shard.path)) from None
    return FdSource(fd, st.st_size, shard.path), st


def _parse(shard: "Shard", src: FdSource, check: Visit | None,
           reuse: dict[str, dict[str, Any]]) -> tuple[dict[str, Any], dict[str, Any], bytes]:
    """The data (big tables as LazyTables reading from ``src``), the light rows, and the
    file's first bytes."""
    light: dict[str, dict[str, dict[str, Any]]] = {}
    # (The collector is left on: the rows kept are dicts of strings and numbers, which it does
    # not track, and turning it off for the whole process while a thread reads let tens of
    # thousands of the screen's objects pile up for one long collection afterwards.)
    try:
        head = src.read(0, 4096)
        data = lines.scan(src, LAZY, shard.source, _collector(light, check, reuse, src), reuse)
        if data is None:  # another layout (an older file, a hand edit): parse it all
            raw = b"".join(src.chunks())
            src.close()
            if not raw.strip():
                raise DamagedDatabaseError(shard.path, "文件为空（0 字节）", shard.owner.backups_dir)
            data, light = files.parse(raw, shard.path, shard.owner.backups_dir), {}
            files.find_duplicate(raw, data, shard.source)
            _check_records(shard, data, raw)
            if check is not None:
                for table, docs in data.items():
                    for uid, rec in docs.items():
                        check(table, uid, rec)
    except OSError as e:
        raise StorageError(os_error_message(e, "读取数据库", shard.path)) from None
    return data, light, head


def _collector(light: dict[str, dict[str, dict[str, Any]]], check: Any, reuse: dict[str, dict[str, Any]],
               src: Any = None) -> Callable[[str, str, dict[str, Any]], str | None]:
    share = lines.share
    pacer = Pacer()  # read in a thread: the screen's thread gets the interpreter at once (yielding.py)
    # The big tables as read before (a refresh), each only when it reads another file than
    # the one read now: a file changed in place (a hand edit, damage) shows the same new bytes
    # through both descriptors, and comparing them would prove nothing.
    before = {t: old for t, old in reuse.get("@tables", {}).items() if _other_file(old.src, src)}

    def same(table: str, uid: str, raw: memoryview) -> bool:
        """A record whose bytes are those it had when the state in memory was read (a save
        copies unchanged lines as they are): proved then, its light row kept; not parsed."""
        old = before.get(table)
        row = reuse.get(table, {}).get(uid)
        if old is None or row is None or uid in old.changed:
            return False
        lay = old.layout
        k = lay.keys.get(uid)
        if k is None or lay.lens[k] != len(raw):
            return False
        try:
            if old.src.read(lay.starts[k], len(raw)) != raw:
                return False
        except OSError:
            return False
        pacer.tick()
        rows = light.get(table)
        if rows is None:
            rows = light[table] = {}
        rows[uid] = row
        return True

    def visit(table: str, uid: str, rec: dict[str, Any]) -> str | None:
        pacer.tick()
        # A check first asks its own, stricter test (it vouches for every value the
        # damage test looks at); only a record it cannot vouch for is looked at twice.
        if check is None or not check.vouches(table, uid, rec):
            problem = record_problem(table, rec)
            if problem:
                return f"{record_name(table, uid, rec)}：{problem}"
            if check is not None:
                check(table, uid, rec)
        if table in LAZY:
            rows = light.get(table)
            if rows is None:
                rows = light[table] = {}
            row = project(table, uid, rec, share)
            old = reuse.get(table, {}).get(uid)
            rows[uid] = old if old == row else row  # unchanged: the row in memory, not a copy
        return None

    if before and check is None:
        visit.same = same  # type: ignore[attr-defined]
    return visit


def _other_file(old: Any, new: Any) -> bool:
    """Whether two sources are descriptors of two different files (an inode is not reused
    while a descriptor keeps it open)."""
    try:
        a, b = os.fstat(old.fd), os.fstat(new.fd)
    except (AttributeError, OSError):
        return False
    return (a.st_dev, a.st_ino) != (b.st_dev, b.st_ino)


def _check_records(shard: "Shard", data: dict[str, Any], raw: bytes) -> None:
    """A file of another layout (parsed whole): the first damaged value, with its line."""
    for table, docs in data.items():
        for uid, rec in docs.items():
            problem = record_problem(table, rec)
            if problem:
                at = raw.find(b"    " + orjson.dumps(uid) + b": {")
                at = raw.find(orjson.dumps(uid)) if at < 0 else at
                line = raw.count(b"\n", 0, at) + 1
                where = f"第 {line} 行的" if at >= 0 else ""
                raise DamagedDatabaseError(shard.path, f"{where}{record_name(table, uid, rec)}：{problem}",
                                           shard.owner.backups_dir)
