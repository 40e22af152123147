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


# ---------------------------------------------------------------- the add button (issue 12, item 3)

from tests.tui_helpers import screen_text, wait_for_screen  # noqa: E402
from tui.app import ZhenggaiApp  # noqa: E402
from tui.screens.item_form import ItemFormScreen  # noqa: E402
from tui.widgets.list_editor import AddButton, EntryInput  # noqa: E402


async def test_typing_on_the_add_button_starts_a_new_entry(demo_db):
    # Shift+Tab from the first field lands on 佐证材料's "＋ 添加一条".
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        form = await wait_for_screen(pilot, ItemFormScreen)
        await pilot.press("shift+tab")
        assert isinstance(app.focused, AddButton)
        burst(app, [*"会议纪要", "enter", *"通知"])
        await settle(pilot)
        editor = form.form.control("evidence")
        assert editor.raw_entries == ["会议纪要", "通知"]  # the new form's empty entry is used first
        assert isinstance(app.focused, EntryInput)
        await pilot.press("tab")  # the add button again: a new entry this time
        assert isinstance(app.focused, AddButton)
        await pilot.press(*"文号")
        assert editor.raw_entries == ["会议纪要", "通知", "文号"]


async def test_enter_on_the_add_button_then_typing(demo_db):
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        await pilot.press("tab")
        assert isinstance(app.focused, AddButton)
        burst(app, ["enter", *"措施二"])
        await settle(pilot)
        assert editor.entries == ["措施一", "措施二"]


def _key_bar(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_the_key_bar_follows_the_entry_and_the_button_and_keeps_save_first(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await wait_for_screen(pilot, ItemFormScreen)
        await pilot.press("shift+tab")  # the add button
        await pilot.pause()
        bar = _key_bar(app)
        assert bar.lstrip().startswith("^s 保存")
        assert "添加一条" in bar and "上移" not in bar and "新增一条" not in bar
        await pilot.press("shift+tab")  # its entry
        await pilot.pause()
        bar = _key_bar(app)
        assert bar.lstrip().startswith("^s 保存")
        assert "新增一条" in bar and "上移" in bar and "添加一条" not in bar


async def test_the_focused_add_button_stands_out():
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        button = app.query_one(AddButton)
        entry = app.query_one(EntryInput)
        plain = button.rich_style
        await pilot.press("tab")
        await pilot.pause()
        focused = button.rich_style
        assert focused.bgcolor != plain.bgcolor and focused.bgcolor != entry.rich_style.bgcolor
