"""F1 / ? everywhere (issue 12, item 11): in forms and dialogs too, with that screen's keys first."""

from __future__ import annotations

from tests.tui_helpers import screen_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.dialogs import ConfirmDialog
from tui.screens.help import HelpScreen
from tui.screens.item_form import ItemFormScreen


async def test_f1_in_the_item_form_shows_the_forms_keys_first(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        form = await wait_for_screen(pilot, ItemFormScreen)
        assert "f1 帮助" in screen_text(app).splitlines()[-1]  # the key bar says so
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        text = screen_text(app)
        assert "本界面：事项表单" in text
        first = dict(help_screen.current)
        assert "保存" in first.get("Ctrl+S", "") and "取消" in first.get("Esc", "")
        assert "退出" in first.get("Ctrl+Q", "")  # the app's own keys work in a form too
        await pilot.press("f1")  # F1 again closes it, back in the same field
        await pilot.pause()
        assert app.screen is form and app.focused.id == "f-title"
        # ? in a text field is a character, not help
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is form and form.form.values()["title"].endswith("?")


async def test_f1_and_question_mark_in_a_confirm_dialog(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("f1")
        help_screen = await wait_for_screen(pilot, HelpScreen)
        assert "本界面：确认对话框" in screen_text(app)
        assert any("取消" in d for _, d in help_screen.current)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("question_mark")  # a button has the focus: ? is help
        await wait_for_screen(pilot, HelpScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert demo_db.get("items", app.screen.current_uid()) is not None
