"""The workspace: sidebar tree, item table and detail pane (DESIGN §7)."""

from __future__ import annotations

import os
from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Tree

from storage import ZhenggaiError
from storage.models import SUBJECT_GROUP
from storage.queries import DEADLINE_OVERDUE, deadline_state, item_rows, search_items, subjects

from .. import lazy
from ..widgets.item_detail import ItemDetail
from ..widgets.cells import fit
from ..widgets.footer import KeysFooter
from ..widgets.first_layout import expect_scrollbars, expected_width
from ..widgets.item_table import ItemTable, legend
from ..widgets.sidebar import NodeRef, Sidebar
from ..widgets.title_bar import TitleBar
from ..filters import EMPTY as NO_FILTER
from ..filters import active, describe


MAX_SEARCH_ROWS = 300


def menu(*args: Any, **kw: Any):
    """A MenuScreen (imported on first use: start-up shows none)."""
    from .menu import MenuScreen

    return MenuScreen(*args, **kw)


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


class MainScreen(Screen):
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
        Binding("x", "export", "导出", tooltip="导出 Word 文档"),
        Binding("i", "import", "导入", show=False, tooltip="导入对照检查材料（.docx/.txt）或整改台账（.xlsx/.csv）"),
        Binding("s", "subject", "主体", show=False, tooltip="切换材料主体：党组班子或个人"),
        Binding("c", "campaign", "活动", show=False, tooltip="编辑、新建或删除整改活动，编辑维度"),
        Binding("o", "outline", "材料段落", show=False, tooltip="编辑前言、原因剖析、努力方向等段落"),
        Binding("l", "liaison", "三联系", show=False, tooltip="打开三联系工作"),
        Binding("h", "history", "修改记录", show=False, tooltip="谁在何时改了选中事项的什么（留痕）"),
        Binding("y", "opinions", "征求意见", show=False, tooltip="会前征求的意见建议：列表、转为问题、导入"),
        Binding("m", "move", "移到维度", show=False, tooltip="把选中的事项移到另一个维度"),
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
        self.rendered_version = -1
        self.total_matches = 0

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="body"):
            with Vertical(id="side-pane"):
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
        self.query_one("#table-pane").border_subtitle = legend()
        # Textual hides the screen's (empty) notification rack only after the first frame, and
        # creates its (always shown, overflow-y: scroll) scrollbar later still: each costs
        # another layout. Hide it now and give it its scrollbar; it shows itself when a
        # notification comes.
        for rack in self.query("#textual-toastrack"):
            rack.display = False
            expect_scrollbars(rack)
        camps = self.campaigns()
        if camps and self.campaign_uid is None:
            self.campaign_uid = camps[0]["uid"]
            dims = camps[0].get("dimensions") or []
            self.dimension = dims[0]["key"] if dims else None
        self.reload(counts=False)  # the per-dimension counts walk every item: after the first paint
        self.table.focus()
        if os.environ.get("ZHENGGAI_EXIT_ON_READY") == "1":
            self.app.call_after_refresh(self.app.exit_when_painted)
        self.call_after_refresh(self.update_counts)

    def load_items(self) -> None:
        """Parse the items file in a thread (once), then fill the detail pane."""
        if self.db.loaded("items") or any(w.group == "load-items" for w in self.workers):
            return
        ready = os.environ.get("ZHENGGAI_EXIT_ON_READY")
        if ready == "1":
            return  # the benchmark quits on the first frame, which this work comes after

        def work() -> None:
            try:
                self.db.table_dict("items")
            except ZhenggaiError as e:
                self.app.call_from_thread(self.notify, str(e), title="读取数据失败", severity="error", timeout=15)
                return
            self.app.call_from_thread(self.show_detail)
            if ready == "full":  # benchmark: memory of the workspace with every item parsed
                self.app.call_from_thread(self.app.exit)
            elif ready == "liaison":  # benchmark: ... and then the 三联系 screen opened
                self.app.call_from_thread(self.action_liaison)

        self.run_worker(work, thread=True, group="load-items", exit_on_error=False)

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
        return sorted(self.db.all("campaigns"), key=lambda c: (-(c.get("year") or 0), c.get("created", "")))

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
        """Run a storage call; show its Chinese message instead of a traceback."""
        try:
            return fn(*args, **kw)
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
        return apply_filters(items, self.filters)

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
        self.table.show_items(items, seq_labels, keep=select)
        self._title_table(len(items))
        self.show_detail()
        self.rendered_version = self.db.version

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
        """Called by the app's poll: redraw when the files changed on disk (another user's save)."""
        if self.db.version == self.rendered_version:
            return False
        self.reload()
        return True

    # ------------------------------------------------------------ events

    @on(DataTable.RowHighlighted, "#items")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail(event.row_key.value if event.row_key else None)

    @on(DataTable.RowSelected, "#items")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.search_text is not None:
            self.jump_to(event.row_key.value)
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
        if self.table.row_count:
            self.table.focus()
        else:
            self.notify("没有找到匹配的事项", severity="warning")

    def on_resize(self) -> None:
        if self.campaign_uid is not None and self.is_mounted:
            self._title_table(self.table.row_count)

    # ------------------------------------------------------------ navigation

    def action_dimension(self, n: int) -> None:
        dims = self.dims()
        if not 1 <= n <= len(dims):
            self.notify(f"本活动只有 {len(dims)} 个维度", severity="warning")
            return
        self._close_search()
        self.dimension = dims[n - 1]["key"]
        self.reload()
        self.table.focus()

    def jump_to(self, uid: str | None) -> None:
        """From a search result to the item in its own dimension and subject."""
        item = self.db.light("items").get(uid) if uid else None
        if item is None:
            return
        self._close_search()
        self.campaign_uid = item.get("campaign")
        self.dimension = item.get("dimension")
        self.subject = item.get("subject") or SUBJECT_GROUP
        self.filters = dict(NO_FILTER)
        self.reload(select=uid)
        self.table.focus()

    async def search_box(self):
        """The search field: the search bar (label and Input, hidden) is built on first use,
        above the table, so that the first frame has neither."""
        from textual.widgets import Input, Label

        found = self.query("#search")
        if found:
            return found.first(Input)
        box = Input(placeholder="输入关键词，空格分隔（Enter 到结果，Esc 关闭）", id="search")
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

    def action_subject(self) -> None:
        if self.campaign_uid is None:
            return
        names = self.attempt(subjects, self.db, self.campaign_uid) or [SUBJECT_GROUP]
        options = [(s, s if s == SUBJECT_GROUP else f"个人：{s}") for s in names]

        def done(value: str | None) -> None:
            if value and value != self.subject:
                self.subject = value
                self._close_search()
                self.reload()

        self.app.push_screen(
            menu("材料主体", options, current=self.subject, note="新建个人事项时在表单的“材料主体”中填写姓名"),
            done,
        )

    # ------------------------------------------------------------ item actions

    def _after_save(self, result: dict | None) -> None:
        if isinstance(result, dict) and result.get("uid"):
            if self.search_text is None and result.get("campaign") == self.campaign_uid:
                if self.dimension is not None:
                    self.dimension = result.get("dimension") or self.dimension
                self.subject = result.get("subject") or self.subject
            self.reload(select=result["uid"])
        else:
            self.reload()
        self.table.focus()

    def action_new_item(self) -> None:
        if self.campaign_uid is None:
            self.notify("请先新建整改活动", severity="warning")
            return
        dims = self.dims()
        dim = self.dimension or (dims[0]["key"] if dims else None)
        lazy.push(self.app, "item_form", "ItemFormScreen", self.db, self.campaign_uid, None,
                  dimension=dim, subject=self.subject, callback=self._after_save)

    def action_edit_item(self) -> None:
        item = self.current_item()
        if item is None:
            return
        lazy.push(self.app, "item_form", "ItemFormScreen", self.db, item["campaign"], item,
                  dimension=item.get("dimension"), subject=item.get("subject") or SUBJECT_GROUP,
                  callback=self._after_save)

    def action_delete_item(self) -> None:
        item = self.current_item()
        if item is None:
            return

        from storage.opinions import delete_item, item_opinions  # opinions that became it are detached

        def done(ok: bool | None) -> None:
            if ok:
                if self.attempt(delete_item, self.db, item["uid"], expected_rev=item.get("rev")) is not None:
                    self.notify(f"已删除：{fit(item.get('title', ''), 30)}")
            self.reload()

        n = len(item_opinions(self.db, item["uid"]))
        extra = f"\n它来自 {n} 条征求意见，这些意见将改为“未转为问题”。" if n else ""
        lazy.push(self.app, "dialogs", "ConfirmDialog",
                  f"确定删除事项“{fit(item.get('title', ''), 40)}”吗？\n删除会记入留痕，可从备份恢复。{extra}",
                  confirm_label="删除", callback=done)

    def action_status_action(self) -> None:
        item = self.current_item()
        if item is None:
            return
        from storage.items import TRANSITIONS, available_actions  # (not needed for the first frame)

        actions = available_actions(item)
        if not actions:
            self.notify(f"“{item.get('status')}”状态没有可用的操作", severity="warning")
            return
        options = [(a, TRANSITIONS[a][2]) for a in actions]

        def chosen(action: str | None) -> None:
            if action:
                lazy.push(self.app, "item_actions", "ItemActionScreen", self.db, item, action,
                          callback=self._after_save)

        self.app.push_screen(menu(f"状态：{item.get('status')}", options), chosen)

    def action_progress(self) -> None:
        item = self.current_item()
        if item is None:
            return
        lazy.push(self.app, "item_actions", "ProgressNoteScreen", self.db, item, callback=self._after_save)

    def action_history(self) -> None:
        uid = self.current_uid()
        if uid is None:
            return
        row = self.db.light("items").get(uid) or {}
        lazy.push(self.app, "history", "HistoryScreen", self.db, "items", uid, row.get("title") or uid)

    def action_move(self) -> None:
        item = self.current_item()
        if item is None:
            return
        options = [(d["key"], f"{n} {d.get('short') or ''}  {d.get('title', '')}")
                   for n, d in enumerate(self.dims(), 1) if d["key"] != item.get("dimension")]
        if not options:
            self.notify("本活动只有一个维度", severity="warning")
            return

        def chosen(key: str | None) -> None:
            if not key:
                return
            from storage.items import move_item

            moved = self.attempt(move_item, self.db, item["uid"], key)
            if moved:
                if self.dimension is not None:
                    self.dimension = key
                self.notify(f"已移到：{self.dim_label(key)}")
                self.reload(select=moved["uid"])

        self.app.push_screen(menu("移到维度", options), chosen)

    def action_reorder(self, delta: int) -> None:
        item = self.current_item()
        if item is None:
            return
        if self.search_text is not None or self.dimension is None:
            self.notify("请先在侧栏选中一个维度，再调整事项顺序", severity="warning")
            return
        from storage.items import reorder_item

        if self.attempt(reorder_item, self.db, item["uid"], delta) is not None:
            self.reload(select=item["uid"])

    # ------------------------------------------------------------ other screens

    def action_export(self) -> None:
        lazy.push(self.app, "export_dialog", "ExportDialog", self.db, self.campaign_uid, subject=self.subject,
                  callback=lambda _r: self.reload())

    def action_import(self) -> None:
        lazy.push(self.app, "import_screen", "ImportScreen", self.db, self.campaign_uid, callback=self._after_import)

    def _after_import(self, result: dict | None) -> None:
        camp = self.db.table_dict("campaigns").get(result["campaign"]) if result else None
        self._after_campaign(camp)

    def action_carry(self) -> None:
        """接续上年度: unfinished items of an earlier campaign into this one."""
        if self.campaign_uid is None:
            return
        from .carry_flow import start_carry

        def done(key: str) -> None:
            self.dimension = key
            self.reload()

        start_carry(self.app, self.db, self.campaign_uid, done)

    def action_liaison(self) -> None:
        lazy.push(self.app, "liaison", "LiaisonScreen", self.db, callback=lambda _r: self.reload())

    def action_opinions(self) -> None:
        """征求意见 of the campaign; v there comes back here with the problem selected."""
        if self.campaign_uid is None:
            self.notify("请先新建整改活动", severity="warning")
            return

        def done(result: dict | None) -> None:
            if isinstance(result, dict) and result.get("item"):
                self.jump_to(result["item"])
            else:
                self.reload()

        lazy.push(self.app, "opinions", "OpinionsScreen", self.db, self.campaign_uid, callback=done)

    def action_outline(self) -> None:
        if self.campaign_uid is None:
            return
        lazy.push(self.app, "outline_edit", "OutlineScreen", self.db, self.campaign_uid, self.subject,
                  callback=lambda _r: self.reload())

    def action_campaign(self) -> None:
        camp = self.campaign()
        options = [("new", "新建整改活动")]
        if camp:
            options = [("edit", "编辑本活动（名称、类型、年度……）"), ("dims", "编辑整改维度（标题、简称）"),
                       *options, ("carry", "接续上年度未销号的事项"), ("delete", "删除本活动及其全部事项")]

        def chosen(value: str | None) -> None:
            if value == "new":
                lazy.push(self.app, "campaign_form", "CampaignFormScreen", self.db, None, callback=self._after_campaign)
            elif value == "edit" and camp:
                lazy.push(self.app, "campaign_form", "CampaignFormScreen", self.db, camp, callback=self._after_campaign)
            elif value == "dims" and camp:
                lazy.push(self.app, "dimensions_edit", "DimensionsScreen", self.db, camp["uid"],
                          callback=lambda _r: self.reload())
            elif value == "carry" and camp:
                self.action_carry()
            elif value == "delete" and camp:
                self._delete_campaign(camp)

        title = f"整改活动：{fit(camp.get('name', ''), 30)}" if camp else "整改活动"
        self.app.push_screen(menu(title, options), chosen)

    def _after_campaign(self, result: dict | None) -> None:
        if isinstance(result, dict) and result.get("uid"):
            if result["uid"] != self.campaign_uid:
                self.campaign_uid = result["uid"]
                dims = result.get("dimensions") or []
                self.dimension = dims[0]["key"] if dims else None
                self.subject = SUBJECT_GROUP
                self._close_search()
        self.reload()

    def _delete_campaign(self, camp: dict[str, Any]) -> None:
        n = len(item_rows(self.db, camp["uid"]))

        def done(ok: bool | None) -> None:
            from storage.items import delete_campaign

            if ok and self.attempt(lambda: delete_campaign(self.db, camp["uid"]) or True):
                self.notify(f"已删除整改活动：{camp.get('name', '')}（删除前已备份）")
            self.reload()

        lazy.push(self.app, "dialogs", "ConfirmDialog",
                  f"确定删除整改活动“{camp.get('name', '')}”及其 {n} 个事项吗？\n删除前会自动备份。",
                  confirm_label="删除", callback=done)
