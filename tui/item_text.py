"""An item as plain text, for the clipboard (Ctrl+C in the workspace): every field a reader
needs, labelled as in the form, measures numbered, in the order of the detail pane."""

from __future__ import annotations

from typing import Any

from storage.models import SUBJECT_GROUP


def item_text(item: dict[str, Any], dimension: str = "") -> str:
    lines = [f"问题概述：{item.get('title', '')}"]
    if dimension:
        lines.append(f"整改维度：{dimension}")
    if (item.get("subject") or SUBJECT_GROUP) != SUBJECT_GROUP:
        lines.append(f"材料主体：{item.get('subject')}")
    for key, label in (("manifestation", "问题表现"), ("example", "典型事例"), ("cause", "原因剖析")):
        if item.get(key):
            lines.append(f"{label}：{item[key]}")
    measures = [m for m in item.get("measures") or [] if m]
    if measures:
        lines.append("整改措施：")
        lines += [f"{n}. {m}" for n, m in enumerate(measures, 1)]
    people = "　".join(f"{label}：{item[key]}" for key, label in (("leader", "责任领导"), ("owner_dept", "责任部门"))
                      if item.get(key))
    if people:
        lines.append(people)
    deadline = item.get("deadline") or ""
    if deadline or item.get("deadline_text"):
        extra = f"（{item['deadline_text']}）" if item.get("deadline_text") and deadline else item.get("deadline_text") or ""
        lines.append(f"整改时限：{deadline}{extra}")
    lines.append(f"状态：{item.get('status', '')}")
    notes = item.get("progress") or []
    if notes:
        lines.append("进展情况：")
        lines += [f"{n.get('date', '')} {n.get('text', '')}".strip() for n in notes]
    evidence = [e for e in item.get("evidence") or [] if e]
    if evidence:
        lines.append("佐证材料：" + "；".join(evidence))
    return "\n".join(lines)
