"""Match imported headings (“（一）在带头……方面”, a ledger's 问题类别 cell) to dimensions.

Tolerant of the 在……方面 wrapping, of punctuation and spacing, and of the short
label (“政治纪律”) standing for the full title; one dimension per heading.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Any, Iterable, Sequence

from ..dimensions import BUILTIN_SETS, DimensionSet
from .text import heading_key, squash

MIN_CONTAIN = 4  # characters: shorter keys only match exactly
MIN_RATIO = 0.82


def _keys(dim: dict[str, Any]) -> tuple[str, str]:
    return heading_key(dim.get("title") or ""), squash(dim.get("short") or "")


def match_one(heading: str, dims: Sequence[dict[str, Any]], taken: Iterable[str] = ()) -> dict[str, Any] | None:
    """The dimension ``heading`` names, or None. ``taken``: keys already matched."""
    key = heading_key(heading)
    if not key:
        return None
    free = [d for d in dims if d.get("key") not in set(taken)]
    for d in free:  # exact: title or short label
        title, short = _keys(d)
        if key in (title, short):
            return d
    for d in free:  # one contains the other (“政治纪律方面存在的问题”, a shortened title)
        title, short = _keys(d)
        for k in (title, short):
            if len(k) >= MIN_CONTAIN and len(key) >= MIN_CONTAIN and (k in key or key in k):
                return d
    best, score = None, 0.0
    for d in free:  # small differences in wording
        r = SequenceMatcher(None, key, _keys(d)[0]).ratio()
        if r > score:
            best, score = d, r
    return best if score >= MIN_RATIO else None


def match_all(headings: Sequence[str], dims: Sequence[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """Each heading's dimension (or None), each dimension used at most once."""
    out: list[dict[str, Any] | None] = []
    taken: list[str] = []
    for h in headings:
        d = match_one(h, dims, taken)
        if d is not None:
            taken.append(d["key"])
        out.append(d)
    return out


def matches_builtin(heading: str) -> bool:
    return any(match_one(heading, s.copy()) for s in BUILTIN_SETS)


def builtin_set_for(headings: Sequence[str]) -> DimensionSet | None:
    """The built-in set every heading matches (the one with most matches wins), or None."""
    if not headings:
        return None
    best: DimensionSet | None = None
    for s in BUILTIN_SETS:
        found = match_all(headings, s.copy())
        if all(found) and (best is None or len(s.dimensions) < len(best.dimensions)):
            best = s
    return best
