"""What a closed form, dialog or 三联系 screen leaves behind: nothing (issue 14).

Textual 8.2 kept every removed widget's drawn lines in an lru_cache keyed by its StylesCache
(textual#6665) and every removed TextArea/Header in the app's watcher lists (textual#6666).
Over a clerk's session they piled up: +80 000 objects for every five items edited at 3×, so
each full garbage collection, which holds the interpreter, took 100–200 ms and a colleague's
save could freeze the screen for that long. tui/textual_private.py (7., 8.) lets them go.
"""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.widget import Widget
from textual.widgets import TextArea

from storage import Database
from tests.tui_helpers import wait_for_screen, wait_until
from tui.app import ZhenggaiApp
from tui.screens.export_dialog import ExportDialog
from tui.screens.item_form import ItemFormScreen
from tui.screens.liaison import LiaisonScreen
from tui.screens.main import MainScreen

SIZE = (80, 24)


def _left_behind(app) -> dict[str, int]:
    """After a full collection: widgets no longer on any screen, TextAreas among them, and
    StylesCaches beyond one per living widget."""
    gc.collect()
    objects = gc.get_objects()
    widgets = [o for o in objects if isinstance(o, Widget)]
    caches = sum(1 for o in objects if type(o) is StylesCache)
    dead = [w for w in widgets if w is not app and not w.is_attached]
    return {"widgets": len(dead), "text areas": sum(isinstance(w, TextArea) for w in dead),
            "styles caches": max(0, caches - len(widgets))}


async def test_closed_forms_dialogs_and_liaison_leave_nothing_behind(demo_db, db_path):
    app = ZhenggaiApp(Database.open(str(db_path), lazy=True))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.db.loaded("items"))
        main = app.screen
        assert isinstance(main, MainScreen)
        for _ in range(3):
            await pilot.press("e")
            await wait_for_screen(pilot, ItemFormScreen)
            assert app.screen.query(TextArea)  # the form's long fields watch the app's theme
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main)
            await pilot.press("x")
            await wait_for_screen(pilot, ExportDialog)
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is main)
        await pilot.press("l")
        await wait_for_screen(pilot, LiaisonScreen)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is main)
        app.poll_in_background()  # the 2-second timer's work, now
        await wait_until(pilot, lambda: _left_behind(app)["widgets"] == 0, rounds=100)
        assert _left_behind(app) == {"widgets": 0, "text areas": 0, "styles caches": 0}
