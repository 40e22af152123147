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


class PeopleSearch:
    """Mixed into PeoplePane (which has ``db``, ``table``, ``filters``, ``show_inactive``,
    ``search_text`` and ``reload``): / opens the bar, each key filters the roll."""

    def action_search(self) -> None:
        bar = self.query_one(PeopleSearchBar)
        if not bar.is_open:
            from storage import pinyin

            if not pinyin.loaded():  # the initials table (60 ms): read while the first keys are typed
                self.run_worker(pinyin.table, thread=True, group="pinyin", exit_on_error=False)
        bar.open()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close_search":  # only while searching: else Esc is the screen's (返回)
            return bool(self.search_text) or self.query_one(PeopleSearchBar).is_open
        return True

    def action_close_search(self) -> None:
        self.close_search()

    def close_search(self) -> None:
        bar = self.query_one(PeopleSearchBar)
        keep = self.table.current_key
        bar.close()
        if self.search_text:
            self.search_text = ""
            self.reload()
            self.table.select_key(keep)
        self.table.focus()
        self.refresh_bindings()

    # Handlers by name (on_<bar>_<message>): Textual does not see decorated handlers of a mixin.
    def on_people_search_bar_changed(self, event: PeopleSearchBar.Changed) -> None:
        if event.text != self.search_text:
            self.search_text = event.text
            self.reload()
            self.table.move_cursor(row=0)  # the best match

    def on_people_search_bar_submitted(self, event: PeopleSearchBar.Submitted) -> None:
        if self.table.row_count:
            self.table.focus()  # on the first one found; Esc there leaves the search as it is
        else:
            self.app.notify("没有找到这个人", severity="warning")

    def on_people_search_bar_closed(self, event: PeopleSearchBar.Closed) -> None:
        self.close_search()

    def show_person(self, uid: str) -> bool:
        """Select the person ``uid`` in the roll, clearing the search, filters and the
        不在册 switch as needed; False when there is no such person."""
        person = self.db.table_dict("persons").get(uid)
        if person is None:
            return False
        if self.search_text or self.query_one(PeopleSearchBar).is_open:
            self.query_one(PeopleSearchBar).close()
            self.search_text = ""
        if any(person.get(k, "") != v for k, v in self.filters.items() if v):
            self.filters = {}
        if not person.get("active", True):
            self.show_inactive = True
        self.reload()
        self.table.select_key(uid)
        self.show_page()
        return True
