"""Dates that are valid but probably wrong (issue 12, item 9): warned about as typed and asked
about once more on save, never refused; 重启 asks for a new deadline; 联系关系 shows 2026-10-09."""

from __future__ import annotations

from forms_helpers import HostApp, type_text

from storage.date_checks import future_contact, past_deadline
from storage.dates import parse_date
from storage.items import add_item, create_campaign
from storage.liaison import add_link, add_person, log_contact
from storage.models import ST_DONE
from tests.tui_helpers import screen_text, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.dialogs import ConfirmDialog
from tui.screens.item_actions import ItemActionScreen
from tui.screens.item_form import ItemFormScreen
from tui.screens.liaison_forms import contact_form

TODAY = parse_date("2026-11-21")


def test_the_checks():
    assert past_deadline(parse_date("2026-11-20"), "整改中", TODAY).startswith("整改时限已过")
    assert past_deadline(parse_date("2026-11-20"), ST_DONE, TODAY) == ""  # 已销号: history
    assert past_deadline(TODAY, "整改中", TODAY) == "" and past_deadline(None, "整改中", TODAY) == ""
    assert "晚于今天" in future_contact(parse_date("2030-01-01"), TODAY)
    assert future_contact(TODAY, TODAY) == ""


def _link(db):
    lead = add_person(db, "王建华", "党组成员", party="中共")
    cpc = add_person(db, "李红", "党员委员", party="中共", sector="经济界")
    return add_link(db, 1, lead["uid"], cpc["uid"], since="2026-01-01")


async def test_a_contact_dated_in_the_future_is_warned_about_and_saved_only_when_confirmed(db):
    link = _link(db)
    app = HostApp(lambda: contact_form(db, link), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen.form
        await type_text(pilot, "走访")
        form.control("date").value = ""
        form.control("date").focus()
        await type_text(pilot, "2030-01-01")
        await pilot.pause()
        hint = str(form.row("date").query_one(".field-sub").render())
        assert hint.startswith("⚠ 2030年1月1日") and "晚于今天" in hint
        await pilot.press("ctrl+s")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        msg = str(dialog.query_one("#dialog-message").render())
        assert "日期 2030-01-01" in msg and "晚于今天" in msg
        assert app.focused.id == "cancel"  # 返回修改 first
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused.id == "f-date" and not app.results and not db.all("contacts")
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("left", "enter")  # 仍然保存
        await pilot.pause()
    assert [c["date"] for c in db.all("contacts")] == ["2030-01-01"]


async def test_editing_a_contact_does_not_ask_about_a_date_it_did_not_change(db):
    link = _link(db)
    contact = log_contact(db, link["uid"], "走访", on="2026-11-01")
    app = HostApp(lambda: contact_form(db, link, contact), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "补记")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results and "补记" in app.results[0]["summary"] and app.results[0]["date"] == "2026-11-01"


async def test_a_past_deadline_for_an_open_item_is_warned_about(db):
    camp = create_campaign(db, "2026年度民主生活会", "dsh2024")
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], dimension="d1"), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "学习不深")
        form = app.screen.form
        form.control("deadline").focus()
        await type_text(pilot, "2026.2.1")
        await pilot.pause()
        assert "整改时限已过" in str(form.row("deadline").query_one(".field-sub").render())
        await pilot.press("ctrl+s")
        dialog = await wait_for_screen(pilot, ConfirmDialog)
        assert "整改时限 2026-02-01" in str(dialog.query_one("#dialog-message").render())
        await pilot.press("left", "enter")  # 仍然保存: a warning, not a refusal
        await pilot.pause()
    assert app.results[0]["deadline"] == "2026-02-01"


async def test_an_overdue_item_edited_elsewhere_saves_without_asking(db):
    camp = create_campaign(db, "2026年度民主生活会", "dsh2024")
    item = add_item(db, camp["uid"], "d1", "学习不深", deadline="2026-02-01")
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "改")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.results[0]["title"] == "学习不深改"


async def test_reopen_asks_for_a_new_deadline(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        done = next(i for i in main.table.items if i["status"] == ST_DONE)
        assert done["deadline"] < "2026-11-21"
        main.table.select_uid(done["uid"])
        await pilot.press("a", "enter")
        dialog = await wait_for_screen(pilot, ItemActionScreen)
        assert dialog.form.values()["deadline"] == ""  # the old one is past: asked anew
        assert "新的整改时限" in screen_text(app)
        await type_text(pilot, "回头看发现反弹")
        dialog.form.control("deadline").focus()
        await type_text(pilot, "2026-10-31")  # also past: warned
        await pilot.press("ctrl+s")
        await wait_for_screen(pilot, ConfirmDialog)
        await pilot.press("enter")  # 返回修改
        await pilot.pause()
        assert app.screen is dialog and app.focused.id == "f-deadline"
        await pilot.press("ctrl+u")
        await type_text(pilot, "2027-03-31")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is main
    item = demo_db.get("items", done["uid"])
    assert item["deadline"] == "2027-03-31" and item["status"] == "整改中"


async def test_links_show_four_digit_years(db):
    from tests.test_liaison_tui import Host

    link = _link(db)
    log_contact(db, link["uid"], "走访", on="2026-10-09")
    app = Host(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        text = screen_text(app)
        assert "2026-10-09" in text and "2026-01-01～" in text
