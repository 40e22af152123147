"""Small helpers shared by the 三联系 panes: choices, labels, a keyboard-friendly table."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from storage.database import Database
from storage.liaison import active_persons
from storage.rules import TIER_FROM, TIER_TO

from ..textual_private import FixedWidthTable, VirtualRows



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


class LiaisonTable(VirtualRows, FixedWidthTable):
    """A row-cursor table with j/k, keyed by record uid. Its columns have fixed widths and its
    rows one line: no cell-by-cell measuring (FixedWidthTable) for 5 000 links; a pane gives
    its rows as keys and a function that makes one row (``set_rows``), so that only the rows
    on screen are ever made, 60 000 contacts of a quarter at 10× as 60."""

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
