"""三联系: people, links between them, the contact log and coverage."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .database import Database
from .dates import iso, parse_date, quarter_bounds, quarter_of
from .dates import today as _today
from .errors import RuleError
from .models import ROLE_CPC_MEMBER, ROLE_LEADER, ROLE_NONCPC_MEMBER, blank


def add_person(db: Database, name: str, role: str, **fields: Any) -> dict[str, Any]:
    return db.insert("persons", blank("persons", name=name, role=role, **fields))


def add_link(
    db: Database,
    tier: int | str,
    from_person: str,
    to_person: str = "",
    to_group: str = "",
    min_per_quarter: int = 1,
    since: str | _dt.date | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A contact link; the tier rules are enforced by the database on every save."""
    rec = blank(
        "links",
        tier=str(tier),
        from_person=from_person,
        to_person=to_person or "",
        to_group=to_group,
        min_per_quarter=min_per_quarter,
        since=iso(parse_date(since)) if since else "",
        **fields,
    )
    with db.transaction():
        for l in db.all("links"):
            if (
                link_active(l)
                and l.get("tier") == rec["tier"]
                and l.get("from_person") == from_person
                and (l.get("to_person") or "") == rec["to_person"]
                and (l.get("to_group") or "") == (to_group or "")
            ):
                raise RuleError("这条联系关系已经存在")
        return db.insert("links", rec)


def log_contact(db: Database, link_uid: str, summary: str, on: str | _dt.date | None = None, mode: str = "走访", **fields: Any) -> dict[str, Any]:
    rec = blank("contacts", link=link_uid, summary=summary, mode=mode, date=iso(parse_date(on) or _today()), by=db.user)
    rec.update(fields)
    return db.insert("contacts", rec)


def link_active(link: dict[str, Any], start: _dt.date | None = None, end: _dt.date | None = None) -> bool:
    """Active at any time in [start, end] (default: today)."""
    t = _today()
    start, end = start or t, end or t
    since = link.get("since") or ""
    until = link.get("until") or ""
    if since and since > end.isoformat():
        return False
    if until and until < start.isoformat():
        return False
    return True


def delete_person(db: Database, uid: str) -> dict[str, Any]:
    """Take a person off the roll: links are ended (not erased), contacts stay.

    A person nobody refers to is erased outright.
    """
    with db.transaction():
        person = db.require("persons", uid)
        links = [l for l in db.all("links") if uid in (l.get("from_person"), l.get("to_person"))]
        if not links:
            db.delete("persons", uid)
            return person
        end = iso(_today())
        for l in links:
            if not l.get("until") or l["until"] > end:
                since = l.get("since") or ""
                db.update("links", l["uid"], {"until": max(end, since) if since else end})
        return db.update("persons", uid, {"active": False})


def person_links(db: Database, uid: str) -> dict[str, list[dict[str, Any]]]:
    """Whom the person contacts, and who contacts them."""
    links = db.all("links")
    return {
        "outgoing": [l for l in links if l.get("from_person") == uid],
        "incoming": [l for l in links if l.get("to_person") == uid],
    }


def contacts_in(db: Database, start: _dt.date, end: _dt.date, link: str | None = None) -> list[dict[str, Any]]:
    s, e = start.isoformat(), end.isoformat()
    out = [c for c in db.table_dict("contacts").values() if s <= (c.get("date") or "") <= e and (link is None or c.get("link") == link)]
    out.sort(key=lambda c: c.get("date", ""))
    return out


def coverage(db: Database, year: int | None = None, quarter: int | None = None) -> dict[str, Any]:
    """Compliance per tier for a quarter (default: this quarter).

    A link is *met* when it has at least ``min_per_quarter`` contacts dated in
    the quarter; links not met are listed as overdue, with the days since
    their last contact.
    """
    if year is None or quarter is None:
        year, quarter = quarter_of(_today())
    start, end = quarter_bounds(year, quarter)
    persons = db.table_dict("persons")
    counts: dict[str, int] = {}
    last: dict[str, str] = {}
    s, e = start.isoformat(), end.isoformat()
    for c in db.table_dict("contacts").values():
        d = c.get("date") or ""
        lk = c.get("link", "")
        if s <= d <= e:
            counts[lk] = counts.get(lk, 0) + 1
        if d <= e and d > last.get(lk, ""):
            last[lk] = d
    tiers = {t: {"tier": t, "total": 0, "met": 0} for t in (1, 2, 3)}
    overdue = []
    has_leader: set[str] = set()
    has_cpc: set[str] = set()
    ref_day = min(end, _today())
    for l in db.table_dict("links").values():
        if not link_active(l, start, end):
            continue
        t = int(l.get("tier") or 0)
        if t not in tiers:
            continue
        if t == 1 and l.get("to_person"):
            has_leader.add(l["to_person"])
        if t == 2 and l.get("to_person"):
            has_cpc.add(l["to_person"])
        tiers[t]["total"] += 1
        n = counts.get(l["uid"], 0)
        need = int(l.get("min_per_quarter") or 1)
        if n >= need:
            tiers[t]["met"] += 1
        else:
            lc = last.get(l["uid"])
            frm = persons.get(l.get("from_person", ""), {})
            to = persons.get(l.get("to_person") or "", {})
            overdue.append(
                {
                    "link": l["uid"],
                    "tier": t,
                    "from": frm.get("name", ""),
                    "to": to.get("name") or l.get("to_group", ""),
                    "count": n,
                    "need": need,
                    "last": lc or "",
                    "days_since": (ref_day - _dt.date.fromisoformat(lc)).days if lc else None,
                }
            )
    overdue.sort(key=lambda o: (o["tier"], -(o["days_since"] if o["days_since"] is not None else 10**6), o["from"]))
    active = [p for p in persons.values() if p.get("active", True)]
    no_cpc = sorted((p for p in active if p.get("role") == ROLE_NONCPC_MEMBER and p["uid"] not in has_cpc), key=lambda p: p.get("name", ""))
    no_leader = sorted((p for p in active if p.get("role") == ROLE_CPC_MEMBER and p["uid"] not in has_leader), key=lambda p: p.get("name", ""))
    for t in tiers.values():
        t["rate"] = round(t["met"] / t["total"], 4) if t["total"] else None
    return {
        "year": year,
        "quarter": quarter,
        "start": s,
        "end": e,
        "tiers": [tiers[1], tiers[2], tiers[3]],
        "overdue": overdue,
        "noncpc_without_cpc": [{"uid": p["uid"], "name": p.get("name", "")} for p in no_cpc],
        "cpc_without_leader": [{"uid": p["uid"], "name": p.get("name", "")} for p in no_leader],
        "contacts": sum(counts.values()),
    }


def role_counts(db: Database) -> dict[str, int]:
    out = {ROLE_LEADER: 0, ROLE_CPC_MEMBER: 0, ROLE_NONCPC_MEMBER: 0}
    for p in db.table_dict("persons").values():
        if p.get("active", True) and p.get("role") in out:
            out[p["role"]] += 1
    return out
