"""The clerk's session (issue 12, item 11): Enter as reliable as `e`, one Enter in search, the safe
answer first in every confirm dialog, the last campaign remembered per user and database."""

from __future__ import annotations

from storage import Database, settings
from storage.items import create_campaign
from tests.tui_helpers import burst, screen_text, settle, type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.dialogs import ConfirmDialog
from tui.screens.item_form import ItemFormScreen
from tui.screens.main import MainScreen


async def test_keys_typed_with_enter_go_into_the_form_it_opens(demo_db):
    """Enter on the table opens the form at once (as `e` does), so the keys after it land there."""
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, ["enter", "end", *"（改）", "tab", "tab", "tab", "backspace"])
        await settle(pilot)
        form = await wait_for_screen(pilot, ItemFormScreen)
        assert form.form.values()["title"] == "理论学习深度不足（改）"
        assert app.focused.id == "f-manifestation"


async def test_enter_has_opened_the_form_by_the_time_the_next_key_is_routed(demo_db):
    """The deterministic form of the above: when KeyOrder lets the key after Enter go, the form
    is already the screen (before, Enter only posted DataTable.RowSelected, handled later)."""
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        seen = []
        done = app._key_done

        def key_done(event):
            seen.append((getattr(event, "key", None), type(app.screen).__name__))
            done(event)

        app._key_done = key_done
        burst(app, ["enter"])
        await settle(pilot)
        assert ("enter", "ItemFormScreen") in seen, seen


async def test_one_enter_in_the_search_field_jumps_to_the_first_result(demo_db):
    target = next(i for i in demo_db.all("items") if i["title"] == "民主监督放不开手脚")
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("slash")
        await type_text(pilot, "工作规程")
        await pilot.press("enter")
        await pilot.pause()
        assert main.search_text is None and main.current_uid() == target["uid"]
        assert main.dimension == target["dimension"] and app.focused is main.table
        # typed ahead in one read: / keyword Enter lands on the item as well
        burst(app, ["slash", *"放不开", "enter"])
        await settle(pilot)
        assert main.search_text is None and main.current_uid() == target["uid"]


async def test_enter_right_after_delete_opens_its_dialog_deletes_nothing(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        uid = main.current_uid()
        burst(app, ["d", "enter"])
        await settle(pilot)
        assert demo_db.get("items", uid) is not None
        assert app.screen is main  # the dialog answered 取消
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmDialog)
        assert app.focused.id == "cancel" and "取消" in screen_text(app)
        await pilot.press("escape")


def test_every_confirm_dialog_starts_on_the_safe_answer():
    dialog = ConfirmDialog("删除？", confirm_label="删除")
    assert dialog.first_focus == "cancel" and dialog.AUTO_FOCUS == "#cancel"


async def test_the_app_reopens_on_the_campaign_and_dimension_used_last(demo_db, tmp_path):
    newest = demo_db.all("campaigns")[0]
    older = create_campaign(demo_db, "2023年度主题教育专题民主生活会", year=2023)
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        assert main.campaign_uid == newest["uid"]  # nothing remembered yet: the newest
        main._after_campaign(older)  # as the palette's 切换活动 does
        await pilot.press("2")
        await pilot.pause()
        assert (main.campaign_uid, main.dimension) == (older["uid"], older["dimensions"][1]["key"])
    assert settings.last_campaign(demo_db.path) == (older["uid"], older["dimensions"][1]["key"])
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        assert (main.campaign_uid, main.dimension) == (older["uid"], older["dimensions"][1]["key"])
        assert "2023年度主题教育" in app.title
    # another database keeps its own: a fresh one opens on its newest campaign
    other = Database.open(str(tmp_path / "other" / "zhenggai.json"), user="tester")
    mine = create_campaign(other, "另一库的活动")
    app = ZhenggaiApp(other)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.campaign_uid == mine["uid"]
    # a remembered campaign deleted meanwhile: the newest again, no error
    from storage.items import delete_campaign

    delete_campaign(demo_db, older["uid"])
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = await wait_for_screen(pilot, MainScreen)
        assert main.campaign_uid == newest["uid"]
