"""Screens built by other parts of the app, imported on first use.

A feature whose module is missing (or fails to import) tells the user so instead
of crashing the workspace.
"""

from __future__ import annotations

import importlib
from typing import Any

NOT_READY = "该功能尚未完成"


def screen_class(module: str, name: str) -> Any | None:
    """``tui.screens.<module>.<name>`` or None when it is not available."""
    try:
        mod = importlib.import_module(f"tui.screens.{module}")
        return getattr(mod, name)
    except Exception:  # ImportError, or a half-finished module
        return None


def push(app, module: str, name: str, *args: Any, callback=None, **kw: Any) -> bool:
    """Push the screen if it exists; otherwise notify. Returns whether it was pushed."""
    cls = screen_class(module, name)
    if cls is None:
        app.notify(NOT_READY, title=name, severity="warning")
        return False
    try:
        screen = cls(*args, **kw)
    except Exception as e:  # noqa: BLE001 - a broken screen must not take the workspace down
        from storage import ZhenggaiError

        if isinstance(e, ZhenggaiError):
            app.notify(str(e), severity="error")
        else:
            app.log.error(f"cannot open {module}.{name}: {e!r}")
            app.notify(NOT_READY, title=name, severity="warning")
        return False
    app.push_screen(screen, callback)
    return True
