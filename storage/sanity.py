"""Damaged field values: what the app could never have written.

``normalize`` (models.py) is the rule for what a user may save; ``check`` reports
records that break it. This module is narrower and cheaper: a value of the wrong
JSON type (``"seq": "abc"``, ``"deadline": 12345``, ``"rev": "x"``), a date that
is not an ISO date, a choice outside its list. Such a value would make a list,
a sort or a document fail later with a traceback, so a shard holding one is
refused when it is read, like any other damage, naming the record and field.
Every record of a shard passes through ``record_problem`` once when it is loaded.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable

from .models import SPECS, TABLE_LABEL

_STR = (str,)
_SYSTEM: dict[str, tuple[type, ...]] = {
    "uid": _STR, "rev": (int,), "created": _STR, "created_by": _STR, "updated": _STR, "updated_by": _STR,
}
_TYPE_CN = {str: "文本", int: "整数", list: "列表", bool: "是/否", dict: "对象", float: "小数", type(None): "null"}


def _iso(v: str) -> bool:
    if not v:
        return True
    if len(v) != 10:
        return False
    try:
        _dt.date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _str_list(v: list[Any]) -> bool:
    return all(type(x) is str for x in v)


def _notes(v: list[Any]) -> bool:
    return all(type(n) is dict and type(n.get("text", "")) is str and type(n.get("by", "")) is str
               and type(n.get("date", "")) is str and _iso(n.get("date", "")) for n in v)


def _dims(v: list[Any]) -> bool:
    return all(type(d) is dict and all(type(d.get(k, "")) is str for k in ("key", "title", "short")) for d in v)


_KIND: dict[str, tuple[tuple[type, ...], Callable[[Any], bool] | None, str]] = {
    # kind -> (allowed JSON types, finer test of the value, what it should be)
    "line": (_STR, None, "文本"),
    "text": (_STR, None, "文本"),
    "ref": (_STR, None, "文本"),
    "choice": (_STR, None, "文本"),
    "date": (_STR, _iso, "日期（如 2025-06-30）"),
    "int": ((int, type(None)), None, "整数"),
    "bool": ((bool, int, type(None)), None, "是/否"),
    "list": ((list,), _str_list, "文本列表"),
    "progress": ((list,), _notes, "进展列表"),
    "dimensions": ((list,), _dims, "维度列表"),
}


_Check = tuple[tuple[type, ...], Callable[[Any], bool] | None]


def _compile(table: str) -> tuple[dict[str, _Check], dict[str, str], dict[str, str]]:
    """field -> (allowed JSON types, finer test or None); field -> label; field -> what it should be."""
    checks: dict[str, _Check] = {k: (t, None) for k, t in _SYSTEM.items()}
    labels = {"uid": "uid", "rev": "版本号", "created": "创建时间", "created_by": "创建人",
              "updated": "修改时间", "updated_by": "修改人"}
    wants = {k: _TYPE_CN[t[0]] for k, t in _SYSTEM.items()}
    for f in SPECS[table]:
        if f.kind not in _KIND:
            continue  # a kind this module does not know (a new one): not checked
        allowed, test, want = _KIND[f.kind]
        if f.kind == "choice" and f.choices:
            values = frozenset(f.choice_values) | {""}
            test, want = values.__contains__, "可选值之一（" + "、".join(f.choice_values) + "）"
        checks[f.name] = (allowed, test)
        labels[f.name] = f.label
        wants[f.name] = want
    return checks, labels, wants


_COMPILED = {t: _compile(t) for t in SPECS}


def record_problem(table: str, rec: dict[str, Any]) -> str | None:
    """What is damaged in ``rec`` (a Chinese phrase naming the field), or None."""
    compiled = _COMPILED.get(table)
    if compiled is None:
        return None
    checks = compiled[0]
    for k, v in rec.items():
        c = checks.get(k)
        if c is not None and (type(v) not in c[0] or (c[1] is not None and v and not c[1](v))):
            _, labels, wants = compiled
            return _describe(labels[k], k, v, f"应为{wants[k]}")
    rev = rec.get("rev", 1)
    if type(rev) is int and rev < 0:
        return _describe("版本号", "rev", rev, "不应为负数")
    return None


def _describe(label: str, name: str, value: Any, what: str) -> str:
    import orjson

    try:
        shown = orjson.dumps(value).decode()
    except TypeError:
        shown = repr(value)
    if len(shown) > 40:
        shown = shown[:40] + "…"
    return f"字段“{label}”（{name}）的值 {shown} 已损坏：{what}"


def record_name(table: str, uid: str, rec: dict[str, Any] | None = None) -> str:
    """整改事项 i0123（“理论学习深度不足”）: how a message names a record."""
    label = TABLE_LABEL.get(table, table)
    title = ""
    if rec:
        for key in ("title", "name", "heading", "summary"):
            v = rec.get(key)
            if type(v) is str and v:
                title = v if len(v) <= 20 else v[:20] + "…"
                break
    return f"{label} {uid}" + (f"（“{title}”）" if title else "")


def rows_ok(table: str, rows: Any) -> bool:
    """Rows served from an index (uid -> a few fields): False when one is damaged, so the
    index is not used (the shard itself is then read, and names the record)."""
    if not isinstance(rows, dict):
        return False
    if "@columns" in rows:
        cols = rows["@columns"]
        if not isinstance(cols, dict) or not all(isinstance(v, list) for v in cols.values()):
            return False
        n = len(cols.get("uid", ()))
        if any(len(v) != n for v in cols.values()) or not _str_list(cols.get("uid", [])):
            return False
        checks = _COMPILED[table][0]
        for k, col in cols.items():
            c = checks.get(k)
            if c is None:
                continue
            if not all(type(v) in c[0] for v in col) or (c[1] is not None and not all(c[1](v) for v in col if v)):
                return False
        return True
    return all(type(r) is dict and record_problem(table, r) is None for r in rows.values())
