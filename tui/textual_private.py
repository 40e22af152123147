"""Every use of Textual's private API, in one place, each with a test (tests/test_textual_private.py).

pyproject pins Textual within 8.2. An upgrade that renames or changes any of these fails
its test at once, and this file says what each is for, so that it can be replaced or
dropped. Nothing else in tui/ touches a name of Textual's that starts with an underscore
(tests may, to look at what the app draws).

1. ``Screen._push_result_callback``: the app's first screen is its default screen, and
   that one must hold a result callback like a pushed screen to be switched away from.
2. ``Tree._line_cache`` and ``Tree._on_resize``: on its first size the sidebar keeps the
   lines it has just drawn instead of dropping them (a frame less at start-up).
3. ``DataTable._update_dimensions``, ``._row_label_column_width``, ``._total_row_height``:
   a table whose columns all have fixed widths skips DataTable's cell-by-cell measuring
   (seconds for the 5 000 links of a big database).
4. ``CommandPalette._NO_MATCHES``: the id of the "No matches found" line the palette adds
   when nothing matches; ChinesePalette says it in Chinese (Textual has no setting for it).
"""

from __future__ import annotations

from typing import Iterable

from rich.align import Align
from rich.text import Text
from textual import events
from textual.command import CommandList, CommandPalette
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import DataTable, Tree
from textual.widgets.data_table import RowKey
from textual.widgets.option_list import Option

NO_MATCHES = "没有找到匹配的命令、事项或人员"


def make_switchable(screen: Screen) -> None:
    """What App.switch_screen does for the screen it switches to, done for a default
    screen (App.get_default_screen), so that it can in turn be switched away from."""
    screen._push_result_callback(screen, None)


class FirstSizeTree(Tree):
    """A Tree that, on its first size, keeps the lines it has just drawn.

    The layout that gave the tree its first size has just painted it at that size (the
    line cache is keyed by width): Tree would drop every cached line and lay the whole
    screen out again. Later sizes go to Tree as usual."""

    _sized = False

    def _on_resize(self, event: events.Resize) -> None:
        if not self._sized:
            self._sized = True
            self._line_cache.grow(event.size.height)
            event.prevent_default()  # Tree._on_resize (drops the cache) runs for later sizes


class FixedWidthTable(DataTable):
    """A DataTable that, when every column has a fixed width and every new row one line,
    works out its virtual size without measuring each cell (DataTable renders every cell of
    every new row to measure it)."""

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        new_rows = list(new_rows)
        if any(c.auto_width for c in self.columns.values()) or any(
            r.auto_height or r.label is not None for r in (self.rows.get(k) for k in new_rows) if r is not None
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + (self.header_height if self.show_header else 0))


class ChinesePalette(CommandPalette):
    """The command palette, its "No matches found" line in Chinese."""

    def on_mount(self) -> None:
        results = self.query_one(CommandList)
        add_option = results.add_option

        def add_option_in_chinese(option=None):  # type: ignore[no-untyped-def]
            if isinstance(option, Option) and option.id == self._NO_MATCHES:
                option = Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=option.id)
            return add_option(option)

        results.add_option = add_option_in_chinese  # type: ignore[method-assign]
