"""Sorting the item table (issue 12, item 13): t or the palette, the header says so, K/J refused."""

from __future__ import annotations

from textual.command import CommandPalette

from storage.models import STATUSES, SUBJECT_GROUP
from storage.queries import items_for
from tests.tui_helpers import burst, screen_text, settle, type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.main import MainScreen
from tui.screens.menu import MenuScreen
from tui.sorting import sort_rows


def test_sort_rows():
    rows = [{"uid": "a", "deadline": "2026-12-01", "status": "已销号", "leader": "张三"},
            {"uid": "b", "deadline": "", "status": "未启动", "leader": ""},
            {"uid": "c", "deadline": "2026-06-30", "status": "整改中", "leader": "陈立群"},
            {"uid": "d", "deadline": "2026-06-30", "status": "未启动", "leader": "王建国"}]
    assert [r["uid"] for r in sort_rows(rows, "deadline")] == ["c", "d", "a", "b"]  # ties keep their order
    assert [r["uid"] for r in sort_rows(rows, "status")] == ["d", "b", "c", "a"]
    assert [r["uid"] for r in sort_rows(rows, "leader")] == ["c", "d", "a", "b"]  # chen, wang, zhang; none last
    assert sort_rows(rows, None) is rows


async def test_t_sorts_the_table_the_header_says_so_and_reordering_is_refused(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("2")  # 党性作风: 4 items
        await pilot.pause()
        camp, dim = main.campaign_uid, main.dimension
        await pilot.press("t")
        menu = await wait_for_screen(pilot, MenuScreen)
        assert [label for _, label in menu.menu_options] == ["默认顺序（序号）", "按时限", "按状态", "按责任领导"]
        await pilot.press("j", "enter")  # 按时限
        await wait_for_screen(pilot, MainScreen)
        deadlines = [i.get("deadline") or "9999" for i in main.table.items]
        assert deadlines == sorted(deadlines)
        text = screen_text(app)
        assert "时限↑" in text and "按时限排序" in text
        uid = main.current_uid()
        before = [i["uid"] for i in items_for(demo_db, camp, dim, SUBJECT_GROUP)]
        await pilot.press("K")
        await pilot.pause()
        assert [i["uid"] for i in items_for(demo_db, camp, dim, SUBJECT_GROUP)] == before
        assert any("不能在此调整" in n.message for n in app._notifications)
        assert main.current_uid() == uid
        # 状态 by its steps, typed ahead in one read: t j Enter (the menu opens on 按时限)
        burst(app, ["t", "j", "enter"])
        await settle(pilot)
        order = {s: n for n, s in enumerate(STATUSES)}
        statuses = [order[i["status"]] for i in main.table.items]
        assert statuses == sorted(statuses) and "状态↑" in screen_text(app)
        # from the palette: back to the document's order
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await type_text(pilot, "恢复默认顺序")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_screen(pilot, MainScreen)
        assert main.sort is None and "↑" not in screen_text(app)
        assert [i["uid"] for i in main.table.items] == before
