"""`zhenggai check`: records, the history chain, the indexes and the backups.

``check_report(db)`` returns a dict; ``problems`` lists what is wrong with the
database (`check` exits 2 when there are any); ``notes`` says what was found
and repaired or ignored on the way (a stale index rebuilt, lines of saves that
never completed); ``backups`` says which backups are usable and why not;
``counts`` the records of each table.

The files are taken as one state under the lock, but only for a moment: the shards
and indexes are opened and the history's length noted (a save renames new files over
the names and only appends to the history, so what was opened stays that state), and
the lock is released before anything is read. Each shard is then read once, record by
record, never whole: each record is checked on the way (storage/validity.py, and
``normalize`` where that cannot vouch for it); the history is read line by line.
"""

from __future__ import annotations

import os
import pickle
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

from .errors import DamagedDatabaseError, StorageError, UnsafePathError, ZhenggaiError
from .history_check import _chunks, history_report
from .index import LAZY, contact_row, merged, project
from .index_build import build, build_lines
from .lines import share
from .lock import FileLock
from .models import SPECS, TABLE_LABEL, normalize
from .records import REFERENCES
from .safedir import write_all
from .shard_read import open_file
from .shardfile import Lines
from .validity import surely_valid

if TYPE_CHECKING:
    from .database import Database
    from .shard import Loaded

TABLES = ("campaigns", "items", "outlines", "opinions", "persons", "links", "contacts")


class _Snapshot:
    """The database's files as they were at one moment (opened under the lock)."""

    def __init__(self, db: "Database") -> None:
        self.shards: dict[str, Any] = {}
        self.indexes: dict[str, tuple[int, int] | None] = {}  # descriptor and length of each index
        self.history: tuple[int, int] | None = None  # (descriptor, length)
        try:
            for name, shard in db._shards.items():
                self.shards[name] = open_file(shard)
                try:
                    fd = shard.folder.open(shard.index.name, os.O_RDONLY)
                    self.indexes[name] = (fd, os.fstat(fd).st_size)
                except FileNotFoundError:
                    self.indexes[name] = None
                except StorageError:  # an index that cannot be read is rebuilt, as a missing one
                    self.indexes[name] = None
            try:
                fd = db.fs.open(db.hist.name, os.O_RDONLY, what="读取修改记录")
                self.history = (fd, os.fstat(fd).st_size)
            except FileNotFoundError:
                pass
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for got in self.shards.values():
            if got is not None:
                got[0].close()
        self.shards = {}
        if self.history is not None:
            os.close(self.history[0])
            self.history = None
        for got in self.indexes.values():
            if got is not None:
                os.close(got[0])
        self.indexes = {}


def check_report(db: "Database", parallel: bool | None = None) -> dict[str, Any]:
    """See the module docstring. ``parallel`` (default: when it pays, on a big database with
    more than one CPU) checks the 三联系 file in a child process while this one checks the
    main file and the history: the two halves of the work at once."""
    problems: list[str] = []
    notes: list[str] = []
    with _locked(db, notes):  # a moment: shards, history and indexes as one state
        snap = _Snapshot(db)
    try:
        if parallel is None:
            got = snap.shards.get("contacts")
            parallel = got is not None and got[1].st_size > PARALLEL_FROM and (os.cpu_count() or 1) > 1 \
                and threading.active_count() == 1
        shards: dict[str, dict[str, Any]] = {}
        child = _in_child(lambda: _check_shard(db, "contacts", snap)) if parallel else None
        for name in db._shards:
            if name != "contacts" or child is None:
                shards[name] = _check_shard(db, name, snap)
        if child is not None:
            shards["contacts"] = child()
        index: dict[str, str] = {}
        for got in shards.values():
            problems += got["problems"]
            notes += got["notes"]
            index[got["index"][0]] = got["index"][1]
        hist = history_report(db, snap.history, {n: got["commit"] for n, got in shards.items()}, problems, notes)
    finally:
        snap.close()
    counts = {t: sum(got["counts"].get(t, 0) for got in shards.values()) for t in TABLES}
    backups = []
    for path in db.backups():
        name = path.rsplit("/", 1)[-1]
        reason = db.store.verify(name)
        backups.append({"name": name, "path": path, "usable": reason is None, "reason": reason or ""})
    return {"problems": problems, "notes": notes, "history": hist, "index": index, "backups": backups,
            "counts": counts}


PARALLEL_FROM = 32 << 20  # a 三联系 file of 32 MB (about 1× of DESIGN §10) and more


def _check_shard(db: "Database", name: str, snap: _Snapshot) -> dict[str, Any]:
    """One shard: read once, each record checked on the way; its references; its index."""
    shard = db._shards[name]
    problems: list[str] = []
    notes: list[str] = []
    state = shard.read(opened=snap.shards.pop(name), check=_RecordCheck(problems), views=False)
    if state is None:
        return {"problems": [], "notes": [], "index": (shard.index.name, "无（尚无数据文件）"), "counts": {},
                "commit": None}
    problems += _reference_problems(state)
    index = index_report(db, shard, state, snap.indexes[name], problems, notes)
    counts = {t: len(state.data.get(t, {})) for t in TABLES if t in state.data}
    return {"problems": problems, "notes": notes, "index": (shard.index.name, index), "counts": counts,
            "commit": state.commit}


def _in_child(work: Callable[[], dict[str, Any]]) -> Callable[[], dict[str, Any]]:
    """Run ``work`` in a forked child; the returned function waits for its result (a
    damaged file raises here as it would have there)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one job, then out without running anything of the parent's
        code = 0
        try:
            os.close(r)
            try:
                out: tuple[str, Any] = ("ok", work())
            except DamagedDatabaseError as e:
                out = ("damaged", (e.path, e.reason, e.backups))
            except ZhenggaiError as e:
                out = ("error", str(e))
            write_all(w, pickle.dumps(out))
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(w)

    def result() -> dict[str, Any]:
        chunks = []
        try:
            while chunk := os.read(r, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(r)
            os.waitpid(pid, 0)
        if not chunks:
            raise StorageError("校验失败：检查三联系数据的子进程意外退出")
        kind, value = pickle.loads(b"".join(chunks))
        if kind == "damaged":
            raise DamagedDatabaseError(*value)
        if kind == "error":
            raise StorageError(value)
        return value

    return result


@contextmanager
def _locked(db: "Database", notes: list[str]) -> Iterator[None]:
    """The database lock when we can take it; a read-only member (or a read-only disk)
    still gets its check, of the files as they are."""
    lock = FileLock(db.lock_path, db.mode, folder=db.fs)
    try:
        lock.acquire()
    except UnsafePathError:
        raise
    except StorageError as e:
        notes.append(f"未能锁定数据库，按文件当前的样子校验（{e}）")
        yield
        return
    try:
        yield
    finally:
        lock.release()


class _RecordCheck:
    """Each record as a save would take it (models.normalize), on the one parse of the file.
    ``vouches`` is the cheap test (validity.py, and the system fields as sanity.py wants
    them); a record it cannot vouch for gets the damage test, then ``normalize``."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def vouches(self, table: str, uid: str, rec: dict[str, Any]) -> bool:
        if table not in SPECS:
            return False
        rev = rec.get("rev", 0)
        return rec.get("uid") == uid and type(rev) is int and rev >= 0 and all(
            type(rec.get(k, "")) is str for k in _SYSTEM_TEXT) and surely_valid(table, rec)

    def __call__(self, table: str, uid: str, rec: dict[str, Any]) -> None:
        if table not in SPECS:
            return
        if rec.get("uid") != uid:
            self.problems.append(f"{TABLE_LABEL[table]} {uid}：uid 字段与键不一致")
        if surely_valid(table, rec):
            return
        try:
            normalize(table, rec)
        except ZhenggaiError as e:
            self.problems.append(f"{TABLE_LABEL[table]} {uid}：{e}")


_SYSTEM_TEXT = ("created", "created_by", "updated", "updated_by")


def _rows(state: "Loaded", table: str) -> Any:
    """The light rows of a big table (they carry the references), or the records."""
    if table in LAZY and table in state.light:
        return state.light[table]
    return state.data.get(table, {})


def _field(row: Any, name: str) -> Any:
    if type(row) is str:  # a contact's light row (index.contact_row)
        return contact_row(row)[0] if name == "link" else None
    return row.get(name)


def _reference_problems(state: "Loaded") -> list[str]:
    """References stay inside one shard (records.REFERENCES)."""
    out = []
    for table, refs in REFERENCES.items():
        if table not in state.data:
            continue
        rows = _rows(state, table)
        for fld, target in refs:
            there = _rows(state, target)
            for uid, rec in rows.items():
                ref = _field(rec, fld)
                if ref and ref not in there:
                    out.append(f"{TABLE_LABEL[table]} {uid}：{fld} 引用了不存在的记录 {ref}")
    return out


def index_report(db: "Database", shard: Any, state: "Loaded", have: tuple[int, int] | None, problems: list[str],
                 notes: list[str]) -> str:
    """Compare the shard's index with what the shard says it should be, line by line as both
    are made and read; rebuild one that differs."""
    label = shard.index.name
    light = {t: state.light[t] if t in state.light else
             {uid: project(t, uid, r, share) for uid, r in state.data.get(t, {}).items()} for t in LAZY}
    if have is not None and _same_lines(build_lines(state.data, light.__getitem__, state.stamp, state.head_id), have):
        return "一致"
    want = build(state.data, light.__getitem__, state.stamp, state.head_id)
    raw = b"".join(_chunks(*have)) if have is not None else b""
    old, new = merged(raw) if raw else None, merged(want)
    if old == new:
        return "一致"
    if old is None:
        text = "缺失或无法解析，已重建"
        notes.append(f"索引 {label} {text}")
    elif old.get("stamp") != new.get("stamp") or old.get("commit") != new.get("commit"):  # type: ignore[union-attr]
        text = "已过期（不对应当前数据文件），已重建"
        notes.append(f"索引 {label} {text}")
    else:
        text = "与数据文件不一致（可能被人改动），已按数据文件重建"
        problems.append(f"索引 {shard.folder.join(label)} {text}")
    _rewrite(db, shard, state, want)
    return text


def _same_lines(want: Iterator[bytes], have: tuple[int, int]) -> bool:
    got = iter(Lines(_chunks(*have)))
    for line in want:
        other = next(got, None)
        if other is None or other[1] != line:
            return False
    return next(got, None) is None


def _rewrite(db: "Database", shard: Any, state: "Loaded", payload: bytes) -> None:
    """Write the index as the shard says, unless a save has moved the shard on meanwhile
    (its own index is then the current one)."""
    lock = FileLock(db.lock_path, db.mode, folder=db.fs)
    try:
        lock.acquire()
    except UnsafePathError:
        raise
    except StorageError:
        return
    try:
        p = shard.probe()
        if p is not None and p == (state.stamp, state.head_id):
            shard.index.write(payload, shard.mode(0o600))
            shard.index.drop()
    finally:
        lock.release()
