"""三联系 contacts, read by what is shown: a quarter, a link, a person's recent ones, counts.

Contacts are kept grouped by quarter (``db.groups("contacts")``: the index's quarter lines
while the 三联系 file is not loaded, else the same worked out from the loaded file), each
with its contacts' uid, link and date and each link's count and latest date in the quarter.
So coverage and the counts of the links tab parse no contact at all, a quarter's list
parses that quarter's records only, and a person's three latest contacts look only into
the quarters in which one of their links had a contact.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable, Mapping

from .dates import quarter_of

Groups = Mapping[str, dict[str, Any]]


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}-Q{quarter}"


def _keys(groups: Groups, newest_first: bool = True) -> list[str]:
    """The quarters present, newest first ("" (no date) last)."""
    return sorted((g for g in groups if g), reverse=newest_first) + ([""] if "" in groups else [])


def _stats(group: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """A quarter's {"n": link -> count, "last": link -> latest date}."""
    return (group or {}).get("stats") or {"n": {}, "last": {}}


def _group_stats(groups: Any, key: str) -> dict[str, dict[str, Any]]:
    """A quarter's stats without keeping its rows where the groups come from the index."""
    stats = getattr(groups, "stats", None)
    return stats(key) if stats is not None else _stats(groups.get(key))


def _cols(group: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    cols = group["rows"].get("@columns")
    if cols is None:  # rows as dicts (a view worked out from another layout)
        rows = group["rows"]
        return list(rows), [r.get("link") or "" for r in rows.values()], [r.get("date") or "" for r in rows.values()]
    n = len(cols["uid"])
    return cols["uid"], cols.get("link") or [""] * n, cols.get("date") or [""] * n


def counts(db: Any, year: int, quarter: int) -> dict[str, int]:
    """link -> number of contacts dated in the quarter."""
    return dict(_group_stats(db.groups("contacts"), quarter_key(year, quarter))["n"])


def latest(db: Any, until: str | None = None) -> dict[str, str]:
    """link -> date of its latest contact (on or before ``until``, an ISO date, when given)."""
    groups = db.groups("contacts")
    out: dict[str, str] = {}
    for key in _keys(groups):
        if until is not None and key and key > _key_of(until):
            continue  # a quarter wholly after ``until``
        if until is not None and key == _key_of(until):
            uids, links, dates = _cols(groups[key])
            for link, d in zip(links, dates):
                if d and d <= until and d > out.get(link, ""):
                    out[link] = d
            continue
        for link, d in _group_stats(groups, key)["last"].items():
            if d > out.get(link, ""):
                out[link] = d
    return out


def _key_of(date: str) -> str:
    try:
        d = _dt.date.fromisoformat(date)
    except ValueError:
        return ""
    return quarter_key(*quarter_of(d))


def total_for(db: Any, links: set[str]) -> int:
    """How many contacts were logged on ``links`` (any date)."""
    groups = db.groups("contacts")
    return sum(n for g in groups for link, n in _group_stats(groups, g)["n"].items() if link in links)


def in_range(db: Any, start: _dt.date, end: _dt.date, link: str | None = None) -> list[dict[str, Any]]:
    """Full records dated start..end (on ``link`` only, when given), oldest first."""
    s, e = start.isoformat(), end.isoformat()
    first, last = quarter_key(*quarter_of(start)), quarter_key(*quarter_of(end))
    groups = db.groups("contacts")
    out: list[dict[str, Any]] = []
    for key in _keys(groups, newest_first=False):
        if not key or not first <= key <= last:
            continue
        got = groups[key]
        if link is not None and link not in _stats(got)["n"]:
            continue
        uids, links, dates = _cols(got)
        picked = [u for u, lk, d in zip(uids, links, dates) if s <= d <= e and (link is None or lk == link)]
        out += _records(db, picked, key)
    out.sort(key=lambda c: c.get("date", ""))
    return out


def quarter_list(db: Any, year: int, quarter: int) -> list[tuple[str, str, str]]:
    """(uid, link, date) of the quarter's contacts, newest first (ties: the later logged
    first), from the quarter's columns: no record is parsed."""
    from .dates import quarter_bounds

    start, end = quarter_bounds(year, quarter)
    s, e = start.isoformat(), end.isoformat()
    got = db.groups("contacts").get(quarter_key(year, quarter))
    if got is None:
        return []
    uids, links, dates = _cols(got)
    rows = sorted((t for t in zip(uids, links, dates) if s <= t[2] <= e), key=lambda t: t[2])
    rows.reverse()
    return rows


def fetch(db: Any, uids: list[str], year: int, quarter: int) -> dict[str, dict[str, Any]]:
    """Full records of some contacts of one quarter (only those read)."""
    return db.records("contacts", uids, group=quarter_key(year, quarter))


def on_links(db: Any, links: Iterable[str], limit: int | None = None) -> list[dict[str, Any]]:
    """Full records on any of ``links``, newest first; with ``limit``, only that many (the
    quarters are looked into newest first, and only those in which a link had a contact)."""
    wanted = set(links)
    groups = db.groups("contacts")
    out: list[dict[str, Any]] = []
    for key in _keys(groups):
        if limit is not None and len(out) >= limit:
            break
        got = groups[key]
        if not wanted & _stats(got)["n"].keys():
            continue
        uids, lks, dates = _cols(got)
        picked = sorted(((d, u) for u, lk, d in zip(uids, lks, dates) if lk in wanted), reverse=True)
        if limit is not None:
            picked = picked[: limit - len(out)]
        recs = _records(db, [u for _, u in picked], key)
        recs.sort(key=lambda c: c.get("date", ""), reverse=True)
        out += recs
    return out


def _records(db: Any, uids: list[str], key: str) -> list[dict[str, Any]]:
    got = db.records("contacts", uids, group=key)
    return [got[u] for u in uids if u in got]
