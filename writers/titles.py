"""Default document titles (no python-docx here: the TUI shows them before any export runs)."""

from __future__ import annotations

from typing import Any

from storage.models import SUBJECT_GROUP

from .cleaning import clean

REPORT_SUFFIX = "对照检查材料"


def _organ_prefix(campaign: dict[str, Any]) -> str:
    name = (campaign.get("name") or "").strip()
    organ = (campaign.get("organ") or "").strip()
    return "" if organ and name.startswith(organ) else organ


def report_title(campaign: dict[str, Any], subject: str = SUBJECT_GROUP) -> str:
    """campaign.report_title, else “<organ><name>对照检查材料” (personal: “<name>个人对照检查材料”)."""
    if subject == SUBJECT_GROUP and (campaign.get("report_title") or "").strip():
        return campaign["report_title"].strip()
    name = (campaign.get("name") or "").strip()
    if subject != SUBJECT_GROUP:
        return f"{name}个人{REPORT_SUFFIX}"
    return f"{_organ_prefix(campaign)}{name}{REPORT_SUFFIX}"


def _table_title(campaign: dict[str, Any], subject: str | None, what: str) -> str:
    """“<organ><name><what>” (personal: “<subject>同志<name><what>”)."""
    name = (campaign.get("name") or "").strip()
    if subject and subject != SUBJECT_GROUP:
        return f"{subject}同志{name}{what}"
    return f"{_organ_prefix(campaign)}{name}{what}"


def ledger_title(campaign: dict[str, Any], subject: str | None) -> str:
    return _table_title(campaign, subject, "整改台账")


def progress_title(campaign: dict[str, Any], subject: str = SUBJECT_GROUP) -> str:
    """“<organ>关于<name>整改落实情况的报告” (personal: “关于<name>个人整改落实情况的报告”)."""
    name = (campaign.get("name") or "").strip()
    if subject != SUBJECT_GROUP:
        return f"关于{name}个人整改落实情况的报告"
    organ = (campaign.get("organ") or "").strip()
    if organ and name.startswith(organ):  # “中共××党组2025年度民主生活会”: 关于 after the organ
        return f"{organ}关于{name[len(organ):].strip()}整改落实情况的报告"
    return f"{organ}关于{name}整改落实情况的报告"


def plan_title(campaign: dict[str, Any], subject: str | None) -> str:
    return _table_title(campaign, subject, "整改方案")


# export kind -> its default title (contacts has none: its title is the quarter's)
TITLES = {"report": report_title, "ledger": ledger_title, "progress": progress_title, "plan": plan_title}


def document_title(kind: str, campaign: dict[str, Any], subject: str | None, typed: str | None = None) -> str:
    """The title typed for this export, cleaned (a line break in it stays: it breaks the
    title there), else the kind's default title."""
    return clean(typed).strip() or TITLES[kind](campaign, subject)
