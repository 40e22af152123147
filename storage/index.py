"""The derived index beside each shard (``zhenggai.index.json``, ``zhenggai.contacts.index.json``).

Every commit writes, beside each shard it changed, the small tables whole and
only the LIGHT_FIELDS of the two big tables, headed by the shard's stamp (inode,
mtime_ns, size) and its commit id (see shard.py). The big tables are grouped, one
line per group, so that a reader parses only the group it shows: items by
campaign, contacts by quarter (column-wise, with each link's count and latest
date in that quarter: coverage without a single contact parsed). Each group line
also says where each of its records is in the shard file (offset and length), so
that the records of one campaign or one quarter can be read from the file as it
is, without parsing the others (``Shard.read_at``). A reader whose shard is not parsed yet
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
        "deadline", "deadline_text", "status", "submitted_on", "created", "updated", "updated_by", "rev", "origin",
    ),
    "contacts": ("link", "date"),  # 50 000 of them: the key is the uid
}
# Big tables are kept as a LazyTable: the file's bytes, parsed one record at a time.
LAZY = frozenset(LIGHT_FIELDS)
# Light tables stored column-wise in the index (one list per field): 50 000 contacts
# parse several times faster as two lists of strings than as 50 000 small objects.
COLUMNAR = frozenset({"contacts"})
INDEX_FORMAT = 10  # 10: contacts by quarter with counts, record offsets, items' origin


def quarter_key(date: Any) -> str:
    """"2026-Q4" for a date "2026-11-21"; "" for none."""
    if type(date) is not str or len(date) < 7 or not date[5:7].isdigit():
        return ""
    return f"{date[:4]}-Q{(int(date[5:7]) - 1) // 3 + 1}"


# Light rows of these tables are grouped in the index, one line per group, so that the
# first screen parses only the campaign it shows (500 of 10 000 items at scale), and
# 三联系 only the quarter it shows.
GROUPED: dict[str, Callable[[dict[str, Any]], str]] = {
    "items": lambda row: row.get("campaign") or "",
    "contacts": lambda row: quarter_key(row.get("date")),
}

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
        self.group_stats: dict[str, dict[str, dict[str, Any]]] = {}  # table -> group -> stats only

    def load(self, stamp: Stamp, commit: str | None, bump: bool = True) -> dict[str, Any] | None:
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
        if bump:  # (a refresh in a thread counts the new state when it swaps it in)
            self.shard.bump()
        return tables

    def rows(self, table: str, group: str | None = None) -> dict[str, Any] | None:
        """Rows of ``table`` in the current index (call load first): all of them, or, for a
        grouped table, those of one ``group`` (column-wise ones as ``{"@columns": …}``).
        None when a group line is broken."""
        idx = self.tables
        if idx is None:
            return None
        spans = self.groups.get(table)
        if spans is None:
            return idx.get(table, {})
        if group is None:
            if table not in idx:
                parts = []
                for g in spans:
                    got = self.group(table, g)
                    if got is None:
                        return None
                    parts.append(got["rows"])
                idx[table] = _merge(parts)
            return idx[table]
        got = self.group(table, group)
        return None if got is None else got["rows"]

    def group(self, table: str, group: str) -> dict[str, Any] | None:
        """One group line, parsed once: {"rows", "at" (offset and length of each record in
        the shard file, in the rows' order, one after the other; or None), "stats" (contacts:
        {"n": link -> count, "last": link -> latest date}: two flat maps, so that hundreds of
        thousands of them are no objects the garbage collector must walk)}. An empty group for a group not there; None when the line is broken."""
        cache = self.group_rows.setdefault(table, {})
        if group not in cache:
            got = self._parse_group(table, group)
            if got is None:
                return None
            cache[group] = got
        return cache[group]

    def stats(self, table: str, group: str) -> dict[str, Any] | None:
        """Only a group's "stats" (``group``): the line parsed and its rows let go again, as
        the links tab and coverage read every quarter's counts but none of its rows (all of
        them kept were 60 MB at 3×). None when the line is broken."""
        got = self.group_rows.get(table, {}).get(group)
        if got is not None:
            return got.get("stats") or {"n": {}, "last": {}}
        cache = self.group_stats.setdefault(table, {})
        if group not in cache:
            got = self._parse_group(table, group)
            if got is None:
                return None
            cache[group] = got.get("stats") or {"n": {}, "last": {}}
        return cache[group]

    def _parse_group(self, table: str, group: str) -> dict[str, Any] | None:
        span = (self.groups.get(table) or {}).get(group)
        if span is None:
            return {"rows": {"@columns": {"uid": []}} if table in COLUMNAR else {}, "at": [],
                    "stats": {"n": {}, "last": {}}}
        try:
            got = orjson.loads(memoryview(self.raw)[span[0]:span[1]])
        except orjson.JSONDecodeError:
            got = None
        if not _group_ok(table, got):
            self.rejected = True
            self.drop()
            return None
        _freeze(got)
        return got

    def spans(self, table: str, group: str) -> dict[str, tuple[int, int]] | None:
        """uid -> (offset, length) in the shard file of the records of one group; None when
        the index does not say (a shard of another layout) or the line is broken."""
        got = self.group(table, group)
        if got is None or got.get("at") is None:
            return None
        rows = got["rows"]
        uids = rows["@columns"]["uid"] if "@columns" in rows else rows
        at = got["at"]
        return {u: (at[2 * k], at[2 * k + 1]) for k, u in enumerate(uids)}

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


def _freeze(got: dict[str, Any]) -> None:
    """A parsed group line's long lists as tuples, as index_build makes them: tuples of
    numbers and strings the garbage collector stops tracking, where each list of hundreds of
    thousands of offsets was walked at every full collection (a pause the screen felt at 10×)."""
    if got.get("at") is not None:
        got["at"] = tuple(got["at"])
    cols = got["rows"].get("@columns")
    if cols is not None:
        for f in cols:
            cols[f] = tuple(cols[f])


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """The rows of several groups as one (column-wise ones column by column)."""
    if parts and "@columns" in parts[0]:
        cols: dict[str, list[Any]] = {}
        for p in parts:
            for f, values in p["@columns"].items():
                cols.setdefault(f, []).extend(values)
        return {"@columns": cols or {"uid": []}}
    merged: dict[str, Any] = {}
    for p in parts:
        merged.update(p)
    return merged


def _group_ok(table: str, got: Any) -> bool:
    """A group line's shape and values (rows_ok for the rows): a damaged one is not used."""
    if not isinstance(got, dict) or not rows_ok(table, got.get("rows")):
        return False
    rows = got["rows"]
    n = len(rows["@columns"]["uid"]) if "@columns" in rows else len(rows)
    at = got.get("at")  # offset, length, offset, length, … of the rows in order
    if at is not None and (not isinstance(at, list) or len(at) != 2 * n or not all(type(x) is int and x >= 0 for x in at)):
        return False
    stats = got.get("stats", {"n": {}, "last": {}})
    n, last = (stats.get("n"), stats.get("last")) if isinstance(stats, dict) else (None, None)
    return isinstance(n, dict) and isinstance(last, dict) and n.keys() == last.keys() and all(
        type(v) is int for v in n.values()) and all(type(v) is str for v in last.values())


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
    """An index file as one object (header with every table, grouped ones merged; their
    offsets and stats under "groups"), or None."""
    parsed = parse_index(raw)
    if parsed is None:
        return None
    header, groups = parsed
    header["groups"] = {}
    for t, spans in groups.items():
        parts, lines = [], {}
        for g, (a, b) in spans.items():
            try:
                part = orjson.loads(raw[a:b])
            except orjson.JSONDecodeError:
                return None
            if not isinstance(part, dict) or not isinstance(part.get("rows"), dict):
                return None
            parts.append(part["rows"])
            lines[g] = {k: v for k, v in part.items() if k != "rows"}
        header["tables"][t] = expand(_merge(parts)) if parts else {}
        header["groups"][t] = lines
    return header


def read_index(path: str) -> dict[str, Any]:
    """An index file as one object: for tests and for a person looking at the file."""
    with open(path, "rb") as fh:
        out = merged(fh.read())
    if out is None:
        raise ValueError(f"not a zhenggai index: {path}")
    return out


def project(table: str, uid: str, rec: dict[str, Any], share: Callable[[Any], Any]) -> Any:
    """A record's light row: a dict of LIGHT_FIELDS (and uid); for a contact one string,
    link and date (``contact_row``). Half a million contacts at 10× as dicts made one dict of
    dicts that the garbage collector walked in full at every collection (100 ms and more);
    a dict of strings it does not track at all."""
    if table == "contacts":
        return f"{rec.get('link') or ''}\x1f{rec.get('date') or ''}"
    row = {"uid": uid}
    for f in LIGHT_FIELDS[table]:
        if f in rec:
            row[f] = share(rec[f])
    return row


def contact_row(row: Any) -> tuple[str, str]:
    """(link, date) of a contact's light row (``project``; a date never holds the separator)."""
    if type(row) is str:
        link, _, date = row.rpartition("\x1f")
        return link, date
    return row.get("link") or "", row.get("date") or ""


def expand(rows: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An index table as uid -> row (column-wise ones expanded)."""
    if "@columns" not in rows:
        return rows
    cols = rows["@columns"]
    names = [f for f in cols if f != "uid"]
    return {uid: {"uid": uid, **dict(zip(names, vals))} for uid, *vals in zip(cols["uid"], *(cols[f] for f in names))}
