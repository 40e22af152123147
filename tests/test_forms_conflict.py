"""Another *process* saves the item while the form is open: reload / keep mine / cancel."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from forms_helpers import HostApp, type_text

from storage.items import add_item, create_campaign
from tui.screens.dialogs import ConflictDialog
from tui.screens.item_form import ItemFormScreen

ROOT = Path(__file__).resolve().parents[1]


def other_writer(db_path, uid: str, **changes) -> None:
    code = textwrap.dedent(
        f"""
        from storage import Database
        db = Database.open({str(db_path)!r}, user="王秘书")
        db.update("items", {uid!r}, {changes!r})
        """
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


async def _open_and_conflict(db, db_path, pilot_action):
    camp = create_campaign(db, "活动", "dsh2024")
    item = add_item(db, camp["uid"], "d1", "原标题", leader="张三")
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, "我的标题")
        other_writer(db_path, item["uid"], leader="李四", owner_dept="办公室")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        msg = str(app.screen.query_one("#dialog-message").render())
        assert "王秘书" in msg and "责任领导" in msg
        # the colleague's value and mine, side by side (issue 12, item 11)
        assert "· 责任领导：李四 ／ 张三" in msg and "· 责任部门：办公室 ／ （空）" in msg
        await pilot_action(app, pilot)
    return app, item


async def test_conflict_reload_takes_theirs(db, db_path):
    async def act(app, pilot):
        await pilot.click("#reload")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ItemFormScreen)
        vals = screen.form.values()
        assert vals["title"] == "原标题" and vals["leader"] == "李四"
        assert not screen.form.dirty
        # saving now works against their revision
        screen.form.control("deadline_text").value = "年底前"
        await pilot.press("ctrl+s")
        await pilot.pause()

    app, item = await _open_and_conflict(db, db_path, act)
    stored = db.get("items", item["uid"])
    assert stored["leader"] == "李四" and stored["title"] == "原标题" and stored["deadline_text"] == "年底前"
    assert stored["rev"] == 3


async def test_conflict_keep_mine_overwrites_deliberately(db, db_path):
    async def act(app, pilot):
        await pilot.click("#keep")
        await pilot.pause()

    app, item = await _open_and_conflict(db, db_path, act)
    stored = db.get("items", item["uid"])
    assert stored["title"] == "我的标题"
    # my form still held 张三 for leader: keep mine writes the form as shown
    assert stored["leader"] == "张三"
    assert stored["rev"] == 3
    assert app.results and app.results[0]["title"] == "我的标题"


async def test_conflict_cancel_keeps_editing_and_nothing_lost(db, db_path):
    async def act(app, pilot):
        await pilot.click("#cancel")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ItemFormScreen)
        assert screen.form.values()["title"] == "我的标题"
        assert "尚未保存" in str(screen.query_one("#editor-status").render())

    app, item = await _open_and_conflict(db, db_path, act)
    stored = db.get("items", item["uid"])
    assert stored["title"] == "原标题" and stored["leader"] == "李四"  # theirs intact, mine not written
    assert stored["rev"] == 2


async def test_conflict_when_deleted_meanwhile(db, db_path):
    camp = create_campaign(db, "活动", "dsh2024")
    item = add_item(db, camp["uid"], "d1", "原标题")
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "我的")
        code = f"from storage import Database; Database.open({str(db_path)!r}, user='x').delete('items', {item['uid']!r})"
        subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConflictDialog)
        assert "删除" in str(app.screen.query_one("#dialog-message").render())
        assert not app.screen.query("#keep")
        await pilot.click("#cancel")
        await pilot.pause()
        assert app.screen.form.values()["title"] == "原标题我的"  # the form keeps what was typed
