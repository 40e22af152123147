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
holds a raw newline, each record is exactly one line, so a reader can go through
the file line by line (``scan``, in 4 MB reads, never holding the whole file),
note where each record of the big tables is (a ``Layout``) and parse one only
when it is asked for (``LazyTable``, reading it back from the file's descriptor):
memory stays a small part of the file's size, and an unchanged record is written
back as the very bytes it was read from (``write``).

A file in any other JSON layout (an older zhenggai, a hand edit) is read with
a full parse, as before, and written in this layout at the next save.
"""

from __future__ import annotations

import re
import sys
from array import array
from typing import Any, Callable, Iterable, Iterator, Mapping

import orjson

from .errors import DamagedDatabaseError, StorageError
from .shardfile import BytesSink, BytesSource, FdSource, Lines

_STRING = rb'("(?:[^"\\\n]|\\.)*")'
_TABLE_OPEN = re.compile(rb"  " + _STRING + rb": \{")
_TABLE_EMPTY = re.compile(rb"  " + _STRING + rb": \{\}(,?)")
_RECORD = re.compile(rb"    " + _STRING + rb": \{")
Source = tuple[str, "str | None"]  # the shard's path and its backups folder, for messages
Src = BytesSource | FdSource


class Layout:
    """Where the records of one big table are in a file: ``keys`` uid -> k, the record's
    place in file order; ``starts[k]`` and ``lens[k]`` the offset and length of its JSON
    object; ``body`` the offset of the table's first record line, ``first_line`` its line
    number. Never changed once built (LazyTables share it)."""

    __slots__ = ("keys", "starts", "lens", "body", "first_line")

    def __init__(self, body: int = 0, first_line: int = 0) -> None:
        self.keys: dict[str, int] = {}
        self.starts = array("q")
        self.lens = array("q")
        self.body, self.first_line = body, first_line

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Layout) and (list(self.keys.items()), self.starts, self.lens, self.body) == \
            (list(other.keys.items()), other.starts, other.lens, other.body)

    def start(self, uid: str) -> int:
        return self.starts[self.keys[uid]]


class LazyTable(Mapping[str, dict[str, Any]]):
    """uid -> record of one big table, parsed from the file on each access.

    Read-only, like every table the Database hands out. Each read returns a
    fresh dict. ``changed`` overlays records written in this process since the
    file was read (a dict, or None for a deleted record); the Database replaces
    the whole LazyTable on every change, so a caller iterating an old one is
    unharmed.
    """

    __slots__ = ("src", "layout", "changed", "source")

    def __init__(self, src: Src, layout: Layout, changed: dict[str, dict[str, Any] | None] | None = None,
                 source: Source = ("", None)) -> None:
        self.src, self.layout, self.changed, self.source = src, layout, changed or {}, source

    def with_change(self, uid: str, rec: dict[str, Any] | None) -> "LazyTable":
        return LazyTable(self.src, self.layout, {**self.changed, uid: rec}, self.source)

    def raw_record(self, uid: str) -> bytes | memoryview:
        lay = self.layout
        k = lay.keys[uid]
        return self.src.read(lay.starts[k], lay.lens[k])

    def _decode(self, uid: str) -> dict[str, Any]:
        try:
            rec = orjson.loads(self.raw_record(uid))
        except (orjson.JSONDecodeError, OSError):
            rec = None
        if not isinstance(rec, dict):
            raise broken_record(self.source, self.layout.first_line + self.layout.keys[uid], uid)
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
        return uid in self.layout.keys

    def __iter__(self) -> Iterator[str]:
        changed = self.changed
        if not changed:
            yield from self.layout.keys
            return
        for uid in self.layout.keys:
            if uid not in changed or changed[uid] is not None:
                yield uid
        for uid, rec in changed.items():
            if rec is not None and uid not in self.layout.keys:
                yield uid

    def __len__(self) -> int:
        n = len(self.layout.keys)
        for uid, rec in self.changed.items():
            n += (rec is not None) - (uid in self.layout.keys)
        return n

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        for uid in self:
            yield uid, self[uid]

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        for uid in self:
            yield self[uid]

    def __repr__(self) -> str:
        return f"<LazyTable {len(self)} records>"


# ------------------------------------------------------------------ writing


def dumps(data: Mapping[str, Mapping[str, Any]]) -> tuple[bytes, dict[str, Layout]]:
    """The file's bytes, and where each record of every table is in them."""
    sink = BytesSink()
    layouts = write(sink, data)
    return sink.getvalue(), layouts


def write(sink: Any, data: Mapping[str, Mapping[str, Any]]) -> dict[str, Layout]:
    """Write the file to ``sink``; where each record is in it. Records of a LazyTable that
    did not change are copied from its file, not re-encoded."""
    try:
        return _write(sink, data)
    except (orjson.JSONEncodeError, TypeError) as e:  # a programming slip must not look like a crash
        raise StorageError(f"保存失败：数据中含有无法写入文件的值（{e}），未做任何改动。") from None


def _write(sink: Any, data: Mapping[str, Mapping[str, Any]]) -> dict[str, Layout]:
    sink.write(b"{\n")
    line = 2
    layouts: dict[str, Layout] = {}
    tables = sorted(data, key=lambda t: (t != "meta", t))  # meta first: its commit record is in the file's head
    for ti, table in enumerate(tables):
        docs = data[table]
        tail = b",\n" if ti < len(tables) - 1 else b"\n"
        key = orjson.dumps(table)
        if not len(docs):
            sink.write(b"  " + key + b": {}" + tail)
            line += 1
            layouts[table] = Layout()
            continue
        sink.write(b"  " + key + b": {\n")
        line += 1
        lay = Layout(sink.pos, line)
        if isinstance(docs, LazyTable) and docs.layout.keys:
            _lazy_pieces(sink, docs, lay)
        else:
            _fresh(sink, docs, docs.keys(), lay)
        sink.write(b"\n  }" + tail)
        line += len(lay.keys) + 1
        layouts[table] = lay
    sink.write(b"}\n")
    return layouts


def _record_line(uid: str, rec: Any) -> tuple[bytes, int]:
    """A record's line (without its separator) and where its "{" is in it."""
    prefix = b"    " + orjson.dumps(uid) + b": "
    return prefix + orjson.dumps(rec, option=orjson.OPT_NON_STR_KEYS), len(prefix)


def _fresh(sink: Any, docs: Mapping[str, Any], uids: Iterable[str], lay: Layout) -> None:
    """Encode ``uids`` of ``docs`` as record lines after what ``lay`` holds."""
    for uid in uids:
        line, k = _record_line(uid, docs[uid])
        if lay.keys:
            sink.write(b",\n")
        lay.keys[uid] = len(lay.keys)
        lay.starts.append(sink.pos + k)
        lay.lens.append(len(line) - k)
        sink.write(line)


def _lazy_pieces(sink: Any, docs: LazyTable, lay: Layout) -> None:
    """A LazyTable's lines: each run of unchanged records is one copy from the old file
    (their offsets shifted), changed ones are encoded, new ones follow at the end. A save
    of one record costs two copies and one encode, not 10 000 lines."""
    old, changed, src = docs.layout, docs.changed, docs.src
    uids = list(old.keys)  # file order
    hits = sorted(old.keys[u] for u in changed if u in old.keys)
    i = 0
    for h in [*hits, len(uids)]:
        if i < h:  # records i .. h-1 are unchanged: one copy
            begin = old.body if i == 0 else old.starts[i - 1] + old.lens[i - 1] + 2
            end = old.starts[h - 1] + old.lens[h - 1]
            if lay.keys:
                sink.write(b",\n")
            shift = sink.pos - begin
            k0 = len(lay.keys)
            lay.keys.update(zip(uids[i:h], range(k0, k0 + h - i)))
            lay.starts.extend(array("q", [s + shift for s in old.starts[i:h]]) if shift else old.starts[i:h])
            lay.lens.extend(old.lens[i:h])
            src.copy_to(sink, begin, end - begin)
        if h < len(uids):
            rec = changed[uids[h]]
            if rec is not None:  # else deleted
                _fresh(sink, {uids[h]: rec}, (uids[h],), lay)
        i = h + 1
    new = [u for u, rec in changed.items() if rec is not None and u not in old.keys]
    _fresh(sink, changed, new, lay)


# ------------------------------------------------------------------ reading


def scan(raw: bytes | Src, lazy: frozenset[str] | set[str], source: Source = ("", None),
         visit: Callable[[str, str, dict[str, Any]], str | None] | None = None,
         reuse: dict[str, dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """Read a file written by ``write``, line by line: small tables parsed, ``lazy`` ones as
    LazyTables over the same source (bytes, or an open file).

    With ``visit`` every record is parsed once and handed to it (``visit(table, uid,
    record)``), which also proves that each one is whole; a string it returns names a
    damaged value, raised with the record's line number. ``reuse``: records of small tables
    already in memory, kept instead of their new copy when equal. Returns None when the file
    is not in this layout (read it with a full parse then); raises DamagedDatabaseError when
    a record of a big table is broken or any record key is there twice.
    """
    src: Src = BytesSource(raw) if isinstance(raw, (bytes, bytearray, memoryview)) else raw  # type: ignore[assignment]
    try:
        return _scan(src, lazy, source, visit, reuse or {})
    except (UnicodeDecodeError, orjson.JSONDecodeError):  # a key that is not text: not this layout
        return None


def _scan(src: Src, lazy: frozenset[str] | set[str], source: Source,
          visit: Callable[[str, str, dict[str, Any]], str | None] | None,
          reuse: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    lines = Lines(src.chunks())
    it = iter(lines)
    same = getattr(visit, "same", None)  # (table, uid, bytes) -> True: the record as read before, kept
    head = next(it, None)
    if head is None or head[1] != b"{":
        return None
    data: dict[str, Any] = {}
    seen: dict[str, int] = {}  # table -> line number of its first line
    table: str | None = None
    lay: Layout | None = None
    docs: dict[str, Any] = {}
    where: dict[str, int] = {}  # small table: uid -> line number
    more = False  # the last table line ended with a comma
    closed = False
    no = 1
    for pos, line in it:
        no += 1
        if closed:
            return None  # something after the final "}"
        if table is None:
            if line == b"}":
                if more:
                    return None
                closed = True
                continue
            if seen and not more:
                return None
            m = _TABLE_EMPTY.fullmatch(line)
            if m:
                name = _key(m.group(1))
                _once(seen, name, no, source)
                data[name] = {}
                more = bool(m.group(2))
                continue
            m = _TABLE_OPEN.fullmatch(line)
            if not m:
                return None
            table = _key(m.group(1))
            _once(seen, table, no, source)
            if table in lazy:
                lay = Layout(pos + len(line) + 1, no + 1)
            else:
                docs, where, lay = {}, {}, None
            continue
        if line == b"  }" or line == b"  },":
            if lay is not None:
                data[table] = LazyTable(src, lay, None, source)
            else:
                data[table] = docs
            more = line.endswith(b",")
            table = None
            continue
        r = _RECORD.match(line)
        if not r:
            return None
        uid = _key(r.group(1))
        brace = r.end() - 1
        stop = len(line) - 1 if line.endswith(b",") else len(line)
        if stop - 1 <= brace or line[stop - 1] != 0x7D:  # "}": the line holds the whole record
            return None
        if lay is not None:
            if uid in lay.keys:  # a copied line: one of the two would be dropped at the next save
                raise duplicate_record(source, table, uid, lay.first_line + lay.keys[uid], no)
            lay.keys[uid] = len(lay.keys)
            lay.starts.append(pos + brace)
            lay.lens.append(stop - brace)
            if visit is None or (same is not None and same(table, uid, memoryview(line)[brace:stop])):
                continue
            try:
                rec = orjson.loads(memoryview(line)[brace:stop])
            except orjson.JSONDecodeError:
                rec = None
            if not isinstance(rec, dict):
                raise broken_record(source, no, uid)
        else:
            if uid in where:
                raise duplicate_record(source, table, uid, where[uid], no)
            try:
                rec = orjson.loads(memoryview(line)[brace:stop])
            except orjson.JSONDecodeError:
                return None  # the full parse names the place
            old = reuse.get(table, {}).get(uid)  # type: ignore[arg-type]
            if old is not None and old == rec:
                rec = old  # unchanged: the record in memory (freeing the old state frees little)
            docs[uid] = rec
            where[uid] = no
            if visit is None:
                continue
        problem = visit(table, uid, rec)
        if problem:  # a damaged value, named with its record
            raise DamagedDatabaseError(source[0], f"第 {no} 行的{problem}", source[1])
    if not closed or table is not None or not lines.newline_at_end:
        return None
    return data


def _once(seen: dict[str, int], table: str, no: int, source: Source) -> None:
    if table in seen:
        raise DamagedDatabaseError(source[0], f"表“{table}”出现了两次（第 {seen[table]} 行和第 {no} 行），文件可能被手工改坏",
                                   source[1])
    seen[table] = no


def duplicate_record(source: Source, table: str, uid: str, a: int, b: int) -> DamagedDatabaseError:
    return DamagedDatabaseError(
        source[0], f"表“{table}”中的记录 {uid} 出现了两次（第 {a} 行和第 {b} 行），可能是手工编辑时复制了一行", source[1])


def broken_record(source: Source, line: int, uid: str) -> DamagedDatabaseError:
    return DamagedDatabaseError(source[0], f"第 {line} 行的记录 {uid} 已损坏（不是完整的 JSON 对象）", source[1])


def _key(quoted: bytes) -> str:
    """A JSON string key; ValueError (UnicodeDecodeError, JSONDecodeError) when it is none."""
    return orjson.loads(quoted) if b"\\" in quoted else quoted[1:-1].decode("utf-8")


def share(value: Any) -> Any:
    """One object for equal short strings (dates, uids, names) across many light rows."""
    return sys.intern(value) if type(value) is str and len(value) <= 40 else value
