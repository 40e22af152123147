"""From what a file holds (an ImportDoc) to what an import would write (a Plan).

The plan matches the document's headings to the target campaign's dimensions
(an existing campaign, or a new one named from the document's title, with a
built-in dimension set when every heading matches it), numbers the items after
the ones already there and leaves out those already imported. Building a plan
writes nothing; storage.importing.apply builds it again inside the transaction.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from ..database import Database
from ..dimensions import BUILTIN_SETS
from ..errors import ZhenggaiError
from ..models import SUBJECT_GROUP
from ..queries import find_campaign
from .doc import ImportDoc, campaign_fields_from_title
from .fill import blank_fields
from .match import builtin_set_for, match_all, match_one
from .text import cn_number, short_label, squash, unwrap_heading

DEFAULT_STYLE = {"numbering": "yishi", "heading": "alone"}


@dataclass
class ImportOptions:
    campaign: str | None = None  # uid or exact name of an existing campaign
    subject: str | None = None
    add_unmatched: bool = False  # add headings no dimension matches as new dimensions


@dataclass
class PlanDim:
    key: str
    title: str
    short: str
    new: bool = False  # added to an existing campaign
    source: str = ""  # the heading it came from
    note: str = ""


@dataclass
class Plan:
    doc: ImportDoc
    source: str
    subject: str
    subject_note: str = ""
    campaign: dict[str, Any] | None = None  # the existing target
    new_campaign: dict[str, Any] | None = None  # fields of the campaign to create
    set_name: str = ""  # built-in dimension set the new campaign copies
    dims: list[PlanDim] = field(default_factory=list)  # every dimension of the target, in order
    items: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)  # (dim key, fields, where)
    outlines: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (where, title)
    # problems already there whose blank fields this import fills: (uid, changes, where, title)
    fills: list[tuple[str, dict[str, Any], str, str]] = field(default_factory=list)
    campaign_changes: dict[str, Any] = field(default_factory=dict)
    error: str = ""

    @property
    def target_name(self) -> str:
        return (self.campaign or self.new_campaign or {}).get("name", "")

    def blocked(self, add_unmatched: bool) -> str:
        """Why nothing can be written, or ""."""
        if self.error:
            return self.error
        if self.unmatched and not add_unmatched:
            return "有标题未能对应到该活动的维度（见上）。加 --yes 时将把它们新增为维度。"
        if not self.items and not self.outlines and not self.fills:
            return "没有可导入的内容（问题都已存在）。" if self.duplicates else "没有可导入的内容。"
        return ""


def _subject(doc: ImportDoc, opts: ImportOptions) -> tuple[str, str]:
    if opts.subject and opts.subject.strip():
        return opts.subject.strip(), ""
    sub = doc.subtitle.strip()
    if re.fullmatch(r"[\u4e00-\u9fff·]{2,5}", sub) and "党组" not in sub:
        return sub, "取自标题下的姓名；可用 --subject 指定"
    return SUBJECT_GROUP, ""


def _groups(doc: ImportDoc) -> list[tuple[str, int | None]]:
    seen: list[tuple[str, int | None]] = []
    for e in doc.entries:
        g = (e.group, e.inferred if not e.group else None)
        if g not in seen:
            seen.append(g)
    return seen


def _missing_title(n: int | None) -> str:
    return f"第{cn_number(n)}个方面（原文缺少标题）" if n else "未注明维度"


def _builtin_dim(heading: str) -> dict[str, Any] | None:
    for s in BUILTIN_SETS:
        d = match_one(heading, s.copy())
        if d:
            return d
    return None


def build_plan(db: Database, doc: ImportDoc, source: str, opts: ImportOptions) -> Plan:
    subject, note = _subject(doc, opts)
    plan = Plan(doc, source, subject, note)
    groups = _groups(doc)
    headings = [g for g, _ in groups if g]
    where: dict[tuple[str, int | None], str] = {}  # group -> dimension key
    if opts.campaign:
        camp = find_campaign(db, opts.campaign)
        plan.campaign = camp
        dims = [PlanDim(d["key"], d.get("title", ""), d.get("short", "")) for d in camp.get("dimensions", [])]
        found = match_all(headings, camp.get("dimensions", []))
        hits = dict(zip(headings, found))
        taken = {d.key for d in dims}
        for g, n in groups:
            d = hits.get(g) if g else (camp["dimensions"][n - 1] if n and n <= len(dims) else None)
            if d is not None:
                where[(g, n)] = d["key"]
                pd = next(x for x in dims if x.key == d["key"])
                pd.source = pd.source or g
                if not g:
                    pd.note = "原文缺少该维度的标题，按其后的编号推定"
                continue
            title = unwrap_heading(g) if g else _missing_title(n)
            k = 1
            while f"d{k}" in taken:
                k += 1
            taken.add(f"d{k}")
            dims.append(PlanDim(f"d{k}", title, short_label(title), new=True, source=g))
            plan.unmatched.append(g or title)
            where[(g, n)] = f"d{k}"
        plan.dims = dims
        _campaign_changes(plan, camp)
    else:
        dset = builtin_set_for(headings)
        fields = campaign_fields_from_title(doc.title or os.path.splitext(os.path.basename(source))[0])
        if dset is not None:
            plan.set_name = dset.name
            base = dset.copy()
            found = dict(zip(headings, match_all(headings, base)))
            dims = [PlanDim(d["key"], d["title"], d["short"]) for d in base]
            for g, n in groups:
                d = found.get(g) if g else (base[n - 1] if n and n <= len(base) else None)
                if d is None:  # an inferred position beyond the set
                    dims.append(PlanDim(f"d{len(dims) + 1}", _missing_title(n), f"方面{cn_number(n or 0)}", source=g))
                    where[(g, n)] = dims[-1].key
                    continue
                where[(g, n)] = d["key"]
                pd = next(x for x in dims if x.key == d["key"])
                pd.source = g
                if not g:
                    pd.note = "原文缺少该维度的标题，按其后的编号推定"
            fields.setdefault("kind", dset.kind)
            fields["dimension_set"] = dset.key
        else:
            dims = []
            for g, n in groups:
                d = _builtin_dim(g) if g else None
                title = d["title"] if d else (unwrap_heading(g) if g else _missing_title(n))
                short = d["short"] if d else (short_label(title) if g else f"方面{cn_number(n or 0)}" if n else "未分维度")
                dims.append(PlanDim(f"d{len(dims) + 1}", title[:500], short, source=g,
                                    note="" if g else "原文缺少该维度的标题"))
                where[(g, n)] = dims[-1].key
        plan.dims = dims
        name = fields["name"]
        if any(c.get("name") == name for c in db.all("campaigns")):
            plan.error = (f"已有名为“{name}”的整改活动。要导入到该活动（已有的问题只补充空白内容），"
                          f"请在“导入到”中选择它（命令行加 --campaign “{name}”）。")
        fields["dimensions"] = [{"key": d.key, "title": d.title, "short": d.short} for d in dims]
        fields["style"] = {**DEFAULT_STYLE, **doc.style}
        if doc.title and doc.kind == "material" and subject == SUBJECT_GROUP:
            fields["report_title"] = doc.title[:200]
        if subject == SUBJECT_GROUP and doc.signature:
            fields["signature"] = doc.signature[:100]
        if doc.date:
            fields["report_date"] = doc.date
        plan.new_campaign = fields
    _items(db, plan, where)
    _outlines(db, plan)
    return plan


def _campaign_changes(plan: Plan, camp: dict[str, Any]) -> None:
    doc = plan.doc
    if doc.style:
        style = {**DEFAULT_STYLE, **(camp.get("style") or {}), **doc.style}
        if style != camp.get("style"):
            plan.campaign_changes["style"] = style
    if plan.subject == SUBJECT_GROUP:
        if doc.signature and not camp.get("signature"):
            plan.campaign_changes["signature"] = doc.signature[:100]
        if doc.date and not camp.get("report_date"):
            plan.campaign_changes["report_date"] = doc.date


def _items(db: Database, plan: Plan, where: dict[tuple[str, int | None], str]) -> None:
    existing: dict[tuple[str, str, str], str] = {}  # -> uid ("" for one this import adds)
    if plan.campaign is not None:
        for uid, r in db.light("items", plan.campaign["uid"]).items():
            if r.get("campaign") == plan.campaign["uid"]:
                ident = ((r.get("subject") or SUBJECT_GROUP), r.get("dimension", ""), squash(r.get("title", "")))
                existing.setdefault(ident, uid)
    for e in plan.doc.entries:
        key = where[(e.group, e.inferred if not e.group else None)]
        title = e.fields.get("title", "")
        ident = (plan.subject, key, squash(title))
        if ident in existing:
            stored = db.get("items", existing[ident]) if existing[ident] else None
            changes = blank_fields(stored, e.fields) if stored else {}
            if changes:
                plan.fills.append((existing[ident], changes, e.where, title))
                existing[ident] = ""  # a second copy in the same file fills nothing more
            else:
                plan.duplicates.append((e.where, title))
            continue
        existing[ident] = ""
        plan.items.append((key, dict(e.fields), e.where))


def _outlines(db: Database, plan: Plan) -> None:
    have: set[tuple[str, str, str]] = set()
    if plan.campaign is not None:
        for o in db.table_dict("outlines").values():
            if o.get("campaign") == plan.campaign["uid"] and (o.get("subject") or SUBJECT_GROUP) == plan.subject:
                have.add((o.get("part", ""), squash(o.get("heading", "")), squash("".join(o.get("points") or []))))
    for o in plan.doc.outlines:
        ident = (o["part"], squash(o["heading"]), squash("".join(o["points"])))
        if ident in have:
            plan.duplicates.append(("材料段落", o["heading"] or "（无标题）"))
            continue
        have.add(ident)
        plan.outlines.append(o)


def require_recognised(doc: ImportDoc, source: str) -> None:
    """Raise the Chinese message for a file in which nothing was recognised."""
    if doc.entries or any(o["part"] != "preface" for o in doc.outlines):
        return
    name = os.path.basename(source)
    if doc.kind == "ledger":
        raise ZhenggaiError(f"未能从“{name}”识别出整改台账：没有找到含“序号、问题、整改措施、责任领导……”的表头行和问题行。")
    found = "；".join(f"{w}“{t[:20]}”{r}" for w, t, r in doc.skipped if "不是对照检查材料" in r)
    raise ZhenggaiError(
        f"未能从“{name}”识别出对照检查材料的结构：没有找到“存在的（突出）问题”部分，"
        "也没有“一是……”“1.……”“（1）……”编号的问题。" + (f"\n文中的部分：{found}" if found else "")
    )
