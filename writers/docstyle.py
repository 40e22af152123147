"""A campaign's document style (storage.models STYLE_*) as the writers apply it.

Problems, and the points of 原因 and 措施, are numbered by the writer, never by hand: whatever
numbering a user typed at the start of a point (“一是”, “1.”, “（1）”…) is taken off first, so
no paragraph reads “一是1.……”. A single point gets no number at all (“有一无二” is a fault).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from storage.dimensions import campaign_style, section_heading

from .numerals import level3, ordinal

_CN = "一二三四五六七八九十百零〇两"
# A number typed at the start of a point: 一是 / 第一， / 1. 1． 1、 1） / （1） (1) / （一）.
_TYPED = re.compile(
    rf"^\s*(?:"
    rf"[{_CN}]+是[，,：:、]?"
    rf"|第[{_CN}\d]+[，,、：:]"
    rf"|\d{{1,3}}\s*[.．、)）](?!\d)"
    rf"|[（(]\s*\d{{1,3}}\s*[）)]"
    rf"|[（(][{_CN}]{{1,3}}[）)]"
    rf")\s*"
)


def strip_number(text: str) -> str:
    """``text`` without a number typed at its start (“1.加强学习” → “加强学习”)."""
    out = _TYPED.sub("", text, count=1)
    return out if out.strip() else text


@dataclass(frozen=True)
class DocStyle:
    numbering: str = "yishi"  # yishi | digits
    heading: str = "alone"  # alone | run_in
    dimension_heading: str = "在{title}方面"

    @classmethod
    def of(cls, campaign: dict[str, Any], override: dict[str, Any] | None = None) -> "DocStyle":
        s = campaign_style(campaign)
        s.update({k: v for k, v in (override or {}).items() if v})
        return cls(
            numbering=s["numbering"] if s.get("numbering") in ("yishi", "digits") else "yishi",
            heading=s["heading"] if s.get("heading") in ("alone", "run_in") else "alone",
            dimension_heading=str(s.get("dimension_heading") or cls.dimension_heading),
        )

    @property
    def run_in(self) -> bool:
        return self.heading == "run_in"

    def label(self, n: int) -> str:
        """The number of the n-th point: 一是 or 1."""
        return ordinal(n) if self.numbering == "yishi" else level3(n)

    def numbered(self, points: list[str]) -> list[str]:
        """Each point with its number (none when there is only one), typed numbers removed."""
        points = [strip_number(p) for p in points]
        if len(points) < 2:
            return points
        return [self.label(n) + p for n, p in enumerate(points, 1)]

    def dimension(self, dim: dict[str, Any]) -> str:
        """A dimension's heading wording (without its numeral)."""
        title = str(dim.get("title") or dim.get("short") or "")
        return section_heading(title, self.dimension_heading, str(dim.get("short") or ""))
