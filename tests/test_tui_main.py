"""Pilot tests of the workspace: navigation, search, filter, keys, help, palette, refresh."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from storage.models import ST_DOING, ST_REVIEW, SUBJECT_GROUP
from storage.queries import deadline_state, items_for, search_items
from tests.tui_helpers import other_process, screen_text, type_text
from tui.app import ZhenggaiApp
from tui.screens.filter import FilterScreen
from tui.screens.help import HelpScreen, all_rows
from tui.screens.main import MainScreen, apply_filters
from tui.screens.menu import MenuScreen
from tui.screens.welcome import WelcomeScreen


def camp_of(db):
    return db.all("campaigns")[0]


async def test_main_screen_shows_campaign_tree_table_and_detail(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        camp = camp_of(demo_db)
        assert app.title == camp["name"]
        assert app.sub_title == "材料主体：党组班子"
        first = camp["dimensions"][0]["key"]
        expected = items_for(demo_db, camp["uid"], first, SUBJECT_GROUP)
        assert main.table.row_count == len(expected) > 0
        assert main.current_uid() == expected[0]["uid"]
        text = screen_text(app)
        # sidebar: short label and done/total; 三联系 and 导出 nodes
        assert "担责创新 0/3" in text
        assert "三联系" in text and "导出" in text
        # table columns and the detail pane of the first item
        for col in ("序号", "问题", "责任领导", "时限", "状态"):
            assert col in text
        assert expected[0]["title"] in text  # detail shows the full title
        assert "\n" not in app.sub_title


async def test_deadline_state_is_readable_without_colour(demo_db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        # 政治敏锐性有待提高: deadline 3 days ago, but applied for 销号 before it: in time
        assert "● 待销号" in text and "✖ 待销号" not in text
        assert "✔ 已销号" in text
        assert "● 整改中" in text
        assert "逾期" in text  # legend
        await pilot.press("3")  # 担当作为不够主动: 整改中, deadline 10 days ago
        await pilot.pause()
        assert "✖ 整改中" in screen_text(app)


async def test_reach_every_dimension_by_number_keys(demo_db):
    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        for n, dim in enumerate(camp["dimensions"], 1):
            await pilot.press(str(n))
            await pilot.pause()
            assert main.dimension == dim["key"]
            want = [i["uid"] for i in items_for(demo_db, camp["uid"], dim["key"], SUBJECT_GROUP)]
            assert [i["uid"] for i in main.table.items] == want
            assert dim["short"] in str(main.query_one("#table-pane").border_title)
        await pilot.press("9")  # no 9th dimension: stays, says so
        await pilot.pause()
        assert main.dimension == camp["dimensions"][-1]["key"]


async def test_reach_every_dimension_through_the_sidebar(demo_db):
    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("shift+tab")
        assert app.focused is main.sidebar
        seen = [main.dimension]
        for _ in camp["dimensions"][1:]:
            await pilot.press("j")
            await pilot.pause()
            seen.append(main.dimension)
        assert seen == [d["key"] for d in camp["dimensions"]]
        await pilot.press("k", "k", "k", "k", "k")  # up to the campaign node: every dimension
        await pilot.pause()
        assert main.dimension is None
        assert main.table.row_count == len(items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP))
        await pilot.press("down", "enter")  # Enter on a dimension moves to the table
        await pilot.pause()
        assert main.dimension == camp["dimensions"][0]["key"]
        assert app.focused is main.table


async def test_search_finds_chinese_substrings_and_jumps_to_the_item(demo_db):
    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    target = next(i for i in demo_db.all("items") if i["title"] == "民主监督放不开手脚")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "工作规程")  # a word of one of its measures, not its title
        await pilot.pause()
        assert main.search_text == "工作规程"
        assert [i["uid"] for i in main.table.items] == [target["uid"]]
        await pilot.press("enter")  # one Enter: jump to the (first) item in its own dimension
        await pilot.pause()
        assert app.focused is main.table
        assert main.search_text is None
        assert main.dimension == target["dimension"]
        assert main.current_uid() == target["uid"]
        assert not main.query_one("#search-bar").display
        # names: the leader's name finds every item they lead, across dimensions
        await pilot.press("slash")
        await type_text(pilot, "周文涛")
        await pilot.pause()
        want = search_items(demo_db, "周文涛", camp["uid"])
        assert len(want) > 1 and len({i["dimension"] for i in want}) > 1
        assert [i["uid"] for i in main.table.items] == [i["uid"] for i in want]
        await pilot.press("escape")  # closes the search, back to the dimension
        await pilot.pause()
        assert main.search_text is None
        assert main.dimension == target["dimension"]


async def test_search_with_no_match_says_so(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("slash")
        await type_text(pilot, "不存在的词")
        await pilot.pause()
        assert main.table.row_count == 0
        assert "没有找到匹配的事项" in screen_text(app)


async def test_letter_keys_do_not_fire_while_typing(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        before = len(demo_db.all("items"))
        await pilot.press("slash")
        await type_text(pilot, "ndaxfs?1")
        await pilot.pause()
        assert app.screen is main  # no form, dialog, filter or help opened
        assert main.query_one("#search", Input).value == "ndaxfs?1"
        assert main.dimension == camp_of(demo_db)["dimensions"][0]["key"]
        assert len(demo_db.all("items")) == before


async def test_filter_by_status_and_overdue(demo_db):
    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("shift+tab", "k")  # sidebar → campaign node: all dimensions
        await pilot.pause()
        assert main.dimension is None
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FilterScreen)
        # status select: open, pick the 2nd status (整改中), then tick 只看已逾期
        await pilot.press("enter", "down", "down", "enter")
        await pilot.pause()
        await pilot.press("tab", "space", "ctrl+s")
        await pilot.pause()
        assert app.screen is main
        assert main.filters["status"] == ST_DOING and main.filters["overdue"] is True
        want = [i for i in items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
                if i["status"] == ST_DOING and deadline_state(i) == "overdue"]
        assert want
        assert [i["uid"] for i in main.table.items] == [i["uid"] for i in want]
        assert "筛选：整改中、已逾期" in str(main.query_one("#table-pane").border_title)
        await pilot.press("escape")  # clears the filter
        await pilot.pause()
        assert main.table.row_count == len(items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP))


async def test_filter_by_leader_and_department(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("shift+tab", "k", "f")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FilterScreen)
        assert "李秀兰" in screen.leaders and "机关纪委" in screen.depts
        await pilot.press("tab", "tab", "enter")  # leader select open
        await pilot.pause()
        await pilot.press(*["down"] * (screen.leaders.index("李秀兰") + 1), "enter", "ctrl+s")
        await pilot.pause()
        assert main.filters["leader"] == "李秀兰"
        assert main.table.items and all(i["leader"] == "李秀兰" for i in main.table.items)
    items = demo_db.all("items")
    got = apply_filters(items, {"dept": "机关纪委"})
    assert got and all(i["owner_dept"] == "机关纪委" for i in got)
    assert apply_filters(items, {"status": ST_REVIEW, "leader": "周文涛"}) == [
        i for i in items if i["status"] == ST_REVIEW and i["leader"] == "周文涛"
    ]


async def test_switch_subject(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("j", "enter")  # 党组班子 → 个人：李秀兰
        await pilot.pause()
        assert main.subject == "李秀兰"
        assert app.sub_title == "材料主体：李秀兰"
        await pilot.press("2")
        await pilot.pause()
        assert main.table.items and all(i["subject"] == "李秀兰" for i in main.table.items)


async def test_reorder_and_move(demo_db):
    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    d1, d2 = camp["dimensions"][0]["key"], camp["dimensions"][1]["key"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        first, second = [i["uid"] for i in main.table.items[:2]]
        await pilot.press("J")  # first item down
        await pilot.pause()
        assert [i["uid"] for i in items_for(demo_db, camp["uid"], d1, SUBJECT_GROUP)][:2] == [second, first]
        assert main.current_uid() == first
        await pilot.press("shift+up")
        await pilot.pause()
        assert [i["uid"] for i in items_for(demo_db, camp["uid"], d1, SUBJECT_GROUP)][:2] == [first, second]
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        await pilot.press("enter")  # first other dimension = d2
        await pilot.pause()
        assert demo_db.get("items", first)["dimension"] == d2
        assert main.dimension == d2 and main.current_uid() == first


async def test_help_lists_every_binding(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        rows = all_rows(app)
        text = " ".join(f"{k} {d}" for _, k, d in rows)
        for b in MainScreen.BINDINGS:
            if b.action.startswith("dimension("):
                continue
            assert b.description in text, b.description
        for key in ("Ctrl+Q", "Ctrl+P", "F1 / ?", "Tab / Shift+Tab", "/", "Shift+↑ / K", "1 … 9"):
            assert key in text, key
        assert "事项表单" in {s for s, _, _ in rows}  # the form's Ctrl+S / Esc
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_command_palette_has_chinese_placeholder_and_app_commands(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        box = app.screen.query_one(Input)
        assert box.placeholder == "输入命令、事项或人员（姓名、拼音首字母）……"
        await type_text(pilot, "担责")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is main
        assert main.dimension == camp_of(demo_db)["dimensions"][2]["key"]


async def test_empty_database_shows_welcome_and_loads_demo(db):
    app = ZhenggaiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        text = screen_text(app)
        assert "新建整改活动" in text and "载入演示数据" in text
        await pilot.press("tab", "enter")  # second button: 载入演示数据
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert db.all("campaigns") and app.screen.table.row_count > 0


async def test_view_refreshes_after_another_process_saves(demo_db, db_path):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        app.poll_timer.pause()  # we call the poll ourselves, at a known moment
        uid = main.current_uid()
        rev = demo_db.get("items", uid)["rev"]
        other_process(db_path, f"""
            db.update("items", {uid!r}, {{"title": "他人修改后的标题", "leader": "孙振宇"}}, expected_rev={rev})
        """)
        assert "他人修改后的标题" not in screen_text(app)  # not yet: nobody looked
        assert app.poll_db() is True  # what the 2-second timer calls
        await pilot.pause()
        assert main.current_uid() == uid  # cursor stays on the same item
        text = screen_text(app)
        assert "他人修改后的" in text  # table (cut to width) and detail
        assert "孙振宇" in text
        main.query_one("#detail").scroll_end(animate=False)  # 最后修改 comes last in the detail pane
        await pilot.pause()
        assert "colleague" in screen_text(app)
        # a new item from elsewhere shows up in the sidebar counts too
        camp = camp_of(demo_db)
        other_process(db_path, f"""
            from storage.items import add_item
            add_item(db, {camp['uid']!r}, "d3", "外部新增的问题")
        """)
        app.poll_db()
        await pilot.pause()
        assert "担责创新 0/4" in screen_text(app)


async def test_storage_errors_become_notifications(demo_db, db_path):
    from tui.screens.dialogs import ConfirmDialog

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        app.poll_timer.pause()  # the stale view below must stay stale until we act
        uid = main.current_uid()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        # meanwhile a colleague edits the same item; our delete must be refused, not crash
        other_process(db_path, f"db.update('items', {uid!r}, {{'leader': '孙振宇'}})")
        await pilot.press("left", "enter")  # 删除
        await pilot.pause()
        assert app.is_running and app.screen is main
        assert demo_db.get("items", uid)["leader"] == "孙振宇"  # nothing lost
        notes = [n.message for n in app._notifications]
        assert any("colleague" in m and "未保存" in m for m in notes), notes
        # and an item deleted elsewhere: the next action says so and the list refreshes
        other_process(db_path, f"db.delete('items', {uid!r})")
        await pilot.press("J")
        await pilot.pause()
        assert app.is_running
        assert any("已被其他用户删除" in n.message for n in app._notifications), ([n.message for n in app._notifications], main.current_uid(), uid, app.focused)
        assert uid not in [i["uid"] for i in main.table.items]


async def test_poll_timer_is_installed(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.poll_timer is not None and app.poll_timer.name == "poll-db"
        assert app.poll_timer._interval == pytest.approx(2.0)
        assert app.poll_db() is False  # nothing changed on disk: no redraw


async def test_a_broad_search_shows_the_first_rows_and_says_how_many_matched(demo_db):
    from storage.models import blank
    from tui.screens.main import MAX_SEARCH_ROWS

    camp = camp_of(demo_db)
    demo_db.insert_many("items", [
        blank("items", campaign=camp["uid"], dimension="d2", title=f"批量问题{n}", seq=100 + n)
        for n in range(MAX_SEARCH_ROWS + 5)
    ])
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("slash")
        await type_text(pilot, "批量")
        await pilot.pause()
        assert main.table.row_count == MAX_SEARCH_ROWS
        assert f"{MAX_SEARCH_ROWS + 5} 项，显示前 {MAX_SEARCH_ROWS} 项" in str(main.query_one("#table-pane").border_title)


async def test_search_results_name_the_other_subjects_and_list_them_last(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("slash")
        await type_text(pilot, "研究")
        await pilot.pause()
        rows = main.table.items
        subjects = [demo_db.get("items", r["uid"]).get("subject") for r in rows]
        assert subjects[-1] == "李秀兰" and set(subjects[:-1]) == {"党组班子"}
        assert rows[-1]["title"].startswith("〔李秀兰〕") and not rows[0]["title"].startswith("〔")
        # d2 #1 exists for both subjects: the label alone would not tell them apart
        assert "〔李秀兰〕调查" in screen_text(app)
