"""三联系 · 人员: the roll, filterable by 身份/党派/界别/专委会, with a person's page below."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from storage import ZhenggaiError
from storage.database import Database
from storage.dates import today
from storage.liaison import contacts_for_person, delete_impact, delete_person, link_active, person_links, save_person
from storage.models import PARTIES, PERSON_FIELDS, ROLES, FieldSpec

from .cells import fit
from .liaison_common import LiaisonTable

FILTERS = (("role", "身份"), ("party", "党派"), ("sector", "界别"), ("committee", "专委会"))


def person_page(db: Database, uid: str) -> Text:
    """A person's page: who they are, whom they contact, who contacts them, recent contacts."""
    persons = db.table_dict("persons")
    p = persons.get(uid)
    t = Text()
    if p is None:
        return t
    t.append(p.get("name", ""), style="bold")
    facts = [p.get(k, "") for k in ("role", "party", "sector", "committee") if p.get(k)]
    t.append("  " + " · ".join(facts))
    if not p.get("active", True):
        t.append("  （已不在册）", style="bold red")
    t.append("\n")
    if p.get("unit_title") or p.get("phone"):
        t.append(f"单位职务：{p.get('unit_title') or '—'}  电话：{p.get('phone') or '—'}\n", style="dim")
    links = person_links(db, uid)

    def names(ls: list[dict[str, Any]], key: str) -> str:
        parts = []
        for l in sorted(ls, key=lambda l: l.get("tier", "")):
            who = persons.get(l.get(key) or "", {}).get("name") or f"界别群众：{l.get('to_group', '')}"
            ended = "" if link_active(l) or (l.get("since") or "") > today().isoformat() else "（已结束）"
            parts.append(f"{who}{ended}")
        return "、".join(parts) or "（无）"

    t.append("联系谁：", style="bold")
    t.append(names(links["outgoing"], "to_person") + "\n")
    t.append("谁联系他：", style="bold")
    t.append(names(links["incoming"], "from_person") + "\n")
    recent = contacts_for_person(db, uid)[:3]
    t.append("最近联系：", style="bold")
    if not recent:
        t.append("（无记录）")
    for c in recent:
        t.append(f"\n  {c.get('date', '')} {c.get('mode', '')} {fit(c.get('summary', ''), 48)}")
    return t


class PeoplePane(Vertical):
    """The people tab. Posts :class:`PeoplePane.ShowContacts` and :class:`PeoplePane.NewLink`."""

    DEFAULT_CSS = """
    PeoplePane { height: 1fr; }
    PeoplePane #people-filter { height: 1; color: $text-muted; padding: 0 1; }
    PeoplePane #people-table { height: 1fr; min-height: 4; }
    PeoplePane #people-page { height: 8; border-top: solid $primary-darken-2; padding: 0 1; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("n", "new", "新增", tooltip="新增人员"),
        Binding("e", "edit", "编辑", tooltip="编辑选中的人员"),
        Binding("d", "delete", "删除", tooltip="删除选中的人员（先确认；联系关系结束，记录保留）"),
        Binding("f", "filter", "筛选", show=False, tooltip="按身份、党派、界别、专委会筛选"),
        Binding("l", "link", "建联系", show=False, tooltip="为选中的人员建立联系关系"),
        Binding("r", "contacts", "联系记录", tooltip="查看与此人有关的联系记录"),
        Binding("i", "import_csv", "导入", show=False, tooltip="从 CSV 文件导入人员"),
        Binding("o", "export_csv", "导出", show=False, tooltip="把人员名单导出为 CSV"),
        Binding("a", "toggle_inactive", "含不在册", show=False, tooltip="显示或隐藏已不在册的人员"),
    ]

    class ShowContacts(Message):
        def __init__(self, person: str) -> None:
            super().__init__()
            self.person = person

    class NewLink(Message):
        def __init__(self, person: dict[str, Any]) -> None:
            super().__init__()
            self.person = person

    def __init__(self, db: Database, **kw: Any) -> None:
        super().__init__(**kw)
        self.db = db
        self.filters: dict[str, str] = {}
        self.show_inactive = False

    def compose(self) -> ComposeResult:
        yield Static("", id="people-filter", markup=False)
        yield LiaisonTable(id="people-table")
        yield Static("", id="people-page", markup=False)

    @property
    def table(self) -> LiaisonTable:
        return self.query_one("#people-table", LiaisonTable)

    def on_mount(self) -> None:
        self.table.add_column("姓名", key="name", width=10)
        self.table.add_column("身份", key="role", width=8)
        self.table.add_column("党派", key="party", width=8)
        self.table.add_column("界别", key="sector", width=12)
        self.table.add_column("专委会", key="committee", width=16)
        self.table.add_column("联系", key="links", width=6)
        self.reload()

    # ------------------------------------------------------------ data

    def visible(self) -> list[dict[str, Any]]:
        order = {r: n for n, r in enumerate(ROLES)}
        out = [
            p
            for p in self.db.table_dict("persons").values()
            if (self.show_inactive or p.get("active", True)) and all(p.get(k, "") == v for k, v in self.filters.items() if v)
        ]
        out.sort(key=lambda p: (order.get(p.get("role", ""), 9), p.get("name", "")))
        return out

    def reload(self) -> None:
        keep = self.table.current_key
        self.table.clear()
        counts: dict[str, int] = {}
        for l in self.db.table_dict("links").values():
            if link_active(l):
                for k in (l.get("from_person"), l.get("to_person")):
                    if k:
                        counts[k] = counts.get(k, 0) + 1
        people = self.visible()
        for p in people:
            name = p.get("name", "") + ("（不在册）" if not p.get("active", True) else "")
            self.table.add_row(
                fit(name, 10), p.get("role", ""), p.get("party", ""), fit(p.get("sector", ""), 12),
                fit(p.get("committee", ""), 16), str(counts.get(p["uid"], 0)), key=p["uid"],
            )
        self.table.select_key(keep)
        active = {k: v for k, v in self.filters.items() if v}
        total = sum(1 for p in self.db.table_dict("persons").values() if p.get("active", True))
        if active:
            desc = "，".join(f"{dict(FILTERS)[k]}={v}" for k, v in active.items())
            self.query_one("#people-filter", Static).update(f"筛选：{desc}（{len(people)}/{total} 人） f 修改筛选")
        else:
            self.query_one("#people-filter", Static).update(f"共 {total} 人 · f 筛选 · i 导入 CSV · l 建立联系")
        self.show_page()

    def show_page(self) -> None:
        key = self.table.current_key
        page = self.query_one("#people-page", Static)
        if key is None:
            page.update("还没有人员。按 n 新增，或按 i 从 CSV 文件导入名单。" if not self.filters else "没有符合筛选条件的人员。")
        else:
            page.update(person_page(self.db, key))

    @on(DataTable.RowHighlighted, "#people-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_page()

    def current(self) -> dict[str, Any] | None:
        key = self.table.current_key
        return self.db.get("persons", key) if key else None

    @on(DataTable.RowSelected, "#people-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # ------------------------------------------------------------ actions

    def action_new(self) -> None:
        self._edit(None)

    def action_edit(self) -> None:
        p = self.current()
        if p is None:
            self.app.notify("请先选中一名人员", severity="warning")
            return
        self._edit(p)

    def _edit(self, person: dict[str, Any] | None) -> None:
        from ..screens.record_edit import RecordEditScreen

        db = self.db
        uid = person["uid"] if person else None

        def save(values: dict[str, Any]) -> dict[str, Any]:
            return save_person(db, values, uid=uid, expected_rev=values.get("rev") if uid else None)

        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.reload()
                self.table.select_key(saved["uid"])
                self.app.notify(f"已保存：{saved.get('name', '')}")

        title = f"编辑人员：{person.get('name', '')}" if person else "新增人员"
        self.app.push_screen(RecordEditScreen(title, PERSON_FIELDS, person or {}, save), done)

    @work(exclusive=True, group="people-delete")
    async def action_delete(self) -> None:
        from ..screens.dialogs import ConfirmDialog

        p = self.current()
        if p is None:
            self.app.notify("请先选中一名人员", severity="warning")
            return
        if not p.get("active", True):
            self.app.notify(f"{p.get('name', '')}已不在册", severity="warning")
            return
        impact = delete_impact(self.db, p["uid"])
        if impact["links"] or impact["contacts"]:
            msg = (
                f"删除“{p.get('name', '')}”（{p.get('role', '')}）？\n"
                f"其 {impact['links']} 条联系关系将于今天结束（不会抹去），"
                f"{impact['contacts']} 条联系记录保留在历史中；此人标记为不在册。"
            )
        else:
            msg = f"删除“{p.get('name', '')}”（{p.get('role', '')}）？此人没有联系关系和记录，将被彻底删除。"
        if not await self.app.push_screen_wait(ConfirmDialog(msg, confirm_label="删除", title="删除人员")):
            return
        try:
            delete_person(self.db, p["uid"])
        except ZhenggaiError as e:
            self.app.notify(str(e), severity="error")
            return
        self.app.notify(f"已删除：{p.get('name', '')}")
        self.post_message(PeoplePane.Changed())
        self.reload()

    class Changed(Message):
        """People, links or contacts changed here: the other tabs should reload."""

    @work(exclusive=True, group="people-filter")
    async def action_filter(self) -> None:
        from ..screens.dialogs import PromptDialog

        persons = [p for p in self.db.table_dict("persons").values() if p.get("active", True)]

        def opts(key: str) -> tuple[tuple[str, str], ...]:
            return tuple((v, v) for v in sorted({p.get(key, "") for p in persons} - {""}))

        fields = [
            FieldSpec("role", "身份", "choice", choices=tuple((r, r) for r in ROLES)),
            FieldSpec("party", "党派", "choice", choices=tuple((p, p) for p in PARTIES)),
            FieldSpec("sector", "界别", "choice", choices=opts("sector")),
            FieldSpec("committee", "专委会", "choice", choices=opts("committee")),
        ]
        result = await self.app.push_screen_wait(
            PromptDialog("筛选人员", fields, self.filters, message="留空表示不限；Ctrl+S 确定，Esc 取消。")
        )
        if result is None:
            return
        self.filters = {k: v for k, v in result.items() if v}
        self.reload()

    def action_toggle_inactive(self) -> None:
        self.show_inactive = not self.show_inactive
        self.reload()

    def action_link(self) -> None:
        p = self.current()
        if p is None:
            self.app.notify("请先选中一名人员", severity="warning")
            return
        self.post_message(PeoplePane.NewLink(p))

    def action_contacts(self) -> None:
        key = self.table.current_key
        if key:
            self.post_message(PeoplePane.ShowContacts(key))

    @work(exclusive=True, group="people-import")
    async def action_import_csv(self) -> None:
        from storage import people_csv

        from ..screens.dialogs import PromptDialog
        from ..screens.liaison_import import ImportPreviewScreen

        fields = [FieldSpec("path", "CSV 文件路径", required=True, max_len=1000, placeholder="如 /home/me/名单.csv",
                            help="表头：姓名,身份,党派,界别,专委会,单位职务,电话")]
        got = await self.app.push_screen_wait(PromptDialog("从 CSV 导入人员", fields, {}))
        if not got:
            return
        import os

        path = os.path.expanduser(got["path"])
        try:
            plan = people_csv.plan_import(self.db, path)
        except ZhenggaiError as e:
            self.app.notify(str(e), severity="error", timeout=8)
            return
        if not await self.app.push_screen_wait(ImportPreviewScreen(plan)):
            self.app.notify("已取消导入，未写入任何数据。")
            return
        try:
            result = people_csv.apply(self.db, plan)
        except ZhenggaiError as e:
            self.app.notify(str(e), severity="error", timeout=8)
            return
        extra = f"，{len(result['skipped'])} 行因刚被他人录入而跳过" if result["skipped"] else ""
        self.app.notify(f"已导入 {result['imported']} 名人员{extra}。")
        self.post_message(PeoplePane.Changed())
        self.reload()

    @work(exclusive=True, group="people-export")
    async def action_export_csv(self) -> None:
        import os

        from storage import people_csv, settings

        from ..fetch_hint import fetch_hint
        from ..screens.dialogs import PromptDialog

        fields = [FieldSpec("path", "导出到（CSV 文件或文件夹）", required=True, max_len=1000, placeholder="如 /home/me/人员名单.csv"),
                  FieldSpec("force", "文件已存在时覆盖", "bool")]
        folder = settings.export_dir()  # the folder of this user's last export
        initial = {"path": os.path.join(folder, people_csv.DEFAULT_EXPORT_NAME)} if folder else {}
        got = await self.app.push_screen_wait(PromptDialog("导出人员名单", fields, initial))
        if not got:
            return
        try:
            n, written = people_csv.write_export(self.db, got["path"], force=got.get("force", False))
        except ZhenggaiError as e:
            self.app.notify(str(e), severity="error", timeout=8)
            return
        settings.remember_export(written)
        self.app.notify(f"已导出 {n} 名人员到 {written}\n{fetch_hint(written)}", timeout=15)
