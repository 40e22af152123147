"""A colleague's save never stops the screen (issue 14): files are read in a thread and swapped
in on the app's thread; 三联系 reads what it shows; its tables make only the rows on screen."""

from __future__ import annotations

import threading

from storage import Database
from storage.liaison import add_link, add_person, log_contact
from storage.shard import Shard
from tui.app import ZhenggaiApp
from tui.screens.liaison import LiaisonScreen
from tui_helpers import other_process

SIZE = (80, 24)


def _threads_reading(monkeypatch, shard_name: str | None = None) -> list[bool]:
    """Record, for every full read of a shard file, whether it ran on the main thread."""
    seen: list[bool] = []
    name = "read" if hasattr(Shard, "read") else "load"  # (before issue 14, a shard had only load)
    real = getattr(Shard, name)

    def read(self, *args, **kw):
        if shard_name is None or self.name == shard_name:
            seen.append(threading.current_thread() is threading.main_thread())
        return real(self, *args, **kw)

    monkeypatch.setattr(Shard, name, read)
    return seen


async def _until(pilot, cond, rounds: int = 500) -> None:
    for _ in range(rounds):
        if cond():
            return
        await pilot.pause(0.01)
    raise AssertionError("the screen never got there")


async def test_a_colleagues_save_is_read_in_a_thread_and_then_shown(demo_db, db_path, monkeypatch):
    seen = _threads_reading(monkeypatch)
    app = ZhenggaiApp(Database.open(str(db_path), lazy=True))
    async with app.run_test(size=SIZE) as pilot:
        main = app.screen
        await _until(pilot, lambda: app.db.loaded("items"))  # the workspace's own parse, in a thread
        app.poll_timer.pause()
        uid = main.current_uid()
        other_process(db_path, f"db.update('items', {uid!r}, {{'title': '同事刚改的标题'}})")
        seen.clear()
        app.poll_timer._callback()  # what the 2-second timer does
        await _until(pilot, lambda: main.table.items and any(i.get("title") == "同事刚改的标题" for i in main.table.items))
        assert seen == [False]  # the file was read, once, and not on the app's thread
        assert app.db.get("items", uid)["title"] == "同事刚改的标题"


async def test_liaison_reads_what_it_shows_and_parses_contacts_in_a_thread(db, db_path, monkeypatch):
    lead = add_person(db, "王主席", "党组成员")
    cpc = add_person(db, "李委员", "党员委员")
    link = add_link(db, 1, lead["uid"], cpc["uid"], since="2026-01-01")
    with db.transaction():
        for n in range(300):
            log_contact(db, link["uid"], f"第{n}次联系", on=f"2026-{10 + n % 2}-{1 + n % 28:02d}")
    seen = _threads_reading(monkeypatch, "contacts")
    lazy = Database.open(str(db_path), lazy=True)
    app = ZhenggaiApp(lazy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await _until(pilot, lambda: isinstance(app.screen, LiaisonScreen))
        screen = app.screen
        for key, tab in (("2", "links"), ("3", "contacts"), ("4", "coverage")):
            await pilot.press(key)
            await _until(pilot, lambda tab=tab: tab in screen._filled)
        assert screen.contacts.table.row_count == 300
        assert "300/1" in " ".join(str(c) for c in screen.links.table.get_row(link["uid"]))
        await _until(pilot, lambda: not getattr(screen, "loading", False))
        assert seen == [False]  # parsed once, in a thread; every tab was drawn from the index before
        # Only the rows on screen were made: 300 contacts, a screenful of rows.
        assert len(getattr(screen.contacts.table._data, "made", screen.contacts.table._data)) < 40
        assert len(getattr(screen.contacts, "shown", range(300))) <= 200 + 1


async def test_liaison_follows_a_colleague_through_the_apps_poll(db, db_path):
    lead = add_person(db, "王主席", "党组成员")
    cpc = add_person(db, "李委员", "党员委员")
    link = add_link(db, 1, lead["uid"], cpc["uid"], since="2026-01-01")
    log_contact(db, link["uid"], "第一次", on="2026-11-02")
    from storage.items import create_campaign

    create_campaign(db, "活动", "dsh2024")
    app = ZhenggaiApp(Database.open(str(db_path), lazy=True))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.poll_timer.pause()
        await pilot.press("l")
        await _until(pilot, lambda: isinstance(app.screen, LiaisonScreen))
        screen = app.screen
        await pilot.press("3")
        await _until(pilot, lambda: "contacts" in screen._filled and screen.contacts.table.row_count == 1)
        other_process(db_path, f"""
            from storage.liaison import log_contact
            log_contact(db, {link['uid']!r}, "同事记录的", on="2026-11-20")
        """)
        app.poll_timer._callback()  # what the 2-second timer does
        await _until(pilot, lambda: screen.contacts.table.row_count == 2)
        assert "同事记录的" in str(screen.contacts.table.get_row_at(0))
