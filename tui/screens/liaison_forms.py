"""The 三联系 edit forms, all built on the generic RecordEditScreen (no second form).

- :func:`link_form` — a new link of a given tier; the person lists only offer
  the 身份 the tier allows, and the database still enforces the tier rules
  (its message is shown in the form's status line).
- :func:`link_edit_form` — 每季度至少 / dates / 备注 of an existing link.
- :func:`contact_form` — log a contact on a link: 内容摘要 first, 日期 defaults
  to today, 方式 to 走访; Ctrl+S saves.
- :func:`person_form` — a new or an existing person.
"""

from __future__ import annotations

from typing import Any

from storage.database import Database
from storage.date_checks import future_contact
from storage.dates import today
from storage.liaison import add_link, link_label, log_contact, save_person, tier_label
from storage.models import LINK_FIELDS, PERSON_FIELDS, spec

from ..widgets.liaison_common import tier_choices
from .record_edit import RecordEditScreen

CONTACT_FORM_FIELDS = tuple(spec("contacts", n) for n in ("summary", "date", "mode", "raised_kind", "raised", "follow_up"))
# A contact dated in the future is warned about (it would count and show as 最近联系), not refused.
CONTACT_DATE_CHECK = {"date": lambda d, _values: future_contact(d)}
LINK_EDIT_FIELDS = tuple(spec("links", n) for n in ("min_per_quarter", "since", "until", "note"))


def link_form(db: Database, tier: str, preset: dict[str, Any] | None = None) -> RecordEditScreen:
    tier = str(tier)
    names = ("from_person", "to_person", "min_per_quarter", "since", "note") if tier in ("1", "2") else (
        "from_person", "to_group", "min_per_quarter", "since", "note")
    fields = tuple(f for n in names for f in LINK_FIELDS if f.name == n)
    record = {"min_per_quarter": 1, **(preset or {})}

    def save(values: dict[str, Any]) -> dict[str, Any]:
        return add_link(
            db, tier, values.get("from_person", ""), values.get("to_person", ""), values.get("to_group", ""),
            min_per_quarter=values.get("min_per_quarter") or 1, since=values.get("since") or None, note=values.get("note", ""),
        )

    return RecordEditScreen(f"新建联系关系 · {tier_label(tier)}", fields, record, save, choices=tier_choices(db, tier))


def link_edit_form(db: Database, link: dict[str, Any]) -> RecordEditScreen:
    uid = link["uid"]

    def save(values: dict[str, Any]) -> dict[str, Any]:
        changes = {k: v for k, v in values.items() if k not in ("uid", "rev")}
        return db.update("links", uid, changes, expected_rev=values.get("rev"))

    title = f"编辑联系关系：{link_label(db.table_dict('persons'), link)}"
    return RecordEditScreen(title, LINK_EDIT_FIELDS, link, save)


def contact_form(db: Database, link: dict[str, Any], contact: dict[str, Any] | None = None) -> RecordEditScreen:
    label = link_label(db.table_dict("persons"), link)
    if contact is None:
        record = {"date": today().isoformat(), "mode": "走访"}

        def save(values: dict[str, Any]) -> dict[str, Any]:
            extra = {k: values.get(k, "") for k in ("raised_kind", "raised", "follow_up")}
            return log_contact(db, link["uid"], values.get("summary", ""), on=values.get("date") or None,
                               mode=values.get("mode") or "走访", **extra)

        return RecordEditScreen(f"记录联系：{label}", CONTACT_FORM_FIELDS, record, save, date_checks=CONTACT_DATE_CHECK)

    uid = contact["uid"]

    def update(values: dict[str, Any]) -> dict[str, Any]:
        changes = {k: v for k, v in values.items() if k not in ("uid", "rev")}
        return db.update("contacts", uid, changes, expected_rev=values.get("rev"))

    return RecordEditScreen(f"编辑联系记录：{label}", CONTACT_FORM_FIELDS, contact, update, date_checks=CONTACT_DATE_CHECK)


def person_form(db: Database, person: dict[str, Any] | None) -> RecordEditScreen:
    uid = person["uid"] if person else None

    def save(values: dict[str, Any]) -> dict[str, Any]:
        return save_person(db, values, uid=uid, expected_rev=values.get("rev") if uid else None)

    title = f"编辑人员：{person.get('name', '')}" if person else "新增人员"
    return RecordEditScreen(title, PERSON_FIELDS, person or {}, save)
