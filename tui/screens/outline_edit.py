"""Outline sections (前言 / 原因 / 努力方向 of the 对照检查材料, 下一步打算 of the 整改落实情况报告):
heading + points."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from storage import ZhenggaiError
from storage.database import Database
from storage.items import reorder_outline, save_outline
from storage.models import OUTLINE_FIELDS, OUTLINE_PARTS, SUBJECT_GROUP

from .dialogs import ConfirmDialog
from .record_edit import RecordEditScreen

FORM_FIELDS = tuple(f for f in OUTLINE_FIELDS if f.form and f.name != "subject")
PART_LABEL = dict(OUTLINE_PARTS)
PART_ORDER = {p: n for n, (p, _) in enumerate(OUTLINE_PARTS)}


def sections(db: Database, campaign_uid: str, subject: str) -> list[dict[str, Any]]:
    rows = [o for o in db.all("outlines") if o.get("campaign") == campaign_uid and (o.get("subject") or SUBJECT_GROUP) == subject]
    return sorted(rows, key=lambda o: (PART_ORDER.get(o.get("part"), 9), o.get("seq") or 0, o.get("created", "")))


class OutlineScreen(ModalScreen[None]):
    """List, add, edit, delete and reorder outline sections of one subject."""

    DEFAULT_CSS = """
    OutlineScreen { align: center middle; background: $background 60%; }
    OutlineScreen > #outline { width: 100%; max-width: 110; height: 1fr; border: thick $primary; background: $surface; }
    OutlineScreen #outline-list { height: 1fr; border: none; }
    OutlineScreen #outline-status { height: auto; padding: 0 1; color: $text-muted; }
    OutlineScreen #outline-status.-error { color: $error; }
    """
    BINDINGS = [
        Binding("n", "new", "新增", tooltip="新增一个段落"),
        Binding("e", "edit", "编辑", tooltip="编辑选中的段落"),
        Binding("d", "delete", "删除", tooltip="删除选中的段落（需确认）"),
        Binding("ctrl+up,alt+up,K", "move(-1)", "上移", tooltip="在本部分内上移"),
        Binding("ctrl+down,alt+down,J", "move(1)", "下移", tooltip="在本部分内下移"),
        Binding("escape", "close", "关闭", tooltip="返回"),
    ]

    def __init__(self, db: Database, campaign_uid: str, subject: str = SUBJECT_GROUP) -> None:
        super().__init__()
        self.db = db
        self.campaign_uid = campaign_uid
        self.subject = subject or SUBJECT_GROUP
        self.campaign = db.require("campaigns", campaign_uid)
        self.records: list[dict[str, Any]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="outline") as box:
            box.border_title = f"材料段落 · {self.campaign.get('name', '')} · {self.subject}"
            yield OptionList(id="outline-list")
            yield Static("", id="outline-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.query_one(OptionList).focus()

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#outline-list", OptionList)

    def reload(self, select_uid: str | None = None) -> None:
        ol = self.option_list
        keep = select_uid or (self.selected or {}).get("uid")
        self.records = sections(self.db, self.campaign_uid, self.subject)
        ol.clear_options()
        opts: list[Option] = []
        part = None
        n = 0
        for rec in self.records:
            if rec.get("part") != part:
                part, n = rec.get("part"), 0
            n += 1
            heading = rec.get("heading") or "（无标题）"
            label = f"【{PART_LABEL.get(part, part)}】{n}. {heading}（{len(rec.get('points') or [])} 段）"
            opts.append(Option(label, id=rec["uid"]))
        ol.add_options(opts)
        if not opts:
            self.set_status("还没有段落。按 n 新增（" + "、".join(PART_LABEL.values()) + "）。")
        else:
            self.set_status("n 新增 · e/Enter 编辑 · d 删除 · Ctrl+↑↓ 排序 · Esc 关闭")
        if keep:
            for idx, rec in enumerate(self.records):
                if rec["uid"] == keep:
                    ol.highlighted = idx
                    break
        elif opts:
            ol.highlighted = 0

    @property
    def selected(self) -> dict[str, Any] | None:
        if not self.is_mounted:
            return None
        idx = self.option_list.highlighted
        if idx is None or not 0 <= idx < len(self.records):
            return None
        return self.records[idx]

    def set_status(self, message: str, *, error: bool = False) -> None:
        st = self.query_one("#outline-status", Static)
        st.update(message)
        st.set_class(error, "-error")

    # ------------------------------------------------------------ actions

    def _editor(self, record: dict[str, Any] | None) -> RecordEditScreen:
        base = dict(record or {"part": "causes", "heading": "", "points": []})

        def save(values: dict[str, Any]) -> dict[str, Any]:
            data = {k: v for k, v in values.items() if k != "rev"}
            data["campaign"] = self.campaign_uid
            data["subject"] = self.subject
            return save_outline(self.db, data, expected_rev=values.get("rev"))

        title = "编辑段落" if record else "新增段落"
        return RecordEditScreen(title, FORM_FIELDS, base, save)

    def _after_edit(self, saved: dict[str, Any] | None) -> None:
        if saved:
            self.reload(saved["uid"])
            self.set_status(f"已保存：{saved.get('heading') or '（无标题）'}")

    def action_new(self) -> None:
        self.app.push_screen(self._editor(None), self._after_edit)

    def action_edit(self) -> None:
        rec = self.selected
        if rec is None:
            return
        fresh = self.db.get("outlines", rec["uid"])
        if fresh is None:
            self.reload()
            self.set_status("该段落已被他人删除。", error=True)
            return
        self.app.push_screen(self._editor(fresh), self._after_edit)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    @work
    async def action_delete(self) -> None:
        rec = self.selected
        if rec is None:
            return
        heading = rec.get("heading") or "（无标题）"
        if not await self.app.push_screen_wait(ConfirmDialog(f"删除段落“{heading}”？此操作会记入修改记录。", confirm_label="删除")):
            return
        try:
            self.db.delete("outlines", rec["uid"], expected_rev=rec.get("rev"))
        except ZhenggaiError as e:
            self.set_status(str(e), error=True)
            self.reload()
            return
        self.reload()
        self.set_status(f"已删除：{heading}")

    def action_move(self, delta: int) -> None:
        rec = self.selected
        if rec is None:
            return
        try:
            reorder_outline(self.db, rec["uid"], delta)
        except ZhenggaiError as e:
            self.set_status(str(e), error=True)
        self.reload(rec["uid"])

    def action_close(self) -> None:
        self.dismiss(None)
