"""Whether a stored record passes ``models.normalize``, answered cheaply for the usual case.

`check` asks this of every record (670 000 at 10×): ``normalize`` cleans every text field
(regular expressions, Unicode normalisation) and builds a new record, about 60 µs each.
A record the app wrote is already clean, so ``surely_valid`` only confirms that each value
is the kind normalize leaves as it is and breaks none of its rules (lengths, choices,
ranges, required fields, the cross-record rules). When it cannot confirm it — an unclean
text, a date in another spelling, anything odd — it says so, and the caller runs
``normalize`` itself, whose verdict counts. So it never passes what normalize refuses.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from typing import Any, Callable

from .models import MAX_INT, MAX_LIST_ITEMS, MAX_TEXT, SPECS, FieldSpec, _cross_rules
from .text import _BAD

_Check = Callable[[Any], bool]


def _clean(v: Any, multiline: bool) -> bool:
    """``clean_text(v) == v``: a string normalize would keep exactly as it is."""
    if type(v) is not str:
        return False
    if not v:
        return True
    if _BAD.search(v) or "\r" in v or v[0].isspace() or v[-1].isspace():
        return False
    if not multiline and ("\n" in v or "\t" in v):
        return False
    return v.isascii() or unicodedata.is_normalized("NFC", v)


def _iso(v: Any) -> bool:
    """An ISO date as parse_date reads it (2025-06-30), years 1900–2199."""
    if type(v) is not str or len(v) != 10 or v[4] != "-" or v[7] != "-" or not v.replace("-", "").isdigit():
        return False
    try:
        _dt.date.fromisoformat(v)
    except ValueError:
        return False
    return 1900 <= int(v[:4]) <= 2199


def _field(f: FieldSpec) -> _Check | None:
    """A test of one field's stored value, or None when only normalize can say."""
    k, required, limit = f.kind, f.required, f.max_len
    if k in ("line", "text", "ref"):
        multi = k == "text"
        return lambda v: _clean(v, multi) and (not limit or len(v) <= limit) and (bool(v) or not required)
    if k == "choice":
        values = frozenset(f.choice_values) if f.choices else None
        return lambda v: _clean(v, False) and (bool(v) or not required) and (not v or values is None or v in values)
    if k == "date":
        return lambda v: (v == "" and not required) or _iso(v)
    if k == "int":
        lo, hi = f.min, f.max

        def whole(v: Any) -> bool:
            if v is None:
                return not required
            return type(v) is int and abs(v) <= MAX_INT and (lo is None or v >= lo) and (hi is None or v <= hi)

        return whole
    if k == "bool":
        return lambda v: v is None or type(v) in (bool, int)  # normalize takes anything; the damage test does not
    if k == "list":
        return lambda v: type(v) is list and len(v) <= MAX_LIST_ITEMS and (bool(v) or not required) and all(
            _clean(x, True) and x and (not limit or len(x) <= limit) for x in v)
    if k == "progress":
        return lambda v: type(v) is list and (bool(v) or not required) and all(
            type(n) is dict and _clean(n.get("text"), True) and n.get("text") and len(n["text"]) <= MAX_TEXT
            and (n.get("date", "") == "" or _iso(n.get("date"))) and _clean(n.get("by", ""), False) for n in v)
    return None  # dimensions and anything new: normalize decides


def _compile(table: str) -> Callable[[dict[str, Any]], bool] | None:
    """One function per table, written out field by field (the text checks inline: the
    Python function calls would cost more than the checks), or None when a field's kind
    can only be judged by normalize."""
    env: dict[str, Any] = {"BAD": _BAD.search, "isnorm": unicodedata.is_normalized, "iso": _iso, "MISSING": _MISSING}
    body = ["def valid(rec):", "    get = rec.get"]
    for n, f in enumerate(SPECS[table]):
        test = _field(f)
        if test is None:
            return None
        default = f.empty() if not callable(f.default) else None
        env[f"D{n}"] = default
        body.append(f"    v = get({f.name!r}, MISSING)")
        body.append(f"    if v is MISSING: v = D{n}" if default is not None or not callable(f.default)
                    else "    if v is MISSING: return False")
        if f.kind in ("line", "text", "ref", "choice"):
            body += [
                "    if type(v) is not str: return False",
                "    if v:",
                "        if BAD(v) or '\\r' in v or v[0].isspace() or v[-1].isspace(): return False",
            ]
            if f.kind != "text":
                body.append("        if '\\n' in v or '\\t' in v: return False")
            body.append("        if not (v.isascii() or isnorm('NFC', v)): return False")
            if f.max_len and f.kind != "choice":
                body.append(f"        if len(v) > {f.max_len}: return False")
            if f.kind == "choice" and f.choices:
                env[f"V{n}"] = frozenset(f.choice_values)
                body.append(f"        if v not in V{n}: return False")
            if f.required:
                body.append("    else: return False")
        elif f.kind == "date":
            body.append(f"    if (v != '' or {f.required!r}) and not iso(v): return False")
        else:
            env[f"T{n}"] = test
            body.append(f"    if not T{n}(v): return False")
    body.append("    return True")
    exec("\n".join(body), env)  # noqa: S102 - our own source, built from the field specs above
    return env["valid"]


_MISSING = object()
_COMPILED = {t: _compile(t) for t in SPECS}
_CROSS = frozenset({"items", "links", "campaigns"})  # the tables models._cross_rules has rules for


def surely_valid(table: str, rec: dict[str, Any]) -> bool:
    """True when ``normalize(table, rec)`` certainly raises nothing; False: run it to know."""
    valid = _COMPILED.get(table)
    if valid is None or not valid(rec):
        return False
    if table in _CROSS:
        errors: dict[str, str] = {}
        _cross_rules(table, rec, errors)
        return not errors
    return True
