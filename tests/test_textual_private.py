"""One test for each use of Textual's private API (tui/textual_private.py): after a Textual
upgrade, a failure here names the use that broke."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static, Tree
from textual.widgets._data_table import DuplicateKey  # (what add_row raises for a key twice)

from tests.tui_helpers import wait_until
from tui.textual_private import FirstSizeTree, FixedWidthTable, make_switchable


class _First(Screen):
    def compose(self) -> ComposeResult:
        yield Static("first")


class _Second(Screen):
    def compose(self) -> ComposeResult:
        yield Static("second")


class _DefaultScreenApp(App[None]):
    def get_default_screen(self) -> Screen:
        screen = _First()
        make_switchable(screen)  # Screen._push_result_callback
        return screen


async def test_a_default_screen_made_switchable_can_be_switched_away_from():
    app = _DefaultScreenApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.switch_screen(_Second())
        await pilot.pause()
        assert isinstance(app.screen, _Second)
        await app.switch_screen(_First())  # and back: the one switched to holds a callback too
        await pilot.pause()
        assert isinstance(app.screen, _First)


def _tree_app(tree_class):
    class Counted(tree_class):
        lines_drawn = 0

        def render_line(self, y):
            type(self).lines_drawn += 1
            return super().render_line(y)

    class TreeApp(App[None]):
        def compose(self) -> ComposeResult:
            tree = Counted("root")
            for n in range(30):
                tree.root.add_leaf(f"leaf {n}")
            tree.root.expand()
            yield tree

    return TreeApp(), Counted


async def test_the_tree_keeps_the_lines_of_its_first_frame():
    # Tree._on_resize drops Tree._line_cache and lays the screen out again on the first
    # Resize, drawing every line twice; FirstSizeTree draws each once.
    drawn = {}
    for tree_class in (FirstSizeTree, Tree):
        app, counted = _tree_app(tree_class)
        async with app.run_test(size=(40, 20)) as pilot:
            await pilot.pause()
            await pilot.pause()
            tree = app.query_one(counted)
            drawn[tree_class] = counted.lines_drawn
            height = tree.size.height
            assert tree._line_cache.maxsize >= height  # Tree._line_cache: an LRUCache of drawn lines
    assert drawn[FirstSizeTree] == height
    assert drawn[Tree] > height  # (else the workaround is no longer needed)


class _Tables(App[None]):
    def compose(self) -> ComposeResult:
        yield FixedWidthTable(id="fixed")
        yield DataTable(id="plain")


async def test_a_fixed_width_table_measures_as_datatable_does():
    app = _Tables()
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        for table in app.query(DataTable):
            table.add_column("姓名", width=10)
            table.add_column("单位职务", width=24)
            for n in range(200):
                table.add_row(f"委员{n}", "政协某委员会副主任" * (n % 3))
        await pilot.pause()
        await pilot.pause()
        fixed, plain = app.query_one("#fixed", DataTable), app.query_one("#plain", DataTable)
        assert fixed.virtual_size == plain.virtual_size  # DataTable._update_dimensions and friends
        assert fixed.virtual_size.height == 201


async def test_fill_rows_gives_the_table_add_row_gives():
    from tui.textual_private import fill_rows

    app = _Tables()
    rows = [(f"k{n}", (f"委员{n}", "政协某委员会副主任" * (n % 3))) for n in range(300)]
    async with app.run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        fixed, plain = app.query_one("#fixed", DataTable), app.query_one("#plain", DataTable)
        for table in (fixed, plain):
            table.add_column("姓名", width=10)
            table.add_column("单位职务", width=24)
        assert fill_rows(fixed, rows) == 300
        for key, cells in rows:
            plain.add_row(*cells, key=key)
        assert fill_rows(fixed, []) == 0
        await pilot.pause()
        await pilot.pause()
        assert fixed.row_count == plain.row_count == 300
        assert [fixed.get_row_at(n) for n in (0, 150, 299)] == [plain.get_row_at(n) for n in (0, 150, 299)]
        assert fixed.get_row_index("k42") == plain.get_row_index("k42") == 42
        assert fixed.virtual_size == plain.virtual_size
        assert fixed.cursor_coordinate == plain.cursor_coordinate
        fixed.move_cursor(row=200)
        await pilot.pause()
        assert fixed.coordinate_to_cell_key(fixed.cursor_coordinate).row_key.value == "k200"
        with pytest.raises(DuplicateKey):
            fill_rows(fixed, [("k1", ("重复",))])  # a key twice, as add_row refuses it


class _Virtual(App[None]):
    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        from tui.textual_private import VirtualRows

        class Virtual(VirtualRows, FixedWidthTable):
            pass

        with Horizontal():
            yield Virtual(id="virtual", cursor_type="row", zebra_stripes=True)
            yield FixedWidthTable(id="plain", cursor_type="row", zebra_stripes=True)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.seen.append((event.data_table.id, event.cursor_row, event.row_key.value))

    seen: list = []


def _lines(table: DataTable) -> list[str]:
    return ["".join(seg.text for seg in table.render_line(y)) for y in range(table.size.height)]


async def test_virtual_rows_show_and_move_as_added_rows_do():
    """set_rows(keys, row) against add_row for each: the same lines drawn, the same cursor
    moves and messages, the same answers to get_row / get_row_index / rows; only the rows
    on screen are ever made."""
    app = _Virtual()
    app.seen = []
    made: list[str] = []
    rows = {f"k{n}": (f"委员{n}", "政协某委员会副主任" * (n % 3), str(n)) for n in range(5000)}

    def row(key: str) -> tuple:
        made.append(key)
        return rows[key]

    async with app.run_test(size=(100, 20)) as pilot:
        virtual, plain = app.query_one("#virtual", DataTable), app.query_one("#plain", DataTable)
        for table in (virtual, plain):
            table.add_column("姓名", width=10, key="name")
            table.add_column("单位职务", width=24, key="title")
            table.add_column("序", width=5, key="n")
        virtual.set_rows(list(rows), row)
        for key, cells in rows.items():
            plain.add_row(*cells, key=key)
        await pilot.pause()
        await pilot.pause()
        assert virtual.row_count == plain.row_count == 5000
        assert virtual.virtual_size == plain.virtual_size
        assert _lines(virtual) == _lines(plain) and "委员3" in "".join(_lines(virtual))
        assert len(made) < 60  # only what is on screen
        for keys in (["down"] * 3, ["pagedown"], ["end"], ["pageup"], ["home"], ["up"]):
            for table in (virtual, plain):
                table.focus()
                await pilot.press(*keys)
                await pilot.pause()
            assert virtual.cursor_row == plain.cursor_row, keys
            assert virtual.scroll_y == plain.scroll_y, keys
            assert _lines(virtual) == _lines(plain), keys
        assert [s[1:] for s in app.seen if s[0] == "virtual"] == [s[1:] for s in app.seen if s[0] == "plain"]
        assert len(app.seen) > 10
        assert virtual.get_row("k4321") == plain.get_row("k4321") == list(rows["k4321"])
        assert virtual.get_row_index("k4321") == 4321 and virtual.get_row_at(7) == list(rows["k7"])
        assert "k10" in virtual.rows and "x" not in virtual.rows
        assert virtual.coordinate_to_cell_key(virtual.cursor_coordinate).row_key.value == \
            plain.coordinate_to_cell_key(plain.cursor_coordinate).row_key.value
        assert len(made) < 400
        # Fewer rows: the cursor stays within them, as after clear() and add_row.
        virtual.move_cursor(row=4000)
        virtual.set_rows(["k1", "k2"], row)
        await pilot.pause()
        assert virtual.row_count == 2 and virtual.cursor_row == 1
        # Anything else that changes rows makes them real first, then works as DataTable.
        virtual.add_row("新增", "", "", key="new")
        assert virtual.row_count == 3 and virtual.get_row_at(2)[0] == "新增" and virtual.get_row("k2") == list(rows["k2"])
        virtual.clear()
        virtual.set_rows([], row)
        assert virtual.row_count == 0
        with pytest.raises(DuplicateKey):
            virtual.set_rows(["a", "a"], row)
            virtual.get_row_index("a")


async def test_the_palette_says_no_matches_in_chinese():
    """CommandPalette._NO_MATCHES: the id of the line added when nothing matches."""
    from textual.command import CommandList, CommandPalette

    from tui.textual_private import NO_MATCHES, ChinesePalette

    assert isinstance(CommandPalette._NO_MATCHES, str)

    class _App(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("x")

    app = _App()
    async with app.run_test() as pilot:
        app.push_screen(ChinesePalette(placeholder="输入"))
        await pilot.pause()
        await pilot.press(*"qqzzxx")
        results = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: results.option_count)
        option = results.get_option_at_index(0)
        assert option.id == CommandPalette._NO_MATCHES and NO_MATCHES in str(option.prompt.renderable)


def test_inner_outer_colours_are_cached_without_holding_the_styles_cache():
    """StylesCache.get_inner_outer: an lru_cache on the method (textual#6665); ours gives
    Textual's own result and lets a StylesCache go."""
    import gc
    import weakref

    from textual._styles_cache import StylesCache
    from textual.color import Color

    from tui.textual_private import stop_styles_cache_leak

    base, background = Color(18, 18, 18), Color(36, 47, 56, a=0.5)
    textuals = StylesCache.get_inner_outer.__wrapped__(None, base, background)
    stop_styles_cache_leak()
    stop_styles_cache_leak()  # idempotent
    cache = StylesCache()
    assert cache.get_inner_outer(base, background) == textuals
    gone = weakref.ref(cache)
    del cache
    gc.collect()
    assert gone() is None


async def test_closed_watchers_are_dropped():
    """The app's "__watchers" lists: a removed widget that watched the app's theme stays in
    them until the theme changes (textual#6666); drop_closed_watchers lets it go."""
    import gc
    import weakref

    from tui.textual_private import drop_closed_watchers

    class Watching(Static):
        def on_mount(self) -> None:
            self.watch(self.app, "theme", self.refresh, init=False)

    class Watched(Screen):
        def compose(self) -> ComposeResult:
            yield Watching("x")

    class _App(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("y")

    app = _App()
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.push_screen(Watched())
        await pilot.pause()
        gone = weakref.ref(app.screen)
        await app.pop_screen()
        await pilot.pause()
        assert len(getattr(app, "__watchers")["theme"]) == 1
        assert drop_closed_watchers(app) == 1
        assert getattr(app, "__watchers")["theme"] == []
        gc.collect()
        assert gone() is None
