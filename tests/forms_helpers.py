"""Shared bits of the form tests: a tiny host app that pushes one screen."""

from __future__ import annotations

from typing import Any, Callable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from tui.keys import KeyOrder


class HostApp(KeyOrder):
    """Pushes ``make_screen()`` on mount and records what it dismissed with; keys are routed
    as in the app (tui.keys)."""

    def __init__(self, make_screen: Callable[[], Screen], db: Any = None) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.db = db
        self.results: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Static("host", id="host")

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), self.results.append)


async def type_text(pilot, text: str) -> None:
    """Type text key by key (works for Chinese characters too)."""
    await pilot.press(*list(text))


def _no_blink(event) -> None:
    w = event.widget
    if hasattr(w, "cursor_blink"):
        w.cursor_blink = False


HostApp.on_descendant_focus = lambda self, event: _no_blink(event)  # type: ignore[attr-defined]
