"""Campaigns and items: creation, the status workflow, progress, ordering."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .database import LIGHT_FIELDS, Database
from .dates import iso, parse_date, today
from .dimensions import DEFAULT_SET, campaign_style, get_set
from .errors import RuleError, ValidationError
from .models import (
    OUTLINE_PARTS,
    ST_DOING,
    ST_DONE,
    ST_REVIEW,
    ST_TODO,
    SUBJECT_GROUP,
    blank,
)

# action -> (from status, to status, label)
TRANSITIONS: dict[str, tuple[str, str, str]] = {
    "start": (ST_TODO, ST_DOING, "开始整改"),
    "submit": (ST_DOING, ST_REVIEW, "申请销号"),
    "close": (ST_REVIEW, ST_DONE, "销号"),
    "reject": (ST_REVIEW, ST_DOING, "驳回"),
    "reopen": (ST_DONE, ST_DOING, "重启"),
}


def create_campaign(
    db: Database,
    name: str,
    dimension_set: str = DEFAULT_SET.key,
    *,
    kind: str | None = None,
    year: int | None = None,
    **fields: Any,
) -> dict[str, Any]:
    dset = get_set(dimension_set)
    rec = blank(
        "campaigns",
        name=name,
        kind=kind or dset.kind,
        year=year if year is not None else today().year,
        dimensions=dset.copy(),
        dimension_set=dset.key,
        # The document style is copied like the dimensions: the set's wording, then defaults.
        style=campaign_style({"dimension_set": dset.key, "style": fields.pop("style", None)}),
    )
    rec.update(fields)
    return db.insert("campaigns", rec)


def set_dimensions(db: Database, campaign_uid: str, dims: list[dict[str, str]], expected_rev: int | None = None) -> dict[str, Any]:
    """Rename / add / remove dimensions. A dimension that still has items cannot go."""
    with db.transaction():
        keep = {d.get("key") for d in dims}
        used = {i.get("dimension") for i in _rows(db, "items") if i.get("campaign") == campaign_uid}
        gone = used - keep
        if gone:
            raise RuleError("要删除的维度下还有整改事项，请先移走或删除这些事项")
        out = []
        taken = {d.get("key") for d in dims if d.get("key")}
        n = 1
        for d in dims:
            d = dict(d)
            if not d.get("key"):
                while f"d{n}" in taken:
                    n += 1
                d["key"] = f"d{n}"
                taken.add(d["key"])
            out.append(d)
        return db.update("campaigns", campaign_uid, {"dimensions": out}, expected_rev)


def delete_campaign(db: Database, campaign_uid: str) -> None:
    """Delete a campaign with its opinions, items and outline sections (after a backup)."""
    with db.transaction():
        db.require("campaigns", campaign_uid)
        db.backup("manual")
        for table in ("opinions", "items", "outlines"):  # opinions first: they refer to items
            for r in [r for r in _rows(db, table) if r.get("campaign") == campaign_uid]:
                db.delete(table, r["uid"])
        db.delete("campaigns", campaign_uid)


def _rows(db: Database, table: str) -> Any:
    """Records to filter on campaign, dimension, subject, seq: light rows where the table is big."""
    return db.light(table).values() if table in LIGHT_FIELDS else db.table_dict(table).values()


def _next_seq(db: Database, table: str, **match: Any) -> int:
    seqs = [r.get("seq") or 0 for r in _rows(db, table) if all(r.get(k) == v for k, v in match.items())]
    return max(seqs, default=0) + 1


def add_item(db: Database, campaign_uid: str, dimension: str, title: str, **fields: Any) -> dict[str, Any]:
    with db.transaction():
        camp = db.require("campaigns", campaign_uid)
        _check_dimension(camp, dimension)
        rec = blank("items", campaign=campaign_uid, dimension=dimension, title=title)
        rec.update(fields)
        rec["seq"] = _next_seq(db, "items", campaign=campaign_uid, dimension=dimension)
        return db.insert("items", rec)


def save_item(db: Database, data: dict[str, Any], expected_rev: int | None = None) -> dict[str, Any]:
    """Insert (no uid) or update an item from a form. A form changes the status only by the
    steps of form_statuses(); the others go through transition()."""
    with db.transaction():
        camp = db.require("campaigns", data.get("campaign", ""))
        _check_dimension(camp, data.get("dimension", ""))
        if not data.get("uid"):
            _check_form_status(None, data.get("status"))
            data = _track_submission({}, dict(data))
            data["seq"] = _next_seq(db, "items", campaign=camp["uid"], dimension=data["dimension"])
            return db.insert("items", data)
        old = db.require("items", data["uid"])
        if data.get("status") != old.get("status"):
            _check_form_status(old.get("status"), data.get("status"))
        data = _track_submission(old, data)
        if old.get("dimension") != data.get("dimension"):
            data = dict(data, seq=_next_seq(db, "items", campaign=camp["uid"], dimension=data["dimension"]))
        return db.update("items", data["uid"], data, expected_rev)


def _track_submission(old: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """``submitted_on`` follows a status set in the form as ``transition`` keeps it: the day an
    item went to 待销号 (whether it was in time is judged against it), cleared when it goes back."""
    status = data.get("status", old.get("status"))
    if status == ST_REVIEW and old.get("status") != ST_REVIEW and not data.get("submitted_on"):
        return dict(data, submitted_on=iso(today()))
    if status in (ST_TODO, ST_DOING) and (data.get("submitted_on") or old.get("submitted_on")):
        return dict(data, submitted_on="")
    return data


def _check_dimension(camp: dict[str, Any], key: str) -> None:
    if key not in {d["key"] for d in camp.get("dimensions", [])}:
        raise ValidationError({"dimension": "整改维度：请选择本活动中的一个维度"})


# Status changes an item form may make by itself: 开始整改 and 申请销号 need nothing the
# form does not have. 销号 needs an approver and a date, 驳回 and 重启 a reason: they go
# through transition() (the `a` key), never through the form.
FORM_ACTIONS = ("start", "submit")
FORM_STATUS_HINT = "只列出可直接改到的状态；销号、驳回、重启：在列表中选中事项后按 a"


def form_statuses(current: str | None) -> tuple[str, ...]:
    """The statuses an item form offers for an item now in ``current`` (None: a new item):
    the current one and those one form-made step on."""
    current = current or ST_TODO
    return (current, *(TRANSITIONS[a][1] for a in FORM_ACTIONS if TRANSITIONS[a][0] == current))


def _check_form_status(old: str | None, new: str | None) -> None:
    if new and new not in form_statuses(old):
        frm = old or "新建"
        raise ValidationError({"status": f"状态：不能从“{frm}”直接改为“{new}”。销号、驳回、重启请在列表中选中事项后按 a"})


def available_actions(item: dict[str, Any]) -> list[str]:
    return [a for a, (frm, _, _) in TRANSITIONS.items() if item.get("status") == frm]


def transition(
    db: Database,
    uid: str,
    action: str,
    expected_rev: int | None = None,
    *,
    reason: str = "",
    approver: str = "",
    on: str | _dt.date | None = None,
    deadline: str | _dt.date | None = None,
) -> dict[str, Any]:
    """Move an item along 未启动 → 整改中 → 待销号 → 已销号 (驳回, 重启).

    ``deadline`` (重启): the item's new 整改时限; the progress note names the change."""
    if action not in TRANSITIONS:
        raise RuleError(f"未知操作：{action}")
    frm, to, label = TRANSITIONS[action]
    with db.transaction():
        item = db.require("items", uid)
        if item.get("status") != frm:
            raise RuleError(f"“{label}”只适用于“{frm}”状态的事项，该事项当前为“{item.get('status')}”")
        changes: dict[str, Any] = {"status": to}
        day = iso(parse_date(on) or today())
        notes = list(item.get("progress") or [])
        if action == "close":
            if not item.get("evidence"):
                raise RuleError("该事项还没有佐证材料，不能销号。请先在表单中登记佐证材料。")
            if not approver.strip():
                raise ValidationError({"closed_by": "销号审核人：不能为空"})
            changes.update(closed_by=approver, closed_on=day)
            notes.append({"date": day, "text": f"销号（审核人：{approver}）", "by": db.user})
        elif action in ("reject", "reopen"):
            if not reason.strip():
                raise ValidationError({"reason": f"{label}原因：不能为空"})
            notes.append({"date": day, "text": f"{label}：{reason}", "by": db.user})
            changes["submitted_on"] = ""
            if action == "reopen":
                changes.update(closed_by="", closed_on="")
                new = iso(parse_date(deadline)) if deadline else ""
                if new and new != item.get("deadline"):
                    changes["deadline"] = new
                    notes[-1] = {**notes[-1], "text": f"{notes[-1]['text']}（整改时限改为 {new}）"}
        elif action == "submit":
            changes["submitted_on"] = day
            if reason.strip():
                notes.append({"date": day, "text": f"申请销号：{reason}", "by": db.user})
        changes["progress"] = notes
        return db.update("items", uid, changes, expected_rev)


def add_progress(db: Database, uid: str, text: str, on: str | _dt.date | None = None, expected_rev: int | None = None) -> dict[str, Any]:
    with db.transaction():
        item = db.require("items", uid)
        notes = list(item.get("progress") or [])
        notes.append({"date": iso(parse_date(on) or today()), "text": text, "by": db.user})
        if not text.strip():
            raise ValidationError({"progress": "进展情况：内容不能为空"})
        return db.update("items", uid, {"progress": notes}, expected_rev)


def move_item(db: Database, uid: str, dimension: str) -> dict[str, Any]:
    with db.transaction():
        item = db.require("items", uid)
        camp = db.require("campaigns", item["campaign"])
        _check_dimension(camp, dimension)
        if item["dimension"] == dimension:
            return item
        seq = _next_seq(db, "items", campaign=item["campaign"], dimension=dimension)
        return db.update("items", uid, {"dimension": dimension, "seq": seq})


def reorder_item(db: Database, uid: str, delta: int) -> dict[str, Any]:
    """Move an item up (delta < 0) or down within its dimension and subject."""
    return _reorder(db, "items", uid, delta, ("campaign", "dimension", "subject"))


def _reorder(db: Database, table: str, uid: str, delta: int, group: tuple[str, ...]) -> dict[str, Any]:
    """Move a record ``delta`` places among the records sharing its ``group`` fields; renumber seq 1..n."""
    with db.transaction():
        rec = db.require(table, uid)
        peers = sorted(
            (r for r in _rows(db, table) if all(r.get(f) == rec.get(f) for f in group)),
            key=lambda r: (r.get("seq") or 0, r.get("created", "")),
        )
        pos = next(n for n, r in enumerate(peers) if r["uid"] == uid)
        new = max(0, min(len(peers) - 1, pos + delta))
        if new == pos:
            return rec
        peers.insert(new, peers.pop(pos))
        for n, p in enumerate(peers, 1):
            if p.get("seq") != n:
                db.update(table, p["uid"], {"seq": n})
        return db.require(table, uid)


def add_outline(db: Database, campaign_uid: str, part: str, heading: str, points: list[str], subject: str = SUBJECT_GROUP) -> dict[str, Any]:
    with db.transaction():
        db.require("campaigns", campaign_uid)
        if part not in dict(OUTLINE_PARTS):
            raise ValidationError({"part": "部分：无效"})
        seq = _next_seq(db, "outlines", campaign=campaign_uid, subject=subject, part=part)
        return db.insert(
            "outlines",
            blank("outlines", campaign=campaign_uid, part=part, heading=heading, points=points, subject=subject, seq=seq),
        )


def save_outline(db: Database, data: dict[str, Any], expected_rev: int | None = None) -> dict[str, Any]:
    """Insert (no uid) or update an outline section from a form.

    A section moved to another part goes to the end of that part.
    """
    with db.transaction():
        db.require("campaigns", data.get("campaign", ""))
        subject = data.get("subject") or SUBJECT_GROUP
        part = data.get("part", "")
        if part not in dict(OUTLINE_PARTS):
            raise ValidationError({"part": "部分：请选择" + "、".join(label for _, label in OUTLINE_PARTS[:-1]) + "或" + OUTLINE_PARTS[-1][1]})
        if not data.get("uid"):
            rec = {**blank("outlines"), **data, "subject": subject}
            rec["seq"] = _next_seq(db, "outlines", campaign=rec["campaign"], subject=subject, part=part)
            return db.insert("outlines", rec)
        old = db.require("outlines", data["uid"])
        if old.get("part") != part:
            data = dict(data, seq=_next_seq(db, "outlines", campaign=old["campaign"], subject=old.get("subject"), part=part))
        return db.update("outlines", data["uid"], data, expected_rev)


def reorder_outline(db: Database, uid: str, delta: int) -> dict[str, Any]:
    """Move an outline section up (delta < 0) or down within its part."""
    return _reorder(db, "outlines", uid, delta, ("campaign", "subject", "part"))
