"""三联系 · 联系关系: links grouped by tier, with this quarter's count per link."""

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
from storage import contacts
from storage.dates import iso, quarter_of, today
from storage.liaison import link_active, links_by_tier
from storage.models import TIER_SHORT, TIERS

from .cells import fit
from .liaison_common import LiaisonTable

HEADER_PREFIX = "tier-"


class LinksPane(Vertical):
    """The links tab. Posts LinksPane.NewLink / EditLink / EndLink / LogContact / ShowContacts;
    the screen opens what they ask for (tui/screens/liaison_actions.py)."""

    DEFAULT_CSS = """
    LinksPane { height: 1fr; }
    LinksPane #links-info { height: 1; color: $text-muted; padding: 0 1; }
    LinksPane #links-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("n", "new", "新建", tooltip="新建联系关系（先选层级）"),
        Binding("c", "log", "记录联系", tooltip="为选中的联系关系记录一次联系"),
        Binding("e", "edit", "编辑", tooltip="修改每季度至少次数、日期、备注"),
        Binding("x", "end", "结束", tooltip="结束选中的联系关系（保留历史）"),
        Binding("a", "toggle_ended", "含已结束", show=False, tooltip="显示或隐藏已结束的联系关系"),
    ]

    class LogContact(Message):
        def __init__(self, link: dict[str, Any]) -> None:
            super().__init__()
            self.link = link

    class ShowContacts(Message):
        def __init__(self, link: str) -> None:
            super().__init__()
            self.link = link

    class NewLink(Message):
        """Ask for a tier (``tier`` offered first), then open the link form."""

        def __init__(self, tier: str) -> None:
            super().__init__()
            self.tier = tier

    class EditLink(Message):
        def __init__(self, link: dict[str, Any]) -> None:
            super().__init__()
            self.link = link

    class EndLink(Message):
        def __init__(self, link: dict[str, Any]) -> None:
            super().__init__()
            self.link = link

    def __init__(self, db: Database, **kw: Any) -> None:
        super().__init__(**kw)
        self.db = db
        self.show_ended = False

    def compose(self) -> ComposeResult:
        yield Static("", id="links-info", markup=False)
        yield LiaisonTable(id="links-table")

    @property
    def table(self) -> LiaisonTable:
        return self.query_one("#links-table", LiaisonTable)

    def on_mount(self) -> None:
        t = self.table
        t.add_column("联系人", key="from", width=10)
        t.add_column("联系对象", key="to", width=18)
        t.add_column("本季", key="count", width=7)
        t.add_column("最近联系", key="last", width=10)
        t.add_column("期间", key="period", width=22)  # four-digit years: 2026-01-01～2027-12-31
        # Filled by LiaisonScreen when its tab is first shown.

    def reload(self) -> None:
        self.show(self.compute())

    def compute(self) -> Any:
        """What the tab shows, read from the database (in any thread; ``show`` puts it on screen)."""
        persons = self.db.table_dict("persons")
        counts = contacts.counts(self.db, *quarter_of(today()))  # kept per link and quarter: no contact parsed
        last = contacts.latest(self.db)
        groups = links_by_tier(self.db, include_ended=self.show_ended)
        return persons, counts, last, groups

    def show(self, plan: Any) -> None:
        persons, counts, last, groups = plan
        keep = self.table.current_key
        t = self.table
        t.clear()
        day = iso(today())
        links = {l["uid"]: l for ls in groups.values() for l in ls}
        keys: list[str] = []
        for tier, _label in TIERS:
            keys.append(HEADER_PREFIX + tier)
            keys += [l["uid"] for l in groups[int(tier)]]
        total = len(links)

        def row(key: str) -> tuple[Any, ...]:  # made when the row is first on screen
            if key.startswith(HEADER_PREFIX):
                tier = int(key[len(HEADER_PREFIX):])
                return (Text(f"▌第{'一二三'[tier - 1]}层", style="bold"), Text(TIER_SHORT[tier], style="bold"),
                        Text(f"{len(groups[tier])}条", style="bold"), "", "")
            l = links[key]
            frm = persons.get(l.get("from_person", ""), {}).get("name", "？")
            to = persons.get(l.get("to_person") or "", {}).get("name") if l.get("to_person") else f"群众：{l.get('to_group', '')}"
            n, need = counts.get(key, 0), int(l.get("min_per_quarter") or 1)
            mark = Text(f"{n}/{need} " + ("✔" if n >= need else "✖"), style="green" if n >= need else "red")
            period = f"{l.get('since') or ''}～{l.get('until') or ''}" if l.get("since") or l.get("until") else "长期"
            if not link_active(l) and (l.get("since") or "") <= day:
                period = "已结束 " + (l.get("until") or "")
            return ("  " + fit(frm, 8), fit(to, 18), mark, last.get(key) or "—", period)

        t.set_rows(keys, row)
        if keep is None or keep not in t.rows or keep.startswith(HEADER_PREFIX):
            keep = next((k for k in keys if not k.startswith(HEADER_PREFIX)), None)
            t.select_key(keep)
            t.call_after_refresh(t.scroll_home, animate=False)  # keep the first tier heading in view
        else:
            t.select_key(keep)
        scope = "含已结束" if self.show_ended else "在期"
        self.query_one("#links-info", Static).update(
            f"{scope}联系关系 {total} 条 · 本季＝本季度已联系/每季至少 · Enter 查看记录"
        )

    def current_tier(self) -> str:
        """The tier of the row under the cursor (header or link)."""
        key = self.table.current_key or ""
        if key.startswith(HEADER_PREFIX):
            return key[len(HEADER_PREFIX):]
        link = self.db.table_dict("links").get(key)
        return str(link.get("tier")) if link else "1"

    def current_link(self) -> dict[str, Any] | None:
        key = self.table.current_key
        if not key or key.startswith(HEADER_PREFIX):
            return None
        return self.db.get("links", key)

    def _need_link(self) -> dict[str, Any] | None:
        link = self.current_link()
        if link is None:
            self.app.notify("请先选中一条联系关系（层级标题行下方的行）", severity="warning")
        return link

    @on(DataTable.RowSelected, "#links-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_show()

    # ------------------------------------------------------------ actions

    def action_new(self) -> None:
        self.post_message(LinksPane.NewLink(self.current_tier()))

    def action_log(self) -> None:
        link = self._need_link()
        if link is None:
            return
        if not link_active(link):
            self.app.notify("该联系关系已结束或尚未开始，不能记录今天的联系", severity="warning")
        self.post_message(LinksPane.LogContact(link))

    def action_show(self) -> None:
        link = self._need_link()
        if link:
            self.post_message(LinksPane.ShowContacts(link["uid"]))

    def action_edit(self) -> None:
        link = self._need_link()
        if link is not None:
            self.post_message(LinksPane.EditLink(link))

    def action_end(self) -> None:
        link = self._need_link()
        if link is not None:
            self.post_message(LinksPane.EndLink(link))

    def action_toggle_ended(self) -> None:
        self.show_ended = not self.show_ended
        self.reload()
