"""Screens imported on first use, so that start-up loads only the workspace."""

from __future__ import annotations

import importlib
from typing import Any


def screen_class(module: str, name: str) -> Any:
    """``tui.screens.<module>.<name>``, imported now."""
    return getattr(importlib.import_module(f"tui.screens.{module}"), name)


def push(app, module: str, name: str, *args: Any, callback=None, **kw: Any) -> bool:
    """Build and push the screen; a refusal from storage (a ZhenggaiError raised while the
    screen reads its data) is shown as a notification. Returns whether it was pushed."""
    from storage import ZhenggaiError

    try:
        screen = screen_class(module, name)(*args, **kw)
    except ZhenggaiError as e:
        app.notify(str(e), severity="error")
        return False
    app.push_screen(screen, callback)
    return True


def menu(*args: Any, **kw: Any):
    """A MenuScreen (imported on first use: start-up shows none)."""
    from .screens.menu import MenuScreen

    return MenuScreen(*args, **kw)
