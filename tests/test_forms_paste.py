"""A multi-line paste loses nothing (issue 12, item 11): a single-line field joins the lines and
says so; a list field (整改措施, 佐证材料) takes each line as an entry."""

from __future__ import annotations

from textual import events

from tests.tui_helpers import settle, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.item_form import ItemFormScreen
from tui.widgets.paste import join_lines


def paste(app, text: str) -> None:
    """As the terminal driver delivers a bracketed paste."""
    event = events.Paste(text)
    event.set_sender(app)
    app._driver.send_message(event)


def test_join_lines_runs_chinese_on_and_spaces_latin_words():
    assert join_lines("理论学习\r\n深度不足。\n\n  对照 \n") == ("理论学习深度不足。对照", 3)
    assert join_lines("GB/T\n9704 标准") == ("GB/T 9704 标准", 2)


async def test_a_multi_line_paste_into_the_title_keeps_every_line_and_says_so(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        form = await wait_for_screen(pilot, ItemFormScreen)
        assert app.focused.id == "f-title"
        paste(app, "，学用结合\n不够紧密\n")
        await settle(pilot)
        assert form.form.values()["title"] == "理论学习深度不足，学用结合不够紧密"
        notes = [n.message for n in app._notifications]
        assert any("粘贴的 2 行已合并为一行" in m for m in notes), notes


async def test_a_multi_line_paste_into_a_measure_becomes_entries(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        form = await wait_for_screen(pilot, ItemFormScreen)
        before = form.form.values()["measures"]
        form.form.control("measures").query("Input").last().focus()
        await pilot.press("end")
        paste(app, "（补）\n新措施甲\n新措施乙")
        await settle(pilot)
        after = form.form.values()["measures"]
        assert after == [*before[:-1], before[-1] + "（补）", "新措施甲", "新措施乙"]
        assert app.focused.value == "新措施乙"
