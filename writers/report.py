"""对照检查材料: title, preface, 一、存在的突出问题 per dimension, 二、原因, 三、措施, signature.

The campaign's document style (docstyle.py) decides how problems and points are numbered
(一是 or 1.) and whether a （一） heading stands on its own line or runs into its paragraph.
Sections, headings and points without content are left out, and the numbering of what
remains stays consecutive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from storage.database import Database
from storage.dates import cn_date
from storage.dates import today as _today
from storage.models import SUBJECT_GROUP
from storage.opinions import with_preface_sentence
from storage.queries import items_for, outlines_for

from .cleaning import clean, end_sentence, lines, one_line
from .docstyle import DocStyle, strip_number
from .gongwen import GongwenDocument
from .numerals import level1, level2
from .titles import document_title


@dataclass
class Group:
    """A （一） heading (may be empty) and its points, each point a text of one or more lines."""

    heading: str
    points: list[str] = field(default_factory=list)
    # A dimension's heading stays a heading with nothing under it (keep_empty: a draft to fill
    # in); an outline section's heading without points is a sentence of its own.
    dimension: bool = False


def item_text(item: dict[str, Any]) -> str:
    """“<问题概述>。<问题表现><典型事例>” (numbered by the style, not here)."""
    text = end_sentence(strip_number(one_line(item.get("title"))))
    for name in ("manifestation", "example"):
        part = clean(item.get(name)).strip()
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
    style: dict[str, Any] | None = None,
) -> GongwenDocument:
    subject = (subject or SUBJECT_GROUP).strip() or SUBJECT_GROUP
    ds = DocStyle.of(campaign, style)
    cuid = campaign["uid"]
    title = document_title("report", campaign, subject, title)
    signer = clean(campaign.get("signature") or campaign.get("organ") or "") if subject == SUBJECT_GROUP else subject
    gw = GongwenDocument(title=title.replace("\n", ""), author=signer, company=clean(campaign.get("organ") or signer))

    gw.title(title)
    if subject != SUBJECT_GROUP:
        gw.subtitle(subject)
    gw.blank()

    preface = [ln for o in outlines_for(db, cuid, subject, "preface")
               for ln in lines(o.get("heading")) + [p for pt in o.get("points") or [] for p in lines(pt)]]
    for ln in with_preface_sentence(preface, db, cuid, subject):  # “共征求意见建议N条……” when there are opinions
        gw.body(ln)

    items = items_for(db, cuid, subject=subject)
    sections: list[tuple[str, list[Group]]] = [("存在的突出问题", problem_groups(campaign, items, ds, keep_empty=keep_empty))]
    for part, heading, name in (
        ("causes", "问题产生的原因", "cause"),
        ("commitments", "今后的努力方向和改进措施", "measures"),
    ):
        outlines = outlines_for(db, cuid, subject, part)
        if outlines:
            groups = [Group(one_line(o.get("heading")), [p for p in o.get("points") or [] if clean(p).strip()])
                      for o in outlines]
        else:
            groups = [Group("", _from_items(items, name))]
        sections.append((heading, groups))

    # An empty section is left out and the next one takes its number; a single one has none
    # (a lone “一、” is a fault).
    sections = [(h, kept) for h, groups in sections if (kept := [g for g in groups if g.points or g.heading])]
    for n, (heading, groups) in enumerate(sections, 1):
        gw.h1((level1(n) if len(sections) > 1 else "") + heading)
        write_groups(gw, groups, ds)

    date = campaign.get("report_date") or _today().isoformat()
    gw.signature(signer, cn_date(date))
    return gw


def problem_groups(campaign: dict[str, Any], items: list[dict[str, Any]], ds: DocStyle,
                   text: Callable[[dict[str, Any]], str] = item_text, *, keep_empty: bool = False) -> list[Group]:
    """The problems under their dimensions' headings, in the campaign's order (with
    ``keep_empty``, a dimension without problems too), each problem as ``text`` words it."""
    by_dim: dict[str, list[dict[str, Any]]] = {}
    for i in items:
        by_dim.setdefault(i.get("dimension", ""), []).append(i)
    groups = [
        Group(ds.dimension({k: clean(v) for k, v in d.items()}), [text(i) for i in by_dim.get(d["key"], [])],
              dimension=True)
        for d in campaign.get("dimensions", [])
        if keep_empty or by_dim.get(d["key"])
    ]
    known = {d["key"] for d in campaign.get("dimensions", [])}
    stray = [i for k, v in by_dim.items() if k not in known for i in v]
    if stray:  # items whose dimension was deleted: never silently dropped
        groups.append(Group(ds.dimension({"title": "其他"}), [text(i) for i in stray], dimension=True))
    return groups


def write_groups(gw: GongwenDocument, groups: list[Group], ds: DocStyle, *, join: bool = True) -> None:
    """Headings （一）（二）… (counting only groups that have one) with their numbered points.
    Run in with 一是/二是, the points share the heading's paragraph; not with ``join=False``
    (points of several sentences each, as in the 整改落实情况报告), where each keeps its own.
    A heading that is the only one has no numeral (no “（一）” without a “（二）”)."""
    n = 0
    numbered = sum(1 for g in groups if g.heading) > 1
    for g in groups:
        # Each point is a sentence, also on a paragraph of its own (never “持续用力，”).
        points = [end_sentence(p) for p in ds.numbered([clean(p).strip() for p in g.points])]
        if not g.heading:
            for p in points:
                gw.body(p)
            continue
        n += 1
        num = level2(n) if numbered else ""
        head = num + g.heading
        if not ds.run_in and (points or g.dimension):
            gw.h2(head, keep=len(num))
            for p in points:
                gw.body(p)
            continue
        if not points:
            # A heading with nothing under it is a sentence of its own (“（一）理论武装有所放松。”),
            # not a heading over an empty section.
            gw.body_runs([(end_sentence(head), False, "GwH2Char")])
            continue
        # Run in: “（一）在……方面。一是……二是……” — with 1. 2. each point keeps its paragraph.
        lead = (end_sentence(head), False, "GwH2Char")
        if ds.numbering == "yishi" and join:
            gw.body_runs([lead, ("".join(end_sentence(p) for p in points), False)])
        else:
            gw.body_runs([lead, (points[0] if points else "", False)])
            for p in points[1:]:
                gw.body(p)


def _from_items(items: list[dict[str, Any]], name: str) -> list[str]:
    """Causes / measures written on the items, de-duplicated, when no outline section exists."""
    seen: set[str] = set()
    out = []
    for i in items:
        value = i.get(name)
        values = value if isinstance(value, list) else [value]
        for v in values:
            t = strip_number(one_line(v))
            if t and t not in seen:
                seen.add(t)
                out.append(end_sentence(t))
    return out
