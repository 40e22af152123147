"""征求意见: opinions collected before the meeting (DESIGN §4 ``Opinion``).

Each opinion is numbered within its campaign when it is added (``seq``: “征求意见第 N 条”)
and keeps that number for good: nothing renumbers it, and a deleted opinion's number is
not given again (the campaign keeps the highest number given, ``opinion_seq``).

An opinion can become an item (:func:`convert`: a new item from a draft the form shows) or
attach to an existing one (:func:`attach`); several opinions may point to one item. The
opinion's ``item`` is the link; the item's ``sources`` list says “征求意见第 N 条” for each
opinion pointing to it, kept in the same transaction by every function here, so a ledger or
a report can print where a problem came from. Deleting an item through :func:`delete_item`
first detaches its opinions (they become unconverted again); the database itself refuses to
delete an item an opinion still points to, so no reference is ever left dangling.
"""

from __future__ import annotations

import re
from typing import Any

from .database import Database
from .errors import ConflictError, RuleError, ValidationError
from .models import OPINION_CHANNELS, SUBJECT_GROUP, blank
from .text import clean_text

SOURCE_RE = re.compile(r"^征求意见第\d+条$")
FORM_NAMES = ("date", "channel", "source_kind", "concerns", "dimension", "content")
UNCLASSIFIED = "__none__"  # filter value: opinions sorted into no dimension (of the campaign)
TITLE_MAX = 60


def source_label(seq: Any) -> str:
    return f"征求意见第{seq}条"


# ------------------------------------------------------------------ reading


def _dims(db: Database, campaign_uid: str) -> list[dict[str, Any]]:
    camp = db.table_dict("campaigns").get(campaign_uid) or {}
    return list(camp.get("dimensions") or [])


def opinions_for(
    db: Database,
    campaign_uid: str,
    *,
    dimension: str | None = None,
    source_kind: str | None = None,
    converted: bool | None = None,
) -> list[dict[str, Any]]:
    """The campaign's opinions by number. ``dimension``: a key, or UNCLASSIFIED for those in
    none of the campaign's dimensions; ``converted``: whether they became (or joined) an item."""
    keys = {d["key"] for d in _dims(db, campaign_uid)}
    items = db.light("items", campaign_uid)
    out = []
    for o in db.table_dict("opinions").values():
        if o.get("campaign") != campaign_uid:
            continue
        if dimension == UNCLASSIFIED and o.get("dimension") in keys:
            continue
        if dimension not in (None, UNCLASSIFIED) and o.get("dimension") != dimension:
            continue
        if source_kind and o.get("source_kind") != source_kind:
            continue
        if converted is not None and bool(o.get("item") and o["item"] in items) != converted:
            continue
        out.append(o)
    out.sort(key=lambda o: (o.get("seq") or 0, o.get("created", "")))
    return out


def item_opinions(db: Database, item_uid: str) -> list[dict[str, Any]]:
    """The opinions pointing to an item, by number."""
    out = [o for o in db.table_dict("opinions").values() if o.get("item") == item_uid]
    out.sort(key=lambda o: o.get("seq") or 0)
    return out


def next_seq(db: Database, campaign_uid: str) -> int:
    camp = db.table_dict("campaigns").get(campaign_uid) or {}
    used = [o.get("seq") or 0 for o in db.table_dict("opinions").values() if o.get("campaign") == campaign_uid]
    return max([camp.get("opinion_seq") or 0, *used]) + 1


def opinion_counts(db: Database, campaign_uid: str, subject: str | None = None) -> dict[str, int]:
    """total: opinions of the campaign (with ``subject``: those concerning that person, or all
    for 党组班子 and None); dimensions: how many of the campaign's dimensions they were sorted
    into; converted: how many became (or joined) an item; unclassified: sorted into none."""
    keys = {d["key"] for d in _dims(db, campaign_uid)}
    ops = opinions_for(db, campaign_uid)
    if subject and subject != SUBJECT_GROUP:
        ops = [o for o in ops if (o.get("concerns") or SUBJECT_GROUP) == subject]
    dims = {o.get("dimension") for o in ops if o.get("dimension") in keys}
    items = db.light("items", campaign_uid)
    return {
        "total": len(ops),
        "dimensions": len(dims),
        "converted": sum(1 for o in ops if o.get("item") in items),
        "unclassified": sum(1 for o in ops if o.get("dimension") not in keys),
    }


# ------------------------------------------------------------------ writing


def _check_dimension(db: Database, campaign_uid: str, key: Any) -> None:
    if key and key not in {d["key"] for d in _dims(db, campaign_uid)}:
        raise ValidationError({"dimension": "整改维度：请选择本活动中的一个维度，或留空"})


def save_opinion(db: Database, data: dict[str, Any], expected_rev: int | None = None) -> dict[str, Any]:
    """Insert (no uid: numbered now) or update an opinion from the form. The campaign, the
    number and the item link are never changed here."""
    with db.transaction():
        uid = data.get("uid")
        if not uid:
            camp = db.require("campaigns", data.get("campaign") or "")
            rec = {**blank("opinions"), **{k: data[k] for k in FORM_NAMES if k in data}}
            rec.update(campaign=camp["uid"], item="", seq=next_seq(db, camp["uid"]))
            rec["concerns"] = clean_text(rec.get("concerns"), multiline=False) or SUBJECT_GROUP
            _check_dimension(db, camp["uid"], rec.get("dimension"))
            return db.insert("opinions", rec)
        old = db.require("opinions", uid)
        changes = {k: data[k] for k in FORM_NAMES if k in data}
        if "concerns" in changes:
            changes["concerns"] = clean_text(changes["concerns"], multiline=False) or SUBJECT_GROUP
        if "dimension" in changes and changes["dimension"] != old.get("dimension"):
            _check_dimension(db, old["campaign"], changes["dimension"])
        return db.update("opinions", uid, changes, expected_rev)


def delete_opinion(db: Database, uid: str, expected_rev: int | None = None) -> dict[str, Any]:
    """Delete an opinion; its number is not given again, the item it pointed to forgets it."""
    with db.transaction():
        rec = db.delete("opinions", uid, expected_rev)
        cuid = rec.get("campaign") or ""
        camp = db.table_dict("campaigns").get(cuid)
        seq = rec.get("seq") or 0
        if camp is not None and seq > (camp.get("opinion_seq") or 0) and seq >= next_seq(db, cuid) - 1:
            db.update("campaigns", cuid, {"opinion_seq": seq})
        if rec.get("item"):
            sync_sources(db, rec["item"])
        return rec


def sync_sources(db: Database, item_uid: str) -> None:
    """The item's ``sources``: its own entries, then “征求意见第 N 条” for each opinion pointing to it."""
    item = db.get("items", item_uid)
    if item is None:
        return
    own = [s for s in item.get("sources") or [] if not SOURCE_RE.match(s)]
    new = own + [source_label(o.get("seq")) for o in item_opinions(db, item_uid)]
    if new != (item.get("sources") or []):
        db.update("items", item_uid, {"sources": new})


def attach(db: Database, uid: str, item_uid: str, expected_rev: int | None = None) -> dict[str, Any]:
    """Point an opinion to an existing item of its campaign (moving it from another item)."""
    with db.transaction():
        op = db.require("opinions", uid)
        item = db.require("items", item_uid)
        if item.get("campaign") != op.get("campaign"):
            raise RuleError("只能关联到同一整改活动中的问题")
        before = op.get("item") or ""
        if before == item_uid:
            return op
        rec = db.update("opinions", uid, {"item": item_uid}, expected_rev)
        sync_sources(db, item_uid)
        if before:
            sync_sources(db, before)
        return rec


def detach(db: Database, uid: str, expected_rev: int | None = None) -> dict[str, Any]:
    """The opinion no longer points to an item (the item stays as it is, minus the source)."""
    with db.transaction():
        op = db.require("opinions", uid)
        before = op.get("item") or ""
        if not before:
            return op
        rec = db.update("opinions", uid, {"item": ""}, expected_rev)
        sync_sources(db, before)
        return rec


def draft_title(content: str) -> str:
    """An item title from an opinion: its first clause (a longer one when that is only a few
    characters), at most TITLE_MAX characters."""
    from .importing.markers import start_marker

    text = clean_text(content, multiline=False)
    found = start_marker(text)
    if found:
        text = text[found[2]:].strip()
    clauses = [c.strip() for c in re.split(r"[。！？；;，,：:]", text) if c.strip()]
    title = clauses[0] if clauses else ""
    for more in clauses[1:]:
        if len(title) >= 4:
            break
        title += "，" + more
    return title[:TITLE_MAX].rstrip("，、 ")


def item_draft(db: Database, opinion: dict[str, Any], dimension: str | None = None) -> dict[str, Any]:
    """A new item pre-filled from an opinion: title from its first clause, 问题表现 its content,
    its dimension (else ``dimension``), 材料主体 the person it concerns, and its source."""
    keys = [d["key"] for d in _dims(db, opinion.get("campaign") or "")]
    dim = opinion.get("dimension") if opinion.get("dimension") in keys else dimension
    if dim not in keys:
        dim = keys[0] if keys else ""
    return blank(
        "items",
        campaign=opinion.get("campaign"),
        dimension=dim,
        subject=opinion.get("concerns") or SUBJECT_GROUP,
        title=draft_title(opinion.get("content") or ""),
        manifestation=clean_text(opinion.get("content")),
        sources=[source_label(opinion.get("seq"))],
    )


def convert(db: Database, uid: str, item: dict[str, Any], expected_rev: int | None = None) -> dict[str, Any]:
    """Save ``item`` (a new item, e.g. the edited :func:`item_draft`) and point the opinion to
    it, in one transaction. Returns the item."""
    from .items import save_item

    with db.transaction():
        op = db.require("opinions", uid)
        if expected_rev is not None and op.get("rev") != expected_rev:
            raise ConflictError("opinions", uid, expected_rev, op)
        if op.get("item") and db.get("items", op["item"]) is not None:
            raise RuleError(f"{source_label(op.get('seq'))}已转为问题，请先取消关联")
        data = {**blank("items"), **{k: v for k, v in item.items() if k not in ("uid", "rev")}}
        data["campaign"] = op["campaign"]
        label = source_label(op.get("seq"))
        data["sources"] = [s for s in data.get("sources") or [] if s != label] + [label]
        saved = save_item(db, data)
        db.update("opinions", uid, {"item": saved["uid"]})
        return saved


def delete_item(db: Database, item_uid: str, expected_rev: int | None = None) -> dict[str, Any]:
    """Delete an item; the opinions pointing to it are detached first (one transaction)."""
    with db.transaction():
        item = db.require("items", item_uid)
        if expected_rev is not None and item.get("rev") != expected_rev:
            raise ConflictError("items", item_uid, expected_rev, item)
        for o in item_opinions(db, item_uid):
            db.update("opinions", o["uid"], {"item": ""})
        return db.delete("items", item_uid, expected_rev)


# ------------------------------------------------------------------ the report's preface

CHANNEL_PHRASE = {"座谈": "召开座谈会", "书面": "书面征求", "个别谈话": "个别谈话", "意见箱": "设置意见箱", "网络": "网络征集"}
_ALREADY = re.compile(r"(征求|收到)[^。]{0,30}意见建议\s*\d+\s*条")


def preface_sentence(db: Database, campaign_uid: str, subject: str = SUBJECT_GROUP) -> str:
    """“会前，通过召开座谈会、个别谈话等方式共征求意见建议N条，梳理归纳为M个方面。”
    from the data; "" when there are no opinions (for a person: none concerning them)."""
    personal = bool(subject) and subject != SUBJECT_GROUP
    counts = opinion_counts(db, campaign_uid, subject if personal else None)
    if not counts["total"]:
        return ""
    ops = opinions_for(db, campaign_uid)
    if personal:
        ops = [o for o in ops if (o.get("concerns") or SUBJECT_GROUP) == subject]
    used = [CHANNEL_PHRASE[c] for c in OPINION_CHANNELS if any(o.get("channel") == c for o in ops)]
    how = ""
    if len(used) == 1:
        how = f"通过{used[0]}"
    elif used:
        how = f"通过{'、'.join(used)}等方式"
    what = f"共收到涉及本人的意见建议{counts['total']}条" if personal else f"共征求意见建议{counts['total']}条"
    # One opinion is not “梳理归纳为1个方面”.
    sorted_into = f"，梳理归纳为{counts['dimensions']}个方面" if counts["dimensions"] and counts["total"] > 1 else ""
    return f"会前，{how}{what}{sorted_into}。"


def with_preface_sentence(lines: list[str], db: Database, campaign_uid: str, subject: str = SUBJECT_GROUP) -> list[str]:
    """The preface's paragraphs with the opinions sentence added: before the closing “现将……
    报告如下。” (in its paragraph, or as a paragraph of its own before a paragraph that is only
    that), else as the last paragraph. A preface that already states such a figure is left alone."""
    from .importing.text import sentences

    if any(_ALREADY.search(ln) for ln in lines):
        return lines
    sentence = preface_sentence(db, campaign_uid, subject)
    if not sentence:
        return lines
    last = sentences(lines[-1]) if lines else []
    if last and "如下" in last[-1]:
        if len(last) == 1:
            return [*lines[:-1], sentence, lines[-1]]
        return [*lines[:-1], "".join(last[:-1]) + sentence + last[-1]]
    return [*lines, sentence]
