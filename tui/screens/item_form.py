"""The item (整改事项) form: a RecordEditScreen over ITEM_FIELDS."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from storage import ConflictError, NotFoundError
from storage.database import Database
from storage.date_checks import past_deadline
from storage.items import FORM_STATUS_HINT, form_statuses, save_item
from storage.models import ITEM_FIELDS, SUBJECT_GROUP, blank, spec

from ..undo_log import record
from .record_edit import RecordEditScreen

FORM_FIELDS = tuple(replace(f, help=FORM_STATUS_HINT) if f.name == "status" else f for f in ITEM_FIELDS if f.form) + (
    spec("items", "progress"),
)


def dimension_choices(campaign: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for d in campaign.get("dimensions", []):
        short = d.get("short") or ""
        out.append((d["key"], f"{short}｜{d.get('title', '')}" if short else d.get("title", "")))
    return out


class ItemFormScreen(RecordEditScreen):
    """New (``item=None``) or existing item; dismisses with the saved item or None.

    Saving goes through ``storage.items.save_item`` with ``expected_rev`` = the
    revision the form was opened with, so another user's save is never
    overwritten silently. Progress notes are shown read-only (added with
    ProgressNoteScreen).
    """

    def __init__(
        self,
        db: Database,
        campaign_uid: str,
        item: dict[str, Any] | None = None,
        *,
        dimension: str | None = None,
        subject: str = SUBJECT_GROUP,
    ) -> None:
        self.db = db
        self.campaign = db.require("campaigns", campaign_uid)
        dims = dimension_choices(self.campaign)
        if item is None:
            dim = dimension or (dims[0][0] if dims else "")
            record = blank("items", campaign=campaign_uid, dimension=dim, subject=subject or SUBJECT_GROUP)
            title = f"新增整改事项 · {self.campaign['name']}"
        else:
            record = dict(item)
            title = f"编辑整改事项 · {self.campaign['name']}"
        statuses = [(s, s) for s in form_statuses(record.get("status") if item is not None else None)]
        super().__init__(title, FORM_FIELDS, record, self._save_item, choices={"dimension": dims, "status": statuses},
                         date_checks={"deadline": lambda d, values: past_deadline(d, values.get("status"))})
        self.campaign_uid = campaign_uid

    def _save_item(self, values: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in values.items() if k != "rev"}
        data["campaign"] = self.campaign_uid
        if not data.get("uid"):
            return save_item(self.db, {**blank("items"), **data})
        try:
            before = self.db.get("items", data["uid"])  # for Ctrl+Z: exactly what this save replaces
            saved = save_item(self.db, data, expected_rev=values.get("rev"))
            record(self.app, "edit", before, saved)
            return saved
        except NotFoundError as e:
            if e.table != "items":
                raise
            # deleted by someone else meanwhile: offer the conflict choices
            raise ConflictError("items", data["uid"], values.get("rev") or 0, None) from None
