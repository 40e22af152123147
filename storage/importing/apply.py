"""Write an import: one transaction after a backup; the plan is built again inside it."""

from __future__ import annotations

from typing import Any

from ..database import Database
from ..errors import ZhenggaiError
from ..models import SUBJECT_GROUP, blank
from .doc import ImportDoc
from .plan import ImportOptions, Plan, build_plan


def _next_seqs(db: Database, table: str, campaign: str, group: tuple[str, ...]) -> dict[tuple[Any, ...], int]:
    rows = db.light(table, campaign).values() if table == "items" else db.table_dict(table).values()
    out: dict[tuple[Any, ...], int] = {}
    for r in rows:
        if r.get("campaign") != campaign:
            continue
        k = tuple(r.get(f) or (SUBJECT_GROUP if f == "subject" else "") for f in group)
        out[k] = max(out.get(k, 0), r.get("seq") or 0)
    return out


def _signed(notes: list[dict[str, Any]], user: str) -> list[dict[str, Any]]:
    """Progress notes from a file, signed by the importing user where the file names nobody."""
    return [{**p, "by": p.get("by") or user} for p in notes]


def apply_import(db: Database, doc: ImportDoc, source: str, opts: ImportOptions) -> tuple[Plan, dict[str, Any]]:
    """Import ``doc``; returns the plan it followed and what was written
    (campaign uid, items, outlines, new dimensions, backup folder)."""
    with db.transaction():
        plan = build_plan(db, doc, source, opts)
        why = plan.blocked(opts.add_unmatched)
        if why:
            raise ZhenggaiError("未导入：" + why)
        backup = db.backup("import")
        if plan.new_campaign is not None:
            camp = db.insert("campaigns", blank("campaigns", **plan.new_campaign))
        else:
            camp = plan.campaign or {}
            changes = dict(plan.campaign_changes)
            added = [d for d in plan.dims if d.new]
            if added:
                changes["dimensions"] = list(camp.get("dimensions", [])) + [
                    {"key": d.key, "title": d.title, "short": d.short} for d in added]
            if changes:
                camp = db.update("campaigns", camp["uid"], changes)
        cuid = camp["uid"]
        seqs = _next_seqs(db, "items", cuid, ("dimension",))
        records = []
        for key, fields, _ in plan.items:
            seqs[(key,)] = seqs.get((key,), 0) + 1
            rec = blank("items", campaign=cuid, dimension=key, subject=plan.subject, seq=seqs[(key,)])
            rec.update(fields)
            rec["progress"] = _signed(fields.get("progress") or [], db.user)
            records.append(rec)
        if records:
            db.insert_many("items", records)
        for uid, changes, _, _ in plan.fills:  # blank fields of problems already there
            if "progress" in changes:
                changes = {**changes, "progress": _signed(changes["progress"], db.user)}
            db.update("items", uid, changes)
        oseqs = _next_seqs(db, "outlines", cuid, ("subject", "part"))
        outlines = []
        for o in plan.outlines:
            k = (plan.subject, o["part"])
            oseqs[k] = oseqs.get(k, 0) + 1
            outlines.append(blank("outlines", campaign=cuid, subject=plan.subject, seq=oseqs[k], **o))
        if outlines:
            db.insert_many("outlines", outlines)
    return plan, {
        "campaign": cuid,
        "campaign_name": camp.get("name", ""),
        "created": plan.new_campaign is not None,
        "items": len(records),
        "filled": len(plan.fills),
        "outlines": len(outlines),
        "new_dimensions": [d.title for d in plan.dims if d.new],
        "backup": backup,
    }
