"""Small helpers shared by the 三联系 panes: choices, labels, a keyboard-friendly table."""

from __future__ import annotations

from typing import Any, Iterable

from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

from storage.database import Database
from storage.liaison import active_persons
from storage.rules import TIER_FROM, TIER_TO



def person_choices(db: Database, roles: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    """(uid, “姓名（身份·界别）”) of active people, optionally of some roles."""
    out = []
    for p in active_persons(db):
        if roles is not None and p.get("role") not in roles:
            continue
        extra = "·".join(x for x in (p.get("role", ""), p.get("sector", "")) if x)
        out.append((p["uid"], f"{p.get('name', '')}（{extra}）"))
    return out


def tier_choices(db: Database, tier: str) -> dict[str, list[tuple[str, str]]]:
    """Choices for the link form: who may contact, and whom, in ``tier``."""
    out = {"from_person": person_choices(db, TIER_FROM[tier])}
    if tier in TIER_TO:
        out["to_person"] = person_choices(db, TIER_TO[tier])
    return out


class LiaisonTable(DataTable):
    """A row-cursor table with j/k, keyed by record uid."""

    DEFAULT_CSS = """
    LiaisonTable { height: 1fr; }
    """
    BINDINGS = [
        Binding("j", "cursor_down", "下一行", show=False),
        Binding("k", "cursor_up", "上一行", show=False),
        Binding("home,g", "scroll_top", "第一行", show=False),
        Binding("end,G", "scroll_bottom", "最后一行", show=False),
    ]

    def __init__(self, **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kw)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Every column here has a fixed width and every row one line, yet DataTable measures
        each cell of each new row: seconds for the 2 000 people and 5 000 links of a big
        database. With nothing to measure, only the virtual size is left to set."""
        if any(c.auto_width for c in self.columns.values()) or any(
            r.auto_height or r.label is not None for r in (self.rows.get(k) for k in new_rows) if r is not None
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(c.get_render_width(self) for c in self.columns.values()) + self._row_label_column_width
        self.virtual_size = Size(width, self._total_row_height + (self.header_height if self.show_header else 0))

    @property
    def current_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:
            return None
        return key

    def select_key(self, key: str | None) -> None:
        if key is None:
            return
        try:
            self.move_cursor(row=self.get_row_index(key))
        except Exception:
            pass
