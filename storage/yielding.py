"""Background work that leaves the screen's thread the interpreter when it wants it.

Only one thread runs Python at a time. A thread that parses a file while the screen's
thread waits for keys takes the interpreter back each time the screen's thread lets it go
(to wait for input, to write to the terminal), and the screen's thread then waits up to the
switch interval (5 ms) to get it again, many times per frame: a tab that takes 60 ms alone
took over 400 ms beside a parse at 10×. So long loops call ``pause()`` every so often: off
the main thread it sleeps a fraction of a millisecond, during which the screen's thread
runs at once; on the main thread it does nothing.
"""

from __future__ import annotations

import gc
import threading
import time

EVERY = 128  # calls between pauses: about half a millisecond of parsing
SLEEP = 0.0003


class Pacer:
    """``tick()`` in a loop: pauses every EVERY calls when not on the main thread."""

    __slots__ = ("n", "active")

    def __init__(self) -> None:
        self.n = 0
        self.active = threading.current_thread() is not threading.main_thread()

    def tick(self) -> None:
        if self.active:
            self.n += 1
            if self.n >= EVERY:
                self.n = 0
                time.sleep(SLEEP)


def settle_young() -> None:
    """Have the collector look at what was just made, now (call it after each big tuple).

    A new tuple is tracked by the garbage collector until the next young collection has
    looked at every item in it once; a tuple of strings and numbers then stops being
    tracked. Regrouping 500 000 contacts makes a hundred tuples of tens of thousands of
    items in one loop, with too few other objects between them to start a collection: the
    one that came next walked them all at once, holding the interpreter for 65 ms at 10×
    (in whichever thread it ran, so the screen's thread waited). Collected after each, the
    same work comes in steps of a few milliseconds, with a pause between them off the main
    thread."""
    gc.collect(0)
    if threading.current_thread() is not threading.main_thread():
        time.sleep(SLEEP)
