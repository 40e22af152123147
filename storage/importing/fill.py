"""What an import adds to a problem that is already there: its blank fields.

Last year's 对照检查材料 brings the problems and how they showed; the 台账 brings the
measures, who is responsible, the deadlines and how far each got. Imported one
after the other into one campaign, the second fills what the first left blank and
never overwrites what someone typed or a first import wrote.
"""

from __future__ import annotations

from typing import Any

from ..models import SPECS, ST_DONE, ST_TODO

# The fields an import may fill when the stored problem has them blank.
FILLABLE = ("manifestation", "example", "cause", "measures", "leader", "owner_dept", "evidence")
LABELS = {f.name: f.label for f in SPECS["items"]}


def blank_fields(stored: dict[str, Any], imported: dict[str, Any]) -> dict[str, Any]:
    """The changes that fill ``stored``'s blank fields from ``imported`` (may be empty)."""
    out = {f: imported[f] for f in FILLABLE if imported.get(f) and not stored.get(f)}
    if not stored.get("deadline") and not stored.get("deadline_text"):
        for f in ("deadline", "deadline_text", "kind"):
            if imported.get(f):
                out[f] = imported[f]
    if imported.get("progress") and not stored.get("progress"):
        out["progress"] = imported["progress"]
    said = imported.get("status")
    if stored.get("status") == ST_TODO and said and said not in (ST_TODO, ST_DONE):
        out["status"] = said  # 已销号 never comes in: the ledger's own reader made it 待销号
    return out


def labels(changes: dict[str, Any]) -> str:
    """“整改措施、责任领导、整改时限” for the preview."""
    names = [LABELS[f] for f in changes if f not in ("deadline_text", "kind")]
    if ("deadline_text" in changes or "kind" in changes) and "deadline" not in changes:
        names.append(LABELS["deadline"])
    return "、".join(names)
