"""LiaisonTable skips DataTable's per-cell measuring when every column has a fixed width."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.widgets.liaison_common import LiaisonTable

ROWS = [("张三", "党组成员", Text("1/1 ✔", style="green")), ("欧阳娜娜娜娜娜", "党外委员", "很长的一段文字超出列宽")] * 30


class Both(App[None]):
    def compose(self) -> ComposeResult:
        yield LiaisonTable(id="fast")
        yield DataTable(id="stock", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        for t in self.query(DataTable):
            t.add_column("姓名", key="name", width=10)
            t.add_column("身份", key="role", width=8)
            t.add_column("本季", key="count", width=7)
            for n, row in enumerate(ROWS):
                t.add_row(*row, key=str(n))


async def test_same_size_and_text_as_a_stock_table():
    app = Both()
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        fast, stock = app.query_one("#fast", DataTable), app.query_one("#stock", DataTable)
        assert fast.virtual_size == stock.virtual_size
        assert fast.virtual_size.height == len(ROWS) + 1
        for y in range(5):
            assert fast.render_line(y).text == stock.render_line(y).text
        fast.add_column("新列")  # an auto-width column: measured as usual
        stock.add_column("新列")
        fast.add_row("李四", "委员", "", "宽宽宽宽宽宽", key="x")
        stock.add_row("李四", "委员", "", "宽宽宽宽宽宽", key="x")
        await pilot.pause()
        assert fast.virtual_size == stock.virtual_size
