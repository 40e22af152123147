"""整改方案 (as issued after the meeting): the 问题清单, 任务清单 and 责任清单 as one table.

One landscape table 序号 | 存在问题 | 整改措施 | 责任领导 | 责任部门 | 完成时限 is what offices
circulate with the plan: each row reads across from the problem to its tasks to who answers for
them and by when, where three tables would repeat every problem three times and make the reader
match rows by number. Items are grouped by dimension as in the 台账 (ledger.table_document);
there is no 完成情况: the plan is the state before the work.
"""

from __future__ import annotations

from typing import Any, Sequence

from storage.database import Database
from storage.models import SUBJECT_GROUP

from .cells import measures_cell, plan_deadline_lines, problem_cell
from .cleaning import lines
from .gongwen import GongwenDocument
from .ledger import table_document

# (label, width mm, align) — 225 mm in all: the landscape text block.
# 责任部门 and 完成时限 as wide as in the 台账 (ledger.COLUMNS); 70 mm still holds 16 characters a line.
COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("序号", 11, "center"),
    ("存在问题", 70, "left"),
    ("整改措施", 71, "left"),
    ("责任领导", 20, "center"),
    ("责任部门", 24, "center"),
    ("完成时限", 29, "center"),
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
    return table_document("plan", db, campaign, subject, COLUMNS, plan_row,
                          dimensions=dimensions, statuses=statuses, title=title)


def plan_row(n: int, item: dict[str, Any]) -> list:
    return [
        [str(n)],
        problem_cell(item),
        measures_cell(item),
        lines(item.get("leader")),
        lines(item.get("owner_dept")),
        plan_deadline_lines(item),
    ]
