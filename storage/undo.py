"""Undo (Ctrl+Z) of an item's last edit, status change, progress note, move or delete.

A :class:`Step` is taken in the session that made the change: the record as it was before
and the revision the change left. :func:`undo` writes the old values back through the
ordinary record API (an update, or for a delete an insert under the same uid), with its own
history line: the line says what changed, as every line does, and ``"undo"`` says what it
undid (``{"kind": "edit", "of": <time of the undone change>}``).

Never over a colleague's work: when the item's revision is no longer the one the change
left (someone saved it since), the undo is refused with who and when, and nothing is
written. The check and the write are one transaction under the database lock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .database import Database
from .dates import now_iso
from .errors import RuleError
from .models import SPECS, SYSTEM_FIELDS

KINDS = {"edit": "修改", "status": "状态操作", "progress": "添加进展", "move": "移到维度", "delete": "删除"}


@dataclass(frozen=True)
class Step:
    kind: str  # a key of KINDS
    uid: str
    before: dict[str, Any]  # the whole record before the change
    after_rev: int | None  # the revision the change left (None: deleted)
    at: str  # when the change was made
    detached: tuple[str, ...] = field(default=())  # a delete: the opinions it detached

    @property
    def label(self) -> str:
        """“修改：理论学习深度不足” (for messages)."""
        return f"{KINDS.get(self.kind, self.kind)}：{self.before.get('title', '')}"


def step(kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> Step | None:
    """The step of a change from ``before`` to ``after`` (None: deleted), or None when there is
    nothing to undo (no record before, or the change was not exactly one revision on)."""
    if not before:
        return None
    if after is None:
        return Step("delete", before["uid"], dict(before), None, now_iso())
    if after.get("rev") != (before.get("rev") or 0) + 1:
        return None  # nothing written (same values), or not from this record's revision
    return Step(kind, before["uid"], dict(before), after.get("rev"), after.get("updated") or now_iso())


def undo(db: Database, s: Step) -> dict[str, Any]:
    """Write back what ``s`` changed; returns the item as it is now. RuleError (with a
    Chinese message) when it cannot be undone: a colleague changed the item since, its
    campaign or dimension is gone, or it is already back."""
    note = {"undo": {"kind": s.kind, "of": s.at}}
    with db.transaction():
        if s.kind == "delete":
            return _undelete(db, s, note)
        current = db.get("items", s.uid)
        if current is None:
            raise RuleError(f"不能撤销“{KINDS.get(s.kind)}”：该事项已被{_who_deleted(db, s.uid)}删除。")
        if current.get("rev") != s.after_rev:
            who = current.get("updated_by") or "其他用户"
            when = (current.get("updated") or "").replace("T", " ")[:16]
            raise RuleError(f"不能撤销“{KINDS.get(s.kind)}”：{who} 在 {when} 又修改了该事项。"
                            "为免覆盖其修改，未作任何改动；请打开表单核对后手动修改。")
        changes = _differences(s.before, current)
        if "dimension" in changes:
            changes["seq"] = _free_seq(db, s.before, s.uid)
        with db.noting(**note):
            return db.update("items", s.uid, changes, expected_rev=s.after_rev)


def _differences(before: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    specs = {f.name: f for f in SPECS["items"]}
    out = {}
    for key in (set(before) | set(current)) - set(SYSTEM_FIELDS):
        if before.get(key) != current.get(key):
            value = before.get(key)
            out[key] = specs[key].empty() if value is None and key in specs else value
    return out


def _free_seq(db: Database, rec: dict[str, Any], uid: str) -> int:
    """``rec``'s old 序号 in its dimension if no other item took it meanwhile, else the next free."""
    peers = [r for r in db.light("items", rec.get("campaign")).values()
             if r["uid"] != uid and r.get("dimension") == rec.get("dimension")
             and (r.get("subject") or "") == (rec.get("subject") or "")]
    taken = {r.get("seq") for r in peers}
    seq = rec.get("seq") or 0
    return seq if seq and seq not in taken else max((r.get("seq") or 0 for r in peers), default=0) + 1


def _undelete(db: Database, s: Step, note: dict[str, Any]) -> dict[str, Any]:
    if db.get("items", s.uid) is not None:
        raise RuleError("不能撤销删除：该事项已经恢复。")
    camp = db.get("campaigns", s.before.get("campaign") or "")
    if camp is None:
        raise RuleError("不能撤销删除：该事项所在的整改活动已被删除。")
    if s.before.get("dimension") not in {d["key"] for d in camp.get("dimensions") or []}:
        raise RuleError("不能撤销删除：该事项所在的整改维度已被删除。")
    rec = {k: v for k, v in s.before.items() if k not in SYSTEM_FIELDS}
    rec["uid"] = s.uid
    rec["seq"] = _free_seq(db, s.before, s.uid)
    with db.noting(**note):
        restored = db.insert("items", rec)
        for uid in s.detached:  # the opinions that had become this item, if still unattached
            o = db.get("opinions", uid)
            if o is not None and not o.get("item"):
                db.update("opinions", uid, {"item": s.uid})
    return restored


def _who_deleted(db: Database, uid: str) -> str:
    for e in db.history(uid=uid, table="items", limit=5):
        if e.get("action") == "delete":
            return f" {e.get('user')} "
    return "其他用户"
