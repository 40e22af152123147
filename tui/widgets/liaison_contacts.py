"""三联系 · 联系记录: contacts per quarter (default), per person or per link."""

from __future__ import annotations

import copy
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static

from storage.database import Database
from storage.dates import quarter_label, quarter_of, today
from storage import ZhenggaiError, contacts
from storage.liaison import contacts_for_link, contacts_for_person, link_label

from .cells import fit
from .liaison_common import LiaisonTable


def shift_quarter(year: int, quarter: int, step: int) -> tuple[int, int]:
    n = year * 4 + (quarter - 1) + step
    return n // 4, n % 4 + 1


class ContactsPane(Vertical):
    DEFAULT_CSS = """
    ContactsPane { height: 1fr; }
    ContactsPane #contacts-scope { height: 1; padding: 0 1; text-style: bold; }
    ContactsPane #contacts-table { height: 1fr; }
    ContactsPane #contacts-detail { height: 5; border-top: solid $primary-darken-2; padding: 0 1; overflow-y: auto; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "quarter(-1)", "上季度", tooltip="按季度列出：上一季度"),
        Binding("right_square_bracket", "quarter(1)", "下季度", tooltip="按季度列出：下一季度"),
        Binding("q", "by_quarter", "按季度", show=False, tooltip="回到按季度列出"),
        Binding("c", "log", "记录联系", tooltip="在选中记录的联系关系上再记录一次联系"),
        Binding("e", "edit", "编辑", tooltip="修改选中的联系记录"),
    ]

    class LogContact(Message):
        def __init__(self, link: dict[str, Any]) -> None:
            super().__init__()
            self.link = link

    class Damaged(Message):
        """A record of a row on screen could not be read (the screen shows why)."""

        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class EditContact(Message):
        def __init__(self, link: dict[str, Any], contact: dict[str, Any]) -> None:
            super().__init__()
            self.link = link
            self.contact = contact

    def __init__(self, db: Database, **kw: Any) -> None:
        super().__init__(**kw)
        self.db = db
        self.scope: tuple[str, Any] = ("quarter", quarter_of(today()))
        self.shown: dict[str, dict[str, Any]] = {}  # uid -> the full record of each row read so far
        self._order: list[str] = []
        self._at: dict[str, int] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="contacts-scope", markup=False)
        yield LiaisonTable(id="contacts-table")
        yield Static("", id="contacts-detail", markup=False)

    @property
    def table(self) -> LiaisonTable:
        return self.query_one("#contacts-table", LiaisonTable)

    def on_mount(self) -> None:
        t = self.table
        t.add_column("日期", key="date", width=10)
        t.add_column("联系", key="who", width=20)
        t.add_column("方式", key="mode", width=4)
        t.add_column("内容摘要", key="summary", width=22)
        t.add_column("反映", key="raised", width=8)
        # Filled by LiaisonScreen when its tab is first shown.

    # ------------------------------------------------------------ scope

    def show_quarter(self, year: int, quarter: int) -> None:
        self.scope = ("quarter", (year, quarter))
        self.reload()

    def show_person(self, uid: str) -> None:
        self.scope = ("person", uid)
        self.reload()

    def show_link(self, uid: str) -> None:
        self.scope = ("link", uid)
        self.reload()

    def rows(self, shown: dict[str, dict[str, Any]]) -> tuple[str, list[tuple[str, str, str]]]:
        """The title and (uid, link, date) of each row. A quarter comes from its columns, its
        records read only as their rows are shown (``record``); a person's or a link's
        contacts are few, read at once (into ``shown``)."""
        kind, arg = self.scope
        persons = self.db.table_dict("persons")
        if kind == "quarter":
            y, q = arg
            return f"{quarter_label(y, q)}的联系记录", contacts.quarter_list(self.db, y, q)
        if kind == "person":
            title, recs = f"与{persons.get(arg, {}).get('name', '？')}有关的联系记录", contacts_for_person(self.db, arg)
        else:
            link = self.db.table_dict("links").get(arg, {})
            title, recs = f"联系关系 {link_label(persons, link)} 的记录", contacts_for_link(self.db, arg)
        shown.update((c["uid"], c) for c in recs)
        return title, [(c["uid"], c.get("link", ""), c.get("date", "")) for c in recs]

    def reload(self) -> None:
        self.show(self.compute())

    def compute(self) -> Any:
        """What the tab shows, read from the database (in any thread; ``show`` puts it on
        screen): the rows, the first page of records, the link labels."""
        shown: dict[str, dict[str, Any]] = {}
        title, rows = self.rows(shown)
        persons = self.db.table_dict("persons")
        links = self.db.table_dict("links")
        link_of = {uid: lk for uid, lk, _ in rows}
        labels = {lk: fit(link_label(persons, links.get(lk, {})), 20) for lk in set(link_of.values())}
        if rows and self.scope[0] == "quarter":  # the first page now, so that a damaged record is named at once
            shown.update(contacts.fetch(self.db, [uid for uid, _, _ in rows[:200]], *self.scope[1]))
        order = [uid for uid, _, _ in rows]
        return self.scope, title, order, {uid: n for n, uid in enumerate(order)}, shown, labels, link_of

    def show(self, plan: Any) -> None:
        scope, title, order, at, shown, labels, link_of = plan
        if scope != self.scope:
            return  # the scope changed while this was being read: that reload shows it
        keep = self.table.current_key
        t = self.table
        t.clear()
        self.shown = shown  # uid -> full record: the rows shown so far and the detail below read these
        self._order, self._at = order, at  # (worked out by compute: in a thread after a colleague's save)

        def row(uid: str) -> tuple[Any, ...]:  # made when the row is first on screen
            c = self.record(uid)
            return (c.get("date", ""), labels[link_of[uid]], c.get("mode", ""), fit(c.get("summary", ""), 22),
                    c.get("raised_kind") or ("有" if c.get("raised") else ""))

        t.set_rows(order, row, at)
        t.select_key(keep)
        hint = "[ ] 换季度" if scope[0] == "quarter" else "q 回到按季度"
        self.query_one("#contacts-scope", Static).update(f"{title}：{len(order)} 条 · {hint}")
        self.show_detail()

    def record(self, uid: str) -> dict[str, Any]:
        """The full record of a row shown: read with the next hundred or so rows after it."""
        got = self.shown.get(uid)
        if got is None and self.scope[0] == "quarter" and uid in self._at:
            at = self._at[uid]
            window = [u for u in self._order[at:at + 200] if u not in self.shown]
            try:
                self.shown.update(contacts.fetch(self.db, window, *self.scope[1]))
            except ZhenggaiError as e:  # drawing a row: say so on the screen, never a traceback here
                self.post_message(ContactsPane.Damaged(e))
                self.shown.update((u, {"uid": u, "summary": "（无法读取）"}) for u in window)
            got = self.shown.get(uid)
        return got if got is not None else {"uid": uid}

    def show_detail(self) -> None:
        key = self.table.current_key
        box = self.query_one("#contacts-detail", Static)
        c = self.record(key) if key else None
        if c is None or "date" not in c:
            box.update("暂无联系记录。在“联系关系”页选中一条关系按 c 记录联系。")
            return
        t = Text()
        t.append(f"{c.get('date', '')} {c.get('mode', '')}", style="bold")
        if c.get("by"):
            t.append(f"（记录人：{c['by']}）", style="dim")
        t.append(f"\n{c.get('summary', '')}")
        if c.get("raised"):
            t.append(f"\n{c.get('raised_kind') or '反映'}：", style="bold")
            t.append(c["raised"])
        if c.get("follow_up"):
            t.append("\n跟进：", style="bold")
            t.append(c["follow_up"])
        box.update(t)

    @on(DataTable.RowHighlighted, "#contacts-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_detail()

    @on(DataTable.RowSelected, "#contacts-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    # ------------------------------------------------------------ actions

    def action_quarter(self, step: int) -> None:
        if self.scope[0] == "quarter":
            y, q = self.scope[1]
        else:
            y, q = quarter_of(today())
            step = 0
        self.show_quarter(*shift_quarter(y, q, step))

    def action_by_quarter(self) -> None:
        self.show_quarter(*quarter_of(today()))

    def _current(self) -> dict[str, Any] | None:
        key = self.table.current_key
        rec = self.record(key) if key else None
        return copy.deepcopy(rec) if rec is not None and "date" in rec else None

    def action_log(self) -> None:
        link = None
        if self.scope[0] == "link":
            link = self.db.get("links", self.scope[1])
        elif (c := self._current()) is not None:
            link = self.db.get("links", c.get("link", ""))
        if link is None:
            self.app.notify("请在“联系关系”页选中一条关系后按 c 记录联系", severity="warning")
            return
        self.post_message(ContactsPane.LogContact(link))

    def action_edit(self) -> None:
        c = self._current()
        if c is not None:
            self.post_message(ContactsPane.EditContact(self.db.get("links", c.get("link", "")) or {}, c))
