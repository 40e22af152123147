"""The item table of the main screen: 序号, 问题, 责任领导, 时限, 状态.

The deadline state shows as a colour *and* a symbol (storage.queries.DEADLINE_SYMBOL),
so the table reads the same under NO_COLOR or on a monochrome console; the colours are the
theme's, made readable on the table (states.py), and without colour an overdue row's
时限 and 状态 are reversed.
"""

from __future__ import annotations

from typing import Any, Iterable

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.color import Color
from textual.widgets import DataTable

from storage.queries import DEADLINE_SYMBOL, deadline_state

from .cells import fit
from .first_layout import expect_scrollbars, expected_width, likely_scrolls
from .states import DrawsStates

# fixed column widths in cells; 问题 takes the rest
COLUMNS = (("seq", "序号", 4), ("title", "问题", 0), ("leader", "责任领导", 8), ("deadline", "时限", 10), ("status", "状态", 8))
MIN_TITLE = 10
SHORT_DEADLINE = 5  # "11-30": the year left out where the table is narrow


def plan_columns(width: int, padding: int = 1) -> tuple[tuple[tuple[str, str, int], ...], int]:
    """The columns for a table ``width`` cells wide (each with ``padding`` either side) and
    the width of 问题, which gets all that is left. Where 问题 would get less than MIN_TITLE,
    责任领导 goes first (the detail pane names the leader) and then the year of 时限: 状态
    always stays."""
    plans = (
        COLUMNS,
        tuple(c for c in COLUMNS if c[0] != "leader"),
        tuple((k, label, SHORT_DEADLINE if k == "deadline" else w) for k, label, w in COLUMNS if k != "leader"),
    )
    for columns in plans:
        title = width - sum(w for _, _, w in columns) - 2 * padding * len(columns) - 1
        if title >= MIN_TITLE:
            return columns, title
    return plans[-1], MIN_TITLE


def legend(styles: dict[str, Style]) -> Text:
    t = Text()
    for state, label in (("ok", "按期"), ("soon", "临近"), ("overdue", "逾期"), ("done", "销号")):
        t.append(DEADLINE_SYMBOL[state], style=styles[state])
        t.append(label + " ")
    return t


class ItemTable(DrawsStates, DataTable):
    """Rows keyed by item uid."""

    BINDINGS = [
        Binding("j", "cursor_down", "下一行", show=False),
        Binding("k", "cursor_up", "上一行", show=False),
        Binding("g", "scroll_top", "第一行", show=False),
        Binding("G", "scroll_bottom", "最后一行", show=False),
        # Enter runs the screen's action at once, as `e` does, instead of DataTable's RowSelected
        # message, which the screen would get only after keys typed with it (tui/keys.py).
        Binding("enter", "screen.activate_row", "打开", show=False, tooltip="编辑选中的事项；搜索结果中跳到该事项"),
    ]

    DEFAULT_CSS = """
    ItemTable { height: 1fr; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)
        self._title_width = 0
        self._items: list[dict[str, Any]] = []
        self._seq_labels: dict[str, str] = {}
        self._columns: tuple[tuple[str, str, int], ...] = COLUMNS
        self.sorted_by: str | None = None  # the column the rows are sorted by: its header says so

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme) -> None:
        if self._items:
            self._rebuild()

    def state_backgrounds(self) -> list[Color]:
        """The deadline states are drawn on plain and striped rows, with the table focused
        (tinted) or not."""
        plain, tinted = super().state_backgrounds()
        stripe = self.get_component_styles("datatable--even-row").background
        return [plain, tinted, plain + stripe, tinted + stripe]

    # ------------------------------------------------------------ content

    def title_width(self, rows: int | None = None) -> int:
        return self.plan(rows)[1]

    def plan(self, rows: int | None = None) -> tuple[tuple[tuple[str, str, int], ...], int]:
        """plan_columns() for the width the table has, or will have once laid out."""
        width = self.scrollable_content_region.width
        if not width:  # not laid out yet (the screen is mounting): predict what the layout will give
            outer = expected_width(self) if self.is_mounted else None
            if outer is None:
                width = self.size.width or 80
            else:
                width = outer - self.styles.gutter.width
                if rows is not None and likely_scrolls(self, rows + 1):
                    width -= self.styles.scrollbar_size_vertical
        return plan_columns(width, self.cell_padding)

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
        self._columns, self._title_width = self.plan(len(self._items))
        for key, label, width in self._columns:
            if key == self.sorted_by:  # 时限↑ (责任领导 is 8 cells already: 领导↑; ▲ means 临近)
                label = f"{label[-2:]}↑"
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
        style = self.state_styles()[state]
        seq = self._seq_labels.get(item["uid"], str(item.get("seq") or ""))
        width = dict((k, w) for k, _, w in self._columns)
        deadline = item.get("deadline") or ""
        if deadline and width["deadline"] < len(deadline):
            deadline = deadline[5:]  # "2026-11-30" -> "11-30"
        deadline = deadline or fit(item.get("deadline_text") or "—", width["deadline"])
        cells = {
            "seq": Text(seq, justify="right"),
            "title": Text(fit(item.get("title", ""), self._title_width)),
            "leader": Text(fit(item.get("leader", ""), 8)),
            "deadline": Text(deadline, style=style),
            "status": Text(f"{DEADLINE_SYMBOL[state]} {item.get('status', '')}", style=style),
        }
        return tuple(cells[k] for k, _, _ in self._columns)

    def on_resize(self) -> None:
        if self.columns and self.plan() != (self._columns, self._title_width):
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
