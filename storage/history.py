"""留痕: the history file, written as part of every commit.

Each line is one change (or, for a commit that changed no record, one marker)::

    {"commit":"7-3f9a2c1b","parent":"6-88aa0e41","shard":"main","prev":"<hash>",
     "time":"2026-11-21T10:02:03","user":"lihua","table":"items","uid":"i…","action":"update","changes":{…}}

The commit rule: under the lock, a save writes its history lines and fsyncs
them *before* it renames any shard; each line is tagged with the id of the
shard commit it belongs to (shard.py). A crash before the rename leaves lines
of a commit that never happened: readers and `check` ignore them, because the
shards' commit records form a chain (id → parent) that those lines are not on.
So every committed change has its history line after any crash or power cut.

The hash chain: ``prev`` is a hash of the line before it (its bytes), and each
shard's commit record keeps the hash of its commit's last line. Editing,
deleting or inserting a line in the middle breaks the chain at the next line,
and `check` names that line. It does not make the file unforgeable: a member of
the group can rewrite the file from any point on and recompute every hash (and
the shards' records). See README, “The database”.
"""

from __future__ import annotations

import hashlib
import os
import re
from typing import Any, Callable, Iterator

import orjson

from . import faults
from .errors import DamagedHistoryError, StorageError
from .files import os_error_message
from .safedir import SafeDir, keep_mode, write_all

_TAG = re.compile(rb'\{"commit":"([^"\\]*)","parent":"([^"\\]*)","shard":"([^"\\]*)","prev":"([0-9a-f]*)"')
ACTIONS = ("insert", "update", "delete", "commit")


def real_user() -> str:
    """The account running the app, from the real effective uid (never $USER or $LOGNAME,
    which anyone can set)."""
    import pwd

    uid = os.geteuid()
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:  # no passwd entry (some containers)
        return str(uid)


def line_hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()[:32]


def _gen(commit_id: str | None) -> int:
    try:
        return int((commit_id or "0").split("-", 1)[0])
    except ValueError:
        return 0


class Lineage:
    """Walks tagged lines newest first and says which belong to committed shard states:
    those of each shard's current commit, its parent, and so on down the chain."""

    def __init__(self, heads: dict[str, str | None]) -> None:
        self.expect = dict(heads)
        self.reading: dict[str, str] = {}
        self.found: set[str] = set()

    def accept(self, shard: str, commit: str, parent: str) -> bool:
        if self.reading.get(shard) == commit:
            return True
        exp = self.expect.get(shard)
        if exp is None:
            return False  # no committed state of this shard is this old (or new)
        if commit == exp or _gen(commit) < _gen(exp):  # (lines of ``exp`` missing: go on leniently)
            self.reading[shard] = commit
            self.expect[shard] = parent or None
            self.found.add(commit)
            return True
        return False  # a commit that never reached its rename


def entry_problem(e: Any) -> str | None:
    """What is wrong with the shape of a parsed history line, or None."""
    if not isinstance(e, dict):
        return "应为对象"
    for k in ("time", "user", "table", "uid", "action"):
        if k in e and not isinstance(e[k], str):
            return f"“{k}”应为文本"
    if e.get("action") not in ACTIONS:
        return "“action”不是 insert / update / delete"
    if e["action"] != "commit" and not (e.get("table") and e.get("uid")):
        return "缺少“table”或“uid”"
    changes = e.get("changes")
    if changes is not None:
        if not isinstance(changes, dict):
            return "“changes”应为对象"
        if not all(isinstance(p, list) and len(p) == 2 for p in changes.values()):
            return "“changes”中的每一项应为 [原值, 新值]"
    return None


def lines_backwards(fd: int, size: int, block: int = 1 << 16) -> Iterator[tuple[int, bytes]]:
    """(offset, line) for the non-empty lines of an open file, last first."""
    pos, tail = size, b""
    while pos > 0:
        step = min(block, pos)
        pos -= step
        chunk = os.pread(fd, step, pos) + tail
        parts = chunk.split(b"\n")
        tail = parts[0]  # may continue in the block before
        at = pos + len(chunk)
        for line in reversed(parts[1:]):
            at -= len(line) + 1
            if line.strip():
                yield at + 1, line
    if tail.strip():
        yield 0, tail


class History:
    def __init__(self, folder: SafeDir, name: str, heads: Callable[[], dict[str, str | None]]) -> None:
        self.folder, self.name, self.heads = folder, name, heads

    @property
    def path(self) -> str:
        return self.folder.join(self.name)

    # ------------------------------------------------------------ writing (under the lock)

    def begin(self, mode: int) -> "Append":
        created = self.folder.lstat(self.name) is None
        try:
            fd = self.folder.open(self.name, os.O_RDWR | os.O_APPEND | os.O_CREAT, mode, what="写入修改记录")
        except FileNotFoundError as e:
            raise StorageError(os_error_message(e, "写入修改记录", self.path)) from None
        try:
            keep_mode(fd, mode)
            size = os.fstat(fd).st_size
            last = next(lines_backwards(fd, size), (0, b""))[1]
            torn = size > 0 and os.pread(fd, 1, size - 1) != b"\n"
        except OSError as e:
            os.close(fd)
            raise StorageError(os_error_message(e, "读取修改记录", self.path)) from None
        return Append(self, fd, size, line_hash(last) if last else "", torn, created)

    # ------------------------------------------------------------ reading

    def _open(self) -> tuple[int, int] | None:
        try:
            fd = self.folder.open(self.name, os.O_RDONLY, what="读取修改记录")
        except FileNotFoundError:
            return None
        return fd, os.fstat(fd).st_size

    def entries(self, uid: str | None = None, table: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Committed changes, newest first; lines of commits that never happened are skipped.
        A line of an odd shape raises DamagedDatabaseError naming it."""
        out: list[dict[str, Any]] = []
        needle = orjson.dumps(uid) if uid is not None else b""
        opened = self._open()
        if opened is None:
            return out
        fd, size = opened
        lineage = Lineage(self.heads())
        try:
            for at, line in lines_backwards(fd, size):
                m = _TAG.match(line)
                if m and not lineage.accept(m.group(3).decode(), m.group(1).decode(), m.group(2).decode()):
                    continue
                if needle and needle not in line:
                    continue  # cheap test before parsing
                try:
                    e = orjson.loads(line)
                except orjson.JSONDecodeError:
                    continue  # a line cut by a crash
                if isinstance(e, dict) and e.get("action") == "commit":
                    continue  # a marker
                if isinstance(e, dict) and ((uid is not None and e.get("uid") != uid) or (table is not None and e.get("table") != table)):
                    continue
                problem = entry_problem(e)
                if problem:
                    self._odd_line(fd, at, e, problem)
                out.append(e)
                if len(out) >= limit:
                    break
        finally:
            os.close(fd)
        return out

    def _odd_line(self, fd: int, at: int, e: Any, problem: str) -> None:
        line = os.pread(fd, at, 0).count(b"\n") + 1
        who = f"（记录 {e.get('uid')}）" if isinstance(e, dict) and isinstance(e.get("uid"), str) else ""
        raise DamagedHistoryError(self.path, f"第 {line} 行{who}格式不正确：{problem}")

    def read_all(self) -> bytes | None:
        got = self.folder.read(self.name)
        return None if got is None else got[0]


class Append:
    """The history file opened for one commit: its lines rendered with their chain, then
    written and fsynced before any shard is renamed."""

    def __init__(self, history: History, fd: int, size: int, prev: str, torn: bool, created: bool) -> None:
        self.history, self.fd, self.size, self.prev, self.torn, self.created = history, fd, size, prev, torn, created

    def render(self, groups: list[tuple[str, dict[str, Any], list[dict[str, Any]]]],
               marker: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
        """The lines for ``groups`` of (shard, commit record, entries), and the hash of the
        last line of each shard's commit (kept in that shard's commit record)."""
        out: list[bytes] = []
        tips: dict[str, str] = {}
        prev = self.prev
        for shard, rec, entries in groups:
            for e in entries or [marker]:
                tagged = {"commit": rec["id"], "parent": rec["parent"], "shard": shard, "prev": prev, **e}
                try:
                    line = orjson.dumps(tagged)
                except (orjson.JSONEncodeError, TypeError) as err:
                    raise StorageError(f"保存失败：数据中含有无法写入文件的值（{err}），未做任何改动。") from None
                prev = line_hash(line)
                out.append(line)
            tips[shard] = prev
        head = b"\n" if self.torn else b""  # a writer died mid-line: keep our lines whole
        return head + b"\n".join(out) + b"\n", tips

    def write(self, payload: bytes) -> None:
        try:
            write_all(self.fd, payload, "history-write")
            os.fsync(self.fd)
            if self.created:
                self.history.folder.fsync()  # the new file's name is durable before a rename relies on it
        except OSError as e:
            try:
                os.ftruncate(self.fd, self.size)  # no half lines left behind
            except OSError:
                pass
            raise StorageError(os_error_message(e, "保存修改记录", self.history.path)) from None
        faults.point("history-synced")

    def close(self) -> None:
        os.close(self.fd)
