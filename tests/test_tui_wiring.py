"""The workspace opens the other parts of the app (campaign form, outline, export, 三联系)."""

from __future__ import annotations

from tests.test_tui_items import tab_to
from tests.tui_helpers import type_text, wait_for_screen
from tui import lazy
from tui.app import ZhenggaiApp
from tui.screens.main import MainScreen
from tui.screens.menu import MenuScreen
from tui.screens.welcome import WelcomeScreen


async def test_welcome_creates_a_campaign_and_opens_the_workspace(db):
    from tui.screens.campaign_form import CampaignFormScreen

    app = ZhenggaiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, CampaignFormScreen)
        await tab_to(pilot, "name")
        await type_text(pilot, "2026年度专题民主生活会")
        await pilot.press("ctrl+s")
        main = await wait_for_screen(pilot, MainScreen)
        camp = db.all("campaigns")[0]
        assert camp["name"] == "2026年度专题民主生活会"
        assert app.title == camp["name"]
        assert main.dimension == camp["dimensions"][0]["key"]
        assert main.table.row_count == 0
        await pilot.press("5")
        await pilot.pause()
        assert main.dimension == camp["dimensions"][4]["key"]


async def test_campaign_menu_creates_another_campaign_and_switches_to_it(demo_db):
    from tui.screens.campaign_form import CampaignFormScreen

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, MenuScreen)
        values = [v for v, _ in app.screen.menu_options]
        assert values == ["edit", "dims", "new", "carry", "delete"]
        await pilot.press("j", "j", "enter")  # 新建整改活动
        await pilot.pause()
        assert isinstance(app.screen, CampaignFormScreen)
        await tab_to(pilot, "name")
        await type_text(pilot, "巡察反馈问题整改")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
        new = next(c for c in demo_db.all("campaigns") if c["name"] == "巡察反馈问题整改")
        assert main.campaign_uid == new["uid"] and app.title == "巡察反馈问题整改"
        assert "巡察反馈问题整改" in str(main.sidebar.cursor_node.parent.label)


async def test_export_outline_and_liaison_open_from_keys_and_sidebar(demo_db):
    from tui.screens.export_dialog import ExportDialog
    from tui.screens.liaison import LiaisonScreen
    from tui.screens.outline_edit import OutlineScreen

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        for key, cls in (("x", ExportDialog), ("o", OutlineScreen), ("l", LiaisonScreen)):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, cls), key
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is main, key
        # the sidebar's 三联系 and 导出 nodes
        await pilot.press("shift+tab")
        for label, cls in (("三联系", LiaisonScreen), ("导出", ExportDialog)):
            node = next(n for n in main.sidebar.root.children if str(n.label) == label)
            main.sidebar.move_cursor(node)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, cls), label
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is main


async def test_a_storage_refusal_while_opening_a_screen_is_a_notification(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The item form reads its campaign first: a campaign deleted meanwhile is a refusal.
        assert lazy.push(app, "item_form", "ItemFormScreen", demo_db, "c-no-such-campaign") is False
        await pilot.pause()
        assert any("找不到" in n.message or "不存在" in n.message for n in app._notifications)
        assert isinstance(app.screen, MainScreen)


async def test_welcome_opens_the_workspace_when_a_colleague_creates_a_campaign(db, db_path):
    from tests.tui_helpers import other_process

    app = ZhenggaiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.poll_timer.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert app.poll_db() is False
        other_process(db_path, """
            from storage.items import create_campaign
            create_campaign(db, "同事新建的活动")
        """)
        assert app.poll_db() is True
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert app.title == "同事新建的活动"


async def test_a_poll_before_the_workspace_has_mounted_leaves_it_alone(demo_db):
    # The 2-second poll can fire between switch_screen(MainScreen) and its on_mount (seen once
    # under load: the workspace then opened on every dimension instead of the first).
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = MainScreen(demo_db)
        assert main.refresh_from_db() is False
        app.push_screen(main)
        await wait_for_screen(pilot, MainScreen)
        assert main is app.screen
        assert main.dimension == main.dims()[0]["key"]
