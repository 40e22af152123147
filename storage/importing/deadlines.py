"""整改时限 as offices write it in a ledger: a date, or words.

    2025-06-30, 2025.6.30, 2025年6月30日   → that date
    2025年6月底前, 2025年6月                → 2025-06-30, the words kept as 时限说明
    2025年底前, 2025年上半年, 2025年第三季度 → the last day of that period, words kept
    长期坚持, 立行立改                        → no date; 整改类型 and 时限说明
    2025年6月底前，并长期坚持                 → 2025-06-30, 长期坚持, words kept
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

from ..dates import DateError, parse_date
from .text import is_cjk

_FULL = str.maketrans("０１２３４５６７８９", "0123456789")
_YMD = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*[日号]?")
_YM = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
_YQ = re.compile(r"(\d{4})\s*年\s*(?:第\s*)?([一二三四1-4])\s*季度")
_YH = re.compile(r"(\d{4})\s*年\s*(上|下)半年")
_Y = re.compile(r"(\d{4})\s*年(?:度)?\s*(?:年)?\s*(?:底|末|年底|年末|内)")
EXCEL_EPOCH = _dt.date(1899, 12, 30)


@dataclass
class Deadline:
    date: str = ""  # ISO
    text: str = ""  # 时限说明
    kind: str = ""  # 整改类型 when the words name one
    problem: str = ""  # words we could not read as a date (kept in text)


def _month_end(y: int, m: int) -> _dt.date:
    return _dt.date(y, m, calendar.monthrange(y, m)[1])


def _unwrap(text: str) -> str:
    """A cell's lines as one: nothing between Chinese text (a ledger breaks “2026年底前，” /
    “并长期坚持” in its narrow column), one space between Latin words."""
    out = ""
    for part in (" ".join(ln.split()) for ln in text.split("\n")):
        if part:
            out += (" " if out and not (is_cjk(out[-1]) or is_cjk(part[0])) else "") + part
    return out


def from_excel_serial(value: float) -> _dt.date | None:
    """An Excel day number (a date cell read without its format) → date, for plausible ones."""
    if 30000 <= value <= 80000:  # 1982 … 2119
        return EXCEL_EPOCH + _dt.timedelta(days=int(value))
    return None


def parse_deadline(value: object) -> Deadline:
    if value is None:
        return Deadline()
    if isinstance(value, _dt.datetime):
        return Deadline(value.date().isoformat())
    if isinstance(value, _dt.date):
        return Deadline(value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        d = from_excel_serial(float(value))
        return Deadline(d.isoformat()) if d else Deadline(text=str(value), problem=str(value))
    words = _unwrap(str(value))
    if not words:
        return Deadline()
    s = words.translate(_FULL)
    kind = "长期坚持" if "长期" in s else "立行立改" if "立行立改" in s or "立即" in s else ""
    try:
        d = parse_date(s)
        if d:
            return Deadline(d.isoformat(), kind=kind)
    except DateError:
        pass
    date = None
    try:
        m = _YMD.search(s)
        if m:
            date = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        elif (m := _YM.search(s)):
            date = _month_end(int(m.group(1)), int(m.group(2)))
        elif (m := _YQ.search(s)):
            q = "一二三四".find(m.group(2)) + 1 or int(m.group(2))
            date = _month_end(int(m.group(1)), 3 * q)
        elif (m := _YH.search(s)):
            date = _month_end(int(m.group(1)), 6 if m.group(2) == "上" else 12)
        elif (m := _Y.search(s)):
            date = _dt.date(int(m.group(1)), 12, 31)
    except ValueError:
        date = None
    if date and not 1900 <= date.year <= 2199:
        date = None
    if date is None and not kind:
        return Deadline(text=words, problem=words)
    return Deadline(date.isoformat() if date else "", words, kind)
