"""The workspace: sidebar tree, item table and detail pane (DESIGN §7).

MainScreen keeps the state (campaign, dimension, subject, search, filters), lays the panes
out and redraws them; what the keys do comes from three mixins, one concern each:
main_navigation.py (dimensions, subjects, campaigns, sidebar, other screens),
main_items.py (the selected item) and main_search.py (search bar and filter).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Tree

from storage import NotFoundError, ZhenggaiError
from storage.models import SUBJECT_GROUP
from storage.queries import item_rows, search_items

from ..filters import EMPTY as NO_FILTER
from ..filters import active, describe
from ..sorting import column
from ..sorting import describe as describe_sort
from ..widgets.cells import fit
from ..widgets.footer import KeysFooter
from ..widgets.first_layout import expect_scrollbars, expected_width
from ..widgets.item_detail import ItemDetail
from ..widgets.item_table import ItemTable, legend
from ..widgets.sidebar import NodeRef, Sidebar, newest_first
from ..widgets.states import opaque_background, state_styles
from ..widgets.title_bar import TitleBar
from .main_items import ItemActions
from .main_navigation import Navigation
from .main_search import MAX_SEARCH_ROWS, SearchAndFilter, apply_filters

__all__ = ["MAX_SEARCH_ROWS", "MainScreen", "apply_filters"]


class MainScreen(Navigation, ItemActions, SearchAndFilter, Screen):
    """Campaign → dimension → items. All state lives in plain attributes so tests can read it."""

    # Focus the table as the screen is composed: a highlight in a focused sidebar would also
    # re-pick the campaign.
    AUTO_FOCUS = "#items"

    BINDINGS = [
        Binding("n", "new_item", "新建", tooltip="在当前维度新建整改事项"),
        Binding("e", "edit_item", "编辑", tooltip="编辑选中的事项（也可按 Enter）"),
        Binding("d", "delete_item", "删除", tooltip="删除选中的事项（需确认）"),
        Binding("a", "status_action", "状态", tooltip="开始整改、申请销号、销号、驳回、重启"),
        Binding("p", "progress", "进展", tooltip="为选中的事项添加进展情况"),
        Binding("slash", "search", "搜索", tooltip="按问题、措施、姓名等搜索"),
        Binding("f", "filter", "筛选", tooltip="按状态、逾期、责任领导、责任部门筛选"),
        Binding("x", "export", "导出", tooltip="导出对照检查材料、台账、整改落实情况报告等（Word 或 Excel）"),
        Binding("i", "import", "导入", show=False, tooltip="导入对照检查材料（.docx/.txt）或整改台账（.xlsx/.csv）"),
        Binding("s", "subject", "主体", show=False, tooltip="切换材料主体：党组班子或个人"),
        Binding("c", "campaign", "活动", show=False, tooltip="编辑、新建或删除整改活动，编辑维度"),
        Binding("o", "outline", "材料段落", show=False, tooltip="编辑前言、原因剖析、努力方向等段落"),
        Binding("l", "liaison", "三联系", show=False, tooltip="打开三联系工作"),
        Binding("h", "history", "修改记录", show=False, tooltip="谁在何时改了选中事项的什么（留痕）"),
        Binding("b", "toggle_sidebar", "侧栏", show=False, tooltip="隐藏或显示侧栏（下次打开时照旧）"),
        Binding("y", "opinions", "征求意见", show=False, tooltip="会前征求的意见建议：列表、转为问题、导入"),
        Binding("m", "move", "移到维度", show=False, tooltip="把选中的事项移到另一个维度"),
        Binding("t", "sort", "排序", tooltip="按时限、状态、责任领导排序，或恢复默认顺序"),
        Binding("ctrl+z", "undo", "撤销", tooltip="撤销本次的上一项修改、状态操作、进展、移动或删除"),
        Binding("ctrl+c", "copy_item", "复制", show=False, tooltip="把选中事项的内容复制到剪贴板"),
        Binding("shift+up,K", "reorder(-1)", "上移", show=False, tooltip="选中的事项在本维度内上移"),
        Binding("shift+down,J", "reorder(1)", "下移", show=False, tooltip="选中的事项在本维度内下移"),
        Binding("escape", "escape", "关闭搜索", show=False, tooltip="关闭搜索栏或清除筛选"),
        *[Binding(str(n), f"dimension({n})", f"第{n}个维度", show=False, tooltip=f"跳到第{n}个维度") for n in range(1, 10)],
    ]

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db
        self.campaign_uid: str | None = None
        self.dimension: str | None = None  # None: every dimension of the campaign
        self.subject: str = SUBJECT_GROUP
        self.filters: dict[str, Any] = dict(NO_FILTER)
        self.search_text: str | None = None  # None: search bar closed
        self.sort: str | None = None  # tui/sorting.py: None is the document's order
        self.rendered_version = -1
        self.total_matches = 0

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        from storage import settings

        saved = settings.load()  # one read: the sidebar and, in on_mount, the last campaign
        self._last_used = settings.last_campaign(self.db.path)
        yield TitleBar()
        with Horizontal(id="body"):
            with Vertical(id="side-pane") as side:
                side.display = not saved.get(settings.SIDEBAR_HIDDEN, False)
                yield Sidebar(id="sidebar")
            with Vertical(id="work"):
                # The search bar (#search-bar) comes here on the first "/" (search_box).
                with Vertical(id="table-pane"):
                    yield ItemTable(id="items")
                yield ItemDetail(id="detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#side-pane").border_title = "整改活动"
        self.query_one("#detail").border_title = "详情"
        self._show_legend()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._show_legend())
        # Textual hides the screen's (empty) notification rack only after the first frame, and
        # creates its (always shown, overflow-y: scroll) scrollbar later still: each costs
        # another layout. Hide it now and give it its scrollbar; it shows itself when a
        # notification comes.
        for rack in self.query("#textual-toastrack"):
            rack.display = False
            expect_scrollbars(rack)
        camps = self.campaigns()
        if camps and self.campaign_uid is None:
            self._open_last_used(camps)
            self._last_used = (self.campaign_uid, self.dimension)  # nothing to write at start-up
        self.reload(counts=False)  # the per-dimension counts walk every item: after the first paint
        self.table.focus()
        ready = os.environ.get("ZHENGGAI_EXIT_ON_READY")
        if ready == "1":
            self.app.call_after_refresh(self.app.exit_when_painted)
        elif ready in ("full", "liaison") and self.db.loaded("items"):
            # (benchmark) no index to start from, so the first screen parsed the items itself
            # and load_items will not run: take its next step from here
            self.call_after_refresh(self._items_loaded, None, ready)
        self.call_after_refresh(self.update_counts)

    def _show_legend(self) -> None:
        pane = self.query_one("#table-pane")
        pane.border_subtitle = legend(state_styles(pane, [opaque_background(pane)]))

    def load_items(self) -> None:
        """Parse the items file in a thread (once), swap it in here, then fill the detail pane.
        The database's lock is not held while parsing: the screen keeps answering keys."""
        if self.db.loaded("items") or any(w.group == "load-items" for w in self.workers):
            return
        ready = os.environ.get("ZHENGGAI_EXIT_ON_READY")
        if ready == "1":
            return  # the benchmark quits on the first frame, which this work comes after

        def work() -> None:
            try:
                got = self.db.preload("items")
            except ZhenggaiError as e:
                self.app.call_from_thread(self.notify, str(e), title="读取数据失败", severity="error", timeout=15)
                return
            self.app.call_from_thread(self._items_loaded, got, ready)

        self.run_worker(work, thread=True, group="load-items", exit_on_error=False)

    def _items_loaded(self, got: Any, ready: str | None) -> None:
        self.db.adopt_preloaded(got)
        self.show_detail()
        if ready == "full":  # benchmark: memory of the workspace with every item parsed
            self.app.exit()
        elif ready == "liaison":  # benchmark: ... and then the 三联系 screen opened
            self.action_liaison()

    def update_counts(self) -> None:
        try:
            self.sidebar.populate(self.db, self.subject, self.node_ref())
        except ZhenggaiError as e:
            self.notify(str(e), title="读取数据失败", severity="error")

    # ------------------------------------------------------------ helpers

    @property
    def table(self) -> ItemTable:
        return self.query_one("#items", ItemTable)

    @property
    def sidebar(self) -> Sidebar:
        return self.query_one("#sidebar", Sidebar)

    def campaigns(self) -> list[dict[str, Any]]:
        return newest_first(self.db.all("campaigns"))

    def campaign(self) -> dict[str, Any] | None:
        if self.campaign_uid is None:
            return None
        return self.db.table_dict("campaigns").get(self.campaign_uid)

    def dims(self) -> list[dict[str, Any]]:
        camp = self.campaign()
        return list(camp.get("dimensions") or []) if camp else []

    def dim_label(self, key: str | None) -> str:
        for n, d in enumerate(self.dims(), 1):
            if d["key"] == key:
                return f"{n} {d.get('short') or d.get('title', '')}"
        return ""

    def current_uid(self) -> str | None:
        return self.table.current_uid()

    def current_item(self, *, quiet: bool = False) -> dict[str, Any] | None:
        uid = self.current_uid()
        item = self.attempt(self.db.get, "items", uid) if uid else None
        if item is None and uid and not quiet:
            self.notify("该事项已被其他用户删除，列表已刷新。", severity="warning")
            self.reload()
        elif item is None and not quiet:
            self.notify("请先在列表中选中一个事项", severity="warning")
        return item

    def attempt(self, fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        """Run a storage call; show its Chinese message instead of a traceback. An item a
        colleague deleted meanwhile (the screen shows what the last poll read): say so and
        show the list as it is now."""
        try:
            return fn(*args, **kw)
        except NotFoundError as e:
            if e.table != "items":
                self.notify(str(e), title="操作未完成", severity="error", timeout=8)
                return None
            self.notify("该事项已被其他用户删除，列表已刷新。", severity="warning")
            self.reload()
            return None
        except ZhenggaiError as e:
            self.notify(str(e), title="操作未完成", severity="error", timeout=8)
            return None

    # ------------------------------------------------------------ rendering

    def visible_items(self) -> list[dict[str, Any]]:
        if self.campaign_uid is None:
            return []
        if self.search_text is not None:
            items = search_items(self.db, self.search_text, self.campaign_uid)
        else:
            items = item_rows(self.db, self.campaign_uid, self.dimension, self.subject)
        items = apply_filters(items, self.filters)
        if self.sort is not None:
            from ..sorting import sort_rows

            items = sort_rows(items, self.sort)
        return items

    def reload(self, select: str | None = None, *, sidebar: bool = True, counts: bool = True) -> None:
        """Re-read the data and redraw every part; keep (or move) the cursor on ``select``."""
        try:
            self._reload(select, sidebar, counts)
        except ZhenggaiError as e:
            self.notify(str(e), title="读取数据失败", severity="error", timeout=10)

    def _reload(self, select: str | None, sidebar: bool, counts: bool = True) -> None:
        camps = {c["uid"]: c for c in self.campaigns()}
        if self.campaign_uid not in camps:
            if not camps:
                self.campaign_uid = None
                from .welcome import WelcomeScreen

                self.app.switch_screen(WelcomeScreen(self.db))
                return
            self.campaign_uid = next(iter(camps))
            self.dimension = None
        camp = camps[self.campaign_uid]
        keys = [d["key"] for d in camp.get("dimensions") or []]
        if self.dimension is not None and self.dimension not in keys:
            self.dimension = keys[0] if keys else None
        self.app.title = camp.get("name", "")
        self.app.sub_title = f"材料主体：{self.subject}"
        if sidebar:
            self.sidebar.populate(self.db, self.subject, self.node_ref(), counts=counts)
        items = self.visible_items()
        self.total_matches = len(items)
        if self.search_text is not None:
            if len(items) > MAX_SEARCH_ROWS:
                items = items[:MAX_SEARCH_ROWS]  # a one-character search must stay fast to type
            # Results span every subject of the campaign, each numbered on its own: name the
            # other subjects, or "1.1" would stand for several items.
            items = [
                i if (i.get("subject") or SUBJECT_GROUP) == self.subject
                else {**i, "title": f"〔{i.get('subject')}〕{i.get('title', '')}"}
                for i in items
            ]
        order = {k: n for n, k in enumerate(keys, 1)}
        multi = self.search_text is not None or self.dimension is None
        seq_labels = (
            {i["uid"]: f"{order.get(i.get('dimension'), '?')}.{i.get('seq') or ''}" for i in items} if multi else None
        )
        self.table.sorted_by = column(self.sort)
        self.table.show_items(items, seq_labels, keep=select)
        self._title_table(len(items))
        self.show_detail()
        self.rendered_version = self.db.version_of("items")
        if self.search_text is None:
            self._remember_place()

    def node_ref(self) -> NodeRef:
        if self.dimension is None:
            return NodeRef("campaign", self.campaign_uid or "")
        return NodeRef("dimension", self.campaign_uid or "", self.dimension)

    def _title_table(self, n: int) -> None:
        if self.search_text is not None:
            what = f"搜索“{self.search_text.strip()}”" if self.search_text.strip() else "搜索：全部事项"
            shown = f"{self.total_matches} 项，显示前 {n} 项" if self.total_matches > n else f"{n} 项"
            title = f"{what} {shown}（Enter 跳转）"
        else:
            where = self.dim_label(self.dimension) if self.dimension else "全部维度"
            title = f"{where} · {n} 项"
        if active(self.filters):
            title += f" · 筛选：{describe(self.filters)}"
        if self.sort is not None:
            title += f" · {describe_sort(self.sort)}"
        pane = self.query_one("#table-pane")
        width = pane.size.width
        if not width:  # not laid out yet: as wide as the layout will make it
            outer = expected_width(pane)
            width = outer - pane.styles.gutter.width if outer else 66
        title = fit(title, max(10, width - 6))
        if pane.border_title != title:  # an unchanged title must not cost a repaint
            pane.border_title = title

    def show_detail(self, uid: str | None = None) -> None:
        uid = uid or self.current_uid()
        if uid and not self.db.loaded("items"):
            # The list came from the index; the full records are being parsed.
            self.query_one(ItemDetail).show(None, empty_hint="正在载入详情……")
            self.call_after_refresh(self.load_items)  # after the first frame: the parse holds the GIL
            return
        item = self.db.table_dict("items").get(uid) if uid else None
        if item is None:
            if self.search_text is not None:
                hint = "没有找到匹配的事项。"
            elif active(self.filters):
                hint = "没有符合筛选条件的事项。按 Esc 清除筛选。"
            else:
                hint = "这里还没有整改事项。按 n 新建一个。"
            self.query_one(ItemDetail).show(None, empty_hint=hint)
            return
        from storage.carry import links  # 接续上年度, both ways (not needed for the first frame)

        self.query_one(ItemDetail).show(item, self.dim_label(item.get("dimension")), links=links(self.db, item))

    def refresh_from_db(self) -> bool:
        """Called by the app's poll: redraw when the files changed on disk (another user's save).
        Not before the screen has mounted: its on_mount picks the campaign and dimension, and a
        redraw before that would settle on every dimension of the first campaign."""
        if not self.is_mounted or self.db.version_of("items") == self.rendered_version:
            return False
        self.reload()
        return True

    # ------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#items")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.row_key.value if event.row_key else None)

    @on(DataTable.RowSelected, "#items")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """A click on the selected row (Enter goes to action_activate_row)."""
        event.stop()
        self.table.move_cursor(row=event.cursor_row)
        self.action_activate_row()

    def action_activate_row(self) -> None:
        """Enter on the table: a search result jumps to its item, an item opens in the form."""
        if self.search_text is not None:
            self.jump_to(self.current_uid())
        else:
            self.action_edit_item()

    @on(Tree.NodeHighlighted, "#sidebar")
    def _node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        ref: NodeRef | None = event.node.data
        if ref is None or ref.kind not in ("campaign", "dimension"):
            return
        if not self.sidebar.has_focus:
            return  # the tree moved by itself (rebuilt, mounted): only the user's moves count
        dim = ref.dimension or None
        if (ref.campaign, dim) == (self.campaign_uid, self.dimension) and self.search_text is None:
            return
        if ref.campaign != self.campaign_uid:
            self.subject = SUBJECT_GROUP
        self.campaign_uid, self.dimension = ref.campaign, dim
        self._close_search()
        self.reload(sidebar=ref.kind == "campaign")

    @on(Tree.NodeSelected, "#sidebar")
    def _node_selected(self, event: Tree.NodeSelected) -> None:
        ref: NodeRef | None = event.node.data
        if ref is None:
            return
        if ref.kind == "liaison":
            self.action_liaison()
        elif ref.kind == "export":
            self.action_export()
        elif ref.kind == "dimension":
            self.table.focus()

    def on_resize(self) -> None:
        if self.campaign_uid is not None and self.is_mounted:
            self._title_table(self.table.row_count)
