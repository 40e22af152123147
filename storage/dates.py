"""Dates: lenient parsing of what people type, Chinese formatting, "today" and quarters.

"Today" can be frozen for tests and demos with ``ZHENGGAI_TODAY=YYYY-MM-DD``.
"""

from __future__ import annotations

import datetime as _dt
import os
import re

_PATTERNS = (
    re.compile(r"^\s*(\d{4})\s*[-./／]\s*(\d{1,2})\s*[-./／]\s*(\d{1,2})\s*$"),
    re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?\s*$"),
    re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$"),
)
_FULLWIDTH = str.maketrans("０１２３４５６７８９－．", "0123456789-.")


class DateError(ValueError):
    """``str(err)`` is a Chinese message."""


def today() -> _dt.date:
    frozen = os.environ.get("ZHENGGAI_TODAY")
    if frozen:
        try:
            return _dt.date.fromisoformat(frozen)
        except ValueError:
            pass
    return _dt.date.today()


def now_iso() -> str:
    frozen = os.environ.get("ZHENGGAI_TODAY")
    now = _dt.datetime.now().replace(microsecond=0)
    if frozen:
        d = today()
        now = now.replace(year=d.year, month=d.month, day=d.day)
    return now.isoformat()


def parse_date(text: str | _dt.date | None) -> _dt.date | None:
    """Parse 2025-06-30, 2025.6.30, 2025/6/30, 2025年6月30日, 20250630.

    Empty input gives ``None``. Anything else raises :class:`DateError`.
    """
    if text is None:
        return None
    if isinstance(text, _dt.date):
        return text
    s = str(text).translate(_FULLWIDTH).strip()
    if not s:
        return None
    shown = s if len(s) <= 20 else s[:20] + "…"
    for pat in _PATTERNS:
        m = pat.match(s)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            if not 1900 <= y <= 2199:
                raise DateError(f"日期“{shown}”无效：年份应在 1900 到 2199 之间")
            if not 1 <= mo <= 12:
                raise DateError(f"日期“{shown}”无效：月份应在 1 到 12 之间")
            try:
                return _dt.date(y, mo, d)
            except ValueError:
                raise DateError(f"日期“{shown}”无效：{y}年{mo}月没有{d}日") from None
    raise DateError(f"无法识别日期“{shown}”，请写成 2025-06-30、2025.6.30 或 2025年6月30日")


def iso(d: _dt.date | None) -> str:
    return d.isoformat() if d else ""


def cn_date(d: _dt.date | str | None) -> str:
    """2025年3月5日 — Arabic numerals, no zero padding (GB/T 9704)."""
    if not d:
        return ""
    if isinstance(d, str):
        d = _dt.date.fromisoformat(d)
    return f"{d.year}年{d.month}月{d.day}日"


def quarter_of(d: _dt.date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int) -> tuple[_dt.date, _dt.date]:
    if not 1 <= q <= 4:
        raise DateError(f"季度应为 1 到 4，而不是 {q}")
    start = _dt.date(year, 3 * (q - 1) + 1, 1)
    end = _dt.date(year + 1, 1, 1) if q == 4 else _dt.date(year, 3 * q + 1, 1)
    return start, end - _dt.timedelta(days=1)


def quarter_label(year: int, q: int) -> str:
    return f"{year}年第{'一二三四'[q - 1]}季度"


def parse_quarter(text: str) -> tuple[int, int]:
    """2025Q2, 2025-Q2, 2025-2 → (2025, 2)."""
    m = re.match(r"^\s*(\d{4})\s*[-/ ]?\s*[Qq第]?\s*([1-4])\s*(季度)?\s*$", text or "")
    if not m:
        raise DateError(f"无法识别季度“{text}”，请写成 2025Q2")
    return int(m.group(1)), int(m.group(2))
