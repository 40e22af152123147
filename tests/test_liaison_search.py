"""Finding a person (issue 12, item 7): / in 三联系 (name, 单位职务, 界别, 党派, pinyin initials),
people and items in the command palette; at scale from the light rows, never the items file."""

from __future__ import annotations

from textual.command import CommandPalette

from storage import Database, pinyin
from storage.finder import find_items, search_people
from storage.liaison import add_person
from tests.tui_helpers import burst, screen_text, settle, type_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.liaison import LiaisonScreen
from tui.screens.main import MainScreen


def _people(db):
    add_person(db, "王建华", "党组成员", party="中共", sector="中共", unit_title="市政协副主席")
    add_person(db, "单秀兰", "党外委员", party="民盟", sector="教育界", unit_title="市第一中学校长")
    add_person(db, "李红", "党员委员", party="中共", sector="经济界", unit_title="市发改委副主任")
    add_person(db, "赵建国", "党外委员", party="九三学社", sector="科技界", unit_title="市农科院研究员")


def names(people):
    return [p["name"] for p in people]


def test_search_people_by_each_field_and_by_initials(db):
    _people(db)
    assert names(search_people(db, "建")) == ["王建华", "赵建国"]
    assert names(search_people(db, "第一中学")) == ["单秀兰"]  # 单位职务
    assert names(search_people(db, "科技界")) == ["赵建国"]  # 界别
    assert names(search_people(db, "九三")) == ["赵建国"]  # 党派
    assert names(search_people(db, "wjh")) == ["王建华"]  # initials
    assert names(search_people(db, "JH")) == ["王建华"]  # of consecutive characters, any case
    assert names(search_people(db, "sxl")) == names(search_people(db, "dxl")) == ["单秀兰"]  # 单: shàn or dān
    assert names(search_people(db, "中共 副主")) == ["李红", "王建华"]  # every term
    assert search_people(db, "无此人") == []
    # a name that matches comes before a unit that does
    add_person(db, "孙市", "党外委员", party="民进")
    assert names(search_people(db, "市"))[0] == "孙市"


def test_initials_read_only_pypinyins_table():
    import sys

    assert pinyin.initials("单A") == ["cds", "a"]
    assert "pypinyin" not in sys.modules  # its phrase dictionary (55 MB) is never loaded


async def test_slash_finds_a_person_in_the_roll_and_enter_selects(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        screen = await wait_for_screen(pilot, LiaisonScreen)
        await pilot.pause()
        people = screen.people
        total = people.table.row_count
        target = next(p for p in demo_db.all("persons") if p.get("active", True) and len(p["name"]) == 3)
        letters = "".join(pinyin.initials(target["name"])[k][0] for k in range(3))
        found = [p["uid"] for p in search_people(demo_db, letters)]
        assert target["uid"] in found
        burst(app, ["slash", *letters, "enter"])  # typed ahead: / initials Enter
        await settle(pilot)
        assert people.table.current_key == found[0] and app.focused is people.table
        people.table.select_key(target["uid"])
        assert people.table.row_count < total
        assert f"查找“{letters}”" in screen_text(app)
        assert target["name"] in str(screen.query_one("#people-page").render())
        await pilot.press("escape")  # closes the search first, the person stays selected
        await pilot.pause()
        assert app.screen is screen and people.table.row_count == total
        assert people.table.current_key == target["uid"]
        await pilot.press("3", "slash")  # / from another tab: to the roll, searching
        await pilot.pause()
        assert app.focused.id == "people-search"
        await type_text(pilot, "无此人")
        await pilot.press("enter")
        await pilot.pause()
        assert "没有找到这个人" in screen_text(app)


async def test_the_palette_finds_people_and_items(demo_db):
    app = ZhenggaiApp(demo_db)
    person = next(p for p in demo_db.all("persons") if p.get("active", True))
    item = next(i for i in demo_db.all("items") if i["title"] == "民主监督放不开手脚")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await type_text(pilot, "放不开")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "事项：民主监督放不开手脚" in screen_text(app)
        await pilot.press("enter")
        await wait_for_screen(pilot, MainScreen)
        assert main.current_uid() == item["uid"] and main.dimension == item["dimension"]
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await type_text(pilot, person["name"])
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"人员：{person['name']}" in screen_text(app)
        await pilot.press("enter")
        liaison = await wait_for_screen(pilot, LiaisonScreen)
        await pilot.pause()
        assert liaison.people.table.current_key == person["uid"]
        # from 三联系, an item jumps back to the workspace
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        await type_text(pilot, "放不开")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await wait_for_screen(pilot, MainScreen)
        assert main.current_uid() == item["uid"]


def test_items_are_found_from_the_light_rows_without_parsing_the_items_file(tmp_path):
    """At scale the palette must not parse every item per keystroke: it reads the index."""
    from storage.items import create_campaign

    path = str(tmp_path / "zg" / "zhenggai.json")
    db = Database.open(path, user="tester")
    camp = create_campaign(db, "活动", "dsh2024")
    other = create_campaign(db, "另一个活动", "dsh2024", year=2020)
    rows = [{"campaign": c["uid"], "dimension": "d1", "title": f"问题{n:05d}", "leader": "王建华", "seq": n}
            for c in (camp, other) for n in range(1500)]
    db.insert_many("items", rows)
    fresh = Database.open(path, user="tester", lazy=True)
    hits = find_items(fresh, "问题0001", camp["uid"], limit=30)
    assert not fresh.loaded("items")
    assert [h["title"] for h in hits][:10] == [f"问题{n:05d}" for n in range(10, 20)]
    assert {h["campaign"] for h in hits[:10]} == {camp["uid"]}  # this campaign's first
    assert len(hits) == 20 and hits[-1]["campaign"] == other["uid"]
    assert len(find_items(fresh, "王建华", None, limit=15)) == 15
