"""The shard file format: TinyDB's JSON, one record per line.

::

    {
      "items": {
        "i-1": {"uid":"i-1","title":"……",…},
        "i-2": {"uid":"i-2",…}
      },
      "meta": {
        "schema": {"uid":"schema",…}
      }
    }

Any JSON reader (TinyDB included) reads it; a person can read, grep and diff
it record by record, and the Chinese stays literal. Because a JSON string never
holds a raw newline, each record is exactly one line, so a reader can find
every record of the big tables without parsing them (``scan``) and parse one
only when it is asked for (``LazyTable``): memory stays near the file's size
instead of several times it, and an unchanged record is written back as the
very bytes it was read from.

A file in any other JSON layout (an older zhenggai, a hand edit) is read with
a full parse, as before, and written in this layout at the next save.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Callable, Iterable, Iterator, Mapping

import orjson

from .errors import DamagedDatabaseError, StorageError

Offsets = dict[str, int]  # uid -> offset of the record's "{" in the file's bytes

_TABLE_OPEN = re.compile(rb'  ("(?:[^"\\\n]|\\.)*"): \{\n')
_TABLE_EMPTY = re.compile(rb'  ("(?:[^"\\\n]|\\.)*"): \{\}(,?)\n')
_RECORD = re.compile(rb'    ("(?:[^"\\\n]|\\.)*"): \{')


class LazyTable(Mapping[str, dict[str, Any]]):
    """uid -> record of one big table, parsed from the file's bytes on each access.

    Read-only, like every table the Database hands out. Each read returns a
    fresh dict. ``changed`` overlays records written in this process since the
    file was read (a dict, or None for a deleted record); the Database replaces
    the whole LazyTable on every change, so a caller iterating an old one is
    unharmed.
    """

    __slots__ = ("raw", "at", "changed", "source")

    def __init__(self, raw: bytes, at: Offsets, changed: dict[str, dict[str, Any] | None] | None = None,
                 source: tuple[str, str | None] = ("", None)) -> None:
        self.raw, self.at, self.changed, self.source = raw, at, changed or {}, source

    def with_change(self, uid: str, rec: dict[str, Any] | None) -> "LazyTable":
        return LazyTable(self.raw, self.at, {**self.changed, uid: rec}, self.source)

    def _decode(self, uid: str) -> dict[str, Any]:
        s = self.at[uid]
        e = self.raw.index(b"\n", s)
        if self.raw[e - 1] == 0x2C:  # ","
            e -= 1
        try:
            rec = orjson.loads(memoryview(self.raw)[s:e])
        except orjson.JSONDecodeError:
            rec = None
        if not isinstance(rec, dict):
            raise broken_record(self.source, self.raw, s, uid)
        return rec

    def __getitem__(self, uid: str) -> dict[str, Any]:
        if uid in self.changed:
            rec = self.changed[uid]
            if rec is None:
                raise KeyError(uid)
            return rec
        return self._decode(uid)

    def get(self, uid: str, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[uid]
        except KeyError:
            return default

    def __contains__(self, uid: object) -> bool:
        if uid in self.changed:
            return self.changed[uid] is not None  # type: ignore[index]
        return uid in self.at

    def __iter__(self) -> Iterator[str]:
        changed = self.changed
        for uid in self.at:
            if uid not in changed or changed[uid] is not None:
                yield uid
        for uid, rec in changed.items():
            if rec is not None and uid not in self.at:
                yield uid

    def __len__(self) -> int:
        n = len(self.at)
        for uid, rec in self.changed.items():
            n += (rec is not None) - (uid in self.at)
        return n

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        for uid in self:
            yield uid, self[uid]

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        for uid in self:
            yield self[uid]

    def __repr__(self) -> str:
        return f"<LazyTable {len(self)} records>"


def dumps(data: Mapping[str, Mapping[str, Any]]) -> tuple[bytes, dict[str, Offsets]]:
    """The file's bytes, and where each record of every table starts in them.

    Records of a LazyTable that did not change are copied, not re-encoded.
    """
    try:
        return _dumps(data)
    except (orjson.JSONEncodeError, TypeError) as e:  # a programming slip must not look like a crash
        raise StorageError(f"保存失败：数据中含有无法写入文件的值（{e}），未做任何改动。") from None


def _dumps(data: Mapping[str, Mapping[str, Any]]) -> tuple[bytes, dict[str, Offsets]]:
    out: list[bytes] = [b"{\n"]
    pos = 2
    offsets: dict[str, Offsets] = {}
    tables = sorted(data, key=lambda t: (t != "meta", t))  # meta first: its commit record is in the file's head
    for ti, table in enumerate(tables):
        docs = data[table]
        tail = b",\n" if ti < len(tables) - 1 else b"\n"
        key = orjson.dumps(table)
        if not len(docs):
            chunk = b"  " + key + b": {}" + tail
            out.append(chunk)
            pos += len(chunk)
            offsets[table] = {}
            continue
        head = b"  " + key + b": {\n"
        out.append(head)
        pos += len(head)
        if isinstance(docs, LazyTable) and docs.at:
            pieces, at = _lazy_pieces(docs, pos)
        else:
            pieces, at = _fresh_pieces(docs, docs.keys(), pos)
        for k, piece in enumerate(pieces):  # joined once, below: no copy of the big table here
            if k:
                out.append(b",\n")
            out.append(piece)
            pos += len(piece) + 2 * (k > 0)
        out.append(b"\n")
        pos += 1
        close = b"  }" + tail
        out.append(close)
        pos += len(close)
        offsets[table] = at
    out.append(b"}\n")
    return b"".join(out), offsets


def _record_line(uid: str, rec: Any) -> tuple[bytes, int]:
    """A record's line (without its separator) and where its "{" is in it."""
    prefix = b"    " + orjson.dumps(uid) + b": "
    return prefix + orjson.dumps(rec, option=orjson.OPT_NON_STR_KEYS), len(prefix)


def _fresh_pieces(docs: Mapping[str, Any], uids: Iterable[str], pos: int) -> tuple[list[bytes], Offsets]:
    """Lines for ``uids`` of ``docs``, the first of them starting at ``pos``."""
    pieces: list[bytes] = []
    at: Offsets = {}
    for uid in uids:
        line, k = _record_line(uid, docs[uid])
        at[uid] = pos + k
        pieces.append(line)
        pos += len(line) + 2  # and the ",\n" that joins it to the next
    return pieces, at


def _lazy_pieces(docs: LazyTable, pos: int) -> tuple[list[bytes], Offsets]:
    """A LazyTable's lines: each run of unchanged records is one slice of the old bytes
    (their offsets shifted), changed ones are encoded, new ones follow at the end. A save
    of one record costs two slices and one encode, not 10 000 lines."""
    raw, changed = docs.raw, docs.changed
    uids = list(docs.at)  # file order
    starts = list(docs.at.values())
    hits = sorted(uids.index(u) for u in changed if u in docs.at)
    pieces: list[bytes] = []
    at: Offsets = {}
    i = 0
    for h in [*hits, len(uids)]:
        if i < h:  # records i .. h-1 are unchanged: one slice
            begin = raw.rfind(b"\n", 0, starts[i]) + 1
            end = raw.index(b"\n", starts[h - 1])
            if raw[end - 1] == 0x2C:  # ","
                end -= 1
            shift = pos - begin
            at.update({u: o + shift for u, o in zip(uids[i:h], starts[i:h])})
            piece = raw[begin:end]
            pieces.append(piece)
            pos += len(piece) + 2  # and the ",\n" that joins it to the next
        if h < len(uids):
            uid = uids[h]
            rec = changed[uid]
            if rec is not None:  # else deleted
                line, k = _record_line(uid, rec)
                at[uid] = pos + k
                pieces.append(line)
                pos += len(line) + 2
        i = h + 1
    new = [u for u, rec in changed.items() if rec is not None and u not in docs.at]
    more, more_at = _fresh_pieces(changed, new, pos)
    pieces += more
    at.update(more_at)
    return pieces, at


def scan(raw: bytes, lazy: frozenset[str] | set[str], source: tuple[str, str | None] = ("", None),
         visit: Callable[[str, str, dict[str, Any]], str | None] | None = None) -> dict[str, Any] | None:
    """Read a file written by ``dumps``: small tables parsed, ``lazy`` ones as LazyTables.

    With ``visit`` every record of a lazy table is parsed once and handed to it
    (``visit(table, uid, record)``), which also proves that each one is whole; a
    string it returns names a damaged value, raised with the record's line number.
    Returns None when the bytes are not in this layout (read them with a full
    parse then); raises DamagedDatabaseError when a record is broken.
    """
    if not raw.startswith(b"{\n") or not raw.endswith(b"}\n"):
        return None
    data: dict[str, Any] = {}
    seen: dict[str, int] = {}  # table -> offset of its first line
    pos, end = 2, len(raw) - 2
    view = memoryview(raw)
    while pos < end:
        m = _TABLE_EMPTY.match(raw, pos)
        if m:
            _once(seen, _key(m.group(1)), m.start(), raw, source)
            data[_key(m.group(1))] = {}
            pos = m.end()
            if (m.group(2) == b",") != (pos < end):
                return None
            continue
        m = _TABLE_OPEN.match(raw, pos)
        if not m:
            return None
        table = _key(m.group(1))
        _once(seen, table, m.start(), raw, source)
        close = raw.find(b"\n  }", m.end() - 1)
        if close < 0:
            return None
        body_end = close + 1  # the first byte of "  }"
        pos = close + 4
        if raw[pos:pos + 1] == b",":
            pos += 1
            last = False
        else:
            last = True
        if raw[pos:pos + 1] != b"\n" or last != (pos + 1 >= end):
            return None
        pos += 1
        if table not in lazy:
            try:
                docs = orjson.loads(b"{" + view[m.end():body_end] + b"}")
            except orjson.JSONDecodeError:
                return None
            if not _record_keys(raw, m.end(), body_end, table, source):
                return None
            data[table] = docs
            continue
        at: Offsets = {}
        p = m.end()
        while p < body_end:
            r = _RECORD.match(raw, p)
            if not r:
                return None
            uid = _key(r.group(1))
            s = r.end() - 1
            if uid in at:  # a copied line: one of the two would be dropped at the next save
                raise duplicate_record(source, raw, table, uid, at[uid], s)
            e = raw.index(b"\n", s)
            stop = e - 1 if raw[e - 1] == 0x2C else e
            if raw[stop - 1] != 0x7D or stop - 1 == s:  # "}": the line holds the whole record
                return None
            at[uid] = s
            if visit is not None:
                try:
                    rec = orjson.loads(view[s:stop])
                except orjson.JSONDecodeError:
                    rec = None
                if not isinstance(rec, dict):
                    raise broken_record(source, raw, s, uid)
                problem = visit(table, uid, rec)
                if problem:  # a damaged value, named with its record
                    line = raw.count(b"\n", 0, s) + 1
                    raise DamagedDatabaseError(source[0], f"第 {line} 行的{problem}", source[1])
            p = e + 1
        data[table] = LazyTable(raw, at, None, source)
    return data


def _once(seen: dict[str, int], table: str, at: int, raw: bytes, source: tuple[str, str | None]) -> None:
    if table in seen:
        a, b = raw.count(b"\n", 0, seen[table]) + 1, raw.count(b"\n", 0, at) + 1
        raise DamagedDatabaseError(source[0], f"表“{table}”出现了两次（第 {a} 行和第 {b} 行），文件可能被手工改坏", source[1])
    seen[table] = at


def _record_keys(raw: bytes, p: int, body_end: int, table: str, source: tuple[str, str | None]) -> bool:
    """Walk the record lines of a small table: False when it is not one record per line;
    DamagedDatabaseError when a key is there twice (orjson keeps the last one silently)."""
    at: dict[str, int] = {}
    while p < body_end:
        r = _RECORD.match(raw, p)
        if not r:
            return False
        uid = _key(r.group(1))
        if uid in at:
            raise duplicate_record(source, raw, table, uid, at[uid], r.start())
        at[uid] = r.start()
        p = raw.index(b"\n", r.end() - 1) + 1
    return True


def duplicate_record(source: tuple[str, str | None], raw: bytes, table: str, uid: str, first: int,
                     second: int) -> DamagedDatabaseError:
    a, b = raw.count(b"\n", 0, first) + 1, raw.count(b"\n", 0, second) + 1
    return DamagedDatabaseError(
        source[0], f"表“{table}”中的记录 {uid} 出现了两次（第 {a} 行和第 {b} 行），可能是手工编辑时复制了一行", source[1])


def find_duplicate(raw: bytes, data: dict[str, Any], source: tuple[str, str | None]) -> None:
    """For a file in another layout (read with a full parse): raise DamagedDatabaseError
    when a table or a record key appears twice. Only this slow path pays for it."""
    import json

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
        if table == k:
            a, b = (raw.count(b"\n", 0, h) + 1 for h in hits)
            raise DamagedDatabaseError(source[0], f"表“{k}”出现了两次（第 {a} 行和第 {b} 行），文件可能被手工改坏", source[1])
        raise duplicate_record(source, raw, table, k, hits[0], hits[1])


def broken_record(source: tuple[str, str | None], raw: bytes, at: int, uid: str) -> DamagedDatabaseError:
    line = raw.count(b"\n", 0, at) + 1
    return DamagedDatabaseError(source[0], f"第 {line} 行的记录 {uid} 已损坏（不是完整的 JSON 对象）", source[1])


def _key(quoted: bytes) -> str:
    return orjson.loads(quoted) if b"\\" in quoted else quoted[1:-1].decode("utf-8")


def share(value: Any) -> Any:
    """One object for equal short strings (dates, uids, names) across many light rows."""
    return sys.intern(value) if type(value) is str and len(value) <= 40 else value
