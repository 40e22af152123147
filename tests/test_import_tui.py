"""The TUI side of issue 13: the import preview screen (i), 接续上年度 in the campaign form and
menu, and the detail pane linking a carried item and its origin both ways."""

from __future__ import annotations

from import_helpers import write_docx, write_xlsx

from storage.queries import items_for
from tests.test_tui_items import tab_to
from tests.tui_helpers import screen_text, type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.main import MainScreen
from tui.screens.welcome import WelcomeScreen

MATERIAL = ["某某党组2025年度民主生活会对照检查材料", "一、存在的突出问题",
            "（一）在带头严守政治纪律和政治规矩，维护党的团结统一方面", "一是理论学习不够深入。表现甲。如事例甲。",
            "二是政治敏锐性不强。表现乙。", "二、问题产生的原因", "（一）理想信念有所松懈", "一是认识不足。二是要求不严。"]


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_import_screen_previews_then_imports(demo_db, tmp_path):
    from tui.screens.import_screen import ImportScreen

    src = write_docx(tmp_path / "材料.docx", MATERIAL)
    before = len(demo_db.all("items"))
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await wait_for_screen(pilot, MainScreen)
        await pilot.press("i")
        screen = await wait_for_screen(pilot, ImportScreen)
        assert app.focused.id == "import-file"
        await type_text(pilot, str(src))
        await pilot.press("enter")  # path and Enter in one burst, as a slow link delivers them
        await settle(pilot)
        text = str(screen.query_one("#import-preview").render())
        assert "将新建整改活动：“某某党组2025年度民主生活会”" in text
        assert "1) 理论学习不够深入" in text and "问题产生的原因：理想信念有所松懈，2 段" in text
        assert not screen.query_one("#import-go").disabled
        assert len(demo_db.all("items")) == before  # a preview writes nothing
        assert "Ctrl+S" in screen_text(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is main
        camp = next(c for c in demo_db.all("campaigns") if c["name"] == "某某党组2025年度民主生活会")
        assert main.campaign_uid == camp["uid"]
        assert [i["title"] for i in items_for(demo_db, camp["uid"])] == ["理论学习不够深入", "政治敏锐性不强"]
        assert camp["style"] == {"numbering": "yishi", "heading": "alone"}


async def test_import_screen_bad_file_and_changed_input(demo_db, tmp_path):
    from tui.screens.import_screen import ImportScreen

    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    good = write_xlsx(tmp_path / "台账.xlsx", [["序号", "问题类别", "问题表现", "整改措施", "责任领导"],
                                               [1, "政治纪律", "新问题", "措施", "甲"]])
    camp = demo_db.all("campaigns")[0]
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, MainScreen)
        await pilot.press("i")
        screen = await wait_for_screen(pilot, ImportScreen)
        await type_text(pilot, str(bad))
        await pilot.press("enter")
        await settle(pilot)
        assert "文件已损坏" in str(screen.query_one("#import-status").render())
        assert screen.query_one("#import-go").disabled
        await pilot.press("ctrl+s")  # nothing previewed: Ctrl+S previews, never writes
        await settle(pilot)
        assert app.screen is screen
        box = screen.query_one("#import-file")
        box.value = str(good)
        screen.query_one("#import-campaign").value = camp["uid"]
        await pilot.press("enter")
        await settle(pilot)
        assert "导入到整改活动：“" + camp["name"] in str(screen.query_one("#import-preview").render())
        box.value = str(good) + "x"  # changed after the preview: import is off until previewed again
        await pilot.pause()
        assert screen.query_one("#import-go").disabled
        box.value = str(good)
        await pilot.pause()
        assert not screen.query_one("#import-go").disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [i["dimension"] for i in items_for(demo_db, camp["uid"]) if i["title"] == "新问题"] == ["d1"]


async def test_welcome_screen_imports_and_opens_the_workspace(db, tmp_path):
    from tui.screens.import_screen import ImportScreen

    src = write_docx(tmp_path / "m.docx", MATERIAL)
    app = ZhenggaiApp(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_screen(pilot, WelcomeScreen)
        assert "导入材料或台账" in screen_text(app)
        await pilot.press("i")
        await wait_for_screen(pilot, ImportScreen)
        await type_text(pilot, str(src))
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        main = await wait_for_screen(pilot, MainScreen)
        assert main.table.row_count == 2


async def test_new_campaign_carries_last_years_work_and_detail_links_both_ways(demo_db):
    from tui.screens.campaign_form import CampaignFormScreen

    old = demo_db.all("campaigns")[0]
    old_items = {i["uid"]: i for i in demo_db.all("items") if i["campaign"] == old["uid"]}
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(120, 36)) as pilot:
        main = await wait_for_screen(pilot, MainScreen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("j", "j", "enter")  # 新建整改活动
        form_screen = await wait_for_screen(pilot, CampaignFormScreen)
        form = form_screen.form
        assert form.values()["carry_dim"] == "d5"  # the 整改落实 dimension of the default set
        assert not form.values()["organ"] and not form.values()["year"]
        form.control("carry_from").value = old["uid"]
        await pilot.pause()
        # next year's campaign: last year's 党组织 and the year after, which the clerk may change
        assert form.values()["organ"] == old["organ"] and form.values()["year"] == old["year"] + 1
        await tab_to(pilot, "name")
        await type_text(pilot, "2026年度民主生活会")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, MainScreen)
        new = next(c for c in demo_db.all("campaigns") if c["name"] == "2026年度民主生活会")
        carried = items_for(demo_db, new["uid"])
        assert carried and {i["dimension"] for i in carried} == {"d5"}
        assert {i["origin"] for i in carried} == {u for u, i in old_items.items() if i["status"] != "已销号"}
        assert {i["uid"]: i for i in demo_db.all("items") if i["campaign"] == old["uid"]} == old_items
        assert main.campaign_uid == new["uid"]
        assert main.dimension == "d5"  # opened where the carried items went
        await pilot.press("5")
        await pilot.pause()
        main.table.focus()
        await pilot.pause()
        text = screen_text(app)
        assert "接续自" in text and f"{old['name']}·政治纪律·整改中" in text
        main.query_one("#detail").scroll_end(animate=False)
        await pilot.pause()
        assert "原问题" in screen_text(app)
        # the origin shows where it went
        origin = old_items[carried[0]["origin"]]
        main.jump_to(origin["uid"])
        await pilot.pause()
        assert "已接续到" in screen_text(app) and new["name"] in screen_text(app)


async def test_campaign_menu_carries_into_an_existing_campaign(demo_db):
    from storage.items import create_campaign
    from tui.screens.dialogs import ConfirmDialog
    from tui.screens.menu import MenuScreen

    old = demo_db.all("campaigns")[0]
    new = create_campaign(demo_db, "2026年度民主生活会", year=2026)
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await wait_for_screen(pilot, MainScreen)
        main._after_campaign(new)
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("j", "j", "j", "enter")  # 接续上年度未销号的事项
        menu = await wait_for_screen(pilot, MenuScreen)
        assert old["uid"] in [v for v, _ in menu.menu_options]
        await pilot.press("enter")  # the only other campaign
        await pilot.pause()
        await pilot.press("enter")  # the dimension offered first: 整改落实
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("left", "enter")  # 接续 (取消 has the focus)
        await wait_for_screen(pilot, MainScreen)
        assert main.dimension == "d5" and main.table.row_count > 0
        assert all(i.get("origin") for i in items_for(demo_db, new["uid"]))
