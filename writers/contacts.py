"""三联系工作情况: coverage figures, the three tiers of links, the quarter's contact log,
and the links and people that still need attention."""

from __future__ import annotations

from collections import Counter
from typing import Any

from storage.database import Database
from storage.dates import cn_date, quarter_bounds
from storage.dates import today as _today
from storage.liaison import contacts_in, coverage, link_active
from storage.models import CONTACT_MODES, RAISED_KINDS, TIERS

from .cleaning import clean, lines, one_line
from .gongwen import GongwenDocument
from .numerals import level1, level2

QUARTER_CN = "一二三四"
# Body text says it in words (“党组成员联系党员委员”), never with the screens' arrows.
TIER_WORDS = {int(k): label.split("：", 1)[-1] for k, label in TIERS}
TIER_NAME = {tier: f"第{QUARTER_CN[tier - 1]}层" for tier in TIER_WORDS}

TIER_COLUMNS = (
    ("序号", 12, "center"),
    ("联系人", 27, "center"),
    ("联系对象", 27, "center"),
    ("对象界别、党派", 40, "left"),
    ("每季度至少", 25, "center"),
    ("本季度联系", 25, "center"),
)
GROUP_COLUMNS = (
    ("序号", 12, "center"),
    ("委员", 27, "center"),
    ("联系的界别群众", 67, "left"),
    ("每季度至少", 25, "center"),
    ("本季度联系", 25, "center"),
)
LOG_COLUMNS = (
    ("日期", 24, "center"),
    ("联系人", 18, "center"),
    ("联系对象", 26, "center"),
    ("方式", 14, "center"),
    ("内容", 38, "left"),
    ("反映问题", 36, "left"),
)
OVERDUE_COLUMNS = (
    ("序号", 11, "center"),
    ("层级", 15, "center"),
    ("联系人", 22, "center"),
    ("联系对象", 36, "center"),
    ("本季度/应联系", 30, "center"),
    ("最近一次联系", 42, "center"),
)


def _pct(rate: float | None) -> str:
    if rate is None:
        return "—"
    s = f"{rate * 100:.1f}".rstrip("0").rstrip(".")
    return s + "%"


def _name(persons: dict[str, dict[str, Any]], uid: str | None) -> str:
    if not uid:
        return ""
    p = persons.get(uid)
    if p is None:
        return "（已删除）"
    return " ".join(lines(p.get("name"))) or "（未填姓名）"


def _short_date(iso: str) -> str:
    try:
        y, m, d = (int(x) for x in iso.split("-"))
    except ValueError:
        return clean(iso)
    return f"{m}月{d}日"


def signer(db: Database) -> str:
    """Who signs: the 党组织 of the newest campaign (三联系 is the 党组's work), if any."""
    camps = sorted(db.all("campaigns"), key=lambda c: (c.get("year") or 0, c.get("created") or ""))
    for c in reversed(camps):
        name = one_line(c.get("signature") or c.get("organ"))
        if name:
            return name
    return ""


def build(db: Database, year: int, quarter: int) -> GongwenDocument:
    start, end = quarter_bounds(year, quarter)
    today = _today()
    shown_end = min(end, today) if start <= today else end
    label = f"{year}年第{QUARTER_CN[quarter - 1]}季度"
    title = f"{label}“三联系”工作情况"
    sign = signer(db)
    gw = GongwenDocument(title=title, author=sign)
    gw.title(title)
    gw.subtitle(f"（统计时间：{cn_date(start)}至{cn_date(shown_end)}）")
    gw.blank()

    persons = db.table_dict("persons")
    links = [l for l in db.table_dict("links").values() if link_active(l, start, end)]
    log = contacts_in(db, start, end)
    count_by_link = Counter(c.get("link") for c in log)
    cov = coverage(db, year, quarter)

    # 一、统计
    sec = 1
    gw.h1(level1(sec) + "联系情况统计")
    total = len(log)
    modes = Counter(c.get("mode") for c in log)
    mode_text = "、".join(f"{m}{modes[m]}次" for m in CONTACT_MODES if modes.get(m))
    raised = Counter(c.get("raised_kind") for c in log if clean(c.get("raised")).strip())
    # In a fixed order (意见建议, then 社情民意), not in the order the log happens to list them.
    kinds = [k for k in RAISED_KINDS if raised.get(k)] + [k for k in raised if k and k not in RAISED_KINDS]
    raised_text = "、".join(f"{k}{raised[k]}条" for k in kinds)
    s = f"本季度共开展联系{total}次"
    if mode_text:
        s += f"，其中{mode_text}"
    if raised_text:
        s += f"；收集{raised_text}"
    gw.body(s + "。")
    for t in cov["tiers"]:
        tier = t["tier"]
        gw.body(
            f"{TIER_NAME[tier]}（{TIER_WORDS[tier]}）：联系关系{t['total']}条，"
            f"本季度达到联系次数要求{t['met']}条，达标率{_pct(t['rate'])}。"
        )

    # 二、联系关系
    sec += 1
    gw.h1(level1(sec) + "联系关系")
    for n, (tier_s, tier_label) in enumerate(TIERS, 1):
        tier = int(tier_s)
        gw.h2(level2(n) + tier_label.split("：", 1)[-1])
        rows = sorted(
            (l for l in links if str(l.get("tier")) == tier_s),
            key=lambda l: (_name(persons, l.get("from_person")), _name(persons, l.get("to_person")), l.get("to_group") or ""),
        )
        if not rows:
            gw.body("暂无联系关系。")
            continue
        table = gw.table(GROUP_COLUMNS if tier == 3 else TIER_COLUMNS)
        for k, l in enumerate(rows, 1):
            need = str(l.get("min_per_quarter") or 1) + "次"
            done = f"{count_by_link.get(l['uid'], 0)}次"
            if tier == 3:
                table.add_row(([str(k)], lines(_name(persons, l.get("from_person"))), lines(l.get("to_group")), [need], [done]))
            else:
                to = persons.get(l.get("to_person") or "", {})
                about = "、".join(x for x in (" ".join(lines(to.get("sector"))), " ".join(lines(to.get("party")))) if x)
                table.add_row(
                    ([str(k)], lines(_name(persons, l.get("from_person"))), lines(_name(persons, l.get("to_person"))), [about], [need], [done])
                )

    # 三、联系记录
    sec += 1
    gw.h1(level1(sec) + "本季度联系记录")
    if not log:
        gw.body("本季度暂无联系记录。")
    else:
        all_links = db.table_dict("links")
        table = gw.table(LOG_COLUMNS)
        for c in log:
            l = all_links.get(c.get("link") or "", {})
            target = _name(persons, l.get("to_person")) if l.get("to_person") else " ".join(lines(l.get("to_group")))
            said = " ".join(lines(c.get("raised")))
            kind = clean(c.get("raised_kind")).strip()
            if said and kind:
                said = f"{kind}：{said}"
            follow = " ".join(lines(c.get("follow_up")))
            table.add_row(
                (
                    [_short_date(c.get("date") or "")],
                    lines(_name(persons, l.get("from_person"))),
                    lines(target),
                    lines(c.get("mode")),
                    lines(c.get("summary")),
                    [x for x in (said, f"跟进：{follow}" if follow else "") if x],
                )
            )

    # 四、需要关注
    sec += 1
    gw.h1(level1(sec) + "需要关注的情况")
    gw.h2(level2(1) + "本季度未达到联系次数要求的联系关系")
    if not cov["overdue"]:
        gw.body("无。各联系关系均已达到本季度联系次数要求。")
    else:
        table = gw.table(OVERDUE_COLUMNS)
        for k, o in enumerate(cov["overdue"], 1):
            last = cn_date(o["last"]) if o.get("last") else "无记录"
            if o.get("days_since") is not None:
                last += f"（{o['days_since']}天前）"
            table.add_row(
                ([str(k)], [TIER_NAME.get(o["tier"], str(o["tier"]))], lines(o.get("from")), lines(o.get("to")),
                 [f"{o['count']}/{o['need']}"], [last])
            )
    gw.h2(level2(2) + "尚未明确联系人的委员")
    for key, who in (("cpc_without_leader", "尚未明确联系党组成员的党员委员"), ("noncpc_without_cpc", "尚未明确联系党员委员的党外委员")):
        names = [" ".join(lines(p.get("name"))) for p in cov[key]]
        names = [x for x in names if x]
        gw.body(f"{who}（{len(names)}人）：{'、'.join(names)}。" if names else f"{who}：无。")
    gw.signature(sign, cn_date(today))
    return gw
