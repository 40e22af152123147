"""整改台账: a landscape table, one row per item, grouped by dimension under spanning rows.

The header row repeats on every page and no row breaks across pages (tables.py). A dimension's
full title heads its group once, in a row across the table, instead of filling a narrow
column in every row; the width goes to 问题表现, 整改措施 and 完成情况.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

from storage.database import Database
from storage.models import SUBJECT_GROUP

from .cells import (completion_cell, deadline_lines, groups, measures_cell, problem_cell, select_items,
                    table_subtitle)
from .cleaning import clean, lines
from .gongwen import GongwenDocument
from .titles import document_title

# (label, width mm, align) — 225 mm in all: the landscape text block. A column holds
# (width − 2 × 2.85 pt cell margin) / 12 pt characters: 责任部门 24 mm holds 5 (机关事务科, 委员工作室
# on one line), 整改时限 29 mm holds “2026年底前，” (cells.deadline_lines); the text columns keep the
# characters a line they had (49 mm: 11, 43 mm: 9).
COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("序号", 11, "center"),
    ("问题表现", 49, "left"),
    ("整改措施", 49, "left"),
    ("责任领导", 20, "center"),
    ("责任部门", 24, "center"),
    ("整改时限", 29, "center"),
    ("完成情况", 43, "left"),
)


def build(
    db: Database,
    campaign: dict[str, Any],
    subject: str | None = SUBJECT_GROUP,
    *,
    dimensions: Sequence[str] = (),
    statuses: Sequence[str] = (),
    title: str | None = None,
) -> GongwenDocument:
    return table_document("ledger", db, campaign, subject, COLUMNS, ledger_row,
                          dimensions=dimensions, statuses=statuses, title=title)


def ledger_row(n: int, item: dict[str, Any]) -> list:
    return [
        [str(n)],
        problem_cell(item),
        measures_cell(item),
        lines(item.get("leader")),
        lines(item.get("owner_dept")),
        deadline_lines(item),
        completion_cell(item),
    ]


def table_document(
    kind: str,
    db: Database,
    campaign: dict[str, Any],
    subject: str | None,
    columns: Sequence[tuple[str, float, str]],
    row: Callable[[int, dict[str, Any]], list],
    *,
    dimensions: Sequence[str],
    statuses: Sequence[str],
    title: str | None,
) -> GongwenDocument:
    """A landscape 公文 of one table (``kind`` ledger or plan): title, subtitle, and the items of
    ``subject`` (None: every subject), filtered, under a spanning row per dimension (and per
    subject, when several subjects' items are in it)."""
    title = document_title(kind, campaign, subject, title)
    items = select_items(db, campaign, subject, dimensions, statuses)
    gw = GongwenDocument(landscape=True, title=title.replace("\n", ""), author=clean(campaign.get("organ")))
    gw.title(title)
    gw.subtitle(table_subtitle(kind, campaign, dimensions, statuses))
    gw.blank()
    table = gw.table(columns)
    for label, members in groups(campaign, items):
        table.group_row(label)
        for n, item in members:
            table.add_row(row(n, item))
    return gw
