"""The workspace's search bar (/) and filter (f)."""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal

from storage.queries import DEADLINE_OVERDUE, deadline_state, item_rows

from ..filters import EMPTY as NO_FILTER
from ..filters import active

MAX_SEARCH_ROWS = 300


def apply_filters(items: list[dict[str, Any]], f: dict[str, Any]) -> list[dict[str, Any]]:
    if not active(f):
        return items
    out = items
    if f.get("status"):
        out = [i for i in out if i.get("status") == f["status"]]
    if f.get("overdue"):
        out = [i for i in out if deadline_state(i) == DEADLINE_OVERDUE]
    if f.get("leader"):
        out = [i for i in out if i.get("leader") == f["leader"]]
    if f.get("dept"):
        out = [i for i in out if f["dept"] in (i.get("owner_dept") or "")]
    return out


class SearchAndFilter:
    """Mixed into MainScreen: ``search_text`` (None: the bar is closed) and ``filters``."""

    async def search_box(self):
        """The search field: the search bar (label and Input, hidden) is built on first use,
        above the table, so that the first frame has neither."""
        from textual.widgets import Input, Label

        found = self.query("#search")
        if found:
            return found.first(Input)
        box = Input(placeholder="输入关键词，空格分隔（Enter 跳到第一项，Esc 关闭）", id="search")
        bar = Horizontal(Label("搜索", id="search-label"), box, id="search-bar")
        bar.display = False
        await self.query_one("#work").mount(bar, before="#table-pane")
        return box

    async def action_search(self) -> None:
        box = await self.search_box()
        bar = self.query_one("#search-bar")
        if self.search_text is None:
            self.search_text = box.value
            bar.display = True
            self.reload(sidebar=False)
        box.focus()

    def _close_search(self) -> None:
        if self.search_text is None:
            return
        self.search_text = None
        bar = self.query_one("#search-bar")
        bar.display = False
        if self.focused is not None and self.focused.id == "search":
            self.table.focus()

    def action_escape(self) -> None:
        if self.search_text is not None:
            uid = self.current_uid()
            self._close_search()
            self.reload(select=uid, sidebar=False)
            self.table.focus()
        elif active(self.filters):
            self.filters = dict(NO_FILTER)
            self.reload()
            self.notify("已清除筛选")

    # ------------------------------------------------------------ sort (t)

    def action_sort(self) -> None:
        """t: choose the table's order (时限, 状态, 责任领导, or the document's own)."""
        from .. import sorting
        from ..lazy import menu

        options = [("", sorting.DEFAULT_LABEL), *[(key, label) for key, (label, _) in sorting.SORTS.items()]]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.set_sort(value or None)

        self.app.push_screen(menu("排序方式", options, current=self.sort or ""), chosen)

    def action_set_sort(self, key: str) -> None:
        """From the palette: one order directly ("" for the document's own)."""
        self.set_sort(key or None)

    def set_sort(self, key: str | None) -> None:
        from .. import sorting

        self.sort = key if key in sorting.SORTS else None
        self.reload(select=self.current_uid(), sidebar=False)
        self.notify(f"已{sorting.describe(self.sort)}（t 可改回默认顺序）" if self.sort else "已恢复默认顺序", timeout=3)

    def action_filter(self) -> None:
        if self.campaign_uid is None:
            return
        pool = item_rows(self.db, self.campaign_uid)
        leaders = sorted({i.get("leader") for i in pool if i.get("leader")})
        depts = sorted({i.get("owner_dept") for i in pool if i.get("owner_dept")})

        def done(result: dict | None) -> None:
            if result is None:
                return
            self.filters = result
            self.reload()
            self.table.focus()

        from .filter import FilterScreen

        self.app.push_screen(FilterScreen(self.filters, leaders, depts), done)

    # By name rather than @on(Input.Changed, "#search"): that would import Input at start-up.
    def on_input_changed(self, event) -> None:
        if event.input.id != "search" or self.search_text is None:
            return
        self.search_text = event.value
        self.reload(sidebar=False)

    def on_input_submitted(self, event) -> None:
        if event.input.id != "search":
            return
        event.stop()
        if self.table.row_count:  # one Enter: to the result under the cursor (the first one)
            self.jump_to(self.current_uid())
        else:
            self.notify("没有找到匹配的事项", severity="warning")
