"""Read-side queries for the screens, `review` and the writers."""

from __future__ import annotations

import datetime as _dt
import weakref
from typing import Any, Iterable

from .database import Database
from .dates import today as _today
from .errors import ZhenggaiError
from .models import OUTLINE_PARTS, ST_DONE, ST_REVIEW, SUBJECT_GROUP

SOON_DAYS = 7

DEADLINE_OK, DEADLINE_SOON, DEADLINE_OVERDUE, DEADLINE_DONE, DEADLINE_NONE = "ok", "soon", "overdue", "done", "none"
DEADLINE_LABEL = {
    DEADLINE_OK: "按期推进",
    DEADLINE_SOON: "临近时限",
    DEADLINE_OVERDUE: "已逾期",
    DEADLINE_DONE: "已销号",
    DEADLINE_NONE: "未定时限",
}
# Readable without colour (NO_COLOR, monochrome consoles).
DEADLINE_SYMBOL = {DEADLINE_OK: "●", DEADLINE_SOON: "▲", DEADLINE_OVERDUE: "✖", DEADLINE_DONE: "✔", DEADLINE_NONE: "○"}


def deadline_state(item: dict[str, Any], today: _dt.date | None = None) -> str:
    """Where an item stands against its deadline.

    An item in 待销号 is judged on the day it applied for 销号, not on today: applied on or
    before the deadline, it is in time however long the review takes; applied later, it
    stays overdue. Where that day is unknown (a light row, an old record), today is used.
    """
    if item.get("status") == ST_DONE:
        return DEADLINE_DONE
    dl = item.get("deadline")
    if not dl:
        return DEADLINE_NONE
    try:
        d = _dt.date.fromisoformat(dl)
    except ValueError:
        return DEADLINE_NONE
    if item.get("status") == ST_REVIEW:
        applied = submitted_on(item)
        if applied is not None:
            return DEADLINE_OK if applied <= d else DEADLINE_OVERDUE
    t = today or _today()
    if d < t:
        return DEADLINE_OVERDUE
    if (d - t).days <= SOON_DAYS:
        return DEADLINE_SOON
    return DEADLINE_OK


def submitted_on(item: dict[str, Any]) -> _dt.date | None:
    """The day an item applied for 销号: its ``submitted_on``, else (records from before that
    field) the latest progress note “申请销号：…” that the status action writes."""
    for value in [item.get("submitted_on")] + [
        n.get("date") for n in reversed(item.get("progress") or [])
        if isinstance(n, dict) and str(n.get("text") or "").startswith("申请销号")
    ]:
        if value:
            try:
                return _dt.date.fromisoformat(str(value))
            except ValueError:
                continue
    return None


def find_campaign(db: Database, ref: str | None) -> dict[str, Any]:
    """A campaign by uid or exact name; with one campaign ``ref`` may be omitted."""
    camps = db.all("campaigns")
    if not ref:
        if len(camps) == 1:
            return camps[0]
        if not camps:
            raise ZhenggaiError("数据库中还没有整改活动。可先运行 zhenggai demo 载入演示数据，或在界面中新建活动。")
        names = "、".join(c["name"] for c in camps)
        raise ZhenggaiError(f"数据库中有多个整改活动，请用 --campaign 指定其一：{names}")
    for c in camps:
        if c["uid"] == ref or c["name"] == ref:
            return c
    known = "；".join(f"“{c['name']}”（编号 {c['uid']}）" for c in camps) or "（还没有活动）"
    raise ZhenggaiError(f"找不到整改活动“{ref}”。可填以下活动的名称或编号：{known}")


def dimension_order(campaign: dict[str, Any]) -> dict[str, int]:
    return {d["key"]: n for n, d in enumerate(campaign.get("dimensions", []))}


def items_for(
    db: Database,
    campaign: str | None = None,
    dimension: str | None = None,
    subject: str | None = None,
    status: str | Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Items (full records) filtered by campaign / dimension / subject / status, in document order.

    With ``campaign`` and the items file not loaded, only that campaign's records are read,
    where the index says they are (an export parses no other campaign)."""
    if campaign is not None and not db.loaded("items"):
        rows = _select(db, db.light("items", campaign), campaign, dimension, subject, status)
        got = db.records("items", [r["uid"] for r in rows], group=campaign)
        if len(got) == len(rows):
            return [got[r["uid"]] for r in rows]
    docs = db.table_dict("items")  # first: parses the file if needed, so the light rows match it
    rows = _select(db, db.light("items", campaign), campaign, dimension, subject, status)
    return [rec for rec in (docs.get(r["uid"]) for r in rows) if rec is not None]


def item_rows(
    db: Database,
    campaign: str | None = None,
    dimension: str | None = None,
    subject: str | None = None,
    status: str | Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Like :func:`items_for`, but light rows (storage.database.LIGHT_FIELDS["items"]).

    Enough for lists, counts and deadlines, and cheap before the items file is parsed.
    """
    return _select(db, db.light("items", campaign), campaign, dimension, subject, status)


def _select(
    db: Database,
    pool: dict[str, dict[str, Any]],
    campaign: str | None,
    dimension: str | None,
    subject: str | None,
    status: str | Iterable[str] | None,
) -> list[dict[str, Any]]:
    statuses = {status} if isinstance(status, str) else set(status) if status else None
    out = [
        i
        for i in pool.values()
        if (campaign is None or i.get("campaign") == campaign)
        and (dimension is None or i.get("dimension") == dimension)
        and (subject is None or i.get("subject", SUBJECT_GROUP) == subject)
        and (statuses is None or i.get("status") in statuses)
    ]
    orders: dict[str, dict[str, int]] = {}
    camps = db.table_dict("campaigns")

    def key(i: dict[str, Any]) -> tuple[Any, ...]:
        c = i.get("campaign", "")
        if c not in orders:
            orders[c] = dimension_order(camps.get(c, {}))
        # Each subject's material is its own document: 党组班子 first, then each person's.
        s = i.get("subject") or SUBJECT_GROUP
        return (c, s != SUBJECT_GROUP, s, orders[c].get(i.get("dimension", ""), 999), i.get("seq") or 0,
                i.get("created", ""))

    out.sort(key=key)
    return out


def subjects(db: Database, campaign: str) -> list[str]:
    seen = {i.get("subject") or SUBJECT_GROUP for i in db.light("items", campaign).values()}
    seen |= {o.get("subject") or SUBJECT_GROUP for o in db.table_dict("outlines").values() if o.get("campaign") == campaign}
    seen.add(SUBJECT_GROUP)
    return [SUBJECT_GROUP] + sorted(seen - {SUBJECT_GROUP})


def dimension_progress(
    db: Database, campaign_uid: str, subject: str | None = None, today: _dt.date | None = None
) -> list[dict[str, Any]]:
    """Per dimension: key, title, short, total, done, overdue, soon."""
    camp = db.table_dict("campaigns").get(campaign_uid)
    if camp is None:
        return []
    rows = {
        d["key"]: {**d, "total": 0, "done": 0, "overdue": 0, "soon": 0}
        for d in camp.get("dimensions", [])
    }
    t = today or _today()
    for i in item_rows(db, campaign_uid, subject=subject):
        row = rows.get(i.get("dimension"))
        if row is None:
            continue
        row["total"] += 1
        state = deadline_state(i, t)
        if state == DEADLINE_DONE:
            row["done"] += 1
        elif state == DEADLINE_OVERDUE:
            row["overdue"] += 1
        elif state == DEADLINE_SOON:
            row["soon"] += 1
    return list(rows.values())


def rectification_figures(items: Iterable[dict[str, Any]], today: _dt.date | None = None) -> dict[str, int]:
    """The figures of the 整改落实情况报告 over ``items`` (full records or light rows).

    total     every item
    done      已完成: 已销号 (closed after review; nothing less counts as done)
    overdue   逾期: not 已销号 and past its deadline — an item in 待销号 judged on the day it
              applied, as the 台账 and `review` judge it (applied late: overdue)
    ongoing   持续推进: the rest — 未启动, 整改中, and 待销号 applied in time
    review    of ``ongoing``, the 待销号 ones: rectified, waiting for the 销号 review
    done + ongoing + overdue == total; done and overdue equal :func:`dimension_progress`'s sums.
    """
    t = today or _today()
    out = {"total": 0, "done": 0, "ongoing": 0, "overdue": 0, "review": 0}
    for i in items:
        out["total"] += 1
        state = deadline_state(i, t)
        if state == DEADLINE_DONE:
            out["done"] += 1
        elif state == DEADLINE_OVERDUE:
            out["overdue"] += 1
        else:
            out["ongoing"] += 1
            out["review"] += i.get("status") == ST_REVIEW
    return out


def outlines_for(db: Database, campaign: str, subject: str = SUBJECT_GROUP, part: str | None = None) -> list[dict[str, Any]]:
    out = [
        o
        for o in db.table_dict("outlines").values()
        if o.get("campaign") == campaign and (o.get("subject") or SUBJECT_GROUP) == subject and (part is None or o.get("part") == part)
    ]
    parts = {p: n for n, (p, _) in enumerate(OUTLINE_PARTS)}
    out.sort(key=lambda o: (parts.get(o.get("part"), 9), o.get("seq") or 0))
    return out


# ------------------------------------------------------------------ search

SEARCH_FIELDS = (
    "title", "manifestation", "example", "cause", "leader", "owner_dept",
    "deadline_text", "subject", "closed_by",
)
_hay_cache: dict[str, tuple[tuple[int, str], str]] = {}


def _haystack(row: dict[str, Any], docs: Any) -> str:
    """The searchable text of the item of a light row (parsed only when not cached)."""
    rev = (row.get("rev") or 0, row.get("updated") or "")
    hit = _hay_cache.get(row["uid"])
    if hit and hit[0] == rev:
        return hit[1]
    item = docs.get(row["uid"]) or row
    parts = [str(item.get(f) or "") for f in SEARCH_FIELDS]
    parts += item.get("measures") or []
    parts += item.get("evidence") or []
    parts += [p.get("text", "") for p in item.get("progress") or []]
    hay = "\n".join(parts).casefold()
    _hay_cache[row["uid"]] = (rev, hay)
    return hay


class _SearchIndex:
    """Per database and campaign: the items' light rows in document order with their haystacks.

    Rebuilt only when ``db.version`` changes (any reload or commit), so a
    keystroke costs one substring test per item. While the user keeps typing
    (every old term is part of a new term) only the previous hits are searched.
    """

    __slots__ = ("version", "pairs", "last_terms", "last_pairs")

    def __init__(self, version: int, pairs: list[tuple[str, dict[str, Any]]]):
        self.version = version
        self.pairs = pairs
        self.last_terms: list[str] = []
        self.last_pairs = pairs


_search_indexes: "weakref.WeakKeyDictionary[Database, dict[str | None, _SearchIndex]]" = weakref.WeakKeyDictionary()


def _search_index(db: Database, campaign: str | None) -> _SearchIndex:
    docs = db.table_dict("items")  # re-reads the shard if another process saved: bumps db.version
    per_db = _search_indexes.setdefault(db, {})
    idx = per_db.get(campaign)
    if idx is None or idx.version != db.version:
        # Light rows, not full records: the index must not hold every item's text twice.
        pool = item_rows(db, campaign)
        idx = per_db[campaign] = _SearchIndex(db.version, [(_haystack(r, docs), r) for r in pool])
    return idx


def search_items(db: Database, text: str, campaign: str | None = None) -> list[dict[str, Any]]:
    """Items whose text contains every space-separated term (Chinese substrings), in document order.

    Light rows (LIGHT_FIELDS["items"]), as for :func:`item_rows`.
    """
    terms = [t.casefold() for t in text.split() if t]
    idx = _search_index(db, campaign)
    if not terms:
        return [i for _, i in idx.pairs]
    narrowing = idx.last_terms and all(any(o in t for t in terms) for o in idx.last_terms)
    pool = idx.last_pairs if narrowing else idx.pairs
    if len(terms) == 1:
        term = terms[0]
        hits = [p for p in pool if term in p[0]]
    else:
        hits = [p for p in pool if all(t in p[0] for t in terms)]
    idx.last_terms, idx.last_pairs = terms, hits
    return [i for _, i in hits]


def campaign_summary(db: Database, campaign_uid: str, today: _dt.date | None = None) -> dict[str, Any]:
    """The facts `review` prints: per-dimension progress and the urgent items."""
    t = today or _today()
    camp = db.table_dict("campaigns")[campaign_uid]
    dims = dimension_progress(db, campaign_uid, today=t)
    short = {d["key"]: d.get("short") or d["title"] for d in camp.get("dimensions", [])}
    urgent = []
    for i in item_rows(db, campaign_uid):
        state = deadline_state(i, t)
        if state in (DEADLINE_OVERDUE, DEADLINE_SOON):
            urgent.append(
                {
                    "uid": i["uid"],
                    "title": i.get("title", ""),
                    "dimension": short.get(i.get("dimension"), ""),
                    "subject": i.get("subject") or SUBJECT_GROUP,
                    "leader": i.get("leader", ""),
                    "deadline": i.get("deadline", ""),
                    "status": i.get("status", ""),
                    "state": state,
                }
            )
    urgent.sort(key=lambda u: (u["state"] != DEADLINE_OVERDUE, u["deadline"]))
    return {
        "campaign": {"uid": camp["uid"], "name": camp.get("name", "")},
        "today": t.isoformat(),
        "dimensions": [
            {k: d[k] for k in ("key", "short", "title", "total", "done", "overdue", "soon")} for d in dims
        ],
        "total": sum(d["total"] for d in dims),
        "done": sum(d["done"] for d in dims),
        "urgent": urgent,
    }
