"""Following other users' saves without freezing the screen.

Every 2 seconds the files are checked (their commit ids); what changed is read and proved
in a thread (``Database.prepare_refresh``: at 10× a shard takes seconds to read), and only
the swap (``apply_refresh``) and the redraw run on the app's thread. A read that is still
running when the next tick comes is not started twice.
"""

from __future__ import annotations

from typing import Any, Callable

from textual.dom import DOMNode

from storage import ZhenggaiError

POLL_SECONDS = 2.0


def read_in_thread(node: DOMNode, db: Any, done: Callable[[Any], Any], failed: Callable[[ZhenggaiError], Any]) -> bool:
    """Read what changed on disk in a thread worker of ``node``; then ``done(prepared)`` on
    the app's thread (``failed(error)`` for a damaged file). False when a read of ``db`` is
    still running."""
    if getattr(db, "_following", False):
        return False
    db._following = True
    app = node.app

    def finish(call: Callable[[Any], Any], arg: Any) -> None:
        db._following = False
        call(arg)

    def work() -> None:
        try:
            prepared = db.prepare_refresh()
        except ZhenggaiError as e:
            app.call_from_thread(finish, failed, e)
        except Exception:  # not a storage error: free the next tick to try again, and let the worker fail
            app.call_from_thread(finish, lambda _: None, None)
            raise
        else:
            app.call_from_thread(finish, done, prepared)

    node.run_worker(work, thread=True, group="follow-db", exit_on_error=False)
    return True
