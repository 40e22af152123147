"""The derived index beside each shard (``zhenggai.index.json``, ``zhenggai.contacts.index.json``).

Every commit writes, beside each shard it changed, the small tables whole and
only the LIGHT_FIELDS of the two big tables (items grouped one line per
campaign, contacts column-wise), headed by the shard's stamp (inode, mtime_ns,
size) and its commit id (see shard.py). A reader whose shard is not parsed yet
(the first screen, `review`) serves small tables and light rows from an index
whose stamp and commit id both match the shard file as it is now; anything
else (another writer, a crash between the two renames, an old database, a
damaged value) falls back to the shard file.

The index is never a source for writes: a loaded shard derives its light rows
from its own records, and the index is always rebuilt from them. `check`
compares the index with the shard and rebuilds one that differs.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Callable

import orjson

from .errors import StorageError, UnsafePathError
from .sanity import rows_ok

if TYPE_CHECKING:
    from .shard import Shard

# The big tables: the index keeps only these fields of their records.
LIGHT_FIELDS: dict[str, tuple[str, ...]] = {
    "items": (
        "uid", "campaign", "dimension", "subject", "seq", "title", "leader", "owner_dept", "kind",
        "deadline", "deadline_text", "status", "submitted_on", "created", "updated", "updated_by", "rev",
    ),
    "contacts": ("link", "date"),  # 50 000 of them: the key is the uid
}
# Big tables are kept as a LazyTable: the file's bytes, parsed one record at a time.
LAZY = frozenset(LIGHT_FIELDS)
# Light tables stored column-wise in the index (one list per field): 50 000 contacts
# parse several times faster as two lists of strings than as 50 000 small objects.
COLUMNAR = frozenset({"contacts"})
# Light rows of these tables are grouped by this field in the index, one line per group, so
# that the first screen parses only the campaign it shows (500 of 10 000 items at scale).
GROUPED = {"items": "campaign"}
INDEX_FORMAT = 7  # 7: items' light rows carry submitted_on

Stamp = tuple[int, int, int]
_HEAD = re.compile(rb'\{"format":(\d+),"stamp":\[(\d+),(\d+),(\d+)\],"commit":("(?:[^"\\\n]|\\.)*"|null)')


class ShardIndex:
    """The parsed index of one shard, valid for one (stamp, commit) of the shard file."""

    def __init__(self, shard: "Shard", name: str) -> None:
        self.shard, self.name = shard, name
        self.drop()
        self.rejected = False  # seen stale, foreign or damaged: rewrite it after the next full parse

    def drop(self) -> None:
        self.tables: dict[str, Any] | None = None
        self.stamp: Stamp | None = None
        self.commit: str | None = None
        self.raw = b""  # the index file, for its group lines parsed on demand
        self.groups: dict[str, dict[str, tuple[int, int]]] = {}  # table -> group -> span
        self.group_rows: dict[str, dict[str, dict[str, Any]]] = {}  # table -> group -> rows

    def load(self, stamp: Stamp, commit: str | None) -> dict[str, Any] | None:
        """The index's tables when it describes the shard file with this stamp and commit id
        (a shard of an older layout has none: until its first save rewrites it, its stamp
        is all there is, as it was for the version that wrote it)."""
        if self.tables is not None and self.stamp == stamp and self.commit == commit:
            return self.tables
        try:
            got = self.shard.folder.read(self.name)
        except UnsafePathError:
            raise
        except StorageError:
            self.rejected = True
            return None
        if got is None:
            return None
        raw = got[0]
        parsed = parse_index(raw)
        if parsed is None or tuple(parsed[0].get("stamp") or ()) != stamp or parsed[0].get("commit") != commit:
            self.rejected = True
            return None
        header, groups = parsed
        tables = header["tables"]
        if not all(rows_ok(t, rows) for t, rows in tables.items() if t in LIGHT_FIELDS or t in _SMALL):
            self.rejected = True  # a damaged value: read the shard, which names the record
            return None
        self.drop()
        self.tables, self.stamp, self.commit = tables, stamp, commit
        self.raw, self.groups = raw, groups
        self.shard.owner.version += 1
        return tables

    def rows(self, table: str, group: str | None = None) -> dict[str, Any] | None:
        """Rows of ``table`` in the current index (call load first): all of them, or, for a
        grouped table, those of one ``group``. None when a group line is broken."""
        idx = self.tables
        if idx is None:
            return None
        spans = self.groups.get(table)
        if spans is None:
            return idx.get(table, {})
        if group is None:
            if table not in idx:
                merged: dict[str, Any] = {}
                for g in spans:
                    rows = self.rows(table, g)
                    if rows is None:
                        return None
                    merged.update(rows)
                idx[table] = merged
            return idx[table]
        cache = self.group_rows.setdefault(table, {})
        if group not in cache:
            span = spans.get(group)
            if span is None:
                cache[group] = {}
            else:
                try:
                    rows = orjson.loads(memoryview(self.raw)[span[0]:span[1]])
                except orjson.JSONDecodeError:
                    rows = None
                if not rows_ok(table, rows):
                    self.rejected = True
                    self.drop()
                    return None
                cache[group] = rows
        return cache[group]

    def describes(self, stamp: Stamp | None, commit: str | None) -> bool:
        """Whether the index file's header names this stamp and commit (reads its first bytes)."""
        try:
            got = self.shard.folder.head(self.name, 512)
        except UnsafePathError:
            raise
        except StorageError:
            return False
        if got is None or stamp is None:
            return False
        m = _HEAD.match(got[0])
        if not m or int(m.group(1)) != INDEX_FORMAT:
            return False
        return (int(m.group(2)), int(m.group(3)), int(m.group(4))) == stamp and orjson.loads(m.group(5)) == commit

    def write(self, payload: bytes, mode: int) -> None:
        """Replace the index file (best effort, no fsync: a reader checks what it finds)."""
        try:
            self.shard.folder.replace(self.name, payload, mode, durable=False, step="index")
        except UnsafePathError:
            raise
        except StorageError:
            pass  # a read-only folder or a full disk: readers fall back to the shard file


_SMALL = frozenset({"campaigns", "outlines", "opinions", "persons", "links"})


def build(data: dict[str, Any], light: Callable[[str], dict[str, dict[str, Any]]], stamp: Stamp,
          commit: str | None) -> bytes:
    """The index file for a shard's data as just loaded or committed."""
    tables: dict[str, Any] = {}
    group_lines: list[bytes] = []
    for t, docs in data.items():
        if t in GROUPED:
            by = GROUPED[t]
            groups: dict[str, dict[str, Any]] = {}
            for uid, row in light(t).items():
                groups.setdefault(row.get(by) or "", {})[uid] = row
            # JSON never holds a raw tab or newline: "table<TAB>group<TAB>rows" splits safely.
            group_lines += [t.encode() + b"\t" + orjson.dumps(g) + b"\t" + orjson.dumps(rows) for g, rows in groups.items()]
        elif t not in LIGHT_FIELDS:
            tables[t] = docs
        elif t in COLUMNAR:
            rows = light(t)
            tables[t] = {"@columns": {"uid": list(rows), **{f: [r.get(f) for r in rows.values()] for f in LIGHT_FIELDS[t]}}}
        else:
            tables[t] = light(t)
    header = orjson.dumps({"format": INDEX_FORMAT, "stamp": list(stamp), "commit": commit, "tables": tables,
                           "grouped": sorted(t for t in GROUPED if t in data)})
    return b"\n".join([header, *group_lines]) + b"\n"


def parse_index(raw: bytes) -> tuple[dict[str, Any], dict[str, dict[str, tuple[int, int]]]] | None:
    """An index file: its header (format, stamp, commit, tables) and where each group line's
    rows are, or None when it is not a current-format index."""
    nl = raw.find(b"\n")
    try:
        header = orjson.loads(memoryview(raw)[: nl if nl >= 0 else len(raw)])
    except orjson.JSONDecodeError:
        return None
    if not isinstance(header, dict) or header.get("format") != INDEX_FORMAT or not isinstance(header.get("tables"), dict):
        return None
    groups: dict[str, dict[str, tuple[int, int]]] = {t: {} for t in header.get("grouped") or () if isinstance(t, str)}
    pos, end = nl + 1, len(raw)
    while 0 < pos < end:
        stop = raw.find(b"\n", pos)
        stop = end if stop < 0 else stop
        t1 = raw.find(b"\t", pos, stop)
        t2 = raw.find(b"\t", t1 + 1, stop) if t1 >= 0 else -1
        if t2 < 0:
            return None
        table = raw[pos:t1].decode("utf-8", "replace")
        try:
            group = orjson.loads(raw[t1 + 1:t2])
        except orjson.JSONDecodeError:
            return None
        if table not in groups or not isinstance(group, str):
            return None
        groups[table][group] = (t2 + 1, stop)
        pos = stop + 1
    return header, groups


def merged(raw: bytes) -> dict[str, Any] | None:
    """An index file as one object (header with every table, grouped ones merged), or None."""
    parsed = parse_index(raw)
    if parsed is None:
        return None
    header, groups = parsed
    for t, spans in groups.items():
        rows: dict[str, Any] = {}
        for a, b in spans.values():
            try:
                part = orjson.loads(raw[a:b])
            except orjson.JSONDecodeError:
                return None
            if not isinstance(part, dict):
                return None
            rows.update(part)
        header["tables"][t] = rows
    return header


def read_index(path: str) -> dict[str, Any]:
    """An index file as one object: for tests and for a person looking at the file."""
    with open(path, "rb") as fh:
        out = merged(fh.read())
    if out is None:
        raise ValueError(f"not a zhenggai index: {path}")
    return out


def project(table: str, uid: str, rec: dict[str, Any], share: Callable[[Any], Any]) -> dict[str, Any]:
    row = {"uid": uid}
    for f in LIGHT_FIELDS[table]:
        if f in rec:
            row[f] = share(rec[f])
    return row


def expand(rows: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An index table as uid -> row (column-wise ones expanded)."""
    if "@columns" not in rows:
        return rows
    cols = rows["@columns"]
    names = [f for f in cols if f != "uid"]
    return {uid: {"uid": uid, **dict(zip(names, vals))} for uid, *vals in zip(cols["uid"], *(cols[f] for f in names))}
