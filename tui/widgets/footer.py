"""Textual's Footer, composed once with the screen and rebuilt only when the keys it shows change.

The stock Footer mounts empty, then rebuilds all its keys after every focus change
(``bindings_updated``), even when the visible keys stay the same: at start-up that is a
second mount of a dozen widgets and an extra frame before the workspace settles.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """Shows the same keys as :class:`Footer`; recomposes only when they differ."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        # The screen's bindings are known when the footer is composed (no focus yet means
        # screen + app bindings, the same keys the footer shows once a pane has focus).
        self.set_reactive(Footer._bindings_ready, True)
        self._shown: tuple | None = None

    def _keys_shown(self) -> tuple:
        """What the footer would display: changes here (and only here) need a recompose."""
        bindings = self.screen.active_bindings
        keys = tuple(
            (b.key, b.action, b.description, b.group, enabled, tooltip)
            for (_, b, enabled, tooltip) in bindings.values()
            if b.show
        )
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return keys, (palette[2], palette[3]) if palette else None

    def compose(self) -> ComposeResult:
        self._shown = self._keys_shown()
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                # FooterKey.compact starts True and its watcher adds this class after mount,
                # which re-styles each key once more: set it up front.
                widget.add_class("-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and self._keys_shown() == self._shown:
            return
        super().bindings_changed(screen)
