"""Pilot flows through the 征求意见 screen at 80x24, by keyboard: list, filter, add, edit, delete,
convert to an item, attach to one, and the workspace's way in and out."""

from __future__ import annotations

import pytest

from storage.opinions import convert, item_draft, opinions_for, save_opinion
from storage.queries import item_rows
from tests.test_liaison_tui import choose
from tests.test_tui_items import tab_to
from tests.tui_helpers import screen_text, type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.main import MainScreen
from tui.screens.menu import MenuScreen
from tui.screens.opinion_forms import OpinionItemFormScreen
from tui.screens.opinions import OpinionsScreen
from tui.screens.record_edit import RecordEditScreen

SIZE = (80, 24)
LONG = "建议进一步精简会议文件，" * 8_400  # 100 800 characters


def camp_of(db):
    return db.all("campaigns")[0]


@pytest.fixture
def ops(demo_db):
    camp = camp_of(demo_db)
    k = [d["key"] for d in camp["dimensions"]]
    for row in (
        dict(date="2025-01-10", channel="座谈", source_kind="党员", dimension=k[0],
             content="理论学习不够深入，学用结合不紧，建议班子成员带头深入基层调研。"),
        dict(date="2025-01-12", channel="书面", source_kind="群众", dimension=k[1], concerns="王建华",
             content="调研走过场，作风不够扎实。"),
        dict(date="2025-01-13", channel="意见箱", source_kind="委员", content="办文流程繁琐，审批环节多。"),
    ):
        save_opinion(demo_db, {"campaign": camp["uid"], **row})
    return demo_db


async def open_opinions(pilot) -> OpinionsScreen:
    await pilot.pause()
    await pilot.press("y")
    return await wait_for_screen(pilot, OpinionsScreen)


def keys(screen: OpinionsScreen) -> list[int]:
    return [o["seq"] for o in screen.shown]


async def test_the_list_opens_from_the_workspace_and_esc_returns(ops):
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        assert keys(screen) == [1, 2, 3] and screen.table.row_count == 3
        text = screen_text(app)
        assert "共 3 条，已转为问题 0 条，归纳为 2 个方面" in text
        assert "征求意见第1条" in text and "理论学习不够深入" in text
        await pilot.press("j")
        await pilot.pause()
        assert "涉及：王建华" in screen_text(app)
        await pilot.press("escape")
        await wait_for_screen(pilot, MainScreen)


async def test_filter_by_dimension_source_kind_and_conversion(ops):
    camp = camp_of(ops)
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        await pilot.press("f")
        await wait_for_screen(pilot, PromptDialog)
        await choose(pilot, app.focused, "政治纪律")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        assert keys(screen) == [1]
        assert "筛选：整改维度=政治纪律" in screen_text(app)
        await pilot.press("f")
        await wait_for_screen(pilot, PromptDialog)
        await choose(pilot, app.focused, "（未归类）")
        await pilot.press("tab")
        await choose(pilot, app.focused, "委员")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        assert keys(screen) == [3]
        # converted or not
        first = opinions_for(ops, camp["uid"])[0]
        convert(ops, first["uid"], item_draft(ops, first))
        screen.filters = {"converted": "yes"}
        screen.reload()
        assert keys(screen) == [1]
        screen.filters = {"converted": "no"}
        screen.reload()
        assert keys(screen) == [2, 3]


async def test_add_edit_and_delete_in_the_generic_form(ops):
    camp = camp_of(ops)
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        await pilot.press("n")
        form = await wait_for_screen(pilot, RecordEditScreen)
        assert form.form.spec_names == ["content", "date", "channel", "source_kind", "concerns", "dimension"]
        await type_text(pilot, "会议文件多")
        await tab_to(pilot, "date")
        await type_text(pilot, "2025.1.20")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        new = opinions_for(ops, camp["uid"])[-1]
        assert (new["seq"], new["content"], new["date"], new["concerns"]) == (4, "会议文件多", "2025-01-20", "党组班子")
        assert screen.table.current_key == new["uid"]
        # a bad date is refused next to the field, nothing saved
        await pilot.press("e")
        form = await wait_for_screen(pilot, RecordEditScreen)
        await tab_to(pilot, "date")
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-02-30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and "2月没有30日" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "2025-02-03")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        assert ops.get("opinions", new["uid"])["date"] == "2025-02-03"
        # delete asks first; the number is not given again
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("left", "enter")  # 删除 (取消 has the focus)
        await wait_for_screen(pilot, OpinionsScreen)
        assert ops.get("opinions", new["uid"]) is None and keys(screen) == [1, 2, 3]
        await pilot.press("n")
        await wait_for_screen(pilot, RecordEditScreen)
        await type_text(pilot, "再一条")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        assert keys(screen) == [1, 2, 3, 5]


async def test_a_100000_character_content_survives_an_edit_of_another_field(ops):
    camp = camp_of(ops)
    o = save_opinion(ops, {"campaign": camp["uid"], "content": LONG})
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        screen.table.select_key(o["uid"])
        await pilot.pause()
        assert f"共 {len(LONG)} 字" in screen_text(app)  # the pane shows the start, the form all of it
        await pilot.press("e")
        await wait_for_screen(pilot, RecordEditScreen)
        await tab_to(pilot, "date")
        await type_text(pilot, "2025-01-30")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
    saved = ops.get("opinions", o["uid"])
    assert saved["content"] == LONG and saved["date"] == "2025-01-30"


async def test_convert_an_opinion_into_a_prefilled_item_then_see_it_in_the_workspace(ops):
    camp = camp_of(ops)
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        await pilot.press("t")
        form = await wait_for_screen(pilot, OpinionItemFormScreen)
        values = form.form.values()
        assert values["title"] == "理论学习不够深入"
        assert values["manifestation"] == "理论学习不够深入，学用结合不紧，建议班子成员带头深入基层调研。"
        assert values["dimension"] == camp["dimensions"][0]["key"]
        assert "来源：征求意见第1条" in screen_text(app)
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        o = opinions_for(ops, camp["uid"])[0]
        item = ops.get("items", o["item"])
        assert item["sources"] == ["征求意见第1条"] and item["title"] == "理论学习不够深入"
        assert "1.4" in screen_text(app) and "已转为问题：理论学习不够深入" in screen_text(app)
        await pilot.press("t")  # once is enough
        await pilot.pause()
        assert app.screen is screen and len(item_rows(ops, camp["uid"])) == 16
        await pilot.press("v")
        main = await wait_for_screen(pilot, MainScreen)
        await pilot.pause()
        assert main.current_uid() == item["uid"]
        main.query_one("#detail").scroll_end(animate=False)  # with the other facts, below the day's work
        await pilot.pause()
        assert "问题来源 征求意见第1条" in screen_text(app)


async def test_attach_to_an_existing_item_and_detach(ops):
    camp = camp_of(ops)
    target = item_rows(ops, camp["uid"])[1]
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        await open_opinions(pilot)
        await pilot.press("j")
        await pilot.press("a")
        menu = await wait_for_screen(pilot, MenuScreen)
        assert len(menu.menu_options) == 15
        await pilot.press("j", "enter")
        await wait_for_screen(pilot, OpinionsScreen)
        o = opinions_for(ops, camp["uid"])[1]
        assert o["item"] == target["uid"]
        assert ops.get("items", target["uid"])["sources"] == ["征求意见第2条"]
        await pilot.press("u")
        await pilot.pause()
        assert opinions_for(ops, camp["uid"])[1]["item"] == ""
        assert ops.get("items", target["uid"])["sources"] == []


async def test_deleting_an_item_in_the_workspace_detaches_its_opinions(ops):
    camp = camp_of(ops)
    o = opinions_for(ops, camp["uid"])[0]
    item = convert(ops, o["uid"], item_draft(ops, o))
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        main = app.screen
        main.jump_to(item["uid"])
        await pilot.pause()
        await pilot.press("d")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("left")  # 删除 (取消 has the focus)
        assert "它来自 1 条征求意见" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, MainScreen)
    assert ops.get("items", item["uid"]) is None
    assert ops.get("opinions", o["uid"])["item"] == "" and ops.check() == []


async def test_the_screen_is_in_the_palette_and_the_help(ops):
    from tui.commands import MAIN_COMMANDS
    from tui.screens.help import all_rows

    assert ("opinions", "征求意见") in [(a, n) for a, n, _ in MAIN_COMMANDS]
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        rows = all_rows(app)
        assert any(s == "主界面" and k == "y" and "征求意见" in d for s, k, d in rows)
        section = {k: d for s, k, d in rows if s == "征求意见"}
        for key in ("n", "e", "d", "t", "a", "u", "v", "f", "i", "o", "Esc"):
            assert key in section, key
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "征求意见")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for_screen(pilot, OpinionsScreen)


async def test_a_burst_of_keys_lands_where_the_keys_before_it_left_the_focus(ops):
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("y", "j", "t")  # as a slow link delivers them: open, move, convert
        form = await wait_for_screen(pilot, OpinionItemFormScreen)
        assert form.opinion["seq"] == 2 and form.form.values()["title"] == "调研走过场"


async def test_a_colleagues_new_opinion_shows_up(ops, db_path):
    from tests.tui_helpers import other_process

    camp = camp_of(ops)
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        app.poll_timer.pause()
        other_process(db_path, f"""
            from storage.opinions import save_opinion
            save_opinion(db, {{"campaign": {camp["uid"]!r}, "content": "同事录入的意见"}})
        """)
        assert app.poll_db() is True
        await pilot.pause()
        assert keys(screen) == [1, 2, 3, 4] and "同事录入的意见" in screen_text(app)


async def test_import_and_export_from_the_screen(ops, tmp_path):
    from tui.screens.opinion_forms import OpinionImportPreview

    camp = camp_of(ops)
    src = tmp_path / "意见.csv"
    src.write_text("日期,渠道,来源类别,意见内容\n2025-02-01,网络,群众,网上留言反映办事慢\n2025-02-02,电话,群众,电话反映\n",
                   encoding="utf-8")
    app = ZhenggaiApp(ops)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_opinions(pilot)
        await pilot.press("i")
        await wait_for_screen(pilot, PromptDialog)
        await type_text(pilot, str(src))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionImportPreview, rounds=300)
        text = screen_text(app)
        assert "可导入 1 条，不能导入 1 行" in text and "第 3 行：渠道“电话”不可用" in text
        assert len(opinions_for(ops, camp["uid"])) == 3  # nothing yet
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        assert keys(screen) == [1, 2, 3, 4]
        await pilot.press("o")
        dialog = await wait_for_screen(pilot, PromptDialog)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(tmp_path / "out"))
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, OpinionsScreen)
        assert dialog is not app.screen
    out = (tmp_path / "out.csv").read_text("utf-8-sig")
    assert out.count("\n") == 5 and "网上留言反映办事慢" in out


@pytest.mark.parametrize("size", [pytest.param((80, 24), id="80x24"), pytest.param((60, 18), id="60x18"),
                                  pytest.param((120, 36), id="120x36")])
def test_snapshot_opinions(snap_compare, ops, size):
    second = opinions_for(ops, camp_of(ops)["uid"])[1]
    convert(ops, second["uid"], item_draft(ops, second))

    async def run_before(pilot):
        pilot.app.poll_timer.pause()
        await pilot.pause()
        await pilot.press("y")
        await wait_for_screen(pilot, OpinionsScreen)
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(ops), terminal_size=size, run_before=run_before)

