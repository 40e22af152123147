"""Sidebar tree: campaign → its dimensions ("short  done/total"), then 三联系 and 导出."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from storage.dates import today as _today
from storage.models import ST_DONE, SUBJECT_GROUP
from storage.queries import DEADLINE_DONE, DEADLINE_OK, DEADLINE_OVERDUE, DEADLINE_SYMBOL, deadline_state

from ..textual_private import FirstSizeTree
from .first_layout import expect_scrollbars, expected_width, likely_scrolls
from .states import NO_COLOUR_STYLES, DrawsStates


@dataclass(frozen=True)
class NodeRef:
    kind: str  # campaign | dimension | liaison | export
    campaign: str = ""
    dimension: str = ""


def newest_first(campaigns: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Campaigns in the order the sidebar, and every other list of them, shows: the latest
    year first, then as they were created."""
    return sorted(campaigns, key=lambda c: (-(c.get("year") or 0), c.get("created", "")))


def count_items(db, subject: str | None, campaigns: list[str] | None = None) -> dict[tuple[str, str], list[int]]:
    """(campaign, dimension) -> [total, done, overdue], one pass over the items (of
    ``campaigns`` only, when given: a big database's sidebar shows few of them expanded)."""
    out: dict[tuple[str, str], list[int]] = {}
    today = _today()
    rows = db.light("items").values() if campaigns is None else (
        r for c in campaigns for r in db.light("items", c).values())
    for i in rows:  # light rows: no need to parse the items file
        if subject is not None and (i.get("subject") or SUBJECT_GROUP) != subject:
            continue
        row = out.setdefault((i.get("campaign", ""), i.get("dimension", "")), [0, 0, 0])
        row[0] += 1
        if i.get("status") == ST_DONE:
            row[1] += 1
        elif i.get("deadline") and deadline_state(i, today) == DEADLINE_OVERDUE:
            row[2] += 1
    return out


LABEL_CELLS = 18  # the tree's width for a dimension's label at 80 columns (side pane 22, border, guide)


def dimension_label(n: int, dim: dict[str, Any], counts: list[int], styles: dict[str, Style] = NO_COLOUR_STYLES) -> Text:
    """"1 政治纪律 1/3 ✖1": the key, the short name, done/total, overdue; the numbers muted,
    a finished dimension's count and the overdue count in their state's style (states.py)."""
    total, done, overdue = counts
    muted = styles[DEADLINE_DONE]
    name = dim.get("short") or dim.get("title", "")[:6]
    mark = f"{DEADLINE_SYMBOL['overdue']}{overdue}" if overdue else ""
    # At 80 columns the tree has LABEL_CELLS for a label: with two-digit counts (“22/62 ✖12”) the
    # spaces go before the overdue number would be cropped (a cropped “18/50” would read “18/5”).
    roomy = cell_len(f"{n} {name} {done}/{total} {mark}".rstrip()) <= LABEL_CELLS
    t = Text()
    t.append((f"{n} " if roomy else f"{n}") if n <= 9 else "  ", style=muted)
    t.append(name)
    t.append(f" {done}/{total}", style=styles[DEADLINE_OK] if total and done == total else muted)
    if mark:
        t.append(" " if roomy else "")
        t.append(mark, style=styles[DEADLINE_OVERDUE])
    return t


class Sidebar(DrawsStates, FirstSizeTree):  # a Tree[NodeRef] that keeps its first frame's lines
    BINDINGS = [
        Binding("j", "cursor_down", "下一行", show=False),
        Binding("k", "cursor_up", "上一行", show=False),
    ]

    DEFAULT_CSS = """
    Sidebar { width: 1fr; height: 1fr; }
    """

    def __init__(self, **kw: Any) -> None:
        super().__init__(Text("整改活动"), **kw)  # Text: no Rich markup parse (see ItemTable)
        self.show_root = False
        self.guide_depth = 2
        self._shape: tuple = ()
        self._ref_nodes: dict[NodeRef, TreeNode[NodeRef]] = {}
        # Collapsed campaigns get their dimension leaves when first expanded:
        # twenty campaigns' worth of leaves cost a tenth of a second at start-up.
        self._pending: dict[str, dict[str, Any]] = {}
        self._counted: dict[tuple[str, str], list[int]] = {}
        self._have_counts = False
        self._camps: list[dict[str, Any]] = []
        self._db: Any = None
        self._subject: str | None = None

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme) -> None:
        if self._have_counts:
            self._label_dimensions()

    def populate(self, db, subject: str, current: NodeRef | None, *, counts: bool = True) -> None:
        """Build or relabel the tree; rebuild only when campaigns/dimensions changed.

        ``counts=False`` skips the pass over every item (the first paint on a big database).
        """
        camps = newest_first(db.all("campaigns"))
        shape = tuple((c["uid"], c.get("name"), tuple(d["key"] for d in c.get("dimensions", []))) for c in camps)
        if shape != self._shape:
            self._build_nodes(camps, current)
            self._shape = shape
        if not counts:
            if current is not None:
                self.focus_ref(current)
            self._expect_scrollbars()
            return
        shown = [c["uid"] for c in camps if c["uid"] not in self._pending]  # campaigns with their dimensions
        self._counted = count_items(db, subject, shown)
        self._db, self._subject = db, subject
        self._have_counts = True
        self._camps = camps
        self._label_dimensions()
        if current is not None:
            self.focus_ref(current)

    def _label_dimensions(self) -> None:
        styles = self.state_styles()
        for c in self._camps:
            for n, d in enumerate(c.get("dimensions", []), 1):
                node = self._ref_nodes.get(NodeRef("dimension", c["uid"], d["key"]))
                if node is not None:
                    node.set_label(dimension_label(n, d, self._counted.get((c["uid"], d["key"]), [0, 0, 0]), styles))

    def _expect_scrollbars(self) -> None:
        """Before the first layout: the scrollbars a long tree or long names will need."""
        if self.size.width:
            return
        width = expected_width(self)
        if width is None:
            return
        lines = self.last_line + 1  # lays the nodes out
        vertical = likely_scrolls(self, lines)
        room = width - self.styles.gutter.width - (self.styles.scrollbar_size_vertical if vertical else 0)
        expect_scrollbars(self, vertical=vertical, horizontal=self.virtual_size.width > room)

    def _add_dimensions(self, camp: dict[str, Any]) -> None:
        node = self._ref_nodes[NodeRef("campaign", camp["uid"])]
        self._pending.pop(camp["uid"], None)
        if self._have_counts and self._db is not None:  # counted when first shown
            self._counted.update(count_items(self._db, self._subject, [camp["uid"]]))
        for n, d in enumerate(camp.get("dimensions", []), 1):
            dref = NodeRef("dimension", camp["uid"], d["key"])
            counts = self._counted.get((camp["uid"], d["key"]), [0, 0, 0])
            label = dimension_label(n, d, counts, self.state_styles()) if self._have_counts else Text(d.get("short", ""))
            self._ref_nodes[dref] = node.add_leaf(label, data=dref)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        ref = event.node.data
        if ref is not None and ref.kind == "campaign" and ref.campaign in self._pending:
            self._add_dimensions(self._pending[ref.campaign])

    def _build_nodes(self, camps: list[dict[str, Any]], current: NodeRef | None) -> None:
        self.clear()
        self._ref_nodes = {}
        self._pending = {}
        for c in camps:
            ref = NodeRef("campaign", c["uid"])
            expand = current is None or current.campaign == c["uid"] or len(camps) == 1
            node = self.root.add(Text(c.get("name", ""), style="bold"), data=ref, expand=expand, allow_expand=True)
            self._ref_nodes[ref] = node
            if expand:
                self._add_dimensions(c)
            else:
                self._pending[c["uid"]] = c
        for kind, label in (("liaison", "三联系"), ("export", "导出")):
            ref = NodeRef(kind)
            self._ref_nodes[ref] = self.root.add_leaf(Text(label, style="bold"), data=ref)

    def focus_ref(self, ref: NodeRef) -> None:
        if ref.campaign in self._pending and ref.kind == "dimension":
            self._add_dimensions(self._pending[ref.campaign])
        node = self._ref_nodes.get(ref)
        if node is None:
            return
        if node.parent is not None and not node.parent.is_expanded and node.parent is not self.root:
            node.parent.expand()
        _ = self.last_line  # lay out new nodes so node.line is known
        if self.cursor_node is not node:
            self.move_cursor(node, animate=False)
