"""Keys of a burst are handled one at a time, each where the keys before it left the focus.

Over a slow SSH link (or when an IME commits a phrase) one read of the terminal returns
several keys. Textual routes every key to the widget focused at the moment the app reads
it, all of them straight away. A widget types a printable key itself, at once; a bound key
(Backspace, Delete, the arrows, Ctrl+U/K, Enter, Tab) instead travels back up to the app
and runs its binding only when it gets there: after the keys read behind it have been
routed and typed, and against whatever has focus by then. In one burst "X Backspace Y"
so loses Y instead of X, "Backspace Tab" (Tab moving focus at once as a priority binding)
deletes from the *next* field, and keys typed after Enter in a list entry land in the
entry Enter just left.

:class:`KeyOrder` keeps the keys the app reads in a queue of its own and routes the next
one only when the one before has been handled: typed by the widget it went to, or its
binding run; and after what that binding asked the app to do next (a widget's ``focus()``
is such a request). So each key lands where the focus is after every key before it, in
the order typed, whatever its kind. A paste is a key like any other here.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message

log = logging.getLogger(__name__)

# A key that is neither typed nor back at the app by then (its widget was removed while
# the key was on its way up) no longer holds up the keys behind it.
STUCK_SECONDS = 2.0

Routed = events.Key | events.Paste


class KeyHandled(Message):
    """Sent up the same way as the key it follows: when it reaches the app, the key has been
    typed (stopped) by some widget below, or has reached the app before it."""

    def __init__(self, key: Routed) -> None:
        super().__init__()
        self.key = key


class KeyOrder(App):
    """Mixed into the app (``class MyApp(KeyOrder, App)``): see the module docstring."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._key_backlog: deque[Routed] = deque()
        self._key_in_flight: Routed | None = None
        self._key_drain_due = False
        self._key_timer: asyncio.TimerHandle | None = None

    @property
    def keys_pending(self) -> int:
        """Keys read but not yet handled (for tests and the curious)."""
        return len(self._key_backlog) + (self._key_in_flight is not None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._key_backlog.append(event)  # as read from the terminal
            self._drain_later()
            return
        if event is self._key_in_flight:  # back up from its widget: its binding runs now
            try:
                await super().on_event(event)
            finally:
                self._key_done(event)
            return
        await super().on_event(event)

    def on_key_handled(self, message: KeyHandled) -> None:
        self._key_done(message.key)

    def _drain_later(self) -> None:
        """Route the next key after whatever is queued on the app by now (a focus change
        asked for by the key before runs first)."""
        if self._key_in_flight is None and not self._key_drain_due and self._key_backlog:
            self._key_drain_due = True
            self.call_later(self._route_next_key)

    async def _route_next_key(self) -> None:
        self._key_drain_due = False
        if self._key_in_flight is not None or not self._key_backlog:
            return
        event = self._key_backlog.popleft()
        await super().on_event(event)  # Textual's routing: a priority binding, or to the focus
        if not event.is_forwarded:  # a priority binding took it (and has run)
            self._drain_later()
            return
        # Textual has just forwarded it (nothing awaited since) to:
        target = self.focused or self.screen
        self._key_in_flight = event
        if not target.post_message(KeyHandled(event)):
            self._key_done(event)
            return
        self._key_timer = asyncio.get_running_loop().call_later(STUCK_SECONDS, self._key_stuck, event)

    def _key_done(self, event: Routed) -> None:
        if event is not self._key_in_flight:
            return  # an earlier key, already given up on
        self._key_in_flight = None
        if self._key_timer is not None:
            self._key_timer.cancel()
            self._key_timer = None
        self._drain_later()

    def _key_stuck(self, event: Routed) -> None:
        if event is self._key_in_flight:
            log.warning("key %r not handled after %ss; routing the next one", event, STUCK_SECONDS)
            self._key_timer = None
            self._key_done(event)
