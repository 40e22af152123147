"""Keys that arrive in one burst (a slow SSH link, an IME committing a phrase) land where typed."""

from __future__ import annotations

from tests.test_forms_list_editor import burst
from tests.tui_helpers import wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.item_form import ItemFormScreen


async def test_text_typed_right_after_tab_goes_to_the_next_field(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        form = await wait_for_screen(pilot, ItemFormScreen)
        # title -> 整改维度 -> 材料主体 -> 问题表现, all in one read
        burst(app, [*"标题甲", "tab", "tab", "tab", *"表现乙"])
        await pilot.pause()
        await pilot.pause()
        values = form.form.values()
        assert values["title"] == "标题甲"
        assert values["manifestation"] == "表现乙"
