"""三联系 screen: 人员 / 联系关系 / 联系记录 / 覆盖情况 in four tabs.

``LiaisonScreen(db)`` is a full screen; Esc returns to whatever pushed it.
Keys 1–4 switch tabs; every list works with arrows or j/k; the edit forms are
the generic RecordEditScreen. The panes post what they need opened; the screen
decides (here and in liaison_actions.py).
"""

from __future__ import annotations

import os
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from storage.database import Database
from storage.errors import DamagedDatabaseError, ZhenggaiError
from storage.models import ROLE_CPC_MEMBER, ROLE_LEADER, ROLE_NONCPC_MEMBER

from .. import follow
from ..widgets.liaison_contacts import ContactsPane
from ..widgets.liaison_coverage import CoveragePane
from ..widgets.liaison_links import LinksPane
from ..widgets.liaison_people import PeoplePane
from .liaison_actions import LiaisonActions
from .liaison_forms import contact_form, link_form

TABS = ("people", "links", "contacts", "coverage")


class LiaisonScreen(LiaisonActions, Screen[None]):
    DEFAULT_CSS = """
    LiaisonScreen TabbedContent { height: 1fr; }
    LiaisonScreen TabPane { padding: 0; height: 1fr; }
    LiaisonScreen ContentSwitcher { height: 1fr; }
    """
    TITLE = "三联系"
    BINDINGS = [
        Binding("escape", "back", "返回", tooltip="返回工作台"),
        Binding("1", "tab('people')", "人员", show=False, tooltip="人员名单"),
        Binding("2", "tab('links')", "关系", show=False, tooltip="联系关系（按层级）"),
        Binding("3", "tab('contacts')", "记录", show=False, tooltip="联系记录"),
        Binding("4", "tab('coverage')", "覆盖", show=False, tooltip="本季度覆盖情况"),
        Binding("slash", "find_person", "查找人员", show=False, tooltip="在人员名单中按姓名、单位、界别、党派或拼音首字母查找"),
    ]

    def __init__(self, db: Database, person: str | None = None, **kw: Any) -> None:
        """``person``: a person's uid to open the roll on (the command palette's 人员 hits)."""
        super().__init__(**kw)
        self.db = db
        self.open_on = person
        self._seen_version = -1
        # Tabs whose pane shows the current data. The people tab fills itself on mount; the
        # others when first shown (at scale: 5 000 links, 50 000 contacts not read up front).
        self._filled = {"people"}
        self.damage = ""  # set when the 三联系 file cannot be read: the screen then only says so
        self.loading = False  # the 三联系 file is being parsed in a thread
        self._tour_done = False

    def compose(self) -> ComposeResult:
        yield Header()
        self.damage = self._damage()
        if self.damage:  # a damaged 三联系 file: say so (its record named), never a traceback
            yield Static(self.damage, id="liaison-damaged")
            yield Footer()
            return
        with TabbedContent(id="liaison-tabs", initial="people"):
            with TabPane("1 人员", id="people"):
                yield PeoplePane(self.db, id="people-pane")
            with TabPane("2 联系关系", id="links"):
                yield LinksPane(self.db, id="links-pane")
            with TabPane("3 联系记录", id="contacts"):
                yield ContactsPane(self.db, id="contacts-pane")
            with TabPane("4 覆盖情况", id="coverage"):
                yield CoveragePane(self.db, id="coverage-pane")
        yield Footer()

    def _damage(self) -> str:
        """The message for a 三联系 file that cannot be read, or "" (reads what the people tab
        reads: the people and links, from the index; the contacts are proved by the load in a
        thread that opening starts, and by each tab as it reads them)."""
        try:
            self.db.table_dict("persons")
            self.db.table_dict("links")
        except ZhenggaiError as e:
            return _damage_text(e)
        return ""

    def _show_damage(self, error: ZhenggaiError) -> None:
        if not self.damage and self.is_mounted:
            self.damage = _damage_text(error)
            self.query_one(TabbedContent).remove()
            self.mount(Static(self.damage, id="liaison-damaged"), before=self.query_one(Footer))

    def on_mount(self) -> None:
        self.sub_title = "三联系：党组成员→党员委员→党外委员→界别群众"
        if self.damage:
            return
        self._seen_version = self.db.version_of("contacts")
        if not getattr(self.app, "follows_db", False):  # the workspace app follows the database for all screens
            self.set_interval(follow.POLL_SECONDS, self._poll_in_background)
        self._preload()
        self.call_after_refresh(self._focus_table, "people")
        if self.open_on:
            self.call_after_refresh(self.show_person, self.open_on)
        if os.environ.get("ZHENGGAI_EXIT_ON_READY") == "liaison":  # benchmark: visit every tab, then quit
            self.call_after_refresh(self._benchmark_tour)

    # ------------------------------------------------------------ the data

    def _preload(self) -> None:
        """Parse the 三联系 file in a thread once the screen shows: a save needs it loaded, and
        the tabs read what they show from the index meanwhile. Swapped in here, in a moment."""
        if self.db.loaded("contacts"):
            return
        self.loading = True
        db, app = self.db, self.app

        def work() -> None:
            try:
                got = db.preload("contacts")
            except ZhenggaiError as e:
                app.call_from_thread(self._preloaded, None, e)
                return
            app.call_from_thread(self._preloaded, got, None)

        self.run_worker(work, thread=True, group="liaison-load", exit_on_error=False)

    def _preloaded(self, got: Any, error: ZhenggaiError | None) -> None:
        self.loading = False
        if error is not None:
            self.db_failed(error)
        else:
            self.db.adopt_preloaded(got)
            self.refresh_from_db()
        if self._tour_done:
            self.app.exit()

    def _poll(self) -> None:
        """One poll now (tests call it at a known moment; the timer does the same in a thread)."""
        try:
            prepared = self.db.prepare_refresh()
        except ZhenggaiError as e:
            self.db_failed(e)
            return
        self._swap_in(prepared)

    def _poll_in_background(self) -> None:
        follow.read_in_thread(self, self.db, lambda prepared: self._swap_in(prepared, True), self.db_failed)

    def _swap_in(self, prepared: Any, background: bool = False) -> None:
        try:
            self.db.apply_refresh(prepared)
        except ZhenggaiError as e:  # a colleague's copy or a hand edit left it damaged
            self.db_failed(e)
            return
        self._redraw(background)

    def refresh_from_db(self) -> bool:
        """Colleagues share the file: re-render when the data changed (the app calls this after
        each poll; so does the screen's own poll where it has one)."""
        return self._redraw(getattr(self.app, "background_swap", False))

    def _redraw(self, background: bool) -> bool:
        """The pane in view shows the new data; the others when next shown. ``background``:
        what it shows is worked out in a thread (at 10× the contacts of a quarter are 60 000)
        and only put on screen here."""
        if self.damage or not self.is_mounted or self.db.version_of("contacts") == self._seen_version:
            return False
        if not background:
            self.reload_all()
            return True
        self._seen_version = self.db.version_of("contacts")
        tab = self.query_one(TabbedContent).active or "people"
        self._filled = set()
        pane, app = self.pane(tab), self.app

        def work() -> None:
            try:
                plan = pane.compute()
            except ZhenggaiError as e:
                app.call_from_thread(self._show_damage, e)
                return
            app.call_from_thread(shown, plan)

        def shown(plan: Any) -> None:
            if self.damage or not pane.is_mounted:
                return
            pane.show(plan)
            self._filled.add(tab)

        self.run_worker(work, thread=True, group=f"liaison-{tab}", exclusive=True, exit_on_error=False)
        return True

    def db_failed(self, error: ZhenggaiError) -> None:
        """The 三联系 file cannot be read (the app calls this for any damaged file)."""
        if isinstance(error, DamagedDatabaseError) and error.path == self.db.path:
            return  # the items file: the workspace says so
        self._show_damage(error)

    # ------------------------------------------------------------ helpers

    @property
    def people(self) -> PeoplePane:
        return self.query_one(PeoplePane)

    @property
    def links(self) -> LinksPane:
        return self.query_one(LinksPane)

    @property
    def contacts(self) -> ContactsPane:
        return self.query_one(ContactsPane)

    @property
    def coverage(self) -> CoveragePane:
        return self.query_one(CoveragePane)

    def pane(self, tab: str) -> PeoplePane | LinksPane | ContactsPane | CoveragePane:
        return {"people": self.people, "links": self.links, "contacts": self.contacts, "coverage": self.coverage}[tab]

    def ready(self, tab: str) -> bool:
        """Whether ``tab``'s pane shows the current data (benchmarks and tests wait for it)."""
        return tab in self._filled

    def fill(self, tab: str) -> None:
        """Show the current data in ``tab``'s pane unless it already does."""
        if tab not in self._filled and not self.damage:
            self._filled.add(tab)
            try:
                self.pane(tab).reload()
            except ZhenggaiError as e:  # the file turned out damaged when this tab first read it
                self._show_damage(e)

    def reload_all(self) -> None:
        """The data changed: refill the pane in view; the others when next shown."""
        if self.damage:
            return
        active = self.query_one(TabbedContent).active or "people"
        self._filled = set()
        self.fill(active)
        self._seen_version = self.db.version_of("contacts")

    def _benchmark_tour(self) -> None:
        for tab in TABS:
            self.fill(tab)
        self._tour_done = True
        if not self.loading:  # the peak with the 三联系 file loaded, as it is a moment after opening
            self.call_after_refresh(self.app.exit)

    def _focus_table(self, tab: str) -> None:
        if self.damage or (self.focused is not None and self.focused.id == "people-search"):
            return  # (/ from another tab: the search field keeps the focus)
        table = self.pane(tab).query_one(DataTable)
        table.focus()
        if table.cursor_row <= 1:  # laid out while hidden: show the first (heading) row too
            table.scroll_home(animate=False)

    # ------------------------------------------------------------ actions

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_find_person(self) -> None:
        """/ on any tab: the people tab, its search bar open."""
        if self.damage:
            return
        self.query_one(TabbedContent).active = "people"
        self.people.action_search()

    def show_person(self, uid: str) -> None:
        """The people tab on the person ``uid`` (their page below the roll)."""
        if self.damage:
            return
        self.query_one(TabbedContent).active = "people"
        if self.people.show_person(uid):
            self.people.table.focus()
        else:
            self.notify("该人员已被删除", severity="warning")

    def action_tab(self, tab: str) -> None:
        if self.damage:
            return
        self.query_one(TabbedContent).active = tab
        self._focus_table(tab)

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or "people"
        if tab == "coverage":
            self._filled.discard(tab)  # "this quarter" is worth recomputing on every visit
        self.fill(tab)
        self.call_after_refresh(self._focus_table, tab)

    def _saved(self, what: str):
        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.reload_all()
                self.notify(what)

        return done

    def open_link_form(self, tier: str, preset: dict[str, Any] | None = None) -> None:
        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.reload_all()
                self.links.table.select_key(saved["uid"])
                self.notify("已建立联系关系")

        self.app.push_screen(link_form(self.db, tier, preset), done)

    def open_contact_form(self, link: dict[str, Any]) -> None:
        self.app.push_screen(contact_form(self.db, link), self._saved("已记录联系"))

    @on(PeoplePane.NewLink)
    def _person_link(self, event: PeoplePane.NewLink) -> None:
        p = event.person
        role = p.get("role")
        if role == ROLE_NONCPC_MEMBER:
            self.open_link_form("2", {"to_person": p["uid"]})
        elif role == ROLE_CPC_MEMBER:
            self.open_link_form("1", {"to_person": p["uid"]})
        elif role == ROLE_LEADER:
            self.open_link_form("1", {"from_person": p["uid"]})
        else:
            self.notify(f"{role}不在三联系之中，无需建立联系关系", severity="warning")

    @on(PeoplePane.ShowContacts)
    def _person_contacts(self, event: PeoplePane.ShowContacts) -> None:
        self._filled.add("contacts")
        self.contacts.show_person(event.person)
        self.action_tab("contacts")

    @on(ContactsPane.Damaged)
    def _contact_damaged(self, event: ContactsPane.Damaged) -> None:
        self._show_damage(event.error)  # type: ignore[arg-type]

    @on(LinksPane.NewLink)
    def _new_link(self, event: LinksPane.NewLink) -> None:
        self.open_link_form(event.tier)

    @on(LinksPane.ShowContacts)
    def _link_contacts(self, event: LinksPane.ShowContacts) -> None:
        self._filled.add("contacts")
        self.contacts.show_link(event.link)
        self.action_tab("contacts")

    @on(LinksPane.LogContact)
    @on(ContactsPane.LogContact)
    @on(CoveragePane.LogContact)
    def _log_contact(self, event: Any) -> None:
        self.open_contact_form(event.link)


def _damage_text(error: ZhenggaiError) -> str:
    return f"{error}\n\n三联系数据无法显示；请运行 zhenggai check 查看，或从备份恢复。按 Esc 返回。"
