"""Pilot flows through the 三联系 screen, by keyboard at 80x24."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Static, TextArea

from storage.liaison import add_link, add_person, coverage, log_contact
from tui.screens.dialogs import ConfirmDialog, PromptDialog
from tui.screens.liaison import LiaisonScreen
from tui.screens.liaison_import import ImportPreviewScreen
from tui.screens.record_edit import RecordEditScreen

SIZE = (80, 24)


class Host(App[None]):
    """Stands in for the workspace: pushes the 三联系 screen."""

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield Static("工作台", id="workspace")

    def on_mount(self) -> None:
        self.push_screen(LiaisonScreen(self.db))

    def on_descendant_focus(self, event) -> None:  # steady snapshots: no blinking cursor
        if hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False


async def typed(pilot, text: str) -> None:
    await pilot.press(*list(text))


async def choose(pilot, select: Select, label_start: str) -> None:
    """Pick an option of the focused Select by keyboard: open, move down to it, Enter."""
    assert select.has_focus
    labels = [str(p) for p, _v in select._options]
    index = next(n for n, l in enumerate(labels) if l.startswith(label_start))
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("home")
    for _ in range(index):
        await pilot.press("down")
    await pilot.press("enter")
    await pilot.pause()


def tier(db, t):
    return coverage(db)["tiers"][t - 1]


async def test_add_person_link_contact_coverage(db):
    cpc = add_person(db, "李委员", "党员委员", party="中共")
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LiaisonScreen)
        # n: new person with the generic form; letters go into the field, not to bindings
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordEditScreen)
        await typed(pilot, "赵d委员")
        assert len(app.screen_stack) == 3  # "d" did not fire 删除 under the form
        await pilot.press("backspace", "backspace", "backspace")
        await typed(pilot, "委员")
        await pilot.press("tab")
        await choose(pilot, form.query_one("#f-role", Select), "党外委员")
        await pilot.press("tab")
        await choose(pilot, form.query_one("#f-party", Select), "民盟")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        zhao = next(p for p in db.all("persons") if p["name"] == "赵委员")
        assert (zhao["role"], zhao["party"]) == ("党外委员", "民盟")
        assert coverage(db)["noncpc_without_cpc"] == [{"uid": zhao["uid"], "name": "赵委员"}]

        # l on the new 党外委员: a tier-2 link form with only 党员委员 to choose from
        screen.people.table.select_key(zhao["uid"])
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordEditScreen) and "第二层" in form.edit_title
        sel = form.query_one("#f-from_person", Select)
        assert [v for _l, v in sel._options if v != Select.NULL] == [cpc["uid"]]
        await choose(pilot, sel, "李委员")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        links = db.all("links")
        assert len(links) == 1 and (links[0]["tier"], links[0]["from_person"], links[0]["to_person"]) == ("2", cpc["uid"], zhao["uid"])
        assert coverage(db)["noncpc_without_cpc"] == []
        assert (tier(db, 2)["met"], tier(db, 2)["total"]) == (0, 1)

        # the person's page shows whom they contact and who contacts them
        page = str(screen.people.query_one("#people-page", Static).render())
        assert "谁联系他：李委员" in page

        # 2 → links tab, c logs a contact: summary first, date defaults to today
        await pilot.press("2")
        await pilot.pause()
        assert screen.links.current_link()["uid"] == links[0]["uid"]
        await pilot.press("c")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordEditScreen) and isinstance(app.focused, TextArea)
        await typed(pilot, "走访了解履职情况")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        (contact,) = db.all("contacts")
        assert (contact["date"], contact["mode"], contact["summary"]) == ("2026-11-21", "走访", "走访了解履职情况")
        assert contact["by"] == "tester"

        # 4 → coverage: the number went up
        await pilot.press("4")
        await pilot.pause()
        assert screen.coverage.data["tiers"][1]["met"] == 1
        assert "达标 1/1" in str(screen.coverage.query_one("#coverage-summary", Static).render())

        # Esc returns to the workspace
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, LiaisonScreen)


@pytest.fixture
def linked(db):
    lead = add_person(db, "王主席", "党组成员", party="中共")
    cpc = add_person(db, "李委员", "党员委员", party="中共", sector="经济界")
    non = add_person(db, "赵委员", "党外委员", party="民盟", sector="教育界")
    l1 = add_link(db, 1, lead["uid"], cpc["uid"], since="2026-01-01")
    l2 = add_link(db, 2, cpc["uid"], non["uid"], since="2026-01-01")
    log_contact(db, l1["uid"], "谈心谈话", on="2026-10-09", mode="座谈")
    log_contact(db, l2["uid"], "走访", on="2026-08-02")
    return {"lead": lead, "cpc": cpc, "non": non, "l1": l1, "l2": l2}


async def test_delete_person_asks_first_and_keeps_history(db, linked):
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.people.table.select_key(linked["cpc"]["uid"])
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "2 条联系关系将于今天结束" in dialog.message and "2 条联系记录保留" in dialog.message
        await pilot.press("escape")
        await pilot.pause()
        assert db.get("persons", linked["cpc"]["uid"])["active"] is True
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("left", "enter")  # 删除 (取消 has the focus)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert db.get("persons", linked["cpc"]["uid"])["active"] is False
        assert db.get("links", linked["l1"]["uid"])["until"] == "2026-11-21"
        assert db.get("links", linked["l2"]["uid"])["until"] == "2026-11-21"
        assert len(db.all("contacts")) == 2
        assert db.check() == []
        assert linked["cpc"]["uid"] not in [str(k.value) for k in screen.people.table.rows]


async def test_duplicate_link_shows_rule_message(db, linked):
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.people.table.select_key(linked["non"]["uid"])
        await pilot.press("l")
        await pilot.pause()
        form = app.screen
        await choose(pilot, form.query_one("#f-from_person", Select), "李委员")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # not saved
        status = str(form.query_one("#editor-status", Static).render())
        assert "这条联系关系已经存在" in status
        assert len(db.all("links")) == 2


async def test_new_link_from_links_tab_asks_tier(db, linked):
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2", "n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PromptDialog)
        dialog.form.query_one("#f-tier", Select).value = "3"
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RecordEditScreen) and "第三层" in form.edit_title
        await choose(pilot, form.query_one("#f-from_person", Select), "赵委员")
        await pilot.press("tab")
        assert isinstance(app.focused, Input)
        await typed(pilot, "教育界别一线教师")
        await pilot.press("ctrl+s")
        await pilot.pause()
        t3 = [l for l in db.all("links") if l["tier"] == "3"]
        assert len(t3) == 1 and t3[0]["to_group"] == "教育界别一线教师"
        assert tier(db, 3)["total"] == 1


async def test_filter_people(db, linked):
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.people.table.row_count == 3
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        dialog.form.query_one("#f-sector", Select).value = "教育界"
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.people.table.row_count == 1
        assert screen.people.table.current_key == linked["non"]["uid"]
        assert "界别=教育界" in str(screen.people.query_one("#people-filter", Static).render())


async def test_contacts_per_quarter_person_and_link(db, linked):
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("3")
        await pilot.pause()
        pane = screen.contacts
        assert pane.table.row_count == 1  # 2026 Q4: the 10-09 talk
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert pane.scope == ("quarter", (2026, 3)) and pane.table.row_count == 1
        await pilot.press("1")
        screen.people.table.select_key(linked["non"]["uid"])
        await pilot.press("r")
        await pilot.pause()
        assert pane.scope == ("person", linked["non"]["uid"]) and pane.table.row_count == 1
        await pilot.press("2")
        screen.links.table.select_key(linked["l1"]["uid"])
        await pilot.press("enter")
        await pilot.pause()
        assert pane.scope == ("link", linked["l1"]["uid"]) and pane.table.row_count == 1
        # c on a link's list logs another contact on that link
        await pilot.press("c")
        await pilot.pause()
        await typed(pilot, "电话")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert pane.table.row_count == 2


async def test_coverage_quarter_keys(db, linked):
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("4")
        await pilot.pause()
        cov = screen.coverage
        assert (cov.data["year"], cov.data["quarter"]) == (2026, 4)
        assert [t["met"] for t in cov.data["tiers"]] == [1, 0, 0]
        assert cov.table.row_count == 1  # the tier-2 link is overdue
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert (cov.data["quarter"], [t["met"] for t in cov.data["tiers"]]) == (3, [0, 1, 0])
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert (cov.data["year"], cov.data["quarter"]) == (2027, 1)
        # c on an overdue row logs a contact for it
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        await typed(pilot, "座谈")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [t["met"] for t in cov.data["tiers"]] == [1, 1, 0] and cov.table.row_count == 0


async def test_csv_import_preview_and_confirm(db, tmp_path):
    csv_path = tmp_path / "名单.csv"
    csv_path.write_text("姓名,身份,党派,界别,专委会,单位职务,电话\n甲,党员委员,中共,,,,\n,党外委员,民盟,,,,\n乙,党外委员,民盟,,,,\n", encoding="gbk")
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        app.screen.form.query_one("#f-path", Input).value = str(csv_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        preview = app.screen
        assert isinstance(preview, ImportPreviewScreen)
        body = str(preview.query_one("#preview-body", Static).render())
        assert "第 3 行：姓名为空" in body
        assert db.all("persons") == []  # nothing before the confirm
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(p["name"] for p in db.all("persons")) == ["乙", "甲"]
        assert screen.people.table.row_count == 2


async def test_csv_import_cancel_writes_nothing(db, tmp_path):
    csv_path = tmp_path / "a.csv"
    csv_path.write_text("姓名,身份\n甲,党员委员\n", encoding="utf-8-sig")
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.form.query_one("#f-path", Input).value = str(csv_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportPreviewScreen)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert db.all("persons") == [] and db.backups() == []


async def test_done_when_newcomer_flow(db, tmp_path):
    """Import 30 people (GBK CSV), link each 党外委员 to a 党员委员, log two contacts: coverage goes up."""
    leaders = [f"党组{n:02d}" for n in range(4)]
    cpc = [f"党员{n:02d}" for n in range(12)]
    non = [f"党外{n:02d}" for n in range(12)]
    staff = [f"干部{n:02d}" for n in range(2)]
    lines = ["姓名,身份,党派,界别,专委会,单位职务,电话"]
    lines += [f"{n},党组成员,中共,,,市政协副主席," for n in leaders]
    lines += [f"{n},党员委员,,经济界,经济委员会,,1390000{k:04d}" for k, n in enumerate(cpc)]
    lines += [f"{n},党外委员,民盟,教育界,,,1380000{k:04d}" for k, n in enumerate(non)]
    lines += [f"{n},机关干部,中共,,,办公室干部," for n in staff]
    csv_path = tmp_path / "三十人.csv"
    csv_path.write_bytes("\r\n".join(lines).encode("gbk"))
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("i")
        await pilot.pause()
        await typed(pilot, str(csv_path))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportPreviewScreen)
        assert app.focused.id == "cancel"  # the safe answer first
        await pilot.press("shift+tab", "enter")  # the 导入 30 行 button
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(db.all("persons")) == 30
        before = coverage(db)
        assert len(before["noncpc_without_cpc"]) == 12 and before["tiers"][1]["total"] == 0

        # the table is ordered by 身份: 4 党组成员, 12 党员委员, then the 党外委员
        table = screen.people.table
        await pilot.press("home")
        for _ in range(16):
            await pilot.press("down")
        for k, name in enumerate(non):
            await pilot.pause()
            assert db.get("persons", table.current_key)["name"] == name
            await pilot.press("l")
            await pilot.pause()
            await choose(pilot, app.screen.query_one("#f-from_person", Select), cpc[k])
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("down")
        after_links = coverage(db)
        assert after_links["noncpc_without_cpc"] == []
        assert (after_links["tiers"][1]["met"], after_links["tiers"][1]["total"]) == (0, 12)

        # two contacts from the links tab
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("home", "down", "down")  # tier-1 heading, tier-2 heading, first tier-2 link
        for text in ("走访", "座谈"):
            assert screen.links.current_link() is not None, screen.links.table.current_key
            await pilot.press("c")
            await pilot.pause()
            assert isinstance(app.screen, RecordEditScreen)
            await typed(pilot, text)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is screen
            await pilot.press("down")
        await pilot.press("4")
        await pilot.pause()
        cov = screen.coverage.data
        assert (cov["tiers"][1]["met"], cov["tiers"][1]["total"], cov["contacts"]) == (2, 12, 2)
        assert screen.coverage.table.row_count == 10
        assert "达标 2/12" in str(screen.coverage.query_one("#coverage-summary", Static).render())


async def test_tabs_fill_when_shown_and_follow_other_users_saves(db, linked):
    """Only the people tab is read on opening; a colleague's save reaches the tab in view at
    once and the others when they are next shown."""
    app = Host(db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.contacts.table.row_count == 0 and screen.links.table.row_count == 0
        await pilot.press("2")
        await pilot.pause()
        assert screen.links.table.row_count > 0
        link = linked["l2"]["uid"]
        assert "0/1" in " ".join(str(c) for c in screen.links.table.get_row(link))
        other = type(db).open(db.path, user="同事")
        log_contact(other, link, "同事记录的联系", on="2026-11-20")
        screen._poll()
        await pilot.pause()
        assert "1/1" in " ".join(str(c) for c in screen.links.table.get_row(link))
        assert screen._filled == {"links"}
        await pilot.press("3")
        await pilot.pause()
        rows = [screen.contacts.table.get_row_at(n) for n in range(screen.contacts.table.row_count)]
        assert any("同事记录的联系" in str(r) for r in rows)
