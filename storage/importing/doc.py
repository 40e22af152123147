"""What an importer recognised, in one shape for Word materials and Excel ledgers.

An :class:`ImportDoc` knows nothing of the database: its problems name their
group (the heading or 问题类别 text they stood under); storage.importing.plan
matches the groups to a campaign's dimensions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..models import CAMPAIGN_KINDS
from .material import CAUSES, COMMITMENTS, PROBLEMS, Material
from .text import strip_page_marker

MATERIAL, LEDGER = "material", "ledger"
_NAME_SUFFIX = re.compile(
    r"(个人)?(对照检查(发言)?材料|检视剖析材料|对照检视材料|发言提纲|对照检查|检查材料|"
    r"整改台账|问题整改台账|整改清单|问题清单|任务清单|台账)$"
)


@dataclass
class Entry:
    """One problem: its group (heading text; "" for none), the item's fields, where it came from."""

    group: str
    fields: dict[str, Any]
    where: str
    inferred: int | None = None  # a group without heading: its position, guessed from the next heading


@dataclass
class ImportDoc:
    kind: str
    title: str = ""
    subtitle: str = ""
    signature: str = ""
    date: str = ""
    style: dict[str, str] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    outlines: list[dict[str, Any]] = field(default_factory=list)  # part, heading, points
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (where, text, reason)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # facts for the preview (encoding, sheet, columns …)
    default_group: str = "存在的问题"

    @property
    def empty(self) -> bool:
        return not self.entries


def campaign_fields_from_title(title: str) -> dict[str, Any]:
    """name, kind, year, organ guessed from “市政协党组2022年度六个带头民主生活会对照检查材料”."""
    t = strip_page_marker(title).replace("\n", "").strip()
    name = _NAME_SUFFIX.sub("", t).strip() or t
    out: dict[str, Any] = {"name": name[:100]}
    m = re.search(r"(19|20|21)\d{2}(?=\s*年)", t)
    if m:
        out["year"] = int(m.group(0))
    kind = next((k for k in CAMPAIGN_KINDS if k in t), "")
    if not kind and re.search(r"巡视|巡察", t):
        kind = "巡视巡察整改"
    if kind:
        out["kind"] = kind
    m = re.match(r"^(?:中共)?(.{1,20}?(?:党组|党委|党总支|党支部))(?=\d|（|$|[^\d]{0,2}\d)", name)
    if m:
        out["organ"] = m.group(0)[:100]
    return out


def from_material(mat: Material) -> ImportDoc:
    doc = ImportDoc(MATERIAL, mat.title, mat.subtitle, mat.signature, mat.date, dict(mat.style))
    doc.warnings = list(mat.warnings)
    doc.skipped = [(f"第 {n} 段", text, reason) for n, text, reason in sorted(mat.skipped, key=lambda s: s[0])]
    if mat.punct_fixed:
        doc.notes.append(f"已把 {mat.punct_fixed} 处半角标点改为全角（，：；（）“”）")
    if mat.preface:
        doc.outlines.append({"part": "preface", "heading": "", "points": list(mat.preface)})
    for part in mat.parts:
        if part.kind == PROBLEMS:
            default = part.heading or doc.default_group
            for sec in part.sections:
                group = sec.heading if sec.heading and not sec.heading_is_problem else ""
                for p in sec.problems:
                    doc.entries.append(Entry(
                        group or ("" if sec.inferred else default),
                        {"title": p.title, "manifestation": p.manifestation, "example": p.example},
                        f"第 {p.para} 段",
                        sec.inferred,
                    ))
        elif part.kind in (CAUSES, COMMITMENTS):
            for sec in part.sections:
                if sec.points or sec.heading:
                    doc.outlines.append({"part": part.kind, "heading": sec.heading, "points": list(sec.points)})
    return doc
