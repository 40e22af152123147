"""The key bar of the workspace, forms and dialogs: Textual's compact Footer, drawn by one widget.

Textual's Footer is a container of one FooterKey widget per key (a dozen here), each
with its own styles, reactives and message queue: at start-up they cost about as
much as the rest of the workspace's widgets. This draws the same line (the same keys,
colours and places, the command-palette key at the right edge), shows the same
tooltips, highlights the key under the mouse and presses it on a click, and redraws
when the screen's keys change (focus moves, actions enabled or disabled).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget


DIM = Style(dim=True)

# Textual's own widgets describe the keys they show in English; the key bar says it in Chinese
# (a description not listed here and not Chinese is left out rather than shown in English).
TEXTUAL_DESCRIPTIONS = {
    "Dismiss menu": "关闭列表",  # Select's open list
    "Exit the command palette": "关闭命令面板",
    "Go to bottom": "到最后",
    "Go to top": "到最前",
}


def chinese_description(description: str) -> str | None:
    """The key's description in Chinese, or None to leave the key out of the bar."""
    if description in TEXTUAL_DESCRIPTIONS:
        return TEXTUAL_DESCRIPTIONS[description]
    if not description or any(ch.isascii() and ch.isalpha() for ch in description):
        return None if description else ""
    return description


class FooterItem(NamedTuple):
    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    pinned: bool = False  # the app's own keys (帮助, 退出): kept when the line is too narrow


class KeysFooter(Widget, can_focus=False):
    """``KeysFooter()``: the keys of the current screen, like ``Footer(compact=True)``."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
        "footer-key--separator",
    }
    # The colours of Footer and FooterKey (compact): key, description, hover, and the
    # palette key's left border (vkey $foreground 20%). FooterKey's own background is
    # transparent in Textual's themes: the keys sit on the footer's background.
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover { color: $footer-key-foreground; background: $block-hover-background; }
        .footer-key--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._items: list[FooterItem] = []
        self._palette: FooterItem | None = None
        self._spans: list[tuple[int, int, FooterItem]] = []  # x range -> item, as last drawn
        self._hover: FooterItem | None = None

    # ------------------------------------------------------------ which keys

    def _collect(self) -> tuple[list[FooterItem], FooterItem | None]:
        """The keys Footer would show: one per action; the screen's and the app's first, then
        those of the focused widget and its containers (Footer puts these first): the keys that
        are always there (保存, 取消) keep their place and are the last to be cut on a
        narrow terminal."""
        app = self.app
        bindings = self.screen.active_bindings
        items: list[FooterItem] = []
        seen: set[str] = set()
        ordered = sorted(bindings.values(), key=lambda active: not isinstance(active.node, (Screen, App)))
        for node, binding, enabled, tooltip in ordered:
            description = chinese_description(binding.description)
            if not binding.show or binding.action in seen or description is None:
                continue
            seen.add(binding.action)
            items.append(FooterItem(binding.key, app.get_key_display(binding), description, enabled, tooltip,
                                    pinned=isinstance(node, App)))
        if self.screen.is_modal and "help" not in seen and "app.help" not in seen:
            # Forms and dialogs: F1 works there too (a priority key of the app), last in the bar.
            for binding in type(app).BINDINGS:
                if isinstance(binding, Binding) and binding.action == "help" and binding.show:
                    items.append(FooterItem(binding.key, app.get_key_display(binding), binding.description, True,
                                            binding.tooltip))
        palette = None
        if app.ENABLE_COMMAND_PALETTE:
            found = bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                palette = FooterItem(binding.key, app.get_key_display(binding), binding.description, enabled,
                                     binding.tooltip or binding.description)
        return items, palette

    def on_mount(self) -> None:
        self._items, self._palette = self._collect()
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        items, palette = self._collect()
        if (items, palette) != (self._items, self._palette):
            self._items, self._palette = items, palette
            self.refresh()

    # ------------------------------------------------------------ drawing

    def _item_segments(self, item: FooterItem) -> list[Segment]:
        key = self.get_component_rich_style("footer-key--key")
        description = self.get_component_rich_style("footer-key--description")
        if not item.enabled:  # FooterKey.-disabled: dim
            key, description = key + DIM, description + DIM
        elif item is self._hover:  # FooterKey:hover: the hover background under the key
            over = Style(bgcolor=(self.styles.background + self.get_component_styles("footer-key--hover").background).rich_color)
            key, description = key + over, description + over
        out = [Segment(item.key_display, key)]
        if item.description:
            out.append(Segment(f" {item.description}", description))
        return out

    def _fitting(self, width: int) -> list[FooterItem]:
        """The items that fit in ``width`` cells (the palette key aside): all of them, or the
        screen's first ones that fit beside the app's own keys (帮助, 退出), whole items only."""
        lengths = {item: sum(seg.cell_length for seg in self._item_segments(item)) + 1 for item in self._items}
        if sum(lengths.values()) <= width:
            return self._items
        room = width - sum(lengths[item] for item in self._items if item.pinned)
        shown: list[FooterItem] = []
        for item in self._items:
            if item.pinned:
                shown.append(item)
            elif lengths[item] <= room:
                shown.append(item)
                room -= lengths[item]
            else:
                room = 0  # keep the order: nothing after a key that did not fit
        return shown

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        background = self.styles.background
        gap = Segment(" ", Style(bgcolor=background.rich_color))
        segments: list[Segment] = []
        spans: list[tuple[int, int, FooterItem]] = []
        x = 0
        palette_width = 0  # "▏^p 命令" and the space after it; the last key's space goes under "▏"
        if self._palette is not None:
            palette_width = 1 + sum(seg.cell_length for seg in self._item_segments(self._palette))
        for item in self._fitting(width - palette_width):  # from the left, one space apart
            item_segments = self._item_segments(item)
            length = sum(seg.cell_length for seg in item_segments)
            spans.append((x, x + length, item))
            segments.extend(item_segments)
            segments.append(gap)
            x += length + 1
        line = Strip(segments)
        if self._palette is not None:  # at the right edge, a space in from it, over what it covers
            separator = self.get_component_styles("footer-key--separator").color
            right = [Segment("▏", Style(color=(background + separator).rich_color, bgcolor=background.rich_color)),
                     *self._item_segments(self._palette)]
            length = sum(seg.cell_length for seg in right)
            start = max(0, width - 1 - length)
            line = Strip.join([line.crop_extend(0, start, gap.style), Strip([*right, gap])])
            spans = [(a, min(b, start), it) for a, b, it in spans if a < start]
            spans.append((start + 1, start + length, self._palette))
        self._spans = spans
        return line.crop_extend(0, width, gap.style)

    def get_content_width(self, container, viewport) -> int:
        return container.width

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1

    # ------------------------------------------------------------ mouse

    def _item_at(self, x: int) -> FooterItem | None:
        for start, end, item in self._spans:
            if start <= x < end:
                return item
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event.x)
        if item is not self._hover:
            self._hover = item
            self.tooltip = (item.tooltip or None) if item else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()
