"""The list editor (整改措施, 佐证材料) under keys that arrive in a burst, as over a slow SSH link."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from tui.widgets.list_editor import ListEditor


class ListHost(App[None]):
    def compose(self) -> ComposeResult:
        yield ListEditor(["措施一"], id="list")

    def on_mount(self) -> None:
        self.query_one(ListEditor).focus()


def burst(app: App, keys: list[str]) -> None:
    """Send keys as the driver does when one read returns several: no waiting between them
    (Pilot.press waits for the app to go idle after every key, which hides the race)."""
    for key in keys:
        char = {"enter": "\r"}.get(key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def test_text_typed_right_after_enter_goes_to_the_new_entry():
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        burst(app, ["end", "enter", *"措施二", "enter", *"措施三"])
        await pilot.pause()
        await pilot.pause()
        assert editor.entries == ["措施一", "措施二", "措施三"]


async def test_coming_back_to_an_entry_types_there_again():
    app = ListHost()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        editor = app.query_one(ListEditor)
        await pilot.press("end", "enter", *"二")
        await pilot.pause()
        await pilot.press("shift+tab")  # back to the first entry
        await pilot.pause()
        await pilot.press("end", *"甲")
        await pilot.pause()
        assert editor.entries == ["措施一甲", "二"]
