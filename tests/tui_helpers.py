"""Shared bits of the workspace tests (tests/test_tui_*.py, tests/test_snapshots.py)."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from pathlib import Path

from rich.console import Console
from textual.app import App

ROOT = Path(__file__).resolve().parents[1]


def screen_text(app) -> str:
    """Plain text of what the terminal shows now (for asserting on layout)."""
    w, h = app.size
    console = Console(width=w, height=h, file=io.StringIO(), force_terminal=True, color_system=None,
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def burst(app, keys: list[str]) -> None:
    """Send keys as the terminal driver does when one read returns several: each posted to
    the app with no waiting between them (Pilot.press waits for the app to go idle after
    every key, which hides the races of a slow SSH link or an IME committing a phrase)."""
    from textual import events

    for key in keys:
        char = {"enter": "\r", "tab": "\t", "backspace": "\x7f", "space": " "}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def settle(pilot, rounds: int = 3) -> None:
    """Pump the app until the keys sent are handled, then a few more rounds."""
    for _ in range(200):
        await pilot.pause()
        if not getattr(pilot.app, "keys_pending", 0):
            break
    for _ in range(rounds):
        await pilot.pause()


async def wait_until(pilot, condition, *, rounds: int = 60, delay: float = 0.05) -> None:
    """Pump the app, ``delay`` seconds a round, until ``condition()`` holds or ``rounds`` have
    passed (for what comes after a timer, not after a message); the test then asserts it."""
    for _ in range(rounds):
        await pilot.pause(delay)
        if condition():
            return


async def type_text(pilot, text: str) -> None:
    """Type key by key; Chinese characters arrive as they would from an IME."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


def other_process(db_path, code: str, user: str = "colleague") -> str:
    """Run ``code`` in a separate Python process with ``db`` opened as another user."""
    script = "from storage import Database\n" f"db = Database.open({str(db_path)!r}, user={user!r})\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def no_blink(app) -> None:
    """Stop every cursor from blinking (snapshots must not depend on timing)."""
    from textual.widgets import Input, TextArea

    for screen in app.screen_stack:
        for w in screen.query(Input):
            w.cursor_blink = False
        for w in screen.query(TextArea):
            w.cursor_blink = False


async def wait_for_screen(pilot, screen_type, *, rounds: int = 100):
    """Pump the app until ``screen_type`` is the active, mounted screen (a screen switch
    that comes from a dismissed form's callback takes several rounds of messages)."""
    app = pilot.app
    for _ in range(rounds):
        screen = app.screen
        if isinstance(screen, screen_type) and screen.is_mounted and screen.is_attached:
            await pilot.pause()  # let on_mount finish
            return screen
        await pilot.pause()
    raise AssertionError(f"{screen_type.__name__} did not become the active screen; it is {app.screen!r}")


class ExportHost(App[None]):
    """Shows the export dialog, ``ExportDialog(db, **kw)``, and keeps what it dismissed with."""

    def __init__(self, db, **kw) -> None:
        super().__init__()
        self.db = db
        self.kw = kw
        self.result: list = []

    def on_mount(self) -> None:
        from tui.screens.export_dialog import ExportDialog

        self.push_screen(ExportDialog(self.db, **self.kw), self.result.append)
