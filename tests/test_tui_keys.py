"""tui.keys.KeyOrder on its own: the keys of a burst handled one at a time, in order, and a key
whose widget loses it does not hold up the keys behind it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from tests.tui_helpers import burst, settle, wait_until
from tui import keys
from tui.keys import KeyHandled, KeyOrder


class TwoFields(KeyOrder):
    def compose(self) -> ComposeResult:
        yield Input(id="a")
        yield Input(id="b")


async def test_a_burst_is_typed_in_order_and_where_the_focus_is_by_then():
    app = TwoFields()
    async with app.run_test() as pilot:
        await pilot.pause()
        # Textual alone gives a = "xyz" (d typed before the Backspace runs), b = "" (R typed in a)
        burst(app, ["x", "y", "z", "backspace", "d", "left", "Q", "tab", "R", "shift+tab", "end", "backspace"])
        await settle(pilot)
        assert app.query_one("#a", Input).value == "xyQ"
        assert app.query_one("#b", Input).value == "R"
        assert app.keys_pending == 0


class LosesKeys(Input):
    """Drops the app's KeyHandled notes, as a widget removed with a key on its way would."""

    def post_message(self, message) -> bool:
        if isinstance(message, KeyHandled):
            return True
        return super().post_message(message)


class Losing(KeyOrder):
    def compose(self) -> ComposeResult:
        yield LosesKeys(id="a")


async def test_a_key_never_reported_back_does_not_hold_up_the_rest(monkeypatch):
    monkeypatch.setattr(keys, "STUCK_SECONDS", 0.05)
    app = Losing()
    async with app.run_test() as pilot:
        await pilot.pause()
        burst(app, [*"甲乙"])
        # the app's own timer lets the next key go
        await wait_until(pilot, lambda: app.query_one("#a", Input).value == "甲乙", rounds=200, delay=0.02)
        assert app.query_one("#a", Input).value == "甲乙"
