"""Dates that are valid but probably wrong: warned about, never refused.

A deadline already past for an item still open (a slip of the year: 2025 for 2026), and a
contact dated in the future (it would count as this quarter's and become 最近联系). Each
check returns a Chinese warning, or "" when the date looks right. The forms show it next to
the field as it is typed and ask once more before saving (tui/screens/record_edit.py).
"""

from __future__ import annotations

import datetime as _dt

from .dates import cn_date
from .dates import today as _today
from .models import ST_DONE


def past_deadline(d: _dt.date | None, status: str | None = None, today: _dt.date | None = None) -> str:
    """A deadline before today for an item that is not 已销号."""
    t = today or _today()
    if d is None or status == ST_DONE or d >= t:
        return ""
    return f"整改时限已过：早于今天（{cn_date(t)}）{(t - d).days} 天。若是笔误，请改正"


def future_contact(d: _dt.date | None, today: _dt.date | None = None) -> str:
    """A contact dated after today (it would count as done and show as 最近联系)."""
    t = today or _today()
    if d is None or d <= t:
        return ""
    return f"联系日期晚于今天（{cn_date(t)}）：尚未发生的联系会计入本季度、显示为最近联系"
