"""接续上年度: carry the unfinished items of an earlier campaign into a new one.

Each carried item is a new record in the target campaign (by default its
整改落实 dimension) with ``origin`` = the earlier item's uid; its insert in
the history file (留痕) records that origin. The earlier campaign is never
written: the way back (“已接续到……”) is derived by :func:`carried_to`.
"""

from __future__ import annotations

import weakref
from typing import Any

from .database import Database
from .errors import RuleError, ZhenggaiError
from .models import ST_DOING, ST_REVIEW, ST_TODO, SUBJECT_GROUP, blank
from .queries import find_campaign, items_for

# What a carried item takes over from its origin. Not the deadline (last year's has passed),
# progress, evidence or status history: those stay with the origin, shown beside the new item.
COPIED = ("subject", "title", "manifestation", "example", "cause", "measures", "leader", "owner_dept", "kind")


def default_dimension(campaign: dict[str, Any]) -> str:
    """The campaign's 整改落实 dimension (上年度…整改落实情况), else its last one."""
    dims = campaign.get("dimensions") or []
    for d in dims:
        if d.get("short") == "整改落实" or "整改落实" in d.get("title", "") or "上年度" in d.get("title", ""):
            return d["key"]
    if not dims:
        raise ZhenggaiError(f"整改活动“{campaign.get('name', '')}”没有维度")
    return dims[-1]["key"]


def resolve_dimension(campaign: dict[str, Any], ref: str | None) -> str:
    if not ref:
        return default_dimension(campaign)
    dims = campaign.get("dimensions") or []
    for d in dims:
        if ref in (d.get("key"), d.get("short"), d.get("title")):
            return d["key"]
    from .importing.match import match_one

    d = match_one(ref, dims)
    if d is None:
        names = "、".join(x.get("short") or x.get("title", "") for x in dims)
        raise ZhenggaiError(f"活动“{campaign.get('name', '')}”中没有维度“{ref}”（可选：{names}）")
    return d["key"]


def unfinished(db: Database, campaign_uid: str) -> list[dict[str, Any]]:
    """Items of the campaign that are not 已销号, in document order."""
    return items_for(db, campaign_uid, status=[ST_TODO, ST_DOING, ST_REVIEW])


def plan_carry(db: Database, source: str, target: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(items to carry, items already carried into ``target`` earlier)."""
    if source == target:
        raise RuleError("不能把活动接续到它自己：请选择上一年度的活动")
    done = {i.get("origin") for i in db.light("items", target).values()}
    todo, already = [], []
    for item in unfinished(db, source):
        (already if item["uid"] in done else todo).append(item)
    return todo, already


def carried_record(origin: dict[str, Any], campaign: str, dimension: str) -> dict[str, Any]:
    rec = blank("items", campaign=campaign, dimension=dimension, origin=origin["uid"])
    for f in COPIED:
        if origin.get(f) not in (None, ""):
            rec[f] = origin[f]
    rec["subject"] = origin.get("subject") or SUBJECT_GROUP
    rec["status"] = ST_DOING if origin.get("status") in (ST_DOING, ST_REVIEW) else ST_TODO
    if origin.get("kind") == "长期坚持":
        rec["deadline_text"] = origin.get("deadline_text") or "长期坚持"
    return rec


def carry_over(db: Database, source: str, target: str, dimension: str | None = None) -> list[dict[str, Any]]:
    """Carry every unfinished item of ``source`` into ``target`` (campaign uids or names);
    returns the new items. Items carried before are not carried twice."""
    with db.transaction():
        src = find_campaign(db, source)
        dst = find_campaign(db, target)
        key = resolve_dimension(dst, dimension)
        todo, _ = plan_carry(db, src["uid"], dst["uid"])
        seq = max((i.get("seq") or 0 for i in db.light("items", dst["uid"]).values()
                   if i.get("campaign") == dst["uid"] and i.get("dimension") == key), default=0)
        out = []
        for item in todo:
            seq += 1
            out.append(db.insert("items", {**carried_record(item, dst["uid"], key), "seq": seq}))
        return out


# ------------------------------------------------------------------ links both ways

_index: "weakref.WeakKeyDictionary[Database, tuple[int, dict[str, list[str]]]]" = weakref.WeakKeyDictionary()


def _carried_index(db: Database) -> dict[str, list[str]]:
    """origin uid -> uids of the items carried from it (rebuilt when the database changed).
    From the light rows, which carry ``origin``: no item is parsed."""
    rows = db.light("items")
    hit = _index.get(db)
    if hit and hit[0] == db.version:
        return hit[1]
    out: dict[str, list[str]] = {}
    for row in rows.values():
        if row.get("origin"):
            out.setdefault(row["origin"], []).append(row["uid"])
    _index[db] = (db.version, out)
    return out


def carried_to(db: Database, uid: str) -> list[dict[str, Any]]:
    """The items carried from item ``uid`` (newest campaign first)."""
    items = db.table_dict("items")
    return [items[u] for u in _carried_index(db).get(uid, []) if u in items]


def links(db: Database, item: dict[str, Any]) -> dict[str, Any]:
    """What the detail pane shows of an item's carry-over, both ways:
    ``origin``: the earlier item with its campaign's name (``missing`` if deleted);
    ``carried``: [(campaign name, item)] it was carried into."""
    camps = db.table_dict("campaigns")
    out: dict[str, Any] = {}
    if item.get("origin"):
        origin = db.table_dict("items").get(item["origin"])
        if origin is None:
            out["origin"] = {"missing": item["origin"]}
        else:
            camp = camps.get(origin.get("campaign"), {})
            dim = next((d for d in camp.get("dimensions", []) if d["key"] == origin.get("dimension")), {})
            out["origin"] = {"campaign": camp.get("name", ""), "dimension": dim.get("short") or dim.get("title", ""),
                             "item": origin}
    carried = carried_to(db, item["uid"]) if item.get("uid") else []
    if carried:
        out["carried"] = [(camps.get(c.get("campaign"), {}).get("name", ""), c) for c in carried]
    return out


__all__ = ["carry_over", "carried_to", "default_dimension", "links", "plan_carry", "resolve_dimension", "unfinished"]
