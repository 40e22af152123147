"""The item table's filter (status, overdue, leader, department) as a plain dict.

Kept apart from the filter screen (tui/screens/filter.py) so that the workspace can
describe its filter at start-up without importing the screen's widgets.
"""

from __future__ import annotations

from typing import Any

EMPTY: dict[str, Any] = {"status": "", "overdue": False, "leader": "", "dept": ""}


def describe(f: dict[str, Any]) -> str:
    """Short Chinese summary of active filters ('' when none)."""
    parts = []
    if f.get("status"):
        parts.append(f["status"])
    if f.get("overdue"):
        parts.append("已逾期")
    if f.get("leader"):
        parts.append(f["leader"])
    if f.get("dept"):
        parts.append(f["dept"])
    return "、".join(parts)


def active(f: dict[str, Any] | None) -> bool:
    return bool(f) and bool(describe(f))
