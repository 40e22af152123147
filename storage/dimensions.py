"""Built-in dimension sets. A campaign copies one when it is created."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .models import STYLE_DEFAULTS


@dataclass(frozen=True)
class DimensionSet:
    key: str
    name: str
    kind: str  # campaign kind it is meant for
    dimensions: tuple[tuple[str, str], ...]  # (title, short)
    note: str = ""
    # Wording of a dimension's heading in documents: {title} is the full title, {short} the label.
    heading: str = STYLE_DEFAULTS["dimension_heading"]

    def copy(self) -> list[dict[str, str]]:
        return [{"key": f"d{i}", "title": t, "short": s} for i, (t, s) in enumerate(self.dimensions, 1)]


DEFAULT_SET = DimensionSet(
    "dsh2024",
    "2024年度民主生活会「四个带头」＋上年度整改落实",
    "民主生活会",
    (
        ("带头严守政治纪律和政治规矩，维护党的团结统一", "政治纪律"),
        ("带头增强党性、严守纪律、砥砺作风", "党性作风"),
        ("带头在遵规守纪、清正廉洁前提下勇于担责、敢于创新", "担责创新"),
        ("带头履行全面从严治党政治责任", "从严治党"),
        ("上年度民主生活会整改措施及巡视巡察反馈问题整改落实情况", "整改落实"),
    ),
)

THEME_2023 = DimensionSet(
    "zt2023",
    "2023年度主题教育专题民主生活会",
    "民主生活会",
    (
        ("凝心铸魂筑牢根本", "凝心铸魂"),
        ("锤炼品格强化忠诚", "锤炼品格"),
        ("实干担当促进发展", "实干担当"),
        ("践行宗旨为民造福", "践行宗旨"),
        ("廉洁奉公树立新风", "廉洁奉公"),
    ),
)

FOUR_AWARENESS = DimensionSet(
    "szzz4",
    "专项整治「四个意识不强」",
    "专项整治",
    (
        ("责任意识不强", "责任意识"),
        ("规矩意识不强", "规矩意识"),
        ("集体意识不强", "集体意识"),
        ("担当意识不强", "担当意识"),
    ),
    heading="{title}方面",  # （一）责任意识不强方面
)

# Seed 001 gives the wording of two of the six; the other four are left for
# users to complete (their titles say so) rather than invented here.
SIX_2022 = DimensionSet(
    "dsh2022",
    "2022年度民主生活会「六个带头」",
    "民主生活会",
    (
        ("带头（第一项，请补充官方表述）", "带头一"),
        ("带头（第二项，请补充官方表述）", "带头二"),
        ("带头（第三项，请补充官方表述）", "带头三"),
        ("带头坚持以人民为中心的发展思想，推动改革发展稳定", "人民中心"),
        ("带头发扬斗争精神，防范化解风险挑战", "斗争精神"),
        ("带头（第六项，请补充官方表述）", "带头六"),
    ),
    note="材料中可见第四、五项的原文，其余四项请按上级通知补充",
)

BUILTIN_SETS: tuple[DimensionSet, ...] = (DEFAULT_SET, THEME_2023, FOUR_AWARENESS, SIX_2022)


def get_set(key: str) -> DimensionSet:
    for s in BUILTIN_SETS:
        if s.key == key or s.name == key:
            return s
    raise KeyError(key)


def campaign_style(campaign: dict[str, Any]) -> dict[str, Any]:
    """The campaign's document style with every key filled: its own ``style`` first, then the
    wording its dimension set gives, then STYLE_DEFAULTS."""
    style = dict(STYLE_DEFAULTS)
    try:
        style["dimension_heading"] = get_set(campaign.get("dimension_set") or "").heading
    except KeyError:
        pass
    own = campaign.get("style")
    if isinstance(own, dict):
        style.update({k: v for k, v in own.items() if v not in (None, "")})
    return style


def section_heading(title: str, template: str = STYLE_DEFAULTS["dimension_heading"], short: str = "") -> str:
    """“（一）在带头……方面” body: the wording inside, without the numeral.

    ``template`` holds {title} (the full title) and/or {short} (the label). A value that
    already starts with the text the template puts before it (“在”) or ends with the text
    it puts after it (“方面”) is not doubled.
    """
    values = {"{title}": title.strip().rstrip("。."), "{short}": (short or title).strip().rstrip("。.")}
    present = sorted((template.find(k), k) for k in values if k in template)
    if not present:
        template = STYLE_DEFAULTS["dimension_heading"]
        present = [(template.find("{title}"), "{title}")]
    key = present[0][1]
    head, _, tail = template.partition(key)
    v = values[key]
    if head and v.startswith(head):
        v = v[len(head):]
    if tail and v.endswith(tail):
        v = v[: -len(tail)]
    values[key] = v
    out = template
    for k, val in values.items():
        out = out.replace(k, val)
    return out
