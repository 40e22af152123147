"""An ordered list of one-line entries (整改措施, 佐证材料), editable by keyboard.

Enter in an entry adds a new entry below it; Backspace in an empty entry removes
it; Ctrl+↑ / Ctrl+↓ (or Alt+↑ / Alt+↓) move the entry. Empty entries are
dropped from :attr:`ListEditor.entries`.
"""

from __future__ import annotations

from typing import Iterable

from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label


class EntryInput(Input):
    """An entry's input: Enter adds a new entry below this one and moves there.

    The entry is added by the Enter binding itself (not by a Submitted message handled
    later), so when the app routes the next key of a burst (tui.keys.KeyOrder) the new
    entry already has the focus.
    """

    async def action_submit(self) -> None:
        for node in self.ancestors:
            if isinstance(node, ListEditor):
                await node.add_entry("", after=self.parent if isinstance(self.parent, ListEntry) else None)
                return


class ListEntry(Horizontal):
    """One numbered entry row."""

    DEFAULT_CSS = """
    ListEntry { height: 1; margin-bottom: 0; }
    ListEntry > .entry-no { width: 4; color: $text-muted; text-align: right; padding-right: 1; }
    ListEntry > Input { width: 1fr; }
    """

    def __init__(self, text: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._text = text
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield Label("", classes="entry-no")
        yield EntryInput(self._text, placeholder=self._placeholder, compact=True, select_on_focus=False, classes="entry")

    @property
    def input(self) -> EntryInput:
        return self.query_one(EntryInput)


class ListEditor(Vertical, can_focus=False):
    """Keyboard list editor; ``entries`` is the list of non-empty lines."""

    DEFAULT_CSS = """
    ListEditor { height: auto; background: $boost; }
    ListEditor:focus-within { background: $boost; }
    ListEditor.-invalid { background-tint: $error 20%; }
    ListEditor > .list-add { height: 1; min-width: 10; border: none; margin-top: 0; }
    """

    BINDINGS = [
        Binding("ctrl+up,alt+up", "move(-1)", "上移", tooltip="把这一条上移"),
        Binding("ctrl+down,alt+down", "move(1)", "下移", tooltip="把这一条下移"),
        Binding("backspace", "remove_if_empty", "删除空行", show=False, priority=True),
    ]

    class Changed(Message):
        def __init__(self, editor: "ListEditor") -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> "ListEditor":
            return self.editor

    def __init__(self, entries: Iterable[str] = (), *, placeholder: str = "", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._initial = [str(e) for e in entries]
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        for text in self._initial or [""]:
            yield ListEntry(text, self.placeholder)
        yield Button("＋ 添加一条", classes="list-add", compact=True)

    def on_mount(self) -> None:
        self._renumber()

    # ------------------------------------------------------------ data

    @property
    def raw_entries(self) -> list[str]:
        if not self.is_mounted or not self.children:
            return list(self._initial)
        return [row.input.value for row in self.query(ListEntry)]

    @property
    def entries(self) -> list[str]:
        return [e.strip() for e in self.raw_entries if e.strip()]

    def focus(self, scroll_visible: bool = True) -> "ListEditor":
        rows = list(self.query(ListEntry))
        if rows:
            rows[0].input.focus(scroll_visible)
        return self

    # ------------------------------------------------------------ editing

    def _renumber(self) -> None:
        for n, row in enumerate(self.query(ListEntry), 1):
            row.query_one(".entry-no", Label).update(f"{n}.")

    def _current_row(self) -> ListEntry | None:
        node = self.screen.focused if self.is_attached else None
        while node is not None and node is not self:
            if isinstance(node, ListEntry):
                return node
            node = node.parent
        return None

    async def add_entry(self, text: str = "", after: ListEntry | None = None) -> ListEntry:
        row = ListEntry(text, self.placeholder)
        if after is not None:
            await self.mount(row, after=after)
        else:
            rows = list(self.query(ListEntry))
            if rows:
                await self.mount(row, after=rows[-1])
            else:
                await self.mount(row, before=0)
        self._renumber()
        row.input.focus()
        self.post_message(self.Changed(self))
        return row

    @on(Input.Changed, ".entry")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @on(Button.Pressed, ".list-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_entry("")

    async def action_remove_if_empty(self) -> None:
        row = self._current_row()
        if row is None or row.input.value:
            raise SkipAction()
        rows = list(self.query(ListEntry))
        if len(rows) <= 1:
            raise SkipAction()
        idx = rows.index(row)
        target = rows[idx - 1] if idx > 0 else rows[1]
        await row.remove()
        self._renumber()
        target.input.focus()
        target.input.cursor_position = len(target.input.value)
        self.post_message(self.Changed(self))

    def action_move(self, delta: int) -> None:
        row = self._current_row()
        if row is None:
            return
        rows = list(self.query(ListEntry))
        idx = rows.index(row)
        new = idx + delta
        if not 0 <= new < len(rows):
            return
        if delta < 0:
            self.move_child(row, before=rows[new])
        else:
            self.move_child(row, after=rows[new])
        self._renumber()
        row.input.focus()
        self.post_message(self.Changed(self))
