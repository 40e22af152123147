"""三联系: people, links between them, the contact log and coverage."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from . import contacts
from .database import Database
from .dates import iso, parse_date, quarter_bounds, quarter_of
from .dates import today as _today
from .errors import RuleError, ValidationError
from .models import ROLE_CPC_MEMBER, ROLE_LEADER, ROLE_NONCPC_MEMBER, TIER_SHORT, blank, normalize
from .rules import CPC_PARTY, person_problem, tier_problem


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
        persons = db.table_dict("persons")
        for ref in (from_person, to_person):
            p = persons.get(ref or "")
            if p is not None and not p.get("active", True):
                raise RuleError(f"“{p.get('name', '')}”已不在册，不能新建联系关系")
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
    """Record one contact on a link. The date must fall inside the link's period."""
    try:
        day = iso(parse_date(on) or _today())
    except ValueError as e:  # DateError: keep it next to the date field in forms
        raise ValidationError({"date": f"日期：{e}"}) from None
    rec = blank("contacts", link=link_uid, summary=summary, mode=mode, date=day, by=db.user)
    rec.update(fields)
    return db.insert("contacts", rec)  # the date is checked against the link's period there


def link_active(link: dict[str, Any], start: _dt.date | None = None, end: _dt.date | None = None) -> bool:
    """Active at any time in [start, end] (default: today)."""
    if start is None or end is None:
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
    """Full records dated start..end, oldest first (only the quarters in the range are read)."""
    return contacts.in_range(db, start, end, link)


def coverage(db: Database, year: int | None = None, quarter: int | None = None) -> dict[str, Any]:
    """Compliance per tier for a quarter (default: this quarter).

    A link counts in a quarter when it is active at any time in it (one that
    starts mid-quarter is owed its contacts in the rest of the quarter). It is
    *met* when it has at least ``min_per_quarter`` contacts dated in the
    quarter; links not met are listed as overdue, with the days since their
    last contact. A link that ended before the quarter's last day counts only
    if it was met (an ended link is no longer owed anything).
    """
    if year is None or quarter is None:
        year, quarter = quarter_of(_today())
    start, end = quarter_bounds(year, quarter)
    persons = db.table_dict("persons")
    s, e = start.isoformat(), end.isoformat()
    counts = contacts.counts(db, year, quarter)  # kept per link and quarter: no contact parsed
    last: dict[str, str] | None = None  # latest contact on or before the quarter's end: for overdue links only
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
        n = counts.get(l["uid"], 0)
        need = int(l.get("min_per_quarter") or 1)
        ended_early = bool(l.get("until")) and l["until"] < e
        if ended_early and n < need:
            # The link ended (e.g. the person left) before the quarter did:
            # it is no longer owed, so it is neither counted nor overdue.
            continue
        tiers[t]["total"] += 1
        if n >= need:
            tiers[t]["met"] += 1
        else:
            if last is None:
                last = contacts.latest(db, until=e)
            lc = last.get(l["uid"])
            frm = persons.get(l.get("from_person", ""), {})
            to = persons.get(l.get("to_person") or "", {})
            overdue.append(
                {
                    "link": l["uid"],
                    "tier": t,
                    "from_uid": l.get("from_person", ""),
                    "to_uid": l.get("to_person") or "",
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


# ---------------------------------------------------------------- people


def save_person(db: Database, values: dict[str, Any], uid: str | None = None, expected_rev: int | None = None) -> dict[str, Any]:
    """Create (``uid`` None) or update a person from form values.

    Besides field validation: 身份 and 党派 must fit together (a 党员委员 is 中共,
    a 党外委员 is not), and a 身份 change is refused while active links rely on
    the old 身份.
    """
    values = {k: v for k, v in values.items()}
    if values.get("party"):
        from .rules import PARTY_ALIASES

        values["party"] = PARTY_ALIASES.get(str(values["party"]).strip(), str(values["party"]).strip())
    if values.get("role") in (ROLE_LEADER, ROLE_CPC_MEMBER) and not values.get("party"):
        values["party"] = CPC_PARTY
    rec = normalize("persons", {**blank("persons"), **(db.get("persons", uid) or {} if uid else {}), **values})
    problem = person_problem(rec.get("role", ""), rec.get("party", ""))
    if problem:
        raise ValidationError({"party": f"党派：{problem}"})
    with db.transaction():
        if uid is None:
            return db.insert("persons", rec)
        current = db.require("persons", uid)
        if current.get("role") != rec.get("role"):
            persons = dict(db.table_dict("persons"))
            persons[uid] = {**current, "role": rec["role"]}
            for l in db.all("links"):
                if uid in (l.get("from_person"), l.get("to_person")) and link_active(l):
                    frm = persons.get(l.get("from_person", ""), {})
                    to = persons.get(l.get("to_person") or "") if l.get("to_person") else None
                    if tier_problem(str(l.get("tier")), frm.get("role", ""), to.get("role") if to else None):
                        raise ValidationError(
                            {"role": f"身份：该人员仍有按原身份（{current.get('role')}）建立的联系关系，请先结束这些联系关系再改身份"}
                        )
        return db.update("persons", uid, values | {"party": rec.get("party", "")}, expected_rev=expected_rev)


def delete_impact(db: Database, uid: str) -> dict[str, int]:
    """What deleting a person touches: active links to end, contacts kept."""
    links = [l for l in db.all("links") if uid in (l.get("from_person"), l.get("to_person"))]
    lk = {l["uid"] for l in links}
    return {
        "links": sum(1 for l in links if link_active(l) or (l.get("since") or "") > iso(_today())),
        "contacts": contacts.total_for(db, lk),
    }


def active_persons(db: Database, role: str | None = None) -> list[dict[str, Any]]:
    out = [p for p in db.table_dict("persons").values() if p.get("active", True) and (role is None or p.get("role") == role)]
    out.sort(key=lambda p: (p.get("role", ""), p.get("name", "")))
    return out


# ---------------------------------------------------------------- links


def end_link(db: Database, uid: str, on: str | _dt.date | None = None) -> dict[str, Any]:
    """End a link (it stays in the history with its contacts)."""
    day = iso(parse_date(on) or _today())
    with db.transaction():
        link = db.require("links", uid)
        if link.get("until") and link["until"] <= day:
            raise RuleError(f"该联系关系已于 {link['until']} 结束")
        since = link.get("since") or ""
        return db.update("links", uid, {"until": max(day, since) if since else day})


def link_label(persons: dict[str, dict[str, Any]], link: dict[str, Any]) -> str:
    """“张三 → 李四” / “张三 → 界别群众：经济界别企业职工”."""
    frm = persons.get(link.get("from_person", ""), {}).get("name", "？")
    if link.get("to_person"):
        to = persons.get(link["to_person"], {}).get("name", "？")
    else:
        to = f"界别群众：{link.get('to_group', '')}"
    return f"{frm} → {to}"


def tier_label(tier: Any) -> str:
    try:
        return f"第{'一二三'[int(tier) - 1]}层（{TIER_SHORT[int(tier)]}）"
    except (ValueError, IndexError, KeyError):
        return str(tier)


def links_by_tier(db: Database, include_ended: bool = False) -> dict[int, list[dict[str, Any]]]:
    persons = db.table_dict("persons")
    out: dict[int, list[dict[str, Any]]] = {1: [], 2: [], 3: []}
    for l in db.table_dict("links").values():
        if not include_ended and not link_active(l) and not (l.get("since") or "") > iso(_today()):
            continue
        t = int(l.get("tier") or 0)
        if t in out:
            out[t].append(l)
    for t in out:
        out[t].sort(key=lambda l: link_label(persons, l))
    return out


# ---------------------------------------------------------------- contacts


def contacts_for_link(db: Database, link_uid: str) -> list[dict[str, Any]]:
    """Every contact on the link, newest first."""
    return contacts.on_links(db, [link_uid])


def contacts_for_person(db: Database, uid: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Contacts on every link the person is part of (either end), newest first; with
    ``limit``, the newest that many (a person's page: only the quarters needed are read)."""
    lk = [l["uid"] for l in db.table_dict("links").values() if uid in (l.get("from_person"), l.get("to_person"))]
    return contacts.on_links(db, lk, limit)


def contacts_in_quarter(db: Database, year: int, quarter: int) -> list[dict[str, Any]]:
    start, end = quarter_bounds(year, quarter)
    return list(reversed(contacts_in(db, start, end)))
