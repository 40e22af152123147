"""The item table of the main screen: 序号, 问题, 责任领导, 时限, 状态.

The deadline state shows as a colour *and* a symbol (storage.queries.DEADLINE_SYMBOL),
so the table reads the same under NO_COLOR or on a monochrome console.
"""

from __future__ import annotations

from typing import Any, Iterable

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable

from storage.queries import DEADLINE_SYMBOL, deadline_state

from .cells import fit
from .first_layout import expect_scrollbars, expected_width, likely_scrolls

DEADLINE_STYLE = {
    "ok": "green",
    "soon": "bold yellow",
    "overdue": "bold red",
    "done": "dim",
    "none": "",
}

# fixed column widths in cells; 问题 takes the rest
COLUMNS = (("seq", "序号", 4), ("title", "问题", 0), ("leader", "责任领导", 8), ("deadline", "时限", 10), ("status", "状态", 8))
MIN_TITLE = 10


def legend() -> Text:
    t = Text()
    for state, label in (("ok", "按期"), ("soon", "临近"), ("overdue", "逾期"), ("done", "销号")):
        t.append(DEADLINE_SYMBOL[state], style=DEADLINE_STYLE[state])
        t.append(label + " ")
    return t


class ItemTable(DataTable):
    """Rows keyed by item uid."""

    BINDINGS = [
        Binding("j", "cursor_down", "下一行", show=False),
        Binding("k", "cursor_up", "上一行", show=False),
        Binding("g", "scroll_top", "第一行", show=False),
        Binding("G", "scroll_bottom", "最后一行", show=False),
    ]

    DEFAULT_CSS = """
    ItemTable { height: 1fr; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        self._title_width = 0
        self._items: list[dict[str, Any]] = []
        self._seq_labels: dict[str, str] = {}

    # ------------------------------------------------------------ content

    def title_width(self, rows: int | None = None) -> int:
        fixed = sum(w for _, _, w in COLUMNS if w) + 2 * self.cell_padding * len(COLUMNS)
        width = self.scrollable_content_region.width
        if not width:  # not laid out yet (the screen is mounting): predict what the layout will give
            outer = expected_width(self) if self.is_mounted else None
            if outer is None:
                width = self.size.width or 80
            else:
                width = outer - self.styles.gutter.width
                if rows is not None and likely_scrolls(self, rows + 1):
                    width -= self.styles.scrollbar_size_vertical
        return max(MIN_TITLE, width - fixed - 1)

    def show_items(self, items: Iterable[dict[str, Any]], seq_labels: dict[str, str] | None = None,
                   keep: str | None = None) -> None:
        """Replace the rows; keep the cursor on ``keep`` (a uid) when it is still there."""
        self._items = list(items)
        self._seq_labels = dict(seq_labels or {})
        self._rebuild(keep)

    def _rebuild(self, keep: str | None = None) -> None:
        if keep is None:
            keep = self.current_uid()
        old_row = self.cursor_row
        self.clear(columns=True)
        self._title_width = self.title_width(len(self._items))
        for key, label, width in COLUMNS:
            # Text, not str: a str label is parsed as Rich markup, whose first use loads
            # Rich's emoji table (5 ms of start-up) for nothing.
            self.add_column(Text(label), key=key, width=width or self._title_width)
        for item in self._items:
            self.add_row(*self._cells(item), key=item["uid"])
        expect_scrollbars(self, vertical=likely_scrolls(self, len(self._items) + 1))
        if not self._items:
            return
        row = None
        if keep is not None:
            try:
                row = self.get_row_index(keep)
            except Exception:
                row = None
        if row is None:
            row = min(max(old_row, 0), len(self._items) - 1)
        self.move_cursor(row=row, animate=False, scroll=True)

    def _cells(self, item: dict[str, Any]) -> tuple[Any, ...]:
        state = deadline_state(item)
        style = DEADLINE_STYLE[state]
        seq = self._seq_labels.get(item["uid"], str(item.get("seq") or ""))
        deadline = item.get("deadline") or fit(item.get("deadline_text") or "—", 10)
        return (
            Text(seq, justify="right"),
            Text(fit(item.get("title", ""), self._title_width)),
            Text(fit(item.get("leader", ""), 8)),
            Text(deadline, style=style),
            Text(f"{DEADLINE_SYMBOL[state]} {item.get('status', '')}", style=style),
        )

    def on_resize(self) -> None:
        if self.columns and self.title_width() != self._title_width:
            self._rebuild()

    # ------------------------------------------------------------ access

    @property
    def items(self) -> list[dict[str, Any]]:
        return self._items

    def current_uid(self) -> str | None:
        if not self.row_count or self.cursor_row < 0:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None

    def select_uid(self, uid: str) -> bool:
        try:
            row = self.get_row_index(uid)
        except Exception:
            return False
        self.move_cursor(row=row, animate=False, scroll=True)
        return True
