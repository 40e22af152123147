"""三联系 · 人员: the roll, filterable by 身份/党派/界别/专委会, with a person's page below."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from storage.database import Database
from storage.dates import today
from storage.liaison import contacts_for_person, link_active, person_links
from storage.models import ROLES

from .cells import fit
from .liaison_common import LiaisonTable
from .liaison_people_search import PeopleSearch, PeopleSearchBar

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
    recent = contacts_for_person(db, uid, limit=3)  # only the quarters that hold them are read
    t.append("最近联系：", style="bold")
    if not recent:
        t.append("（无记录）")
    for c in recent:
        t.append(f"\n  {c.get('date', '')} {c.get('mode', '')} {fit(c.get('summary', ''), 48)}")
    return t


class PeoplePane(PeopleSearch, Vertical):
    """The people tab. Shows the roll; for anything that opens a form or a dialog it posts a
    message (EditPerson, DeletePerson, FilterPeople, ImportPeople, ExportPeople, NewLink,
    ShowContacts) and the screen decides (tui/screens/liaison_actions.py)."""

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
        Binding("slash", "search", "查找", tooltip="按姓名、单位职务、界别、党派或拼音首字母查找人员"),
        Binding("escape", "close_search", "关闭查找", show=False, tooltip="关闭查找，显示全部人员（没有查找时：返回）"),
    ]

    class ShowContacts(Message):
        def __init__(self, person: str) -> None:
            super().__init__()
            self.person = person

    class NewLink(Message):
        def __init__(self, person: dict[str, Any]) -> None:
            super().__init__()
            self.person = person

    class EditPerson(Message):
        """Open the person form: ``person`` None for a new one."""

        def __init__(self, person: dict[str, Any] | None) -> None:
            super().__init__()
            self.person = person

    class DeletePerson(Message):
        def __init__(self, person: dict[str, Any]) -> None:
            super().__init__()
            self.person = person

    class FilterPeople(Message):
        """Ask for new filters (then call set_filters)."""

    class ImportPeople(Message):
        """Import people from a CSV file."""

    class ExportPeople(Message):
        """Export the roll to a CSV file."""

    def __init__(self, db: Database, **kw: Any) -> None:
        super().__init__(**kw)
        self.db = db
        self.filters: dict[str, str] = {}
        self.show_inactive = False
        self.search_text = ""  # the search bar's text: a filter on the rows (storage.finder)

    def compose(self) -> ComposeResult:
        yield PeopleSearchBar(id="people-search-bar")
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
        if self.search_text.strip():  # found ones, names that match first (search_people's order)
            from storage.finder import search_people

            shown = {p["uid"] for p in out}
            out = [p for p in search_people(self.db, self.search_text) if p["uid"] in shown]
        return out

    def reload(self) -> None:
        self.show(self.compute())

    def compute(self) -> Any:
        """What the tab shows, read from the database (in any thread: a colleague's save is
        shown by working this out in a thread and ``show`` on the app's thread)."""
        counts: dict[str, int] = {}
        for l in self.db.table_dict("links").values():
            if link_active(l):
                for k in (l.get("from_person"), l.get("to_person")):
                    if k:
                        counts[k] = counts.get(k, 0) + 1
        people = self.visible()
        total = sum(1 for p in self.db.table_dict("persons").values() if p.get("active", True))
        return counts, people, total

    def show(self, plan: Any) -> None:
        counts, people, total = plan
        keep = self.table.current_key
        self.table.clear()
        by_uid = {p["uid"]: p for p in people}

        def row(uid: str) -> tuple[str, ...]:  # made when the row is first on screen
            p = by_uid[uid]
            return (fit(p.get("name", "") + ("（不在册）" if not p.get("active", True) else ""), 10), p.get("role", ""),
                    p.get("party", ""), fit(p.get("sector", ""), 12), fit(p.get("committee", ""), 16),
                    str(counts.get(uid, 0)))

        self.table.set_rows(list(by_uid), row)
        self.table.select_key(keep)
        active = {k: v for k, v in self.filters.items() if v}
        if self.search_text.strip():
            more = f"，筛选：{'，'.join(active.values())}" if active else ""
            self.query_one("#people-filter", Static).update(
                f"查找“{self.search_text.strip()}”：{len(people)} 人{more} · Enter 选中 · Esc 关闭查找")
        elif active:
            desc = "，".join(f"{dict(FILTERS)[k]}={v}" for k, v in active.items())
            self.query_one("#people-filter", Static).update(f"筛选：{desc}（{len(people)}/{total} 人） f 修改筛选")
        else:
            self.query_one("#people-filter", Static).update(f"共 {total} 人 · / 查找 · f 筛选 · i 导入 CSV · l 建立联系")
        self.show_page()

    def show_page(self) -> None:
        key = self.table.current_key
        page = self.query_one("#people-page", Static)
        if key is None and self.search_text.strip():
            page.update("没有找到这个人。可换个写法：姓名中的一两个字、单位、界别，或拼音首字母。")
        elif key is None:
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
        self.post_message(PeoplePane.EditPerson(None))

    def action_edit(self) -> None:
        p = self.current()
        if p is None:
            self.app.notify("请先选中一名人员", severity="warning")
            return
        self.post_message(PeoplePane.EditPerson(p))

    def action_delete(self) -> None:
        p = self.current()
        if p is None:
            self.app.notify("请先选中一名人员", severity="warning")
            return
        if not p.get("active", True):
            self.app.notify(f"{p.get('name', '')}已不在册", severity="warning")
            return
        self.post_message(PeoplePane.DeletePerson(p))

    def action_filter(self) -> None:
        self.post_message(PeoplePane.FilterPeople())

    def set_filters(self, filters: dict[str, str]) -> None:
        self.filters = dict(filters)
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

    def action_import_csv(self) -> None:
        self.post_message(PeoplePane.ImportPeople())

    def action_export_csv(self) -> None:
        self.post_message(PeoplePane.ExportPeople())
