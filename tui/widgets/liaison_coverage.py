"""三联系 · 覆盖情况: compliance per tier for a quarter, overdue links, people without a contact."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from storage.database import Database
from storage.dates import quarter_label, quarter_of, today
from storage.liaison import coverage
from storage.models import TIER_SHORT

from .cells import fit
from .liaison_common import LiaisonTable
from .liaison_contacts import shift_quarter

BAR = 10


def names_line(label: str, people: list[dict[str, Any]], width: int = 70) -> Text:
    t = Text()
    t.append(f"{label}：", style="bold")
    if not people:
        t.append("无", style="green")
        return t
    t.append(f"{len(people)} 人  ", style="bold red")
    t.append(fit("、".join(p["name"] for p in people), width))
    return t


def summary_text(cov: dict[str, Any]) -> Text:
    t = Text()
    t.append(f"{quarter_label(cov['year'], cov['quarter'])}（{cov['start']} 至 {cov['end']}）", style="bold")
    t.append(f"  联系 {cov['contacts']} 次\n")
    for row in cov["tiers"]:
        total, met = row["total"], row["met"]
        filled = round(BAR * met / total) if total else 0
        style = "green" if total and met == total else "yellow" if met else "red"
        label = TIER_SHORT[row["tier"]]
        t.append(f"第{'一二三'[row['tier'] - 1]}层 {label}{' ' * (18 - cell_len(label))}")
        t.append("█" * filled, style=style)
        t.append("░" * (BAR - filled), style="dim")
        rate = f"{round(100 * met / total)}%" if total else "—"
        t.append(f" 达标 {met}/{total} {rate}\n")
    t.append_text(names_line("党外委员无党员委员联系", cov["noncpc_without_cpc"]))
    t.append("\n")
    t.append_text(names_line("党员委员无党组成员联系", cov["cpc_without_leader"]))
    return t


class CoveragePane(Vertical):
    DEFAULT_CSS = """
    CoveragePane { height: 1fr; }
    CoveragePane #coverage-summary { height: auto; padding: 0 1; }
    CoveragePane #overdue-title { height: 1; padding: 0 1; text-style: bold; margin-top: 1; }
    CoveragePane #overdue-table { height: 1fr; }
    """
    BINDINGS = [
        Binding("left_square_bracket", "quarter(-1)", "上季度", tooltip="查看上一季度"),
        Binding("right_square_bracket", "quarter(1)", "下季度", tooltip="查看下一季度"),
        Binding("t", "this_quarter", "本季度", show=False, tooltip="回到本季度"),
        Binding("c", "log", "记录联系", tooltip="为选中的未达标联系关系记录联系"),
    ]

    class LogContact(Message):
        def __init__(self, link: dict[str, Any]) -> None:
            super().__init__()
            self.link = link

    def __init__(self, db: Database, **kw: Any) -> None:
        super().__init__(**kw)
        self.db = db
        self.year, self.quarter = quarter_of(today())
        self.data: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Static("", id="coverage-summary")
        yield Static("", id="overdue-title", markup=False)
        yield LiaisonTable(id="overdue-table")

    @property
    def table(self) -> LiaisonTable:
        return self.query_one("#overdue-table", LiaisonTable)

    def on_mount(self) -> None:
        t = self.table
        t.add_column("层", key="tier", width=2)
        t.add_column("联系人", key="from", width=10)
        t.add_column("联系对象", key="to", width=20)
        t.add_column("本季", key="count", width=5)
        t.add_column("最近联系", key="last", width=10)
        t.add_column("距今", key="days", width=7)
        # Filled by LiaisonScreen when its tab is first shown.

    def reload(self) -> None:
        self.show(self.compute())

    def compute(self) -> Any:
        """The quarter's coverage (in any thread; ``show`` puts it on screen)."""
        return coverage(self.db, self.year, self.quarter)

    def show(self, cov: Any) -> None:
        self.data = cov
        self.query_one("#coverage-summary", Static).update(summary_text(cov))
        hint = "" if (self.year, self.quarter) == quarter_of(today()) else " · t 回本季度"
        self.query_one("#overdue-title", Static).update(f"未达标的联系关系：{len(cov['overdue'])} 条 · [ ] 换季度{hint}")
        keep = self.table.current_key
        t = self.table
        t.clear()
        overdue = {o["link"]: o for o in cov["overdue"]}

        def row(key: str) -> tuple[Any, ...]:  # made when the row is first on screen
            o = overdue[key]
            return (str(o["tier"]), fit(o["from"], 10), fit(o["to"], 20), Text(f"{o['count']}/{o['need']}", style="red"),
                    o["last"] or "—", f"{o['days_since']}天" if o["days_since"] is not None else "从未")

        t.set_rows(list(overdue), row)
        t.select_key(keep)

    def action_quarter(self, step: int) -> None:
        self.year, self.quarter = shift_quarter(self.year, self.quarter, step)
        self.reload()

    def action_this_quarter(self) -> None:
        self.year, self.quarter = quarter_of(today())
        self.reload()

    def action_log(self) -> None:
        key = self.table.current_key
        link = self.db.get("links", key) if key else None
        if link is None:
            self.app.notify("没有选中未达标的联系关系", severity="warning")
            return
        self.post_message(CoveragePane.LogContact(link))
