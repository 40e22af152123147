"""`f`: filter the item table by status, overdue, leader and department."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label, Select

from storage.models import STATUSES

from ..filters import EMPTY


class FilterScreen(ModalScreen[dict | None]):
    """Dismisses with the new filter dict (possibly empty = cleared) or None (cancel)."""

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "apply", "应用筛选"),
        Binding("ctrl+r", "clear", "清除筛选"),
    ]

    DEFAULT_CSS = """
    FilterScreen { align: center middle; }
    FilterScreen > Vertical {
        width: 60; max-width: 96%; height: auto; max-height: 96%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    FilterScreen .row { height: auto; margin-top: 1; }
    FilterScreen .row > Label { width: 10; }
    FilterScreen .row > Select { width: 1fr; }
    FilterScreen Checkbox { margin: 1 0 0 10; }
    FilterScreen .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    FilterScreen Button { min-width: 8; margin-left: 1; }
    """

    def __init__(self, current: dict[str, Any] | None, leaders: list[str], depts: list[str]) -> None:
        super().__init__()
        self.current = dict(EMPTY, **(current or {}))
        self.leaders = leaders
        self.depts = depts

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical() as box:
            box.border_title = "筛选事项"
            box.border_subtitle = "Ctrl+S 应用 · Ctrl+R 清除 · Esc 取消"
            with Horizontal(classes="row"):
                yield Label("状态")
                yield Select([(s, s) for s in STATUSES], prompt="全部状态", value=c["status"] or Select.NULL,
                             id="f-status", compact=True)
            yield Checkbox("只看已逾期", value=bool(c["overdue"]), id="f-overdue", compact=True)
            with Horizontal(classes="row"):
                yield Label("责任领导")
                yield Select([(x, x) for x in self.leaders], prompt="全部领导",
                             value=c["leader"] if c["leader"] in self.leaders else Select.NULL, id="f-leader", compact=True)
            with Horizontal(classes="row"):
                yield Label("责任部门")
                yield Select([(x, x) for x in self.depts], prompt="全部部门",
                             value=c["dept"] if c["dept"] in self.depts else Select.NULL, id="f-dept", compact=True)
            with Horizontal(classes="buttons"):
                yield Button("应用", variant="primary", id="apply", compact=True)
                yield Button("清除", id="clear", compact=True)
                yield Button("取消", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-status").focus()

    def _value(self, sel_id: str) -> str:
        v = self.query_one(sel_id, Select).value
        return "" if v is Select.NULL or v is None else str(v)

    def values(self) -> dict[str, Any]:
        return {
            "status": self._value("#f-status"),
            "overdue": self.query_one("#f-overdue", Checkbox).value,
            "leader": self._value("#f-leader"),
            "dept": self._value("#f-dept"),
        }

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"apply": self.action_apply, "clear": self.action_clear, "cancel": self.action_cancel}[event.button.id]()

    def action_apply(self) -> None:
        self.dismiss(self.values())

    def action_clear(self) -> None:
        self.dismiss(dict(EMPTY))

    def action_cancel(self) -> None:
        self.dismiss(None)
