"""SVG snapshots of the workspace (main screen, help, welcome) at 80x24 and 120x36.

Today is frozen (conftest), cursors do not blink, and the demo data is fixed;
uids never appear on screen. Regenerate with `pytest tests/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them. The forms' snapshots live in B2's tests.
"""

from __future__ import annotations

import pytest

from tests.tui_helpers import no_blink
from tui.app import ZhenggaiApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
ALL_SIZES = [pytest.param((60, 18), id="60x18"), *SIZES]


async def _settle(pilot) -> None:
    pilot.app.poll_timer.pause()
    await pilot.pause()
    no_blink(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", ALL_SIZES)
def test_main_screen(snap_compare, demo_db, size):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("3")  # 担责创新: overdue, due-soon and open items
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(demo_db), terminal_size=size, run_before=run_before)


def test_main_screen_no_color(snap_compare, demo_db, monkeypatch):
    """NO_COLOR: the overdue item's 时限 and 状态 reversed, the sidebar's ✖ counts too."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("3")
        await pilot.press("j")  # the cursor off the overdue row, so that its own style shows
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(demo_db), terminal_size=(80, 24), run_before=run_before)


def test_main_screen_sidebar_hidden(snap_compare, demo_db):
    """b: the table and the detail pane take the whole width."""

    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("3", "b")
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(demo_db), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_main_screen_search(snap_compare, demo_db, size):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("slash", *"周文涛")
        await pilot.pause()
        no_blink(pilot.app)
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(demo_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, demo_db, size):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(demo_db), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_welcome_screen(snap_compare, db, size):
    async def run_before(pilot):
        from textual.widgets import Static

        await _settle(pilot)
        # the real path is a random tmp dir; show a fixed one
        pilot.app.screen.query_one("#db-path", Static).update("数据库：/srv/zhenggai/zhenggai.json")
        await pilot.pause()

    assert snap_compare(ZhenggaiApp(db), terminal_size=size, run_before=run_before)
