"""Pilot tests of item work from the main screen, through the real forms (B2's screens)."""

from __future__ import annotations

from textual.widgets import Input

from storage.models import ST_DOING, ST_DONE, ST_TODO, SUBJECT_GROUP
from storage.queries import items_for
from tests.tui_helpers import screen_text, type_text
from tui.app import ZhenggaiApp
from tui.screens.main import MainScreen
from tui.screens.menu import MenuScreen


def camp_of(db):
    return db.all("campaigns")[0]


def in_row(app, field: str) -> bool:
    node = app.focused
    while node is not None:
        if node.id == f"row-{field}":
            return True
        node = node.parent
    return False


async def tab_to(pilot, field: str, limit: int = 60) -> None:
    """Tab through the form (keyboard only) until focus is in ``field``'s row."""
    for _ in range(limit):
        if in_row(pilot.app, field):
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {field}; focus on {pilot.app.focused!r}")


async def test_create_edit_and_save_an_item(demo_db):
    from tui.screens.item_form import ItemFormScreen

    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    d3 = camp["dimensions"][2]["key"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("3", "n")
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        assert in_row(app, "title")  # focus starts on 问题概述
        await type_text(pilot, "调研成果转化不够")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        new = [i for i in items_for(demo_db, camp["uid"], d3) if i["title"] == "调研成果转化不够"]
        assert len(new) == 1 and new[0]["subject"] == SUBJECT_GROUP and new[0]["status"] == ST_TODO
        assert main.dimension == d3 and main.current_uid() == new[0]["uid"]
        assert "调研成果转化不够" in screen_text(app)
        # edit: e opens the form on the selected item; change the title; save
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        await pilot.press("end")
        await type_text(pilot, "的问题")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        saved = demo_db.get("items", new[0]["uid"])
        assert saved["title"] == "调研成果转化不够的问题" and saved["rev"] == 2
        assert main.current_uid() == saved["uid"]
        # Enter on a row edits too; Esc without changes closes at once
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert demo_db.get("items", saved["uid"])["rev"] == 2


async def test_delete_asks_first(demo_db):
    from tui.screens.dialogs import ConfirmDialog

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        uid = main.current_uid()
        n = main.table.row_count
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")  # no
        await pilot.pause()
        assert demo_db.get("items", uid) is not None and main.table.row_count == n
        await pilot.press("d")
        await pilot.pause()
        assert app.focused.id == "cancel"  # the safe answer first
        await pilot.press("left", "enter")  # to 删除, then press it
        await pilot.pause()
        assert app.screen is main
        assert demo_db.get("items", uid) is None
        assert main.table.row_count == n - 1 and uid not in [i["uid"] for i in main.table.items]
        assert demo_db.history(uid=uid, limit=1)[0]["action"] == "delete"


async def test_status_workflow_and_reopen(demo_db):
    from tui.screens.item_actions import ItemActionScreen

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        done = next(i for i in main.table.items if i["status"] == ST_DONE)
        main.table.select_uid(done["uid"])
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        assert [v for v, _ in app.screen.menu_options] == ["reopen"]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ItemActionScreen)
        await type_text(pilot, "回头看发现反弹")
        await pilot.press("ctrl+s")  # its deadline is past: a new one is asked for
        await pilot.pause()
        assert isinstance(app.screen, ItemActionScreen) and app.focused.id == "f-deadline"
        await type_text(pilot, "2027.3.31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        item = demo_db.get("items", done["uid"])
        assert item["status"] == ST_DOING and item["closed_by"] == "" and item["deadline"] == "2027-03-31"
        assert item["progress"][-1]["text"] == "重启：回头看发现反弹（整改时限改为 2027-03-31）"
        assert main.current_uid() == done["uid"]
        assert "● 整改中" in screen_text(app) or "✖ 整改中" in screen_text(app)


async def test_close_is_refused_without_evidence(demo_db):
    from tui.screens.item_actions import ItemActionScreen

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        uid = main.current_uid()
        demo_db.update("items", uid, {"status": "待销号", "evidence": []})
        app.poll_db()
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        labels = dict(app.screen.menu_options)
        assert set(labels) == {"close", "reject"}
        await pilot.press("enter")  # 销号
        await pilot.pause()
        assert isinstance(app.screen, ItemActionScreen)
        assert "佐证材料" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        assert demo_db.get("items", uid)["status"] == "待销号"


async def test_newcomer_flow_by_keyboard_at_80x24(demo_db):
    """Open the demo, go to 担责创新, add a problem with two measures and a deadline,
    mark it 整改中, add a progress note, find it again with /."""
    app = ZhenggaiApp(demo_db)
    camp = camp_of(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        await pilot.press("3")  # 担责创新
        await pilot.pause()
        assert "担责创新" in str(main.query_one("#table-pane").border_title)
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "基层协商阵地作用发挥不充分")
        await tab_to(pilot, "measures")
        await type_text(pilot, "每月开展一次委员进社区协商活动")
        await pilot.press("enter")  # a second measure
        await type_text(pilot, "建立协商成果采纳反馈台账")
        await tab_to(pilot, "deadline")
        await type_text(pilot, "2027年3月31日")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        item = next(i for i in demo_db.all("items") if i["title"] == "基层协商阵地作用发挥不充分")
        assert item["dimension"] == camp["dimensions"][2]["key"]
        assert item["measures"] == ["每月开展一次委员进社区协商活动", "建立协商成果采纳反馈台账"]
        assert item["deadline"] == "2027-03-31"
        assert main.current_uid() == item["uid"]
        # mark it 整改中
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("enter")  # the only action: 开始整改
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        assert demo_db.get("items", item["uid"])["status"] == ST_DOING
        # a progress note
        await pilot.press("p")
        await pilot.pause()
        await type_text(pilot, "已在两个社区试点")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        notes = demo_db.get("items", item["uid"])["progress"]
        assert notes[-1]["text"] == "已在两个社区试点" and notes[-1]["by"] == demo_db.user
        assert "已在两个社区试点" in screen_text(app)  # detail pane
        # elsewhere, then find it with /
        await pilot.press("1")
        await pilot.pause()
        assert main.current_uid() != item["uid"]
        await pilot.press("slash")
        await type_text(pilot, "协商阵地")
        await pilot.pause()
        assert [i["uid"] for i in main.table.items] == [item["uid"]]
        await pilot.press("enter")  # one Enter jumps
        await pilot.pause()
        assert main.search_text is None
        assert main.dimension == item["dimension"] and main.current_uid() == item["uid"]
        assert not isinstance(app.focused, Input)


async def test_second_writer_while_the_form_is_open(demo_db, db_path):
    """Another process saves the item while we edit it: the view behind the form follows,
    the form is not disturbed, and our save is not applied silently (B2's conflict dialog)."""
    from tests.tui_helpers import other_process
    from tui.screens.dialogs import ConflictDialog
    from tui.screens.item_form import ItemFormScreen

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.poll_timer.pause()
        main = app.screen
        uid = main.current_uid()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ItemFormScreen)
        await pilot.press("end")
        await type_text(pilot, "（我的修改）")
        other_process(db_path, f"db.update('items', {uid!r}, {{'leader': '孙振宇'}})")
        assert app.poll_db() is True
        await pilot.pause()
        assert app.screen is form  # the poll redraws the workspace underneath, not the form
        assert [i["leader"] for i in main.table.items if i["uid"] == uid] == ["孙振宇"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        saved = demo_db.get("items", uid)
        assert saved["leader"] == "孙振宇" and "我的修改" not in saved["title"]


async def test_history_screen_shows_who_changed_what(demo_db):
    from tui.screens.history import HistoryScreen

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        uid = main.current_uid()
        item = demo_db.get("items", uid)
        other = type(demo_db).open(demo_db.path, user="李秘书")
        other.update("items", uid, {"leader": "王副主席", "measures": [*item["measures"], "建立月度督办台账"]})
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        text = screen_text(app)
        assert "李秘书" in text and "修改" in text
        assert f"责任领导：{item['leader']} → 王副主席" in text
        assert "（新增）：建立月度督办台账" in text
        assert "新建" in text  # the demo's insert, further down
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
