"""三联系 · 人员: the search bar (/) above the roll.

A label and a field, hidden until opened. It only says what was typed: ``Changed`` as each
key arrives, ``Submitted`` on Enter, ``Closed`` on Esc; the people pane filters its rows
(storage.finder.search_people) and decides where the focus goes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

from .paste import LineInput


class PeopleSearchField(LineInput):
    """The field: Esc closes the bar."""

    BINDINGS = [Binding("escape", "close", "关闭查找", tooltip="关闭查找栏，显示全部人员")]

    def action_close(self) -> None:
        self.post_message(PeopleSearchBar.Closed())


class PeopleSearchBar(Horizontal):
    DEFAULT_CSS = """
    PeopleSearchBar { height: 1; display: none; }
    PeopleSearchBar.-open { display: block; }
    PeopleSearchBar > Label { width: auto; padding: 0 1; color: $accent; text-style: bold; }
    PeopleSearchBar > Input { width: 1fr; }
    """

    class Changed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Submitted(Message):
        """Enter: to the first (or highlighted) person found."""

    class Closed(Message):
        """Esc: the bar closes, the roll shows everyone again."""

    def compose(self) -> ComposeResult:
        yield Label("查找")
        yield PeopleSearchField(placeholder="姓名、单位职务、界别、党派或拼音首字母（如 wjh），Enter 选中，Esc 关闭",
                                compact=True, select_on_focus=False, id="people-search")

    @property
    def field(self) -> Input:
        return self.query_one("#people-search", Input)

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        self.add_class("-open")
        self.field.focus()

    def close(self) -> None:
        self.remove_class("-open")
        self.field.value = ""

    @on(Input.Changed, "#people-search")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted, "#people-search")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())
