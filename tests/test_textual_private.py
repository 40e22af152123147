"""One test for each use of Textual's private API (tui/textual_private.py): after a Textual
upgrade, a failure here names the use that broke."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Static, Tree

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
