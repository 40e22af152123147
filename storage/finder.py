"""Finding a person or an item by a few typed characters: the 三联系 search bar and the command
palette. Both run on every keystroke, so both read only what is cheap and keep it:

- people: the persons table (small; served whole from the index) with a haystack per person
  (姓名, 单位职务, 界别, 党派, 专委会, 身份) and the pinyin initials of the name (storage.pinyin);
- items: the light rows (storage.index.LIGHT_FIELDS: title, leader, …), never the records,
  so 10 000 items are searched without parsing the items file.

Each is rebuilt only when ``db.version`` changes (another save, a reload).
"""

from __future__ import annotations

import weakref
from typing import Any

from . import pinyin
from .database import Database
from .queries import item_rows

PERSON_FIELDS = ("name", "unit_title", "sector", "party", "committee", "role")


class _People:
    __slots__ = ("version", "rows", "with_initials")

    def __init__(self, version: int, rows: list[tuple[dict[str, Any], str, list[str]]], with_initials: bool):
        self.version = version
        self.rows = rows
        self.with_initials = with_initials


class _Items:
    __slots__ = ("version", "rows")

    def __init__(self, version: int, rows: list[tuple[str, dict[str, Any]]]):
        self.version = version
        self.rows = rows


_people: "weakref.WeakKeyDictionary[Database, _People]" = weakref.WeakKeyDictionary()
_items: "weakref.WeakKeyDictionary[Database, _Items]" = weakref.WeakKeyDictionary()


def _people_index(db: Database, initials: bool) -> _People:
    persons = db.table_dict("persons")  # re-reads a file another process saved: bumps db.version
    idx = _people.get(db)
    if idx is None or idx.version != db.version or (initials and not idx.with_initials):
        rows = []
        for p in persons.values():
            hay = "\n".join(str(p.get(f) or "") for f in PERSON_FIELDS).casefold()
            rows.append((p, hay, pinyin.initials(p.get("name") or "") if initials else []))
        idx = _people[db] = _People(db.version, rows, initials)
    return idx


def search_people(db: Database, text: str, *, inactive: bool = True, initials: bool = True) -> list[dict[str, Any]]:
    """People matching every space-separated term of ``text``: a substring of 姓名, 单位职务,
    界别, 党派, 专委会 or 身份, or (a term of latin letters) the pinyin initials of consecutive
    characters of the name (“wjh”, “jh” find 王建华). Names that match come first; then by
    name. ``initials=False`` leaves the pinyin table unread (it is loaded on first use)."""
    terms = [t.casefold() for t in text.split() if t]
    idx = _people_index(db, initials)
    hits = []
    for p, hay, name_initials in idx.rows:
        if not inactive and not p.get("active", True):
            continue
        rank = 0
        for term in terms:
            if term in hay:
                rank += 0 if term in (p.get("name") or "").casefold() else 1
            elif name_initials and term.isascii() and term.isalpha() and pinyin.matches(term, name_initials):
                rank += 0
            else:
                break
        else:
            hits.append((rank, p.get("name") or "", p))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [p for _, _, p in hits]


def find_items(db: Database, text: str, campaign: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
    """Items (light rows) whose 问题概述 or 责任领导 contains every term of ``text``: those of
    ``campaign`` first, then the other campaigns', each in document order; at most ``limit``."""
    terms = [t.casefold() for t in text.split() if t]
    if not terms:
        return []
    idx = _items.get(db)
    if idx is None or idx.version != db.version:
        rows = [(f"{r.get('title') or ''}\n{r.get('leader') or ''}".casefold(), r) for r in item_rows(db)]
        idx = _items[db] = _Items(db.version, rows)
    first: list[dict[str, Any]] = []
    rest: list[dict[str, Any]] = []
    for hay, row in idx.rows:
        if all(t in hay for t in terms):
            (first if row.get("campaign") == campaign else rest).append(row)
            if len(first) >= limit:
                break
    return (first + rest)[:limit]
