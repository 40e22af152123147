"""Freeing a big state that is no longer shown, without stopping the screen.

When a refresh swaps a new state in, the old one is freed; at 10× its views of the
contacts by quarter are 1.5 million objects, and freeing them at once holds the GIL for
about 50 ms, long enough for a key to wait. ``retire`` hands such a structure (one that
nobody else refers to: a shard's views, an index's parsed lines) to a background thread
that takes it apart a few thousand objects at a time, a couple of seconds later (so that
any thread still reading it has finished), letting the screen's thread in between.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

DELAY = 2.0
STEP = 500

_queue: "queue.Queue[tuple[float, Any]]" = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def retire(obj: Any, apart: bool = True) -> None:
    """Free ``obj`` in the background: taken apart (dicts and lists inside dicts and lists),
    or, with ``apart=False`` (a dict others may still hold a part of), by dropping its values
    one at a time, each freed (if nobody else holds it) on its own."""
    global _worker
    if not obj:
        return
    _queue.put((time.monotonic() + DELAY, (obj, apart)))
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="zhenggai-retire", daemon=True)
            _worker.start()


def _run() -> None:
    while True:
        at, (obj, apart) = _queue.get()
        wait = at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        if apart:
            _dismantle(obj)
        else:
            while obj:
                _, v = obj.popitem()
                del v  # a table: freed here, if it was the last holder (a closed file closes here too)
                time.sleep(0.0003)
        del obj


def _dismantle(obj: Any) -> None:
    stack = [obj]
    done = 0
    while stack:
        top = stack[-1]
        if isinstance(top, dict) and top:
            _, v = top.popitem()
        elif isinstance(top, list) and top:
            v = top.pop()
        else:
            stack.pop()
            continue
        if isinstance(v, (dict, list)) and v:
            stack.append(v)
        del v
        done += 1
        if done % STEP == 0:
            time.sleep(0.0003)  # let the screen's thread in (yielding.py)
