"""对照检查材料: title, preface, 一、存在的突出问题 per dimension, 二、原因, 三、措施, signature."""

from __future__ import annotations

from typing import Any

from storage.database import Database
from storage.dates import cn_date
from storage.dates import today as _today
from storage.dimensions import section_heading
from storage.models import SUBJECT_GROUP
from storage.queries import items_for, outlines_for

from .gongwen import GongwenDocument, clean, end_sentence, lines
from .numerals import level1, level2, ordinal
from .textwidth import char_width
from .titles import report_title

SUFFIX = "对照检查材料"
TITLE_LINE_CHARS = 20  # 22 pt characters in a 156 mm line


def default_title(campaign: dict[str, Any], subject: str = SUBJECT_GROUP) -> str:
    return report_title(campaign, subject)


def split_title(title: str) -> str:
    """Break a title too long for one line before “对照检查材料” (上长下短), unless the user
    already broke it."""
    if "\n" in title or char_width(title) <= TITLE_LINE_CHARS:
        return title
    if title.endswith(SUFFIX):
        head = title[: -len(SUFFIX)]
        if head and char_width(head) <= TITLE_LINE_CHARS:
            return head + "\n" + SUFFIX
    return title


def item_paragraph(n: int, item: dict[str, Any]) -> str:
    """“一是<问题概述>。<问题表现><典型事例>”"""
    title = clean(item.get("title")).replace("\n", " ").strip()
    text = ordinal(n) + end_sentence(title)
    for field in ("manifestation", "example"):
        part = clean(item.get(field)).strip()
        if part:
            text += end_sentence(part)
    return text


def build(
    db: Database,
    campaign: dict[str, Any],
    subject: str = SUBJECT_GROUP,
    *,
    title: str | None = None,
    keep_empty: bool = False,
) -> GongwenDocument:
    subject = (subject or SUBJECT_GROUP).strip() or SUBJECT_GROUP
    cuid = campaign["uid"]
    title = clean(title).strip() if title and clean(title).strip() else default_title(campaign, subject)
    signer = clean(campaign.get("signature") or campaign.get("organ") or "") if subject == SUBJECT_GROUP else subject
    gw = GongwenDocument(title=title.replace("\n", ""), author=signer)

    gw.title(split_title(title))
    if subject != SUBJECT_GROUP:
        gw.subtitle(subject)
    gw.blank()

    for o in outlines_for(db, cuid, subject, "preface"):
        for ln in lines(o.get("heading")) + [p for pt in o.get("points") or [] for p in lines(pt)]:
            gw.body(ln)

    items = items_for(db, cuid, subject=subject)
    by_dim: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        by_dim.setdefault(i.get("dimension", ""), []).append(i)

    section = 0
    dims = [d for d in campaign.get("dimensions", []) if keep_empty or by_dim.get(d["key"])]
    known = {d["key"] for d in campaign.get("dimensions", [])}
    stray = [i for k, v in by_dim.items() if k not in known for i in v]
    if dims or stray:
        section += 1
        gw.h1(level1(section) + "存在的突出问题")
        for n, d in enumerate(dims, 1):
            gw.h2(level2(n) + section_heading(clean(d.get("title") or d.get("short") or "")))
            for k, item in enumerate(by_dim.get(d["key"], []), 1):
                gw.body(item_paragraph(k, item))
        if stray:  # items whose dimension was deleted: never silently dropped
            gw.h2(level2(len(dims) + 1) + "在其他方面")
            for k, item in enumerate(stray, 1):
                gw.body(item_paragraph(k, item))

    for part, heading, field in (
        ("causes", "问题产生的原因", "cause"),
        ("commitments", "今后的努力方向和改进措施", "measures"),
    ):
        outlines = outlines_for(db, cuid, subject, part)
        fallback = [] if outlines else _from_items(items, field)
        if not outlines and not fallback:
            continue
        section += 1
        gw.h1(level1(section) + heading)
        n = 0
        for o in outlines:
            head = clean(o.get("heading")).replace("\n", " ").strip()
            if head:
                n += 1
                gw.h2(level2(n) + head)
            for pt in o.get("points") or []:
                gw.body(pt)
        for k, text in enumerate(fallback, 1):
            gw.body(ordinal(k) + end_sentence(text))

    date = campaign.get("report_date") or _today().isoformat()
    gw.signature(signer, cn_date(date))
    return gw


def _from_items(items: list[dict[str, Any]], field: str) -> list[str]:
    """Causes / measures written on the items, de-duplicated, when no outline section exists."""
    seen: set[str] = set()
    out = []
    for i in items:
        value = i.get(field)
        values = value if isinstance(value, list) else [value]
        for v in values:
            t = " ".join(lines(v))
            if t and t not in seen:
                seen.add(t)
                out.append(t)
    return out
