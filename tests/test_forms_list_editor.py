"""The list editor (整改措施, 佐证材料) under keys that arrive in a burst, as over a slow SSH link."""

from __future__ import annotations

from textual.app import ComposeResult

from tests.tui_helpers import burst, settle
from tui.keys import KeyOrder
from tui.widgets.list_editor import ListEditor


class ListHost(KeyOrder):
    def compose(self) -> ComposeResult:
        yield ListEditor(["措施一"], id="list")

    def on_mount(self) -> None:
        self.query_one(ListEditor).focus()


async def test_text_typed_right_after_enter_goes_to_the_new_entry():
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        burst(app, ["end", "enter", *"措施二", "enter", *"措施三"])
        await settle(pilot)
        assert editor.entries == ["措施一", "措施二", "措施三"]


async def test_every_kind_of_key_after_enter_goes_to_the_new_entry():
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        burst(app, ["end", "enter", *"措施二", "backspace", "Z", "left", "A", "home", "delete", "ctrl+k", "B"])
        await settle(pilot)
        assert editor.entries == ["措施一", "B"]


async def test_backspace_on_an_entry_emptied_in_the_same_burst_removes_it():
    # "X", Backspace: the new entry is empty again; the second Backspace removes it and the
    # focus goes back to the end of the first entry, where "Y" is typed.
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        burst(app, ["end", "enter", "X", "backspace", "backspace", "Y"])
        await settle(pilot)
        assert editor.entries == ["措施一Y"]
        assert editor.raw_entries == ["措施一Y"]


async def test_coming_back_to_an_entry_types_there_again():
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        await pilot.press("end", "enter", *"二")
        await pilot.pause()
        await pilot.press("shift+tab")  # back to the first entry
        await pilot.pause()
        await pilot.press("end", *"甲")
        await pilot.pause()
        assert editor.entries == ["措施一甲", "二"]
