"""The item table's sort orders (t): by 时限, 状态 or 责任领导, or the document's own (序号).

Plain functions over light rows, kept apart from the screens so that the workspace can
name its order at start-up without importing a menu.
"""

from __future__ import annotations

from typing import Any

from storage.models import STATUSES

# key -> (what the menu and the table title say, the column it sorts)
SORTS: dict[str, tuple[str, str]] = {
    "deadline": ("按时限", "deadline"),
    "status": ("按状态", "status"),
    "leader": ("按责任领导", "leader"),
}
DEFAULT_LABEL = "默认顺序（序号）"


def describe(key: str | None) -> str:
    return f"{SORTS[key][0]}排序" if key in SORTS else ""


def column(key: str | None) -> str | None:
    return SORTS[key][1] if key in SORTS else None


def sort_rows(rows: list[dict[str, Any]], key: str | None) -> list[dict[str, Any]]:
    """``rows`` (in document order) in the order ``key`` asks for; stable, so rows that tie
    keep their document order. Empty values go last."""
    if key == "deadline":
        return sorted(rows, key=lambda r: (not r.get("deadline"), r.get("deadline") or ""))
    if key == "status":
        order = {s: n for n, s in enumerate(STATUSES)}
        return sorted(rows, key=lambda r: (order.get(r.get("status") or "", len(order)), not r.get("deadline"),
                                           r.get("deadline") or ""))
    if key == "leader":
        from storage import pinyin  # 陈 before 王 before 张: by the names' pinyin initials

        def by_name(r: dict[str, Any]) -> tuple[bool, str, str]:
            name = r.get("leader") or ""
            spelled = "".join(sorted(x)[0] if x else "~" for x in pinyin.initials(name))
            return (not name, spelled, name)

        return sorted(rows, key=by_name)
    return rows
