"""An ordered list of one-line entries (整改措施, 佐证材料), editable by keyboard.

Enter in an entry adds a new entry below it; Backspace in an empty entry removes
it; Ctrl+↑ / Ctrl+↓ (or Alt+↑ / Alt+↓) move the entry. Typing on the "＋ 添加一条"
button starts a new entry with what is typed. Empty entries are dropped from
:attr:`ListEditor.entries`.

Every key acts in its binding (no message handled later), so that the keys after it in
a burst find the focus where it went (tui.keys.KeyOrder).
"""

from __future__ import annotations

from typing import Iterable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Input, Label


def _editor(widget: Widget) -> "ListEditor | None":
    return next((n for n in widget.ancestors if isinstance(n, ListEditor)), None)


class EntryInput(Input):
    """An entry's input: Enter adds an entry below, Backspace in an empty one removes it; a
    paste of several lines becomes as many entries."""

    BINDINGS = [
        Binding("enter", "submit", "新增一条", tooltip="在这一条下面新增一条"),
        Binding("backspace", "delete_left_or_entry", "删除", show=False, tooltip="删去光标前的字；在空的一条中删去这一条"),
        Binding("ctrl+up,alt+up", "move(-1)", "上移", tooltip="把这一条上移"),
        Binding("ctrl+down,alt+down", "move(1)", "下移", tooltip="把这一条下移"),
    ]

    async def on_paste(self, event: events.Paste) -> None:
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        editor = _editor(self)
        if len(lines) < 2 or editor is None or not isinstance(self.parent, ListEntry):
            return  # one line: Input's own handling
        event.prevent_default()  # not Input's (it keeps the first line only)
        event.stop()
        self.insert_text_at_cursor(lines[0])
        row = self.parent
        for line in lines[1:]:
            row = await editor.add_entry(line, after=row)
        self.notify(f"粘贴的 {len(lines)} 行已分为 {len(lines)} 条。", title="已粘贴", timeout=4)

    async def action_submit(self) -> None:
        editor = _editor(self)
        if editor is not None:
            await editor.add_entry("", after=self.parent if isinstance(self.parent, ListEntry) else None)

    async def action_delete_left_or_entry(self) -> None:
        editor = _editor(self)
        if self.value or editor is None or not await editor.remove_entry(self.parent):
            self.action_delete_left()

    def action_move(self, delta: int) -> None:
        editor = _editor(self)
        if editor is not None and isinstance(self.parent, ListEntry):
            editor.move_entry(self.parent, delta)


class AddButton(Button):
    """"＋ 添加一条": Enter adds an empty entry; a typed character starts a new entry with it."""

    BINDINGS = [Binding("enter", "press", "添加一条", tooltip="在末尾新增一条")]

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        return character is not None and character.isprintable()

    async def action_press(self) -> None:
        editor = _editor(self)
        if editor is not None:
            await editor.add_at_end("")

    async def on_key(self, event: events.Key) -> None:
        if event.character is None or not event.is_printable:
            return
        event.stop()
        event.prevent_default()
        editor = _editor(self)
        if editor is not None:
            await editor.add_at_end(event.character.strip())


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
    ListEditor > .list-add:focus { background: $block-cursor-background; color: $block-cursor-foreground; }
    """

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
        yield AddButton("＋ 添加一条", classes="list-add", compact=True)

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

    async def add_at_end(self, text: str) -> None:
        """From the add button: type into the last entry when it is still empty (a new form
        starts with one), else into a new entry at the end."""
        rows = list(self.query(ListEntry))
        if rows and not rows[-1].input.value:
            rows[-1].input.focus()
            if text:
                rows[-1].input.insert_text_at_cursor(text)
            return
        await self.add_entry(text)

    @on(Input.Changed, ".entry")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self))

    @on(Button.Pressed, ".list-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.add_at_end("")

    async def remove_entry(self, row: Widget | None) -> bool:
        """Remove an empty entry and put the cursor at the end of the one before (the next
        for the first). False, and nothing done, for a non-empty or the only entry."""
        rows = list(self.query(ListEntry))
        if not isinstance(row, ListEntry) or row not in rows or row.input.value or len(rows) <= 1:
            return False
        idx = rows.index(row)
        target = rows[idx - 1] if idx > 0 else rows[1]
        await row.remove()
        self._renumber()
        target.input.focus()
        target.input.cursor_position = len(target.input.value)
        self.post_message(self.Changed(self))
        return True

    def move_entry(self, row: ListEntry, delta: int) -> None:
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
