"""Quitting never loses a form silently (issue 12, item 2); Ctrl+C says how to quit, in Chinese."""

from __future__ import annotations

from tests.tui_helpers import type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.dialogs import ConfirmDialog, FormDialog
from tui.screens.dimensions_edit import DimensionsScreen
from tui.screens.item_form import ItemFormScreen


def _count_exits(app) -> list[int]:
    exits: list[int] = []
    app.exit = lambda *a, **k: exits.append(1)  # the test keeps the app running to look at it
    return exits


async def test_ctrl_q_in_a_changed_form_asks_and_keeps_editing_by_default(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        exits = _count_exits(app)
        await pilot.pause()
        await pilot.press("e")
        form = await wait_for_screen(pilot, ItemFormScreen)
        await pilot.press("end", *"改")
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert not exits
        assert "编辑整改事项" in dialog.message and "未保存" in dialog.message
        assert app.focused.id == "cancel"  # the safe choice is the default
        await pilot.press("ctrl+q")  # asking already: a second Ctrl+Q does not quit either
        await pilot.pause()
        assert not exits and app.screen is dialog
        await pilot.press("enter")  # 继续编辑
        await wait_for_screen(pilot, ItemFormScreen)
        assert form.form.values()["title"].endswith("改") and not exits
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("shift+tab", "enter")  # 放弃修改并退出
        await pilot.pause()
        assert exits == [1]


async def test_ctrl_q_quits_at_once_when_nothing_is_unsaved(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        exits = _count_exits(app)
        await pilot.pause()
        await pilot.press("e")
        await wait_for_screen(pilot, ItemFormScreen)  # open but unchanged
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert exits == [1]


async def test_ctrl_q_asks_for_a_changed_dialog_below_another_screen(demo_db):
    # A progress note typed, then the help screen opened over it: still asks.
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        exits = _count_exits(app)
        await pilot.pause()
        await pilot.press("p")
        await wait_for_screen(pilot, FormDialog)
        await type_text(pilot, "已召开专题会")
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "“添加进展”" in dialog.message
        assert not exits


async def test_ctrl_q_asks_for_changed_dimensions(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        exits = _count_exits(app)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("down", "enter")  # 编辑整改维度
        await wait_for_screen(pilot, DimensionsScreen)
        await pilot.press("end", *"甲")
        await pilot.press("ctrl+q")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "整改维度" in dialog.message and not exits


async def test_ctrl_c_says_how_to_quit_in_chinese(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        notes: list[tuple[str, str]] = []
        app.notify = lambda message, *, title="", **kw: notes.append((title, message))
        await pilot.pause()
        await pilot.press("l")  # (in the workspace Ctrl+C copies the item, and says how to quit too)
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert notes == [("要退出吗？", "按 ^q 退出程序")]
