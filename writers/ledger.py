"""整改台账: a landscape table, one row per item, grouped by dimension under spanning rows.

The header row repeats on every page and no row breaks across pages (tables.py). A dimension's
full title heads its group once, in a row across the table, instead of filling a narrow
column in every row; the width goes to 问题表现, 整改措施 and 完成情况.
"""

from __future__ import annotations

from typing import Any, Sequence

from storage.database import Database
from storage.dates import cn_date
from storage.dates import today as _today
from storage.models import ST_DONE, ST_REVIEW, SUBJECT_GROUP
from storage.queries import DEADLINE_OVERDUE, deadline_state, items_for, submitted_on

from .cleaning import clean, lines, one_line
from .docstyle import strip_number
from .gongwen import GongwenDocument
from .numerals import level1, level3
from .titles import ledger_title

# (label, width mm, align) — 225 mm in all: the landscape text block.
COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("序号", 11, "center"),
    ("问题表现", 52, "left"),
    ("整改措施", 50, "left"),
    ("责任领导", 20, "center"),
    ("责任部门", 22, "center"),
    ("整改时限", 26, "center"),
    ("完成情况", 44, "left"),
)


def default_title(campaign: dict[str, Any], subject: str | None) -> str:
    return ledger_title(campaign, subject)


def _cn_date_safe(value: str | None) -> str:
    try:
        return cn_date(value) if value else ""
    except ValueError:
        return clean(value)


def deadline_cell(item: dict[str, Any]) -> str:
    """deadline_text when set, else the date in Chinese (2025年6月30日)."""
    text = clean(item.get("deadline_text")).strip()
    if text:
        return text
    return _cn_date_safe(item.get("deadline")) or clean(item.get("kind")).strip()


def deadline_lines(item: dict[str, Any]) -> list[str]:
    """The deadline cell's lines: a date is broken after its year (“2026年” / “10月12日”), not
    wherever the narrow column ends."""
    text = deadline_cell(item)
    if not clean(item.get("deadline_text")).strip() and item.get("deadline") and "年" in text:
        year, _, rest = text.partition("年")
        return [year + "年", rest] if rest else [text]
    return lines(text)


def completion_cell(item: dict[str, Any]) -> list[str]:
    """Status, 销号 facts, the latest progress note and, once submitted, the evidence."""
    status = clean(item.get("status")).strip()
    out = []
    if status == ST_DONE:
        who = clean(item.get("closed_by")).strip()
        when = _cn_date_safe(item.get("closed_on"))
        facts = "，".join(x for x in (when, f"审核人：{who}" if who else "") if x)
        out.append(f"已销号（{facts}）" if facts else "已销号")
    elif status == ST_REVIEW and submitted_on(item) is not None:
        applied = cn_date(submitted_on(item))
        late = "，已逾期" if deadline_state(item) == DEADLINE_OVERDUE else ""
        out.append(f"待销号（{applied}申请{late}）")
    elif status:
        out.append(status + ("（已逾期）" if deadline_state(item) == DEADLINE_OVERDUE else ""))
    notes = [p for p in item.get("progress") or [] if isinstance(p, dict) and clean(p.get("text")).strip()]
    if notes:
        last = max(enumerate(notes), key=lambda e: (str(e[1].get("date") or ""), e[0]))[1]
        when = _cn_date_safe(last.get("date"))
        text = one_line(last.get("text"))
        if not (status == ST_DONE and text.startswith("销号")):
            out.append(f"{when}：{text}" if when else text)
    if status in (ST_REVIEW, ST_DONE):
        ev = [one_line(e) for e in item.get("evidence") or []]
        ev = [e for e in ev if e]
        if ev:
            out.append("佐证材料：" + "；".join(ev))
    return out


def problem_cell(item: dict[str, Any]) -> list[str | tuple[str, bool]]:
    """问题概述 (bold) and 问题表现 (the 典型事例 belong in the report, not in the table)."""
    title = strip_number(one_line(item.get("title")))
    return ([(title, True)] if title else []) + lines(item.get("manifestation"))


def measures_cell(item: dict[str, Any]) -> list[str]:
    ms = [strip_number(one_line(m)) for m in item.get("measures") or []]
    ms = [m for m in ms if m]
    if len(ms) == 1:
        return ms
    return [f"{level3(n)}{m}" for n, m in enumerate(ms, 1)]


def build(
    db: Database,
    campaign: dict[str, Any],
    subject: str | None = SUBJECT_GROUP,
    *,
    dimensions: Sequence[str] = (),
    statuses: Sequence[str] = (),
    title: str | None = None,
) -> GongwenDocument:
    title = clean(title).strip() if title and clean(title).strip() else default_title(campaign, subject)
    organ = clean(campaign.get("organ"))
    gw = GongwenDocument(landscape=True, title=title.replace("\n", ""), author=organ)
    gw.title(title)
    notes = [f"截至{cn_date(_today())}"]
    dims = campaign.get("dimensions", [])
    dim_short = {d["key"]: d.get("short") or d.get("title") or "" for d in dims}
    if dimensions:
        notes.append("维度：" + "、".join(dim_short.get(k, k) for k in dimensions))
    if statuses:
        notes.append("状态：" + "、".join(statuses))
    gw.subtitle("（" + "；".join(notes) + "）")
    gw.blank()

    items = items_for(db, campaign["uid"], subject=subject, status=list(statuses) or None)
    if dimensions:
        wanted = set(dimensions)
        items = [i for i in items if i.get("dimension") in wanted]
    order = {d["key"]: n for n, d in enumerate(dims, 1)}
    titles = {d["key"]: one_line(d.get("title") or d.get("short")) for d in dims}
    table = gw.table(COLUMNS)
    group = None
    for n, item in enumerate(items, 1):
        who = item.get("subject") or SUBJECT_GROUP
        key = (who, item.get("dimension", ""))
        if key != group:
            group = key
            dim = item.get("dimension", "")
            label = level1(order[dim]) + titles[dim] if dim in order else "其他"
            table.group_row(label + ("" if who == SUBJECT_GROUP else f"（{one_line(who)}）"))
        table.add_row(
            (
                [str(n)],
                problem_cell(item),
                measures_cell(item),
                lines(item.get("leader")),
                lines(item.get("owner_dept")),
                deadline_lines(item),
                completion_cell(item),
            )
        )
    return gw
