"""Default document titles (no python-docx here: the TUI shows them before any export runs)."""

from __future__ import annotations

from typing import Any

from storage.models import SUBJECT_GROUP

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


def ledger_title(campaign: dict[str, Any], subject: str | None) -> str:
    name = (campaign.get("name") or "").strip()
    if subject and subject != SUBJECT_GROUP:
        return f"{subject}同志{name}整改台账"
    return f"{_organ_prefix(campaign)}{name}整改台账"


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
    name = (campaign.get("name") or "").strip()
    if subject and subject != SUBJECT_GROUP:
        return f"{subject}同志{name}整改方案"
    return f"{_organ_prefix(campaign)}{name}整改方案"
