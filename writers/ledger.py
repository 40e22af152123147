"""整改台账: a landscape table, one row per item, the header row repeated on every page."""

from __future__ import annotations

from typing import Any, Sequence

from storage.database import Database
from storage.dates import cn_date
from storage.dates import today as _today
from storage.models import ST_DONE, ST_REVIEW, SUBJECT_GROUP
from storage.queries import DEADLINE_OVERDUE, deadline_state, items_for

from .gongwen import GongwenDocument, clean, lines
from .numerals import level3
from .titles import ledger_title

# (label, width mm, align) — 225 mm in all: the landscape text block.
COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("序号", 11, "center"),
    ("整改维度", 22, "left"),
    ("问题表现", 48, "left"),
    ("整改措施", 49, "left"),
    ("责任领导", 19, "center"),
    ("责任部门", 22, "center"),
    ("整改时限", 22, "center"),
    ("完成情况", 32, "left"),
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


def completion_cell(item: dict[str, Any]) -> list[str]:
    """Status, 销号 facts, the latest progress note and, once submitted, the evidence."""
    status = clean(item.get("status")).strip()
    out = []
    if status == ST_DONE:
        who = clean(item.get("closed_by")).strip()
        when = _cn_date_safe(item.get("closed_on"))
        facts = "，".join(x for x in (when, f"审核人：{who}" if who else "") if x)
        out.append(f"已销号（{facts}）" if facts else "已销号")
    elif status:
        out.append(status + ("（已逾期）" if deadline_state(item) == DEADLINE_OVERDUE else ""))
    notes = [p for p in item.get("progress") or [] if isinstance(p, dict) and clean(p.get("text")).strip()]
    if notes:
        last = max(enumerate(notes), key=lambda e: (str(e[1].get("date") or ""), e[0]))[1]
        when = _cn_date_safe(last.get("date"))
        text = " ".join(lines(last.get("text")))
        if not (status == ST_DONE and text.startswith("销号")):
            out.append(f"{when}：{text}" if when else text)
    if status in (ST_REVIEW, ST_DONE):
        ev = [" ".join(lines(e)) for e in item.get("evidence") or []]
        ev = [e for e in ev if e]
        if ev:
            out.append("佐证材料：" + "；".join(ev))
    return out


def problem_cell(item: dict[str, Any]) -> list[str]:
    """问题概述 and 问题表现 (the 典型事例 belong in the report, not in the table)."""
    out = [" ".join(lines(item.get("title")))]
    out += lines(item.get("manifestation"))
    return [x for x in out if x]


def measures_cell(item: dict[str, Any]) -> list[str]:
    ms = [" ".join(lines(m)) for m in item.get("measures") or []]
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
    gw = GongwenDocument(landscape=True, title=title.replace("\n", ""), author=clean(campaign.get("organ")))
    gw.title(title)
    notes = [f"截至{cn_date(_today())}"]
    dim_titles = {d["key"]: d.get("title") or d.get("short") or "" for d in campaign.get("dimensions", [])}
    dim_short = {d["key"]: d.get("short") or d.get("title") or "" for d in campaign.get("dimensions", [])}
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
    table = gw.table(COLUMNS)
    for n, item in enumerate(items, 1):
        table.add_row(
            (
                [str(n)],
                lines(dim_titles.get(item.get("dimension", ""), "")),
                problem_cell(item),
                measures_cell(item),
                lines(item.get("leader")),
                lines(item.get("owner_dept")),
                lines(deadline_cell(item)),
                completion_cell(item),
            )
        )
    return gw
