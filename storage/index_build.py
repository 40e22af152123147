"""Building the index file of a shard (index.py reads it): the header with the small tables,
then one line per group of a big table (items by campaign, contacts by quarter), each with
where its records are in the shard and, for contacts, each link's count and latest date.
The same grouping is the in-memory view of a loaded shard (Shard.view)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import orjson

from .index import COLUMNAR, GROUPED, INDEX_FORMAT, LIGHT_FIELDS, Stamp, contact_row, quarter_key
from .yielding import Pacer, settle_young


def build(data: dict[str, Any], light: Callable[[str], dict[str, dict[str, Any]]], stamp: Stamp,
          commit: str | None) -> bytes:
    """The index file for a shard's data as just loaded or committed."""
    return b"\n".join(build_lines(data, light, stamp, commit)) + b"\n"


def build_lines(data: dict[str, Any], light: Callable[[str], dict[str, dict[str, Any]]], stamp: Stamp,
                commit: str | None) -> Iterator[bytes]:
    """The lines of ``build`` one at a time (`check` compares them with the file's, line by
    line, holding neither whole): the header, then one line per group."""
    from .lines import LazyTable

    tables: dict[str, Any] = {}
    for t, docs in data.items():
        if t in GROUPED:
            continue
        tables[t] = docs if t not in LIGHT_FIELDS else light(t)
    yield orjson.dumps({"format": INDEX_FORMAT, "stamp": list(stamp), "commit": commit, "tables": tables,
                        "grouped": sorted(t for t in GROUPED if t in data)})
    del tables
    for t, docs in data.items():
        if t in GROUPED:
            # Where each record is: only for a table as the file holds it (no changes pending).
            lay = docs.layout if isinstance(docs, LazyTable) and not docs.changed else None
            groups = grouped(t, light(t), lay)
            for g in list(groups):
                # JSON never holds a raw tab or newline: "table<TAB>group<TAB>json" splits safely.
                yield t.encode() + b"\t" + orjson.dumps(g) + b"\t" + orjson.dumps(groups.pop(g))


def grouped(table: str, rows: dict[str, dict[str, Any]], lay: Any = None) -> dict[str, dict[str, Any]]:
    """The group lines of a grouped table's light rows: group -> {"rows", "at", "stats"}
    (see ShardIndex.group); ``lay`` (a lines.Layout) gives the offsets."""
    if table == "contacts":
        return _contact_groups(rows, lay)
    key = GROUPED[table]
    groups: dict[str, dict[str, Any]] = {}
    pacer = Pacer()
    for uid, row in rows.items():
        pacer.tick()
        groups.setdefault(key(row), {})[uid] = row
    out = {}
    for g, rs in groups.items():
        out[g] = {
            "rows": columns(table, rs) if table in COLUMNAR else rs,
            "at": [x for k in map(lay.keys.__getitem__, rs) for x in (lay.starts[k], lay.lens[k])]
            if lay is not None else None,
        }
    return out


def _contact_groups(rows: dict[str, dict[str, Any]], lay: Any) -> dict[str, dict[str, Any]]:
    """Contacts by quarter, column-wise, with each link's count and latest date: one pass
    (500 000 at 10× are regrouped at every save of a contact and every check)."""
    quarter: dict[Any, str] = {}
    out: dict[str, dict[str, Any]] = {}
    keys, starts, lens = (lay.keys, lay.starts, lay.lens) if lay is not None else (None, None, None)
    pacer = Pacer()
    for uid, row in rows.items():
        pacer.tick()
        link, d = contact_row(row)
        g = quarter.get(d)
        if g is None:
            g = quarter[d] = quarter_key(d)
        line = out.get(g)
        if line is None:
            line = out[g] = {"rows": {"@columns": {"uid": [], "link": [], "date": []}}, "at": [] if keys is not None else None,
                             "stats": {"n": {}, "last": {}}}
            settle_young()  # its lists, still empty, out of the young generation (yielding.py)
        cols = line["rows"]["@columns"]
        cols["uid"].append(uid)
        cols["link"].append(link)
        cols["date"].append(d)
        if keys is not None:
            k = keys[uid]
            at = line["at"]
            at.append(starts[k])
            at.append(lens[k])
        counts, last = line["stats"]["n"], line["stats"]["last"]
        lk, day = link or "", d or ""
        counts[lk] = counts.get(lk, 0) + 1
        if day > last.get(lk, ""):
            last[lk] = day
        elif lk not in last:
            last[lk] = day
    for line in out.values():  # tuples of strings: the garbage collector soon stops tracking them
        cols = line["rows"]["@columns"]
        for f in cols:
            cols[f] = tuple(cols[f])
        if line["at"] is not None:
            line["at"] = tuple(line["at"])
        settle_young()  # each quarter's tuples looked at now, not all of them in one go later
    return out


def columns(table: str, rows: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {"@columns": {"uid": list(rows), **{f: [r.get(f) for r in rows.values()] for f in LIGHT_FIELDS[table]}}}
