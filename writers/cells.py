"""What the tables say about an item, as text: shared by the Word 台账 and 方案 (python-docx) and
their Excel twins (openpyxl), so that both say the same thing in the same words.

No document library is imported here.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Sequence

from storage.database import Database
from storage.dates import cn_date
from storage.dates import today as _today
from storage.models import ST_DONE, ST_REVIEW, SUBJECT_GROUP
from storage.queries import DEADLINE_OVERDUE, deadline_state, items_for, submitted_on

from .cleaning import clean, end_sentence, lines, one_line
from .docstyle import strip_number
from .numerals import level1, level3

LONG_TERM = "长期坚持"
PLAN_LISTS = "问题清单、任务清单、责任清单"


def cn_date_safe(value: str | None) -> str:
    try:
        return cn_date(value) if value else ""
    except ValueError:
        return clean(value)


def deadline_cell(item: dict[str, Any]) -> str:
    """deadline_text when set, else the date in Chinese (2025年6月30日)."""
    text = clean(item.get("deadline_text")).strip()
    if text:
        return text
    return cn_date_safe(item.get("deadline")) or clean(item.get("kind")).strip()


def deadline_lines(item: dict[str, Any]) -> list[str]:
    """The deadline cell's lines: a date is broken after its year (“2026年” / “10月12日”), words
    after a comma (“2026年底前，” / “并长期坚持”), not wherever the narrow column ends."""
    text = deadline_cell(item)
    if not clean(item.get("deadline_text")).strip() and item.get("deadline") and "年" in text:
        year, _, rest = text.partition("年")
        return [year + "年", rest] if rest else [text]
    return [part for ln in lines(text) for part in re.split(r"(?<=[，；])", ln) if part]


def status_text(item: dict[str, Any]) -> str:
    """The status as the 台账 words it: “已销号（2026年10月8日，审核人：…）”, “待销号（2026年11月18日
    申请）” — an item that applied for 销号 by its deadline is not overdue, however long the review
    takes —, “整改中（已逾期）”."""
    status = clean(item.get("status")).strip()
    if status == ST_DONE:
        who = clean(item.get("closed_by")).strip()
        when = cn_date_safe(item.get("closed_on"))
        facts = "，".join(x for x in (when, f"审核人：{who}" if who else "") if x)
        return f"已销号（{facts}）" if facts else "已销号"
    if status == ST_REVIEW and submitted_on(item) is not None:
        applied = cn_date(submitted_on(item))
        late = "，已逾期" if deadline_state(item) == DEADLINE_OVERDUE else ""
        return f"待销号（{applied}申请{late}）"
    if status:
        return status + ("（已逾期）" if deadline_state(item) == DEADLINE_OVERDUE else "")
    return ""


def _notes(item: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in item.get("progress") or [] if isinstance(p, dict) and clean(p.get("text")).strip()]


def completion_cell(item: dict[str, Any]) -> list[str]:
    """Status, 销号 facts, the latest progress note and, once submitted, the evidence."""
    status = clean(item.get("status")).strip()
    out = [status_text(item)] if status else []
    notes = _notes(item)
    if notes:
        last = max(enumerate(notes), key=lambda e: (str(e[1].get("date") or ""), e[0]))[1]
        when = cn_date_safe(last.get("date"))
        text = note_words(one_line(last.get("text")))
        if not (status == ST_DONE and text.startswith("销号")):
            out.append(f"{when}：{text}" if when else text)
    if status in (ST_REVIEW, ST_DONE):
        ev = evidence(item)
        if ev:
            out.append("佐证材料：" + "；".join(ev))
    return out


# The notes the status actions write (storage.items.transition), as a sentence after a date.
_WORKFLOW_NOTES = ("驳回：", "重启：")
APPLIED = "申请销号："


def note_words(text: str) -> str:
    """A progress note as the 台账 says it after its date: the reason given when applying for 销号
    says so (“已整改完毕，申请销号。”), 驳回/重启 are followed by their reason (“驳回，材料不全。”);
    never “2026年11月10日：申请销号：已整改完毕”."""
    if text.startswith(APPLIED):
        reason = text[len(APPLIED):].strip().rstrip("。.，,；;")
        return end_sentence(reason + ("，申请销号" if "销号" not in reason else "")) if reason else "申请销号。"
    for prefix in _WORKFLOW_NOTES:
        if text.startswith(prefix):
            return prefix[:-1] + "，" + text[len(prefix):].strip()
    return text


def evidence(item: dict[str, Any]) -> list[str]:
    return [e for e in (one_line(x) for x in item.get("evidence") or []) if e]


# Marks a label or a list entry does not end with (“理论学习不够深入，” typed as a title).
_TRAILING = "，,、；;：:"


def problem_title(item: dict[str, Any]) -> str:
    """问题概述 as a label: no typed number, no trailing comma or semicolon."""
    return strip_number(one_line(item.get("title"))).rstrip(_TRAILING).rstrip()


def problem_cell(item: dict[str, Any]) -> list[str | tuple[str, bool]]:
    """问题概述 (bold) and 问题表现 (the 典型事例 belong in the report, not in the table)."""
    title = problem_title(item)
    return ([(title, True)] if title else []) + lines(item.get("manifestation"))


def measures(item: dict[str, Any]) -> list[str]:
    """The measures, each on one line, without numbers anybody typed and without the mark typed
    at their end (“1.建立制度；” “2.开展检查。” “3.定期通报，” are entries of one list)."""
    out = (strip_number(one_line(x)).rstrip(_TRAILING + "。.").rstrip() for x in item.get("measures") or [])
    return [m for m in out if m]


def measures_cell(item: dict[str, Any]) -> list[str]:
    ms = measures(item)
    if len(ms) == 1:
        return ms
    return [f"{level3(n)}{m}" for n, m in enumerate(ms, 1)]


def plan_deadline_lines(item: dict[str, Any]) -> list[str]:
    """完成时限 in the 整改方案: the deadline as in the 台账, and “长期坚持” below it for an item of
    that kind whose deadline does not already say so."""
    out = deadline_lines(item)
    if clean(item.get("kind")).strip() == LONG_TERM and not any(LONG_TERM in x for x in out):
        out.append(LONG_TERM)
    return out


# ------------------------------------------------------------------ which items, in which groups


def select_items(db: Database, campaign: dict[str, Any], subject: str | None,
                 dimensions: Sequence[str] = (), statuses: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The campaign's items of ``subject`` (None: every subject), filtered, in document order."""
    items = items_for(db, campaign["uid"], subject=subject, status=list(statuses) or None)
    if dimensions:
        wanted = set(dimensions)
        items = [i for i in items if i.get("dimension") in wanted]
    return items


def filter_notes(campaign: dict[str, Any], dimensions: Sequence[str], statuses: Sequence[str]) -> list[str]:
    """“维度：政治纪律、党性作风”, “状态：整改中” — what a filtered table leaves out, said under its title."""
    short = {d["key"]: d.get("short") or d.get("title") or "" for d in campaign.get("dimensions", [])}
    out = []
    if dimensions:
        out.append("维度：" + "、".join(one_line(short.get(k, k)) for k in dimensions))
    if statuses:
        out.append("状态：" + "、".join(statuses))
    return out


def table_subtitle(kind: str, campaign: dict[str, Any], dimensions: Sequence[str], statuses: Sequence[str]) -> str:
    """The line under the title of a 台账 (``kind`` ledger: “（截至2026年11月21日；维度：…）”) or a
    方案 (plan: “（问题清单、任务清单、责任清单；状态：…）”), in Word and in Excel."""
    first = f"截至{cn_date(_today())}" if kind == "ledger" else PLAN_LISTS
    return "（" + "；".join([first] + filter_notes(campaign, dimensions, statuses)) + "）"


def dimension_label(campaign: dict[str, Any], item: dict[str, Any], *, short: bool = False) -> str:
    """The item's dimension: its full title (or its short label), “其他” when it was deleted."""
    for d in campaign.get("dimensions", []):
        if d.get("key") == item.get("dimension"):
            return one_line((d.get("short") if short else "") or d.get("title") or d.get("short"))
    return "其他"


def groups(campaign: dict[str, Any], items: list[dict[str, Any]]) -> Iterator[tuple[str, list[tuple[int, dict[str, Any]]]]]:
    """(“一、<dimension's title>[（<person>）]”, [(row number, item) …]) in document order; rows
    are numbered through the whole table."""
    order = {d["key"]: n for n, d in enumerate(campaign.get("dimensions", []), 1)}
    key = None
    members: list[tuple[int, dict[str, Any]]] = []
    label = ""
    for n, item in enumerate(items, 1):
        who = item.get("subject") or SUBJECT_GROUP
        k = (who, item.get("dimension", ""))
        if k != key:
            if members:
                yield label, members
            key, members = k, []
            dim = item.get("dimension", "")
            label = (level1(order[dim]) if dim in order else "") + dimension_label(campaign, item)
            label += "" if who == SUBJECT_GROUP else f"（{one_line(who)}）"
        members.append((n, item))
    if members:
        yield label, members
