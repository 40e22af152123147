"""This session's changes to items, newest last, for Ctrl+Z (storage/undo.py does the undoing).

The steps live on the app (``app.undo_steps``): the forms and dialogs that change an item add
theirs as they save, the workspace undoes the newest. A session that quits forgets them.
"""

from __future__ import annotations

import dataclasses
from typing import Any

MAX_STEPS = 50


def record(app: Any, kind: str, before: dict[str, Any] | None, after: dict[str, Any] | None,
           detached: tuple[str, ...] = ()) -> None:
    """Note the change of one item from ``before`` to ``after`` (None: deleted). Where the
    app keeps no steps (a test host), nothing happens."""
    steps = getattr(app, "undo_steps", None)
    if steps is None:
        return
    from storage.undo import step

    s = step(kind, before, after)
    if s is None:
        return
    if detached:
        s = dataclasses.replace(s, detached=tuple(detached))
    steps.append(s)
    del steps[:-MAX_STEPS]


def after_undo(app: Any, undone: Any, item: dict[str, Any]) -> None:
    """``undone`` was just undone and left ``item``: the same content as before it, under a new
    revision. The step before it on the same item expects the old revision: it now expects
    this one, so Ctrl+Z can go on back (a colleague's change in between still stops it)."""
    steps = getattr(app, "undo_steps", None) or []
    for n in range(len(steps) - 1, -1, -1):
        if steps[n].uid == undone.uid:
            if steps[n].after_rev == undone.before.get("rev"):
                steps[n] = dataclasses.replace(steps[n], after_rev=item.get("rev"))
            return
