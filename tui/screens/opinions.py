"""征求意见 (y in the workspace): the opinions collected before the meeting, for one campaign.

A list (征求意见第 N 条, 日期, 渠道, 来源, 维度, the problem it became, the content) filtered by
dimension, source kind and whether it became a problem; below it the selected opinion in full.
Add, edit and delete in the generic form; turn an opinion into a new problem (the item form,
pre-filled) or attach it to an existing one; import a CSV or Excel table, export a CSV.
Esc returns to the workspace (with ``{"item": uid}`` after v, which selects that problem there).
"""

from __future__ import annotations

import os
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from storage import ZhenggaiError
from storage.database import Database
from storage.models import SUBJECT_GROUP, FieldSpec
from storage.opinions import attach, delete_opinion, detach, opinion_counts, opinions_for, source_label
from storage.queries import item_rows

from ..widgets.cells import fit
from ..widgets.liaison_common import LiaisonTable
from .opinion_forms import filter_fields

DETAIL_CHARS = 2000  # of a long content in the pane; the form shows it all
FIXED = (("seq", "序号", 4), ("date", "日期", 10), ("channel", "渠道", 8), ("source", "来源", 8),
         ("dim", "维度", 8), ("item", "问题", 5))
# Narrower than this, the date shows as 01-10 and the dimension only below the list.
NARROW = 76
FIXED_NARROW = (("seq", "序号", 4), ("date", "日期", 5), ("channel", "渠道", 8), ("source", "来源", 8), ("item", "问题", 5))


class OpinionsScreen(Screen[dict | None]):
    DEFAULT_CSS = """
    OpinionsScreen #op-filter { height: 1; color: $text-muted; padding: 0 1; }
    OpinionsScreen #op-table { height: 1fr; min-height: 4; }
    OpinionsScreen #op-detail { height: 7; border-top: solid $primary-darken-2; padding: 0 1; }
    """
    TITLE = "征求意见"
    BINDINGS = [
        Binding("escape", "back", "返回", tooltip="返回工作台"),
        Binding("n", "new", "新增", tooltip="新增一条征求意见"),
        Binding("e", "edit", "编辑", tooltip="编辑选中的意见（也可按 Enter）"),
        Binding("d", "delete", "删除", show=False, tooltip="删除选中的意见（需确认；其编号不再使用）"),
        Binding("t", "convert", "转为问题", tooltip="以选中的意见新建整改问题（表单已预填）"),
        Binding("a", "attach", "归入", tooltip="把选中的意见归入已有的整改问题"),
        Binding("u", "detach", "取消归入", show=False, tooltip="选中的意见不再对应整改问题"),
        Binding("v", "goto", "查看问题", show=False, tooltip="回到工作台，选中这条意见对应的问题"),
        Binding("f", "filter", "筛选", show=False, tooltip="按整改维度、来源类别、是否已转为问题筛选"),
        Binding("i", "import_file", "导入", show=False, tooltip="从 CSV 或 Excel 表导入征求意见"),
        Binding("o", "export_csv", "导出", show=False, tooltip="把本活动的征求意见导出为 CSV"),
    ]

    def __init__(self, db: Database, campaign_uid: str) -> None:
        super().__init__()
        self.db = db
        self.campaign_uid = campaign_uid
        self.campaign = db.require("campaigns", campaign_uid)
        self.filters: dict[str, str] = {}
        self.shown: list[dict[str, Any]] = []
        self.narrow = False
        self._seen_version = -1

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="op-filter", markup=False)
        yield LiaisonTable(id="op-table")
        with VerticalScroll(id="op-detail"):
            yield Static("", id="op-detail-body")
        yield Footer()

    @property
    def table(self) -> LiaisonTable:
        return self.query_one("#op-table", LiaisonTable)

    def on_mount(self) -> None:
        self.sub_title = self.campaign.get("name", "")
        self.narrow = self.app.size.width < NARROW
        fixed = FIXED_NARROW if self.narrow else FIXED
        rest = self.app.size.width - sum(w + 2 for *_, w in fixed) - 4
        for key, label, width in fixed:
            self.table.add_column(label, key=key, width=width)
        self.table.add_column("意见内容", key="content", width=max(12, rest))
        self.reload()
        self.table.focus()

    # ------------------------------------------------------------ data

    def labels(self) -> tuple[dict[str, str], dict[str, str]]:
        """Dimension key -> short label; item uid -> “2.3” (dimension number, item number)."""
        dims = self.campaign.get("dimensions") or []
        short = {d["key"]: d.get("short") or d.get("title", "") for d in dims}
        order = {d["key"]: n for n, d in enumerate(dims, 1)}
        items = {i["uid"]: f"{order.get(i.get('dimension'), '?')}.{i.get('seq') or ''}"
                 for i in item_rows(self.db, self.campaign_uid)}
        return short, items

    def reload(self) -> None:
        camp = self.db.table_dict("campaigns").get(self.campaign_uid)
        if camp is None:
            self.notify("该整改活动已被其他用户删除。", severity="warning")
            self.dismiss(None)
            return
        self.campaign = camp
        keep = self.table.current_key
        f = self.filters
        converted = {"yes": True, "no": False}.get(f.get("converted", ""))
        self.shown = opinions_for(self.db, self.campaign_uid, dimension=f.get("dimension") or None,
                                  source_kind=f.get("source_kind") or None, converted=converted)
        short, items = self.labels()
        width = self.table.columns["content"].width
        self.table.clear()
        columns = [str(c.value) for c in self.table.columns]
        for o in self.shown:
            date = o.get("date") or ""
            cells = {
                "seq": str(o.get("seq") or ""), "date": date[5:] if self.narrow else date,
                "channel": o.get("channel") or "", "source": o.get("source_kind") or "",
                "dim": fit(short.get(o.get("dimension") or "", ""), 8), "item": items.get(o.get("item") or "", ""),
                "content": fit(o.get("content") or "", width),
            }
            self.table.add_row(*(cells[c] for c in columns), key=o["uid"])
        self.table.select_key(keep)
        self._seen_version = self.db.version
        self.show_filter()
        self.show_detail()

    def show_filter(self) -> None:
        c = opinion_counts(self.db, self.campaign_uid)
        active = {k: v for k, v in self.filters.items() if v}
        if active:
            names = {f.name: f for f in filter_fields(self.campaign)}
            desc = "，".join(f"{names[k].label}={names[k].choice_label(v)}" for k, v in active.items())
            text = f"筛选：{desc}（{len(self.shown)}/{c['total']} 条） f 修改筛选"
        elif c["total"]:
            text = (f"共 {c['total']} 条，已转为问题 {c['converted']} 条，归纳为 {c['dimensions']} 个方面"
                    " · f 筛选 · i 导入 · o 导出")
        else:
            text = "还没有征求意见 · n 新增 · i 从 CSV/Excel 导入"
        self.query_one("#op-filter", Static).update(text)

    def current(self) -> dict[str, Any] | None:
        key = self.table.current_key
        return self.db.get("opinions", key) if key else None

    def require_current(self) -> dict[str, Any] | None:
        o = self.current()
        if o is None:
            self.notify("请先选中一条意见", severity="warning")
        return o

    def show_detail(self) -> None:
        body = self.query_one("#op-detail-body", Static)
        o = self.current()
        if o is None:
            body.update("还没有征求意见。按 n 新增，或按 i 从 CSV/Excel 表导入。" if not self.filters
                        else "没有符合筛选条件的意见。按 f 修改筛选。")
            return
        short, _ = self.labels()
        t = Text()
        t.append(source_label(o.get("seq")), style="bold")
        facts = [o.get("date"), o.get("channel"), o.get("source_kind"), f"涉及：{o.get('concerns') or SUBJECT_GROUP}",
                 f"维度：{short[o['dimension']]}" if o.get("dimension") in short else "未归类"]
        t.append("  " + " · ".join(x for x in facts if x) + "\n")
        item = self.db.light("items").get(o.get("item") or "")
        if item is not None:
            t.append("已转为问题：", style="bold")
            t.append(f"{fit(item.get('title', ''), 40)}（{item.get('status', '')}） v 查看\n")
        else:
            t.append("尚未转为问题：t 转为问题，a 归入已有问题\n", style="dim")
        content = o.get("content") or ""
        if len(content) > DETAIL_CHARS:
            t.append(f"（共 {len(content)} 字，这里显示前 {DETAIL_CHARS} 字；按 e 在表单中查看全文）\n", style="dim")
        t.append(content[:DETAIL_CHARS])
        body.update(t)
        self.query_one("#op-detail").scroll_home(animate=False)

    @on(DataTable.RowHighlighted, "#op-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    @on(DataTable.RowSelected, "#op-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def refresh_from_db(self) -> bool:
        """Called by the app's poll: redraw when another user saved."""
        if self.db.version == self._seen_version or not self.is_mounted:
            return False
        self.reload()
        return True

    def attempt(self, fn: Any, *args: Any, **kw: Any) -> Any:
        try:
            return fn(*args, **kw)
        except ZhenggaiError as e:
            self.notify(str(e), title="操作未完成", severity="error", timeout=8)
            return None

    def _select(self, uid: str | None) -> None:
        self.reload()
        self.table.select_key(uid)
        self.show_detail()

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self._form(None)

    def action_edit(self) -> None:
        o = self.require_current()
        if o is not None:
            self._form(o)

    def _form(self, opinion: dict[str, Any] | None) -> None:
        from .opinion_forms import opinion_form

        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self._select(saved["uid"])
                self.notify(f"已保存：{source_label(saved.get('seq'))}")

        form = self.attempt(opinion_form, self.db, self.campaign_uid, opinion)
        if form is not None:
            self.app.push_screen(form, done)

    @work(exclusive=True, group="opinion-delete")
    async def action_delete(self) -> None:
        from .dialogs import ConfirmDialog

        o = self.require_current()
        if o is None:
            return
        label = source_label(o.get("seq"))
        msg = f"删除{label}“{fit(o.get('content', ''), 30)}”？\n其编号不再使用；删除会记入留痕，可从备份恢复。"
        if o.get("item"):
            msg += "\n它对应的整改问题保留，只是问题来源中不再列出这一条。"
        if not await self.app.push_screen_wait(ConfirmDialog(msg, confirm_label="删除", title="删除征求意见")):
            return
        if self.attempt(delete_opinion, self.db, o["uid"], expected_rev=o.get("rev")) is not None:
            self.notify(f"已删除：{label}")
        self.reload()

    def action_convert(self) -> None:
        o = self.require_current()
        if o is None:
            return
        if self.db.light("items").get(o.get("item") or ""):
            self.notify(f"{source_label(o.get('seq'))}已转为问题（按 v 查看，按 u 取消归入后可重新转）", severity="warning")
            return
        from .opinion_forms import OpinionItemFormScreen

        def done(item: dict[str, Any] | None) -> None:
            if item:
                self._select(o["uid"])
                self.notify(f"已转为整改问题：{fit(item.get('title', ''), 30)}（来源：{source_label(o.get('seq'))}）")

        screen = self.attempt(OpinionItemFormScreen, self.db, o)
        if screen is not None:
            self.app.push_screen(screen, done)

    def action_attach(self) -> None:
        o = self.require_current()
        if o is None:
            return
        dims = self.campaign.get("dimensions") or []
        order = {d["key"]: n for n, d in enumerate(dims, 1)}
        options = []
        for i in item_rows(self.db, self.campaign_uid):
            who = "" if (i.get("subject") or SUBJECT_GROUP) == SUBJECT_GROUP else f"〔{i['subject']}〕"
            options.append((i["uid"], fit(f"{order.get(i.get('dimension'), '?')}.{i.get('seq') or ''} {who}{i.get('title', '')}", 60)))
        if not options:
            self.notify("本活动还没有整改问题。可按 t 以这条意见新建一个。", severity="warning")
            return
        from .menu import MenuScreen

        def chosen(uid: str | None) -> None:
            if uid and self.attempt(attach, self.db, o["uid"], uid, expected_rev=o.get("rev")) is not None:
                self._select(o["uid"])
                self.notify(f"已把{source_label(o.get('seq'))}归入问题：{fit(dict(options)[uid], 30)}")

        self.app.push_screen(MenuScreen(f"把{source_label(o.get('seq'))}归入哪个问题", options,
                                        current=o.get("item") or None), chosen)

    def action_detach(self) -> None:
        o = self.require_current()
        if o is None:
            return
        if not o.get("item"):
            self.notify("这条意见还没有对应的问题", severity="warning")
            return
        if self.attempt(detach, self.db, o["uid"], expected_rev=o.get("rev")) is not None:
            self._select(o["uid"])
            self.notify(f"{source_label(o.get('seq'))}不再对应整改问题（问题本身保留）")

    def action_goto(self) -> None:
        o = self.require_current()
        if o is not None and self.db.light("items").get(o.get("item") or ""):
            self.dismiss({"item": o["item"]})
        elif o is not None:
            self.notify("这条意见还没有转为问题", severity="warning")

    @work(exclusive=True, group="opinion-filter")
    async def action_filter(self) -> None:
        from .dialogs import PromptDialog

        got = await self.app.push_screen_wait(
            PromptDialog("筛选征求意见", filter_fields(self.campaign), self.filters, message="留空表示不限；Ctrl+S 确定，Esc 取消。"))
        if got is not None:
            self.filters = {k: v for k, v in got.items() if v}
            self.reload()

    # ------------------------------------------------------------ files

    @work(exclusive=True, group="opinion-import")
    async def action_import_file(self) -> None:
        from .dialogs import PromptDialog
        from .opinion_forms import OpinionImportPreview

        fields = [FieldSpec("path", "文件路径", required=True, max_len=1000, placeholder="如 ~/征求意见汇总.xlsx",
                            help="CSV 或 Excel；表头含日期、渠道、来源类别、意见内容、涉及对象、整改维度")]
        got = await self.app.push_screen_wait(PromptDialog("导入征求意见", fields, {}))
        if not got:
            return
        path = os.path.expanduser(got["path"])
        result = await self._plan(path).wait()
        if isinstance(result, str):
            self.notify(result, title="未能导入", severity="error", timeout=10)
            return
        plan, lines = result
        if not await self.app.push_screen_wait(OpinionImportPreview(plan, lines)):
            self.notify("已取消导入，未写入任何数据。")
            return
        from storage.opinions_io import apply

        done = self.attempt(apply, self.db, plan)
        if done is None:
            return
        extra = f"，{len(done['skipped'])} 行因刚被他人录入而跳过" if done["skipped"] else ""
        self.notify(f"已导入 {done['imported']} 条征求意见{extra}。")
        self.reload()

    @work(thread=True, group="opinion-read")
    def _plan(self, path: str) -> Any:
        """Read the file off the event loop (openpyxl on a big workbook takes a while)."""
        from ..opinions_cmd import plan_file

        try:
            plan = plan_file(self.db, self.campaign, path)
            return plan, plan.lines(self.db, max_rows=200)
        except ZhenggaiError as e:
            return str(e)

    @work(exclusive=True, group="opinion-export")
    async def action_export_csv(self) -> None:
        from storage import settings
        from storage.opinions_io import default_name, write_export

        from ..fetch_hint import fetch_hint
        from .dialogs import PromptDialog

        fields = [FieldSpec("path", "导出到（CSV 文件或文件夹）", required=True, max_len=1000),
                  FieldSpec("force", "文件已存在时覆盖", "bool")]
        folder = settings.export_dir()
        initial = {"path": os.path.join(folder, default_name(self.campaign))} if folder else {}
        got = await self.app.push_screen_wait(PromptDialog("导出征求意见", fields, initial))
        if not got:
            return
        done = self.attempt(write_export, self.db, self.campaign_uid, got["path"], force=got.get("force", False))
        if done is not None:
            n, written = done
            settings.remember_export(written)
            self.notify(f"已导出 {n} 条征求意见到 {written}\n{fetch_hint(written)}", timeout=15)

