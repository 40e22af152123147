"""`zhenggai review`: one screen of plain facts for a console, without the TUI.

    zhenggai review [--db PATH] [--campaign C] [--json]

Shows, for one campaign, each dimension's short label, item count, done/total
and overdue count; the overdue and due-soon items with leader and deadline;
and 三联系 coverage per tier this quarter with the number of overdue links.

Which campaign: ``--campaign`` (uid or exact name); else the only one; with
several and no ``--campaign`` the newest (highest year, then latest created)
is shown and the others are named with a hint. With none, that is said and the
三联系 part is still shown.

Never imports Textual; Rich only for printing. No escape codes when the output
is piped or NO_COLOR is set. ``--json`` prints the same facts as JSON.
The figures come from storage.queries.campaign_summary and
storage.liaison.coverage, the same functions the TUI uses.

Speed: the database is opened lazily, so the figures come from the small
index files that every save writes beside the shards (storage.database):
the two big files are parsed only when their index is missing or stale.
"""

from __future__ import annotations

import os
import sys
from typing import Any

URGENT_LINES = 10  # text mode: the rest is summarised in one line ("one screen")
OTHER_NAMES = 2  # text mode: campaigns named in the "several campaigns" note


def collect(db: Any, campaign_ref: str | None, *, liaison: bool = True) -> dict[str, Any]:
    """The facts `review` prints, as plain data (the --json output)."""
    from storage.dates import today
    from storage.queries import campaign_summary, find_campaign

    t = today()
    camps = db.all("campaigns")
    chosen: dict[str, Any] | None = None
    note = ""
    if campaign_ref or len(camps) == 1:
        chosen = find_campaign(db, campaign_ref)
    elif camps:
        chosen = max(camps, key=lambda c: (c.get("year") or 0, c.get("created") or "", c.get("name") or ""))
        others = [c.get("name", "") for c in camps if c is not chosen]
        listed = "、".join(others[:OTHER_NAMES]) + ("等" if len(others) > OTHER_NAMES else "")
        note = (f"共有 {len(camps)} 个整改活动，显示最新的“{chosen.get('name', '')}”。\n"
                f"其他 {len(others)} 个：{listed}，可用 --campaign 指定。")
    else:
        note = "数据库中还没有整改活动。可先运行 zhenggai demo 载入演示数据，或在界面中新建活动。"

    out: dict[str, Any] = {
        "database": db.path,
        "today": t.isoformat(),
        "campaigns": [{"uid": c["uid"], "name": c.get("name", "")} for c in camps],
        "campaign": None,
        "note": note,
        # Same keys with or without a campaign, for scripts.
        "dimensions": [],
        "total": 0,
        "done": 0,
        "overdue": 0,
        "soon": 0,
        "urgent": [],
        # The figures above count the items of every 材料主体 (the 党组班子's and each person's
        # own); "subjects" gives them apart, 党组班子 first, as the TUI shows them.
        "subject": "全部",
        "subjects": [],
        "opinions": {"total": 0, "dimensions": 0, "converted": 0, "unclassified": 0},  # 征求意见
    }
    if chosen is not None:
        from storage.opinions import opinion_counts

        out["opinions"] = opinion_counts(db, chosen["uid"])
        s = campaign_summary(db, chosen["uid"], today=t)
        out["campaign"] = s["campaign"]
        out["dimensions"] = s["dimensions"]
        out["total"] = s["total"]
        out["done"] = s["done"]
        out["overdue"] = sum(d["overdue"] for d in s["dimensions"])
        out["soon"] = sum(d["soon"] for d in s["dimensions"])
        out["urgent"] = s["urgent"]
        out["subjects"] = subject_figures(db, chosen["uid"], t)

    if liaison:
        out["liaison"] = liaison_facts(db)
    return out


def subject_figures(db: Any, campaign_uid: str, t: Any) -> list[dict[str, Any]]:
    """Per 材料主体 (党组班子 first, then each person): total, done, overdue, due soon."""
    from storage.models import ST_DONE, SUBJECT_GROUP
    from storage.queries import DEADLINE_OVERDUE, DEADLINE_SOON, deadline_state, item_rows, subjects

    def row(name: str) -> dict[str, Any]:
        return {"subject": name, "personal": name != SUBJECT_GROUP, "total": 0, "done": 0, "overdue": 0, "soon": 0}

    out = {name: row(name) for name in subjects(db, campaign_uid)}
    for i in item_rows(db, campaign_uid):
        r = out.setdefault(i.get("subject") or SUBJECT_GROUP, row(i.get("subject") or SUBJECT_GROUP))
        r["total"] += 1
        r["done"] += i.get("status") == ST_DONE
        state = deadline_state(i, t)
        r["overdue"] += state == DEADLINE_OVERDUE
        r["soon"] += state == DEADLINE_SOON
    return [r for r in out.values() if r["total"] or not r["personal"]]


def liaison_facts(db: Any) -> dict[str, Any]:
    from storage.dates import quarter_label
    from storage.liaison import coverage
    from storage.models import TIER_SHORT

    cov = coverage(db)
    return {
        "year": cov["year"],
        "quarter": cov["quarter"],
        "label": quarter_label(cov["year"], cov["quarter"]),
        "start": cov["start"],
        "end": cov["end"],
        "tiers": [{**tr, "label": TIER_SHORT[tr["tier"]]} for tr in cov["tiers"]],
        "overdue_links": len(cov["overdue"]),
        "overdue": cov["overdue"],
        "noncpc_without_cpc": len(cov["noncpc_without_cpc"]),
        "cpc_without_leader": len(cov["cpc_without_leader"]),
        "contacts": cov["contacts"],
    }


def _pct(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "—"


def _urgent_cells(u: dict[str, Any]) -> list[str]:
    from storage.queries import DEADLINE_LABEL, DEADLINE_SYMBOL

    return [f"{DEADLINE_SYMBOL[u['state']]} {DEADLINE_LABEL[u['state']]}", u["deadline"], u["leader"] or "—", u["dimension"] or "—"]


def render(facts: dict[str, Any], console: Any) -> None:
    from rich.cells import cell_len, set_cell_size
    from rich.table import Table
    from rich.text import Text

    from storage.dates import cn_date
    from storage.models import SUBJECT_GROUP
    from storage.queries import DEADLINE_OVERDUE

    camp = facts.get("campaign")
    if camp:
        console.print(Text.assemble(("整改概况　", "bold"), (camp["name"], "bold cyan"), f"　（{cn_date(facts['today'])}）"))
    if facts.get("note"):
        console.print(Text(facts["note"], style="yellow"))

    if camp:
        personal = [r for r in facts.get("subjects") or [] if r["personal"]]
        if personal:
            n = sum(r["total"] for r in personal)
            console.print(f"各维度：党组班子和个人的事项合计（其中个人事项 {n} 项，分列于下）")
        else:
            console.print("各维度：材料主体 党组班子")
        tbl = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, header_style="bold")
        tbl.add_column("维度")
        tbl.add_column("事项", justify="right")
        tbl.add_column("已销号/总数", justify="right")
        tbl.add_column("完成率", justify="right")
        tbl.add_column("逾期", justify="right")
        tbl.add_column("临近", justify="right")
        for d in facts["dimensions"]:
            tbl.add_row(
                d["short"] or d["title"], str(d["total"]), f"{d['done']}/{d['total']}", _pct(d["done"], d["total"]),
                Text(str(d["overdue"]), style="bold red" if d["overdue"] else ""),
                Text(str(d["soon"]), style="yellow" if d["soon"] else ""),
            )
        tbl.add_row(
            Text("合计", style="bold"), str(facts["total"]), f"{facts['done']}/{facts['total']}", _pct(facts["done"], facts["total"]),
            Text(str(facts["overdue"]), style="bold red" if facts["overdue"] else ""),
            Text(str(facts["soon"]), style="yellow" if facts["soon"] else ""),
        )
        console.print(tbl)
        if personal:
            console.print()
            st = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, header_style="bold")
            st.add_column("材料主体")
            for col in ("事项", "已销号/总数", "逾期", "临近"):
                st.add_column(col, justify="right")
            for r in facts["subjects"]:
                st.add_row(f"个人：{r['subject']}" if r["personal"] else r["subject"], str(r["total"]),
                           f"{r['done']}/{r['total']}", Text(str(r["overdue"]), style="bold red" if r["overdue"] else ""),
                           Text(str(r["soon"]), style="yellow" if r["soon"] else ""))
            console.print(st)

        urgent = facts["urgent"]
        console.print()
        if not urgent:
            console.print("没有逾期或临近时限的事项。")
        else:
            console.print(Text(f"逾期 {facts['overdue']} 项、临近时限 {facts['soon']} 项：", style="bold"))
            widths = [max(cell_len(x) for x in col) for col in zip(*(_urgent_cells(u) for u in urgent[:URGENT_LINES]))]
            room = max(10, console.width - sum(widths) - 2 * len(widths))
            for u in urgent[:URGENT_LINES]:
                cells = _urgent_cells(u)
                line = Text()
                line.append(set_cell_size(cells[0], widths[0]), style="red" if u["state"] == DEADLINE_OVERDUE else "yellow")
                for c, w in zip(cells[1:], widths[1:]):
                    line.append("  " + set_cell_size(c, w))
                title = u["title"] if u.get("subject") in (None, "", SUBJECT_GROUP) else f"〔{u['subject']}〕{u['title']}"
                if cell_len(title) > room:
                    title = set_cell_size(title, room - 1).rstrip() + "…"
                line.append("  " + title)
                console.print(line, no_wrap=True, overflow="ignore", crop=False)
            if len(urgent) > URGENT_LINES:
                console.print(f"……另有 {len(urgent) - URGENT_LINES} 项（--json 可列出全部）")
        op = facts.get("opinions") or {}
        if op.get("total"):
            console.print(f"征求意见 {op['total']} 条：已转为问题 {op['converted']} 条，归纳为 {op['dimensions']} 个方面"
                          + (f"，未归类 {op['unclassified']} 条。" if op["unclassified"] else "。"))

    lz = facts["liaison"]
    console.print()
    console.print(Text.assemble(("三联系　", "bold"), f"{lz['label']}（{lz['start']} 至 {lz['end']}）"))
    lt = Table(box=None, pad_edge=False, padding=(0, 1), show_edge=False, header_style="bold")
    lt.add_column("层级")
    lt.add_column("联系关系", justify="right")
    lt.add_column("已达标", justify="right")
    lt.add_column("覆盖率", justify="right")
    for tr in lz["tiers"]:
        lt.add_row(tr["label"], str(tr["total"]), str(tr["met"]), _pct(tr["met"], tr["total"]))
    console.print(lt)
    console.print(Text(f"本季度联系记录 {lz['contacts']} 条，未达标（逾期）联系关系 {lz['overdue_links']} 条。",
                       style="red" if lz["overdue_links"] else ""))
    gaps = []
    if lz["noncpc_without_cpc"]:
        gaps.append(f"没有党员委员联系的党外委员 {lz['noncpc_without_cpc']} 名")
    if lz["cpc_without_leader"]:
        gaps.append(f"没有党组成员联系的党员委员 {lz['cpc_without_leader']} 名")
    if gaps:
        console.print("，".join(gaps) + "。")


def make_console(file: Any = None) -> Any:
    from rich.console import Console

    no_color = bool(os.environ.get("NO_COLOR"))
    # color_system=None renders no styles at all (not even bold): NO_COLOR means plain text.
    # When piped, Rich detects that it is not a terminal and writes no escape codes.
    return Console(
        file=file or sys.stdout,
        no_color=no_color,
        color_system=None if no_color else "auto",
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )


def facts_for(path: str, campaign_ref: str | None) -> dict[str, Any]:
    """Open the database lazily: with current indexes nothing big is parsed."""
    from storage import Database

    return collect(Database.open(path, create=False, lazy=True), campaign_ref)


def main(args: Any) -> int:
    import gc

    from storage import resolve_db_path

    gc.disable()  # a short-lived command: the cyclic collector only slows parsing down
    path = resolve_db_path(getattr(args, "db", None))
    if not os.path.exists(path):
        print(f"数据库不存在：{path}\n可用 --db 指定数据库文件，或先运行 zhenggai demo 载入演示数据。", file=sys.stderr)
        return 1
    facts = facts_for(path, getattr(args, "campaign", None))
    if getattr(args, "json", False):
        import json

        sys.stdout.write(json.dumps(facts, ensure_ascii=False, indent=2) + "\n")
        return 0
    render(facts, make_console())
    return 0
