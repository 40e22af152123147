"""The workspace's title line: Textual's Header, drawn by one widget.

Textual's Header is four widgets (the bar, its icon, its title, the clock's space), and
each widget costs the first frame its styles, reactives and message queue. This draws
the same line: the icon (hover, tooltip, a click opens the command palette), the app's
or screen's title and sub-title centred as App.format_title makes them, and a click
elsewhere toggles the tall (three-line) header, as Header does.
"""

from __future__ import annotations

from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget

ICON = "⭘"
ICON_WIDTH = 8  # HeaderIcon: width 8, padding 0 1
CLOCK_SPACE = 10  # HeaderClockSpace: width 10
NOT_REVERSE = Style(reverse=False)
DIM = Style(dim=True)


class TitleBar(Widget, can_focus=False):
    """``TitleBar()``: like ``Header()`` (no clock)."""

    COMPONENT_CLASSES = {"title-bar--icon-hover"}
    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        background: $panel;
        color: $foreground;
        height: 1;
        .title-bar--icon-hover { background: $foreground 10%; }
    }
    TitleBar.-tall { height: 3; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self._icon_hover = False

    def on_mount(self) -> None:
        for obj in (self.app, self.screen):
            self.watch(obj, "title", self._title_changed, init=False)
            self.watch(obj, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def title_parts(self) -> list[tuple[str, bool]]:
        """App.format_title's parts: (text, dim) for the title and " — sub-title" (the
        screen's own title first, as Header shows it)."""
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        parts = [(title, False)]
        if sub_title:
            parts += [(" — ", True), (sub_title, True)]
        return parts

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        blank = Style(bgcolor=base.bgcolor)
        if y != self.size.height // 2:
            return Strip([Segment(" " * width, blank)], width)
        # The styles (down to the "not reverse" of the padding and the text offsets that
        # Textual's text selection reads) are those Header's widgets produce, so that
        # screenshots of the two are the same to the byte.
        at_start = Style.from_meta({"offset": (0, 0)})
        pad = base + NOT_REVERSE
        icon = base
        if self._icon_hover:
            icon = base + self.get_component_rich_style("title-bar--icon-hover")
            pad = icon + NOT_REVERSE
        segments = [Segment(" ", blank), Segment(ICON, icon + at_start), Segment(" " * (ICON_WIDTH - 3), pad),
                    Segment(" ", blank)]
        pad = base + NOT_REVERSE
        room = max(0, width - ICON_WIDTH - CLOCK_SPACE)
        title: list[Segment] = []
        offset = 0
        for text, dim in self.title_parts():
            style = base + DIM if dim else base
            title.append(Segment(text, style + Style.from_meta({"offset": (offset, 0)})))
            offset += len(text)
        length = sum(seg.cell_length for seg in title)
        if length > room:  # HeaderTitle: text-overflow ellipsis
            text = Text(style=base, end="")
            for seg in title:
                text.append(seg.text, seg.style)
            text.truncate(room, overflow="ellipsis")
            title = list(text.render(self.app.console))
            length = text.cell_len
        left = (room - length) // 2
        segments.append(Segment(" " * left, pad))
        segments.extend(title)
        segments.append(Segment(" " * (room - length - left), pad))
        # The clock's space as HeaderClockSpace draws it: padding, empty content, padding.
        segments += [Segment(" ", blank), Segment("", base + at_start), Segment(" " * (CLOCK_SPACE - 2), blank),
                     Segment(" ", blank)]
        return Strip(segments).crop_extend(0, width, blank)

    # ------------------------------------------------------------ mouse

    def on_mouse_move(self, event: events.MouseMove) -> None:
        over = event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE
        if over != self._icon_hover:
            self._icon_hover = over
            self.tooltip = "Open the command palette" if over else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._icon_hover:
            self._icon_hover = False
            self.tooltip = None
            self.refresh()

    async def on_click(self, event: events.Click) -> None:
        event.stop()
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            await self.run_action("app.command_palette")
        else:
            self.toggle_class("-tall")
