"""整改落实情况报告: what an organ sends up after the rectification period.

    <organ>关于<campaign>整改落实情况的报告
    opening: 对照……查摆的问题 … 截至<today>，查摆问题N项，已完成X项、持续推进Y项、逾期Z项 …（a figure
             of 0 left out） 现将整改落实情况报告如下：
    一、问题整改落实情况   （一）在……方面 per dimension; each problem with 整改措施 and 整改情况
                           (what was done, by date, then 目前 where it stands)
    二、下一步打算         from the outline part ``next_steps``
    signature and date

Run in, the （一） heading opens the paragraph of the first problem, and every further problem
keeps a paragraph of its own (each says several sentences). The figures are
storage.queries.rectification_figures (已完成 = 已销号; a 待销号 item counts as
持续推进, or as 逾期 when it applied after its deadline). The campaign's document style numbers
the problems and points (一是 or 1.) and places the （一） headings (alone or run in). Without a
下一步打算 the report has one part only, and a lone “一、” is a fault: then the dimensions
themselves are the parts (“一、在……方面”), each problem a numbered paragraph under it, and a
single dimension's heading has no numeral.
"""

from __future__ import annotations

from typing import Any

from storage.database import Database
from storage.dates import cn_date
from storage.dates import today as _today
from storage.models import ST_DOING, ST_DONE, ST_REVIEW, SUBJECT_GROUP
from storage.queries import (DEADLINE_OVERDUE, deadline_state, items_for, outlines_for, rectification_figures,
                             submitted_on)

from .cells import LONG_TERM, cn_date_safe, deadline_cell, evidence, measures, note_words, problem_title
from .cleaning import clean, end_sentence, one_line
from .docstyle import DocStyle
from .gongwen import GongwenDocument
from .numerals import level1
from .report import Group, problem_groups, write_groups
from .titles import document_title

PROBLEMS = "问题整改落实情况"
NEXT_STEPS = "下一步打算"
# Progress notes the status actions write for the office's own review, not for the report.
_WORKFLOW = ("销号（", "驳回：", "重启：")


def build(
    db: Database,
    campaign: dict[str, Any],
    subject: str = SUBJECT_GROUP,
    *,
    title: str | None = None,
    style: dict[str, Any] | None = None,
) -> GongwenDocument:
    subject = (subject or SUBJECT_GROUP).strip() or SUBJECT_GROUP
    ds = DocStyle.of(campaign, style)
    cuid = campaign["uid"]
    title = document_title("progress", campaign, subject, title)
    organ = clean(campaign.get("organ") or "").strip()
    signer = clean(campaign.get("signature") or organ) if subject == SUBJECT_GROUP else subject
    gw = GongwenDocument(title=title.replace("\n", ""), author=signer, company=organ or signer)
    gw.title(title)
    if subject != SUBJECT_GROUP:
        gw.subtitle(subject)
    gw.blank()

    today = _today()
    items = items_for(db, cuid, subject=subject)
    gw.body(opening(campaign, subject, rectification_figures(items, today), today))

    problems = problem_groups(campaign, items, ds, problem_text)
    steps = [Group(one_line(o.get("heading")), [p for p in o.get("points") or [] if clean(p).strip()])
             for o in outlines_for(db, cuid, subject, "next_steps")]
    sections = [(h, [g for g in gs if g.points or g.heading]) for h, gs in ((PROBLEMS, problems), (NEXT_STEPS, steps))]
    sections = [(h, gs) for h, gs in sections if gs]
    if len(sections) > 1:
        for n, (heading, groups) in enumerate(sections, 1):
            gw.h1(level1(n) + heading)
            write_groups(gw, groups, ds, join=heading != PROBLEMS)
    else:
        # One part only: its groups are the parts (“一、在……方面”), their points numbered below;
        # a single one has no numeral (a lone “一、” is as much a fault).
        parts = sections[0][1] if sections else []
        for n, g in enumerate(parts, 1):
            if g.heading:
                num = level1(n) if len(parts) > 1 else ""
                gw.h1(num + g.heading, keep=len(num))
            for p in ds.numbered([clean(p).strip() for p in g.points]):
                gw.body(end_sentence(p))

    gw.signature(signer, cn_date(today))
    return gw


def opening(campaign: dict[str, Any], subject: str, figs: dict[str, int], today) -> str:
    """The opening paragraph with the figures (查摆问题N项，已完成X项、持续推进Y项、逾期Z项)."""
    who = "本人" if subject != SUBJECT_GROUP else (clean(campaign.get("organ")).strip() or "党组")
    name = one_line(campaign.get("name")) or "本次整改"
    text = f"{who}对照{name}查摆的问题，逐项明确整改措施、责任领导和整改时限，推动整改落实。"
    if not figs["total"]:
        return text + f"截至{cn_date(today)}，尚未登记整改问题。"
    return text + f"截至{cn_date(today)}，查摆问题{figs['total']}项，{figures_clause(figs)}。现将整改落实情况报告如下："


# (figure, “N项” words, the words when every problem is in it, when the only problem is)
_PARTS = (("done", "已完成", "已全部完成整改", "已完成整改"),
          ("ongoing", "持续推进", "均在持续推进", "正在持续推进"),
          ("overdue", "逾期", "均已逾期", "已逾期"))


def figures_clause(figs: dict[str, int]) -> str:
    """“已完成3项、持续推进9项、逾期2项；持续推进的问题中，3项已完成整改、正在审核销号”. A figure of
    0 is left out (“已完成0项” is no news), and when every problem is in one group it says so
    (“均在持续推进”)."""
    total, review = figs["total"], figs["review"]
    parts = [(key, f"{word}{figs[key]}项", every, only) for key, word, every, only in _PARTS if figs[key]]
    if len(parts) == 1:
        key, _, every, only = parts[0]
        if key == "ongoing" and review == total:
            return "已完成整改、正在审核销号" if total == 1 else "均已完成整改、正在审核销号"
        text = only if total == 1 else every
        if key == "ongoing" and review:
            text += f"，其中{review}项已完成整改、正在审核销号"
        return text
    text = "、".join(p[1] for p in parts)
    if review:
        text += f"；持续推进的问题中，{review}项已完成整改、正在审核销号"
    return text


def problem_text(item: dict[str, Any]) -> str:
    """“<问题概述>。整改措施：…；…。整改情况：<dated notes>。目前<status>。佐证材料：…。”
    What was done comes in date order, then where the problem stands now."""
    out = end_sentence(problem_title(item)) if problem_title(item) else ""
    ms = [m.rstrip("。；;.，, ") for m in measures(item)]
    if any(ms):
        out += end_sentence("整改措施：" + "；".join(m for m in ms if m))
    done = notes(item)
    out += "整改情况："
    for when, text in done:
        out += end_sentence(f"{when}，{text}" if when else text)
    dates = {when for when, _ in done}
    out += ("目前" if done else "") + state_sentence(item, noted=dates)
    ev = evidence(item)
    if ev:
        out += end_sentence("佐证材料：" + "；".join(e.rstrip("。；;") for e in ev))
    return out


def state_sentence(item: dict[str, Any], noted: set[str] = frozenset()) -> str:
    """Where the item stands, in words that agree with the 台账 (status_text). A date a progress
    note already gives (``noted``: dates in Chinese) is not said again."""
    status = clean(item.get("status")).strip()
    overdue = deadline_state(item) == DEADLINE_OVERDUE
    # The deadline in words or as a date; the kind alone (限期整改) is no deadline.
    limit = deadline_cell(item).rstrip("，,；;。.") if item.get("deadline_text") or item.get("deadline") else ""
    if not limit and clean(item.get("kind")).strip() == LONG_TERM:
        limit = LONG_TERM
    if status == ST_DONE:
        when = cn_date_safe(item.get("closed_on"))
        return f"已完成整改，{when}销号。" if when else "已完成整改，已销号。"
    if status == ST_REVIEW:
        applied = submitted_on(item)
        late = f"（整改时限为{limit}，已逾期）" if overdue and limit else ("（已逾期）" if overdue else "")
        if applied and cn_date(applied) in noted:
            return f"已完成整改，正在审核销号{late}。"
        text = f"已完成整改，{cn_date(applied)}申请销号" if applied else "已完成整改，已申请销号"
        return text + late + "，正在审核。"
    text = "正在推进" if status == ST_DOING else "尚未启动"
    if overdue:
        text += f"，整改时限为{limit}，已逾期" if limit else "，已逾期"
    elif limit == LONG_TERM:
        text += "，长期坚持"
    elif limit:
        text += f"，整改时限为{limit}"
    return text + "。"


def notes(item: dict[str, Any]) -> list[tuple[str, str]]:
    """(date in Chinese, text) of the progress notes in date order, without the workflow's own;
    the reason given when applying for 销号 says so (“整改措施已落实，申请销号”)."""
    out = []
    rows = [p for p in item.get("progress") or [] if isinstance(p, dict)]
    for p in sorted(rows, key=lambda p: str(p.get("date") or "")):
        text = one_line(p.get("text"))
        if not text or text.startswith(_WORKFLOW):
            continue
        text = note_words(text).rstrip("。")  # “……，申请销号”
        out.append((cn_date_safe(p.get("date")), text.rstrip("，,；;")))
    return out
