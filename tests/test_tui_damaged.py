"""Damaged data in the TUI: a message naming the record, never a traceback (issue 11, point 9)."""

from __future__ import annotations

import os

import orjson
import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from storage import Database
from tui.screens.history import HistoryScreen
from tui.screens.liaison import LiaisonScreen
from tui_helpers import screen_text

SIZE = (80, 24)


class Host(App[None]):
    """Stands in for the workspace: pushes one screen."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.first = screen

    def compose(self) -> ComposeResult:
        yield Static("工作台", id="workspace")

    def on_mount(self) -> None:
        self.push_screen(self.first)


def _damage_a_contact(db_path) -> str:
    """A contact's date becomes a number (a hand edit in place, same size and mtime, so the
    index still matches): returns the contact's uid."""
    shard = db_path.with_name("zhenggai.contacts.json")
    st = os.stat(shard)
    raw = shard.read_bytes()
    at = raw.index(b'"date":"', raw.index(b'  "contacts": {')) + 7
    start = raw.rindex(b"\n", 0, at) + 1
    uid = orjson.loads(raw[start:raw.index(b": {", start)].strip())
    with open(shard, "r+b") as fh:
        fh.seek(at)
        fh.write(b"202611210000")  # was "2026-11-21": twelve bytes
    os.utime(shard, ns=(st.st_atime_ns, st.st_mtime_ns))
    return uid


@pytest.mark.parametrize("when", ["on opening", "while open"])
async def test_liaison_on_a_damaged_contacts_shard(demo_db, db_path, when):
    if when == "on opening":
        uid = _damage_a_contact(db_path)
    db = Database.open(str(db_path), lazy=True)
    screen = LiaisonScreen(db)
    app = Host(screen)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        if when == "while open":
            assert "人员" in screen_text(app)
            uid = _damage_a_contact(db_path)
            os.utime(db_path.with_name("zhenggai.contacts.json"))  # the stamp moves: the poll re-reads it
            screen._poll()  # what the 2-second timer does
            await pilot.pause()
        await pilot.press("3")  # the contacts tab
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        text = screen_text(app)
        assert "已损坏" in text and uid in text and "日期" in text and "按 Esc 返回" in text
        await pilot.press("escape")
        await pilot.pause()
        assert "工作台" in screen_text(app)


async def test_history_screen_on_an_odd_line(demo_db):
    item = demo_db.all("items")[0]
    with open(demo_db.history_path, "ab") as fh:  # a hand-made line of an unexpected shape
        fh.write(orjson.dumps({"time": 5, "user": ["x"], "table": "items", "uid": item["uid"], "action": "update",
                               "changes": [1, 2]}) + b"\n")
    app = Host(HistoryScreen(demo_db, "items", item["uid"], item["title"]))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "格式不正确" in text and item["uid"] in text.replace("\n", "").replace("│", "").replace(" ", "")
        await pilot.press("escape")
        await pilot.pause()
        assert "工作台" in screen_text(app)
