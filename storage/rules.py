"""Business rules that need more than one record."""

from __future__ import annotations

from typing import Any

from .models import MEMBER_ROLES, ROLE_CPC_MEMBER, ROLE_LEADER, ROLE_NONCPC_MEMBER

TIER_FROM = {"1": (ROLE_LEADER,), "2": (ROLE_CPC_MEMBER,), "3": MEMBER_ROLES}
TIER_TO = {"1": (ROLE_CPC_MEMBER,), "2": (ROLE_NONCPC_MEMBER,)}
TIER_RULE_TEXT = {
    "1": "第一层须由党组成员联系党员委员",
    "2": "第二层须由党员委员联系党外委员",
    "3": "第三层须由委员（党员委员或党外委员）联系界别群众",
}


def tier_problem(tier: str, from_role: str, to_role: str | None) -> str | None:
    """None when the pair is allowed, else a Chinese message."""
    tier = str(tier)
    if tier not in TIER_FROM:
        return f"层级“{tier}”无效，应为 1、2 或 3"
    if from_role not in TIER_FROM[tier]:
        return f"{TIER_RULE_TEXT[tier]}，而联系人的身份是“{from_role}”"
    if tier in TIER_TO:
        if to_role not in TIER_TO[tier]:
            return f"{TIER_RULE_TEXT[tier]}，而联系对象的身份是“{to_role or '（未选择）'}”"
    elif to_role:
        return "第三层联系的是界别群众，不应选择具体人员"
    return None


def link_problem(persons: dict[str, dict[str, Any]], link: dict[str, Any]) -> str | None:
    frm = persons.get(link.get("from_person", ""))
    to = persons.get(link.get("to_person") or "") if link.get("to_person") else None
    if frm is None:
        return "联系人不存在"
    if link.get("to_person") and to is None:
        return "联系对象不存在"
    if to is not None and to.get("uid") == frm.get("uid"):
        return "联系人和联系对象不能是同一人"
    return tier_problem(str(link.get("tier")), frm.get("role", ""), to.get("role") if to else None)


def contact_date_problem(link: dict[str, Any], day: str) -> str | None:
    """None when a contact on ``day`` (ISO) lies inside the link's period, else a Chinese message."""
    if link.get("since") and day < link["since"]:
        return f"日期：该联系关系自 {link['since']} 起才建立"
    if link.get("until") and day > link["until"]:
        return f"日期：该联系关系已于 {link['until']} 结束"
    return None


# Party consistency of a person record (used by the CSV import and the person form).
CPC_PARTY = "中共"
PARTY_ALIASES = {
    "中国共产党": "中共",
    "中共党员": "中共",
    "共产党员": "中共",
    "党员": "中共",
    "中国国民党革命委员会": "民革",
    "中国民主同盟": "民盟",
    "中国民主建国会": "民建",
    "中国民主促进会": "民进",
    "农工": "农工党",
    "中国农工民主党": "农工党",
    "农工民主党": "农工党",
    "致公": "致公党",
    "中国致公党": "致公党",
    "九三": "九三学社",
    "台湾民主自治同盟": "台盟",
    "无党派人士": "无党派",
    "无": "群众",
}


def person_problem(role: str, party: str) -> str | None:
    """None when 身份 and 党派 fit together, else a Chinese message."""
    if role in (ROLE_LEADER, ROLE_CPC_MEMBER) and party and party != CPC_PARTY:
        return f"{role}的党派应为“中共”，而不是“{party}”"
    if role == ROLE_NONCPC_MEMBER and party == CPC_PARTY:
        return "党外委员的党派不能是“中共”"
    return None
