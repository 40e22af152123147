"""The detail pane: every field of the selected item, read-only, the day's work first.

At 80x24 the pane has about nine lines: the title, a line of facts (state, deadline,
leader, department), then what a clerk follows up every day (整改措施, the latest 进展,
佐证材料), as label-and-value rows with the value wrapped under itself. The rest (问题表现,
典型事例, 原因剖析, every progress note, dimension, subject, 销号, last editor) follows.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from storage.queries import DEADLINE_LABEL, DEADLINE_SYMBOL, deadline_state

from .cjk_text import CJKText
from .states import opaque_background, state_styles

LABEL_WIDTH = 8  # four Chinese characters
BOLD = Style(bold=True)


def _note_text(note: dict[str, Any]) -> Text:
    # No space after the date: a note of Chinese text starts on the date's line.
    t = CJKText()
    t.append(f"{note.get('date', '')}：", style=BOLD)
    t.append(note.get("text", ""))
    if note.get("by"):
        t.append(f"（{note['by']}）")
    return t


def _numbered(values: list[str]) -> Text:
    if len(values) == 1:
        return CJKText(values[0])
    return CJKText("\n".join(f"{n}.{v}" for n, v in enumerate(values, 1)))  # (no space: see _note_text)


def _notes(notes: list[dict[str, Any]]) -> Text:
    """Progress notes, newest first, one paragraph each."""
    out = CJKText()
    for n, note in enumerate(reversed(notes)):
        out.append_text(CJKText("\n") if n else CJKText())
        out.append_text(_note_text(note))
    return out


def _rows(pairs: list[tuple[str, RenderableType]]) -> Table:
    """Label-and-value rows: the label in a column of its own, the value wrapped under itself."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(width=LABEL_WIDTH, no_wrap=True, style=BOLD)
    grid.add_column(ratio=1, overflow="fold")
    for label, value in pairs:
        grid.add_row(label, value)
    return grid


def render_links(links: dict[str, Any]) -> list[tuple[str, RenderableType]]:
    """接续上年度, both ways: where it came from (with the origin's title, measures and progress)
    and where it was carried to."""
    rows: list[tuple[str, RenderableType]] = []
    origin = links.get("origin")
    if origin and "missing" in origin:
        rows.append(("接续自", Text("上年度事项（原事项已删除）")))
    elif origin:
        o = origin["item"]
        rows.append(("接续自", Text(f"{origin['campaign']}·{origin['dimension']}·{o.get('status', '')}")))
        rows.append(("原问题", CJKText(o.get("title") or "")))
        if o.get("measures"):
            rows.append(("原措施", _numbered(o["measures"])))
        notes = o.get("progress") or []
        rows.append(("原进展", _notes(notes) if notes
                     else Text("（原事项没有进展记录）")))
    carried = links.get("carried") or []
    if carried:
        rows.append(("已接续到", Text("；".join(f"{name}·{c.get('status', '')}" for name, c in carried))))
    return rows


def render_item(item: dict[str, Any] | None, dimension_title: str = "", empty_hint: str = "",
                styles: dict[str, Style] | None = None, links: dict[str, Any] | None = None) -> RenderableType:
    if item is None:
        return Text(empty_hint or "没有选中的事项。", style="italic")
    state = deadline_state(item)
    style = (styles or {}).get(state, Style())
    title = CJKText(item.get("title") or "（未填写问题概述）", style=BOLD)

    # Facts without spaces inside, two spaces between: a narrow pane wraps between them.
    facts = Text()
    facts.append(f"{DEADLINE_SYMBOL[state]}{item.get('status', '')}", style=style)
    if state != "done":
        facts.append(f"（{DEADLINE_LABEL[state]}）", style=style)
    if item.get("deadline"):
        facts.append(f"  时限{item['deadline']}")
    who = "·".join(x for x in (item.get("leader"), item.get("owner_dept")) if x)
    if who:
        facts.append(f"  {who}")

    notes = item.get("progress") or []
    daily: list[tuple[str, RenderableType]] = [
        ("整改措施", _numbered(item.get("measures") or []) if item.get("measures") else Text("（未填写）")),
        ("最新进展", _note_text(notes[-1]) if notes else Text("（暂无）")),
        ("佐证材料", _numbered(item.get("evidence") or []) if item.get("evidence") else Text("（暂无）")),
    ]
    if item.get("closed_by") or item.get("closed_on"):
        daily.append(("销号", Text(f"{item.get('closed_on', '')} 审核人 {item.get('closed_by', '')}")))

    more: list[tuple[str, RenderableType]] = []
    for label, field in (("问题表现", "manifestation"), ("典型事例", "example"), ("原因剖析", "cause")):
        if item.get(field):
            more.append((label, CJKText(item[field])))
    if len(notes) > 1:
        more.append(("进展情况", _notes(notes)))
    for label, value in (
        ("整改维度", dimension_title),
        ("材料主体", item.get("subject") or "党组班子"),
        ("整改类型", item.get("kind")),
        ("时限说明", item.get("deadline_text")),
        ("问题来源", "、".join(item.get("sources") or [])),
        ("最后修改", f"{item.get('updated_by', '')}（{str(item['updated'])[:10]}）" if item.get("updated") else ""),
    ):
        if value:
            more.append((label, CJKText(str(value))))
    daily += render_links(links or {})  # last year's item is part of the day's work
    parts: list[RenderableType] = [title, facts, _rows(daily)]
    if more:
        parts += [Text(""), _rows(more)]
    return Group(*parts)


class ItemDetail(VerticalScroll):
    """Scrollable, focusable (so the keyboard can scroll a long item)."""

    can_focus = True

    BINDINGS = [
        Binding("j", "scroll_down", "下一行", show=False),
        Binding("k", "scroll_up", "上一行", show=False),
    ]

    DEFAULT_CSS = """
    ItemDetail { height: 1fr; padding: 0 1; }
    ItemDetail > Static { width: 1fr; }
    """

    def compose(self):
        yield Static(id="detail-body")

    _shown: tuple | None = None
    _last: tuple = (None, "", "", None)

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme) -> None:
        self._shown = None
        self.show(*self._last)

    def show(self, item: dict[str, Any] | None, dimension_title: str = "", empty_hint: str = "",
             links: dict[str, Any] | None = None) -> None:
        # The same record (uid and revision) shown the same way: nothing to redraw. The table
        # highlights its row once more after every fill, and each redraw costs a layout.
        shown = (item.get("uid"), item.get("rev"), id(item), dimension_title, repr(links)) if item else (None, empty_hint)
        if shown == self._shown:
            return
        self._shown = shown
        self._last = (item, dimension_title, empty_hint, links)
        styles = state_styles(self, [opaque_background(self)])
        self.query_one("#detail-body", Static).update(render_item(item, dimension_title, empty_hint, styles, links))
        self.scroll_home(animate=False)
