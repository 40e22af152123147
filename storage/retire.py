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
import sys
import time
from typing import Any

from .lines import LazyTable

DELAY = 2.0
STEP = 500

_queue: "queue.Queue[tuple[float, Any]]" = queue.Queue()
_worker: threading.Thread | None = None
_lock = threading.Lock()


def retire(obj: Any) -> None:
    """Free ``obj`` (a dict or list that only the caller held) in the background, a few
    thousand entries at a time. Whatever inside it someone else still holds (a table a
    caller may still read) is let go untouched; a part that nobody else holds is
    taken apart the same way: at 10× a table's light rows or a LazyTable's key map is a
    dict of 500 000 entries, and freeing it in one go held the interpreter for tens of ms."""
    global _worker
    if not obj:
        return
    _queue.put((time.monotonic() + DELAY, obj))
    with _lock:
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="zhenggai-retire", daemon=True)
            _worker.start()


def _run() -> None:
    while True:
        at, obj = _queue.get()
        wait = at - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        _dismantle(obj)
        del obj


def _only_ours(v: Any) -> Any:
    """``v`` if this thread holds the only reference to it (the caller's variable and the
    argument: 3 with getrefcount's own), else None. A LazyTable only we hold gives its key
    map, which then only we hold."""
    if sys.getrefcount(v) > 3:
        return None
    if isinstance(v, (dict, list)):
        return v if v else None
    lay = getattr(v, "layout", None) if isinstance(v, LazyTable) else None
    if lay is not None and sys.getrefcount(lay) <= 3:  # the table's slot, ``lay``, the argument
        keys, lay.keys = lay.keys, {}
        return keys if sys.getrefcount(keys) <= 2 and keys else None  # ``keys``, the argument
    return None


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
        if not isinstance(v, (str, int, float, bytes, tuple)) and v is not None:
            part = _only_ours(v)
            if part is not None:
                stack.append(part)
            del part
        del v  # freed here if nobody else holds it (a closed LazyTable's file closes here too)
        done += 1
        if done % STEP == 0:
            time.sleep(0.0003)  # let the screen's thread in (yielding.py)
