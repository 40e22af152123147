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
4. ``DataTable._row_locations``, ``._data``, ``._new_rows``, ``._require_update_dimensions``,
   ``._update_count``, ``._highlight_cursor``: ``fill_rows`` appends many one-line rows as
   ``add_row`` does, but in one go: ``add_row`` re-validates the cursor and asks for an idle
   callback for every row (a third of the time 三联系 took to fill 130 000 rows at 10×).
5. ``DataTable.rows``, ``._data``, ``._row_locations``, ``.ordered_rows``, ``._y_offsets``,
   ``._get_row_region``, ``._get_cell_region``: ``VirtualRows.set_rows(keys, row)`` gives a
   table its rows as a list of keys and a function that makes a row's cells when it is
   drawn. DataTable keeps one Row, one dict of cells and two index entries per row and
   rebuilds lists of all of them on every change; here those are views of the key list,
   and only the rows on screen are ever made: 60 000 contacts show as fast as 60.
6. ``CommandPalette._NO_MATCHES``: the id of the "No matches found" line the palette adds
   when nothing matches; ChinesePalette says it in Chinese (Textual has no setting for it).
7. ``StylesCache.get_inner_outer``: Textual caches it with ``lru_cache(1024)`` on the
   instance method, so the cache keeps the last 1 024 widgets' StylesCaches, with every line
   they drew, alive after the widgets are gone (Textualize/textual#6665). Each form, dialog
   or toast added some; the garbage collector walked them all at every full collection,
   which grew to 100–200 ms over a session. ``stop_styles_cache_leak`` keys it by the two
   colours only.
8. The ``"__watchers"`` lists Textual keeps on a watched object (the app's ``theme``,
   ``title``, ``sub_title``): a widget that watches the app (every TextArea, the Header)
   stays in them after it is removed until that value next changes (textual#6666), and
   with it its screen's whole tree. ``drop_closed_watchers`` drops the closed ones, as
   Textual itself would at the next change.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Sequence

from rich.align import Align
from rich.text import Text
from textual import events
from textual._styles_cache import StylesCache
from textual._two_way_dict import TwoWayDict
from textual.color import Color
from textual.command import CommandList, CommandPalette
from textual.geometry import Region, Size
from textual.screen import Screen
from textual.widgets import DataTable, Tree
from textual.widgets.data_table import CellType, DuplicateKey, Row, RowKey
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


def fill_rows(table: DataTable, rows: Iterable[tuple[str, Sequence[CellType]]]) -> int:
    """Append ``rows`` of (key, cells), each one line high without a label, to ``table``, with
    the same result as calling ``add_row(*cells, key=key)`` for each; the number added."""
    keys = [c.key for c in table.ordered_columns]
    width = len(keys)
    forward = table._row_locations
    data, all_rows, new = table._data, table.rows, table._new_rows
    start = index = table.row_count
    for key, cells in rows:
        row_key = RowKey(key)
        if row_key in forward:
            raise DuplicateKey(f"The row key {row_key!r} already exists.")
        if len(cells) > width:
            raise ValueError("More values provided than there are columns.")
        forward[row_key] = index
        data[row_key] = dict(zip(keys, [*cells, *[None] * (width - len(cells))]))
        all_rows[row_key] = Row(row_key, 1, None, False)
        new.add(row_key)
        index += 1
    if index == start:
        return 0
    table._require_update_dimensions = True
    table.cursor_coordinate = table.cursor_coordinate
    if start == 0 and table.columns and table.show_cursor and table.cursor_type != "none":
        table._highlight_cursor()  # as add_row does for the first row
    table._update_count += 1
    table.check_idle()
    return index - start


class _KeyView:
    """A mapping keyed by RowKey over a list of row keys (``index``: key -> position)."""

    keys_: list[str]
    index: Callable[[], dict[str, int]]

    def __len__(self) -> int:
        return len(self.keys_)

    def __contains__(self, key: object) -> bool:
        return getattr(key, "value", key) in self.index()

    def __iter__(self) -> Iterator[RowKey]:
        return (RowKey(k) for k in self.keys_)


class _Rows(_KeyView):
    """``DataTable.rows`` (RowKey -> Row) as a view of a key list; every row one line."""

    def __init__(self, keys: list[str], index: Callable[[], dict[str, int]]) -> None:
        self.keys_, self.index = keys, index

    def keys(self) -> Iterator[RowKey]:
        return iter(self)

    def get(self, key: Any, default: Any = None) -> Row | None:
        return Row(RowKey(getattr(key, "value", key)), 1, None, False) if key in self else default

    def __getitem__(self, key: Any) -> Row:
        row = self.get(key)
        if row is None:
            raise KeyError(key)
        return row


class _Locations:
    """``DataTable._row_locations`` (RowKey <-> index) as a view of a key list."""

    def __init__(self, keys: list[str], index: Callable[[], dict[str, int]]) -> None:
        self.keys_, self.index = keys, index

    def __contains__(self, key: object) -> bool:
        return getattr(key, "value", key) in self.index()

    def __iter__(self) -> Iterator[RowKey]:
        return (RowKey(k) for k in self.keys_)

    def get(self, key: Any) -> int | None:
        return self.index().get(getattr(key, "value", key))

    def get_key(self, index: int) -> RowKey | None:
        return RowKey(self.keys_[index]) if 0 <= index < len(self.keys_) else None


class _Cells(_KeyView):
    """``DataTable._data`` (RowKey -> {column key: cell}): each row made by the table's row
    function when first drawn, the last few hundred kept."""

    KEEP = 512

    def __init__(self, keys: list[str], index: Callable[[], dict[str, int]], row: Callable[[str], Sequence[CellType]],
                 columns: Callable[[], list[Any]]) -> None:
        self.keys_, self.index, self.row, self.columns = keys, index, row, columns
        self.made: OrderedDict[str, dict[Any, CellType]] = OrderedDict()

    def get(self, key: Any, default: Any = None) -> dict[Any, CellType] | None:
        k = getattr(key, "value", key)
        got = self.made.get(k)
        if got is not None:
            self.made.move_to_end(k)
            return got
        if k not in self.index():
            return default
        keys = self.columns()
        cells = list(self.row(k))
        got = self.made[k] = dict(zip(keys, cells + [None] * (len(keys) - len(cells))))
        if len(self.made) > self.KEEP:
            self.made.popitem(last=False)
        return got

    def __getitem__(self, key: Any) -> dict[Any, CellType]:
        got = self.get(key)
        if got is None:
            raise KeyError(key)
        return got

    def items(self) -> Iterator[tuple[RowKey, dict[Any, CellType]]]:
        return ((RowKey(k), self[k]) for k in self.keys_)


class _Lines(Sequence[Any]):
    """``DataTable.ordered_rows`` / ``._y_offsets`` over a key list: made when looked at."""

    def __init__(self, keys: Sequence[str], make: Callable[[str], Any]) -> None:
        self.keys_, self.make = keys, make

    def __len__(self) -> int:
        return len(self.keys_)

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return _Lines(self.keys_[i], self.make)
        return self.make(self.keys_[i])

    def __iter__(self) -> Iterator[Any]:
        return (self.make(k) for k in self.keys_)

    def clear(self) -> None:
        pass


class VirtualRows(DataTable):
    """A DataTable that can take its rows as a list of keys and a function that makes one
    row's cells (``set_rows``): nothing is made for a row until it is on screen. Every row
    is one line. Anything else that changes rows (add_row, sort, update_cell, remove_row,
    add_column) first makes every row, then works as DataTable does."""

    _virtual: list[str] | None = None

    def set_rows(self, keys: Sequence[str], row: Callable[[str], Sequence[CellType]],
                 positions: dict[str, int] | None = None) -> None:
        """Show these rows, in this order, replacing any there were (the cursor stays at its
        place, as after ``clear()`` and ``add_row`` for each). ``positions``: key -> index
        of ``keys``, when the caller worked it out already (in a thread: 60 000 keys)."""
        keys = list(keys)
        index: dict[str, int] = positions if positions is not None and len(positions) == len(keys) else {}

        def positions() -> dict[str, int]:
            if len(index) != len(keys):
                index.clear()
                index.update(zip(keys, range(len(keys))))
                if len(index) != len(keys):
                    raise DuplicateKey("A row key is there twice.")
            return index

        was = self.row_count
        self._virtual = keys
        self.rows = _Rows(keys, positions)  # type: ignore[assignment]
        self._data = _Cells(keys, positions, row, lambda: [c.key for c in self.ordered_columns])  # type: ignore[assignment]
        self._row_locations = _Locations(keys, positions)  # type: ignore[assignment]
        self._new_rows = set()
        self._clear_caches()
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate  # kept within the rows there are now
        if was == 0 and keys and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.refresh()
        self.check_idle()

    def _make_real(self) -> None:
        """Turn the key list into DataTable's own rows (for the operations that need them)."""
        keys, cells = self._virtual, self._data
        if keys is None:
            return
        self._virtual = None
        self.rows, self._data, self._row_locations = {}, {}, TwoWayDict({})  # type: ignore[assignment]
        self._clear_caches()
        fill_rows(self, ((k, [cells[k][c.key] for c in self.ordered_columns]) for k in keys))

    @property
    def ordered_rows(self) -> list[Row]:  # type: ignore[override]
        if self._virtual is None:
            return super().ordered_rows
        return _Lines(self._virtual, lambda k: Row(RowKey(k), 1, None, False))  # type: ignore[return-value]

    @property
    def _y_offsets(self) -> list[tuple[RowKey, int]]:  # type: ignore[override]
        if self._virtual is None:
            return super()._y_offsets
        return _Lines(self._virtual, lambda k: (RowKey(k), 0))  # type: ignore[return-value]

    def _get_row_region(self, row_index: int) -> Region:
        if self._virtual is None or not self.is_valid_row_index(row_index):
            return super()._get_row_region(row_index)
        width = sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
        return Region(0, row_index + (self.header_height if self.show_header else 0), max(self.size.width, width), 1)

    def _get_cell_region(self, coordinate: Any) -> Region:
        if self._virtual is None or not self.is_valid_coordinate(coordinate):
            return super()._get_cell_region(coordinate)
        row = self._get_row_region(coordinate.row)
        x = sum(c.get_render_width(self) for c in self.ordered_columns[:coordinate.column]) + self._row_label_column_width
        return Region(x, row.y, self.ordered_columns[coordinate.column].get_render_width(self), 1)

    def clear(self, columns: bool = False) -> Any:
        if self._virtual is not None:
            self._virtual = None
            self.rows, self._data, self._row_locations = {}, {}, TwoWayDict({})  # type: ignore[assignment]
        return super().clear(columns)

    def add_row(self, *cells: CellType, **kw: Any) -> RowKey:
        self._make_real()
        return super().add_row(*cells, **kw)

    def add_column(self, *args: Any, **kw: Any) -> Any:
        self._make_real()
        return super().add_column(*args, **kw)

    def update_cell(self, *args: Any, **kw: Any) -> None:
        self._make_real()
        super().update_cell(*args, **kw)

    def remove_row(self, row_key: Any) -> None:
        self._make_real()
        super().remove_row(row_key)

    def sort(self, *args: Any, **kw: Any) -> Any:
        self._make_real()
        return super().sort(*args, **kw)


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


def stop_styles_cache_leak() -> None:
    """Cache ``StylesCache.get_inner_outer`` by its two colours only (7. above), computed by
    Textual's own body of it; idempotent."""
    current = StylesCache.get_inner_outer
    if getattr(current, "_by_colour", False):
        return
    body = current.__wrapped__  # (cls, base_background, background): ``cls`` is unused
    by_colour = lru_cache(1024)(lambda base_background, background: body(None, base_background, background))

    def get_inner_outer(self: StylesCache, base_background: Color, background: Color) -> tuple[Any, Any]:
        return by_colour(base_background, background)

    get_inner_outer._by_colour = True  # type: ignore[attr-defined]
    get_inner_outer.__wrapped__ = body  # type: ignore[attr-defined]
    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign,assignment]


def drop_closed_watchers(*watched: Any) -> int:
    """Drop the watchers of closed widgets from what ``watched`` (the app, a screen) keeps
    (8. above): how many were dropped."""
    dropped = 0
    for obj in watched:
        for watchers in getattr(obj, "__watchers", {}).values():
            alive = [(node, callback) for node, callback in watchers if not (node._closing or node._closed)]
            dropped += len(watchers) - len(alive)
            watchers[:] = alive
    return dropped
