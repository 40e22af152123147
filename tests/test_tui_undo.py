"""Ctrl+Z (issue 12, item 13): this session's last edit, status change, progress note, move or
delete undone through storage, with a history line of its own; refused when a colleague (a
second process) changed the item since. Ctrl+C copies the item's text with OSC 52."""

from __future__ import annotations

import base64

from storage.models import ST_DOING, ST_TODO
from storage.undo import step, undo
from tests.tui_helpers import other_process, screen_text, type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.dialogs import ConfirmDialog
from tui.screens.history import HistoryScreen
from tui.screens.item_actions import ItemActionScreen, ProgressNoteScreen
from tui.screens.item_form import ItemFormScreen
from tui.screens.menu import MenuScreen


def history_of(db, uid):
    return db.history(uid=uid, table="items", limit=20)


def test_undo_in_storage_writes_the_old_values_with_its_own_history_line(demo_db):
    uid = demo_db.all("items")[0]["uid"]
    before = demo_db.get("items", uid)
    after = demo_db.update("items", uid, {"title": "改过的标题", "leader": "某人"}, expected_rev=before["rev"])
    s = step("edit", before, after)
    restored = undo(demo_db, s)
    assert (restored["title"], restored["leader"]) == (before["title"], before["leader"])
    assert restored["rev"] == before["rev"] + 2  # a real update, not a rewind
    line = history_of(demo_db, uid)[0]
    assert line["action"] == "update" and line["undo"] == {"kind": "edit", "of": after["updated"]}
    assert line["changes"]["title"] == ["改过的标题", before["title"]]
    assert demo_db.check() == []  # the history chain takes the new field


async def _undo(pilot):
    await pilot.press("ctrl+z")
    await pilot.pause()
    await pilot.pause()


async def test_ctrl_z_undoes_an_edit_a_status_change_a_progress_note_a_move_and_a_delete(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        uid = main.current_uid()
        original = demo_db.get("items", uid)
        # an edit in the form
        await pilot.press("e")
        await wait_for_screen(pilot, ItemFormScreen)
        await type_text(pilot, "甲乙")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_db.get("items", uid)["title"] == original["title"] + "甲乙"
        # a progress note
        await pilot.press("p")
        await wait_for_screen(pilot, ProgressNoteScreen)
        await type_text(pilot, "召开会议")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_db.get("items", uid)["progress"][-1]["text"] == "召开会议"
        # a move to the next dimension
        await pilot.press("m")
        await wait_for_screen(pilot, MenuScreen)
        await pilot.press("enter")
        await pilot.pause()
        moved = demo_db.get("items", uid)
        assert moved["dimension"] != original["dimension"]
        # and back, one at a time
        await _undo(pilot)
        back = demo_db.get("items", uid)
        assert (back["dimension"], back["seq"]) == (original["dimension"], original["seq"])
        assert main.current_uid() == uid and main.dimension == original["dimension"]
        await _undo(pilot)
        assert demo_db.get("items", uid)["progress"] == original["progress"]
        await _undo(pilot)
        assert demo_db.get("items", uid)["title"] == original["title"]
        assert "已撤销修改" in " ".join(n.message for n in app._notifications)
        await _undo(pilot)  # nothing left
        assert any("还没有可撤销的修改" in n.message for n in app._notifications)
        # a status change
        todo = next(i for i in main.table.items if i["status"] == ST_TODO) if any(
            i["status"] == ST_TODO for i in main.table.items) else None
        if todo is None:
            await pilot.press("3")
            await pilot.pause()
            todo = next(i for i in main.table.items if i["status"] == ST_TODO)
        main.table.select_uid(todo["uid"])
        await pilot.press("a")
        await wait_for_screen(pilot, MenuScreen)
        await pilot.press("enter")  # 开始整改
        await wait_for_screen(pilot, ItemActionScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_db.get("items", todo["uid"])["status"] == ST_DOING
        await _undo(pilot)
        assert demo_db.get("items", todo["uid"])["status"] == ST_TODO
        # a delete
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("left", "enter")
        await pilot.pause()
        assert demo_db.get("items", todo["uid"]) is None
        await _undo(pilot)
        restored = demo_db.get("items", todo["uid"])
        assert restored is not None and restored["title"] == todo["title"] and restored["seq"] == todo["seq"]
        assert main.current_uid() == todo["uid"]
        # 修改记录 names the undo
        await pilot.press("h")
        await wait_for_screen(pilot, HistoryScreen)
        assert "撤销" in screen_text(app) and "删除" in screen_text(app)
    lines = history_of(demo_db, todo["uid"])
    assert lines[0]["action"] == "insert" and lines[0]["undo"]["kind"] == "delete"
    assert demo_db.check() == []


async def test_an_undo_over_a_colleagues_change_is_refused(demo_db, db_path):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        app.poll_timer.pause()
        uid = main.current_uid()
        await pilot.press("e")
        await wait_for_screen(pilot, ItemFormScreen)
        await type_text(pilot, "甲")
        await pilot.press("ctrl+s")
        await pilot.pause()
        mine = demo_db.get("items", uid)
        other_process(db_path, f"db.update('items', {uid!r}, {{'leader': '孙振宇'}})")
        await _undo(pilot)
        now = demo_db.get("items", uid)
        assert now["title"] == mine["title"] and now["leader"] == "孙振宇"  # nothing undone, theirs kept
        assert now["rev"] == mine["rev"] + 1
        message = " ".join(n.message for n in app._notifications)
        assert "colleague" in message and "不能撤销" in message
    assert history_of(demo_db, uid)[0]["user"] == "colleague"  # no line of ours after theirs


async def test_ctrl_c_copies_the_item_with_osc_52(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        written: list[str] = []
        app._driver.write = written.append  # what goes to the terminal
        item = demo_db.get("items", app.screen.current_uid())
        await pilot.press("ctrl+c")
        await pilot.pause()
        sequences = [w for w in written if w.startswith("\x1b]52;c;")]
        assert len(sequences) == 1 and sequences[0].endswith("\a")
        text = base64.b64decode(sequences[0][len("\x1b]52;c;"):-1]).decode("utf-8")
        assert text.startswith(f"问题概述：{item['title']}\n")
        assert "整改措施：\n1. " + item["measures"][0] in text and f"状态：{item['status']}" in text
        assert any("已复制" in n.message for n in app._notifications)
