"""修改记录 (h): who changed what in one record, newest first, from the history file (留痕)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from storage import ZhenggaiError
from storage.models import SPECS

from ..widgets.cells import fit

ACTIONS = {"insert": "新建", "update": "修改", "delete": "删除"}
VALUE_WIDTH = 56  # cells: one value per line at 80 columns


def show_value(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):  # a progress note
        return " ".join(str(value.get(k) or "") for k in ("date", "text") if value.get(k)) or "（空）"
    if isinstance(value, list):
        return "；".join(show_value(v) for v in value)
    return str(value).replace("\n", " ")


def change_lines(field: str, before: Any, after: Any) -> list[tuple[str, str]]:
    """(label, text) lines for one changed field; lists say what was added and removed."""
    if isinstance(before, list) and isinstance(after, list):
        out = [("新增", show_value(v)) for v in after if v not in before]
        out += [("删去", show_value(v)) for v in before if v not in after]
        if not out:  # same entries, new order
            out = [("顺序", "已调整")]
        return out
    return [("", f"{fit(show_value(before), VALUE_WIDTH // 2)} → {show_value(after)}")]


def render_history(entries: list[dict[str, Any]], table: str) -> Text:
    labels = {f.name: f.label for f in SPECS.get(table, ())} | {"origin": "接续自（上年度事项编号）", "style": "文风"}
    t = Text()
    if not entries:
        t.append("没有修改记录。", style="dim")
        return t
    for n, e in enumerate(entries):
        if n:
            t.append("\n")
        when = str(e.get("time", "")).replace("T", " ")[:16]
        t.append(f"{when}  ", style="bold")
        t.append(f"{e.get('user', '？')}  ", style="bold cyan")
        t.append(ACTIONS.get(e.get("action", ""), e.get("action", "")))
        undone = e.get("undo")
        if isinstance(undone, dict):  # storage/undo.py: what this write undid
            from storage.undo import KINDS

            when = str(undone.get("of") or "").replace("T", " ")[:16]
            t.append(f"（撤销 {when} 的{KINDS.get(undone.get('kind'), '修改')}）", style="bold yellow")
        t.append("\n")
        changes = e.get("changes") or {}
        if e.get("action") == "delete" or not changes:
            continue
        for field, pair in changes.items():
            if not isinstance(pair, list) or len(pair) != 2:
                continue
            before, after = pair
            if e.get("action") == "insert" and after in (None, "", []):
                continue
            label = labels.get(field, field)
            lines = [("", show_value(after))] if e.get("action") == "insert" else change_lines(field, before, after)
            for how, text in lines:
                t.append(f"  {label}{'（' + how + '）' if how else ''}：", style="dim")
                t.append(fit(text, VALUE_WIDTH) + "\n")
    return t


class HistoryScreen(ModalScreen[None]):
    """``HistoryScreen(db, table, uid, title)``: read-only; Esc closes."""

    BINDINGS = [
        Binding("escape,q", "close", "关闭", tooltip="关闭修改记录"),
        Binding("j", "scroll(1)", "下移", show=False),
        Binding("k", "scroll(-1)", "上移", show=False),
    ]
    DEFAULT_CSS = """
    HistoryScreen { align: center middle; }
    HistoryScreen > VerticalScroll {
        width: 90%; max-width: 100; height: 85%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, db: Any, table: str, uid: str, title: str) -> None:
        super().__init__()
        self.db, self.table_name, self.uid, self.record_title = db, table, uid, title

    def compose(self) -> ComposeResult:
        try:
            entries = self.db.history(uid=self.uid, table=self.table_name, limit=500)
            body: Text = render_history(entries, self.table_name)
        except (OSError, ZhenggaiError) as e:
            body = Text(f"读取修改记录失败：{e}", style="red")
        with VerticalScroll() as box:
            box.border_title = fit(f"修改记录：{self.record_title}", 60)
            box.border_subtitle = "Esc 关闭 · ↑↓ 滚动"
            yield Static(body, id="history-text")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, step: int) -> None:
        self.query_one(VerticalScroll).scroll_relative(y=step, animate=False)
