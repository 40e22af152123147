"""The lean first screen (issue 6, start-up): the one-widget key bar and title line behave
like Textual's Footer and Header, and the first frame needs no second fit of the table."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from tests.tui_helpers import screen_text
from tui.app import ZhenggaiApp
from tui.screens.filter import FilterScreen
from tui.screens.main import MainScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.item_table import ItemTable
from tui.widgets.title_bar import TitleBar


async def test_key_bar_shows_the_screen_keys_and_a_click_presses_one(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeysFooter)
        last = screen_text(app).splitlines()[-1]
        assert last.startswith("n 新建 e 编辑 d 删除 a 状态 p 进展 / 搜索 f 筛选 x 导出")
        assert last.rstrip().endswith("▏^p 命令")
        start = next(a for a, _b, item in bar._spans if item.key == "f")
        await pilot.hover(KeysFooter, offset=(start, 0))
        await pilot.pause()
        assert bar.tooltip == "按状态、逾期、责任领导、责任部门筛选"
        await pilot.click(KeysFooter, offset=(start, 0))
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)


async def test_key_bar_follows_focus(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeysFooter)
        assert "n" in [item.key for item in bar._items]
        await pilot.press("slash")  # the search field takes letters: their keys leave the bar
        await pilot.pause()
        keys = [item.key for item in bar._items]
        assert "n" not in keys and "f1" in keys
        assert "n 新建" not in screen_text(app).splitlines()[-1]


async def test_title_line_follows_the_title_and_its_icon_opens_the_palette(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = screen_text(app).splitlines()[0]
        assert "⭘" in first and f"{app.title} — 材料主体：党组班子" in first
        app.sub_title = "材料主体：张三"
        await pilot.pause()
        assert "— 材料主体：张三" in screen_text(app).splitlines()[0]
        title = app.screen.query_one(TitleBar)
        await pilot.click(TitleBar, offset=(30, 0))  # elsewhere: the tall header, as Header does
        await pilot.pause()
        assert title.has_class("-tall") and title.size.height == 3
        await pilot.click(TitleBar, offset=(2, 1))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_the_table_is_fitted_once_at_start(demo_db, size, monkeypatch):
    fits = []
    rebuild = ItemTable._rebuild

    def counted(self, keep=None):
        fits.append(self.size.width)
        return rebuild(self, keep)

    monkeypatch.setattr(ItemTable, "_rebuild", counted)
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        assert fits == [0]  # filled once, before the first layout, at the width it got
        assert main.table._title_width == main.table.title_width()
