"""A small modal list to pick one thing: subject, status action, dimension, campaign task."""

from __future__ import annotations

from typing import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class MenuScreen(ModalScreen[str | None]):
    """Pick one of ``options`` ((value, label), ...); dismisses with the value or None."""

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("j", "down", "下一项", show=False),
        Binding("k", "up", "上一项", show=False),
    ]

    DEFAULT_CSS = """
    MenuScreen { align: center middle; }
    MenuScreen > Vertical {
        width: auto; min-width: 30; max-width: 90%;
        height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    MenuScreen Label.menu-note { color: $text-muted; margin-bottom: 1; }
    MenuScreen OptionList { height: auto; max-height: 20; width: auto; min-width: 26; border: none; }
    """

    def __init__(self, title: str, options: Sequence[tuple[str, str]], *, current: str | None = None,
                 note: str = "") -> None:
        super().__init__()
        self.menu_title = title
        self.menu_options = list(options)
        self.current = current
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.menu_title
            box.border_subtitle = "Enter 选择 · Esc 取消"
            if self.note:
                yield Label(self.note, classes="menu-note")
            yield OptionList(*[Option(label, id=value) for value, label in self.menu_options])

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        if self.current is not None:
            for n, (value, _) in enumerate(self.menu_options):
                if value == self.current:
                    ol.highlighted = n
        elif self.menu_options:
            ol.highlighted = 0
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()
