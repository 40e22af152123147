"""The detail pane: every field of the selected item, read-only."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from storage.queries import DEADLINE_LABEL, DEADLINE_SYMBOL, deadline_state

from .item_table import DEADLINE_STYLE

def render_links(links: dict[str, Any]) -> list[Any]:
    """接续上年度, both ways: the origin's title, measures and progress; where it was carried to."""
    parts: list[Any] = []
    origin = links.get("origin")
    if origin and "missing" not in origin:
        o = origin["item"]
        parts.append(Text(""))
        parts.append(Text(f"上年度原事项（{origin['campaign']}）", style="bold underline"))
        parts.append(Text(o.get("title") or ""))
        for n, m in enumerate(o.get("measures") or [], 1):
            parts.append(Text(f"措施{n}. {m}"))
        for note in o.get("progress") or []:
            t = Text(f"{note.get('date', '')} ", style="bold")
            t.append(note.get("text", ""))
            parts.append(t)
        if not o.get("progress"):
            parts.append(Text("（原事项没有进展记录）", style="italic"))
    return parts


def link_facts(links: dict[str, Any]) -> list[tuple[str, str]]:
    """The one-line facts near the top: where it came from, where it went."""
    out = []
    origin = links.get("origin")
    if origin:
        if "missing" in origin:
            out.append(("接续自", "上年度事项（原事项已删除）"))
        else:
            out.append(("接续自", f"{origin['campaign']} · {origin['dimension']} · {origin['item'].get('status', '')}"))
    carried = links.get("carried") or []
    if carried:
        out.append(("已接续到", "；".join(f"{name} · {c.get('status', '')}" for name, c in carried)))
    return out


def render_item(item: dict[str, Any] | None, dimension_title: str = "", empty_hint: str = "",
                links: dict[str, Any] | None = None) -> Group | Text:
    if item is None:
        return Text(empty_hint or "没有选中的事项。", style="italic")
    state = deadline_state(item)
    style = DEADLINE_STYLE[state]
    parts: list[Any] = []
    title = Text()
    title.append(item.get("title") or "（未填写问题概述）", style="bold")
    parts.append(title)

    line = Text()
    line.append(f"{DEADLINE_SYMBOL[state]} {item.get('status', '')}", style=style)
    if state != "done":
        line.append(f"（{DEADLINE_LABEL[state]}）", style=style)
    if item.get("kind"):
        line.append(f"  {item['kind']}")
    parts.append(line)

    notes = item.get("progress") or []
    facts = [
        ("最新进展", f"{notes[-1].get('date', '')} {notes[-1].get('text', '')}" if notes else ""),
        ("整改维度", dimension_title),
        ("材料主体", item.get("subject") or "党组班子"),
        ("责任领导", item.get("leader")),
        ("责任部门", item.get("owner_dept")),
        ("整改时限", item.get("deadline")),
        ("时限说明", item.get("deadline_text")),
        ("问题来源", "、".join(item.get("sources") or [])),
        ("最后修改", f"{item.get('updated_by', '')}（{str(item['updated'])[:10]}）" if item.get("updated") else ""),
        *link_facts(links or {}),
    ]
    for label, value in facts:
        if value:
            t = Text()
            t.append(f"{label}：", style="bold")
            t.append(str(value))
            parts.append(t)

    for label, field in (("问题表现", "manifestation"), ("典型事例", "example"), ("原因剖析", "cause")):
        if item.get(field):
            parts.append(Text(""))
            parts.append(Text(label, style="bold underline"))
            parts.append(Text(item[field]))

    def numbered(label: str, values: list[str]) -> None:
        if not values:
            return
        parts.append(Text(""))
        parts.append(Text(label, style="bold underline"))
        for n, v in enumerate(values, 1):
            parts.append(Text(f"{n}. {v}"))

    numbered("整改措施", item.get("measures") or [])
    if notes:
        parts.append(Text(""))
        parts.append(Text("进展情况", style="bold underline"))
        for note in notes:
            t = Text()
            t.append(f"{note.get('date', '')} ", style="bold")
            t.append(note.get("text", ""))
            if note.get("by"):
                t.append(f"（{note['by']}）", style="dim")
            parts.append(t)
    numbered("佐证材料", item.get("evidence") or [])
    if item.get("closed_by") or item.get("closed_on"):
        parts.append(Text(""))
        t = Text()
        t.append("销号：", style="bold")
        t.append(f"{item.get('closed_on', '')} 审核人 {item.get('closed_by', '')}")
        parts.append(t)
    if links:
        parts += render_links(links)
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

    def show(self, item: dict[str, Any] | None, dimension_title: str = "", empty_hint: str = "",
             links: dict[str, Any] | None = None) -> None:
        # The same record (uid and revision) shown the same way: nothing to redraw. The table
        # highlights its row once more after every fill, and each redraw costs a layout.
        shown = (item.get("uid"), item.get("rev"), id(item), dimension_title, repr(links)) if item else (None, empty_hint)
        if shown == self._shown:
            return
        self._shown = shown
        self.query_one("#detail-body", Static).update(render_item(item, dimension_title, empty_hint, links))
        self.scroll_home(animate=False)
