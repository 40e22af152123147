"""Status workflow dialogs (开始整改 / 申请销号 / 销号 / 驳回 / 重启) and progress notes."""

from __future__ import annotations

from typing import Any

from textual.widgets import Button

from storage.database import Database
from storage.date_checks import past_deadline
from storage.dates import today
from storage.items import TRANSITIONS, add_progress, transition
from storage.models import MAX_TEXT, FieldSpec

from ..undo_log import record
from .dialogs import FormDialog, coerce_values, dialog_css

NO_EVIDENCE = "该事项还没有佐证材料，不能销号。请先在表单中登记佐证材料（按 e 编辑事项）。"

F = FieldSpec
DATE = F("on", "日期", "date", required=True, help="默认今天")


def _action_fields(action: str, item: dict[str, Any]) -> list[FieldSpec]:
    if action == "close":
        return [F("closed_by", "销号审核人", required=True, max_len=50, placeholder="审核并同意销号的负责人"), DATE]
    if action == "reopen":  # a reopened item needs a deadline of its own: the old one is usually past
        old = item.get("deadline") or ""
        return [F("reason", "重启原因", "text", required=True, max_len=MAX_TEXT),
                F("deadline", "新的整改时限", "date", required=bool(old),
                  help=f"原时限 {old}；如 2025-06-30、2025.6.30、2025年6月30日" if old else "可不填（长期坚持的事项）"),
                DATE]
    if action == "reject":
        return [F("reason", "驳回原因", "text", required=True, max_len=MAX_TEXT), DATE]
    if action == "submit":
        return [F("reason", "说明", "text", max_len=MAX_TEXT, help="可选：整改完成情况，记入进展"), DATE]
    return []


class ItemActionScreen(FormDialog):
    """Apply one workflow ``action`` to ``item``; dismisses with the updated item or None."""

    DEFAULT_CSS = dialog_css("ItemActionScreen") + """
    ItemActionScreen #dialog-message.-refused { color: $error; }
    """

    def __init__(self, db: Database, item: dict[str, Any], action: str) -> None:
        self.db = db
        self.item = item
        self.action = action
        frm, to, label = TRANSITIONS[action]
        self.refusal = ""
        if item.get("status") != frm:
            self.refusal = f"“{label}”只适用于“{frm}”状态的事项，该事项当前为“{item.get('status')}”。"
        elif action == "close" and not item.get("evidence"):
            self.refusal = NO_EVIDENCE
        fields = [] if self.refusal else _action_fields(action, item)
        message = self.refusal or f"事项：{item.get('title', '')}\n状态：{frm} → {to}"
        initial = {"on": today().isoformat()}
        if action == "reopen" and (item.get("deadline") or "") >= today().isoformat():
            initial["deadline"] = item["deadline"]  # still ahead: kept unless changed; else asked anew
        super().__init__(
            f"{label} · {item.get('title', '')[:20]}",
            fields,
            initial,
            message=message,
            submit_label=label,
            date_checks={"deadline": lambda d, _values: past_deadline(d)} if action == "reopen" else None,
        )

    def initial_focus(self) -> None:
        if self.refusal:
            self.query_one("#dialog-message").add_class("-refused")
            self.query_one("#submit", Button).display = False
            self.query_one("#cancel", Button).label = "知道了"
            self.query_one("#cancel", Button).focus()
        elif self.fields:
            self.form.focus_first()
        else:
            self.query_one("#submit", Button).focus()

    def submit(self, values: dict[str, Any]) -> Any:
        if self.refusal:
            return None
        values = coerce_values(self.fields, values)
        before = self.db.get("items", self.item["uid"])
        after = transition(
            self.db,
            self.item["uid"],
            self.action,
            reason=values.get("reason", ""),
            approver=values.get("closed_by", ""),
            on=values.get("on") or None,
            deadline=values.get("deadline") or None,
        )
        record(self.app, "status", before, after)
        return after

    def action_submit(self) -> None:
        if self.refusal:
            self.dismiss(None)
            return
        super().action_submit()


class ProgressNoteScreen(FormDialog):
    """Add one dated progress note (author = OS user); dismisses with the updated item."""

    DEFAULT_CSS = dialog_css("ProgressNoteScreen")

    def __init__(self, db: Database, item: dict[str, Any]) -> None:
        self.db = db
        self.item = item
        fields = [
            F("on", "日期", "date", required=True, help="默认今天"),
            F("text", "进展内容", "text", required=True, max_len=MAX_TEXT, placeholder="如：已召开专题会议，制定学习计划"),
        ]
        super().__init__(
            "添加进展",
            fields,
            {"on": today().isoformat()},
            message=f"事项：{item.get('title', '')}\n记录人：{db.user}",
            submit_label="添加",
        )

    def initial_focus(self) -> None:
        self.form.focus_field("text")

    def submit(self, values: dict[str, Any]) -> Any:
        clean = coerce_values(self.fields, values)
        before = self.db.get("items", self.item["uid"])
        after = add_progress(self.db, self.item["uid"], clean["text"], on=clean["on"])
        record(self.app, "progress", before, after)
        return after

