"""Where a title or a heading may break: by meaning, never inside a word or a number.

GB/T 9704 7.3.1: a title that needs more than one line is broken “词意完整，排列对称，长短适宜”
into a trapezoid or a diamond. A word processor breaks Chinese between any two characters
(“…2025年度民 / 主生活会”), so the writer breaks titles itself with line breaks, choosing
among the places where the words allow it. A wrapped level-2 heading is broken the same way,
so that “方面” (or any two or three characters) is never left alone on its last line.

Widths come from ``textwidth.width_pt``; for CJK text they are exact, with Latin letters and
digits they err on the wide side, so a line chosen here never wraps again in the renderer.
"""

from __future__ import annotations

import itertools
import re
from typing import Callable, Sequence

from .textwidth import width_pt

INF = float("inf")

# Words a break must never split, and the boundaries between them that read well. Not a full
# dictionary: what titles and headings of this work are made of; anything else falls back to
# a generic (expensive) break between two CJK characters.
WORDS = (
    "中共", "政协", "党组", "党委", "委员会", "机关", "办公室", "党支部", "党总支", "领导班子", "班子",
    "民主生活会", "组织生活会", "专题", "主题教育", "专项整治", "巡视", "巡察", "整改", "落实", "情况",
    "报告", "方案", "台账", "对照检查材料", "检查", "材料", "三联系", "工作", "年度", "季度", "个人",
    "同志", "关于", "问题", "措施", "反馈", "上年度", "方面", "带头", "政治", "纪律", "规矩", "团结",
    "统一", "党性", "作风", "清正廉洁", "遵规守纪", "担责", "创新", "全面从严治党", "责任", "意识",
    "个人整改",  # “个人” goes with what is done: “……民主生活会 / 个人整改落实情况的报告”
)
_WORD_RE = re.compile("|".join(sorted(map(re.escape, WORDS), key=len, reverse=True)))
_QUOTED = re.compile(r"[“《「][^“”《》「」]{1,12}[”》」]")
# Good places: after an organ's name, before what the document is.
AFTER_GOOD = ("党组", "党委", "委员会", "机关", "办公室", "党支部", "党总支", "同志", "班子")
BEFORE_GOOD = ("对照检查材料", "个人对照检查材料", "班子对照检查材料", "领导班子对照检查材料", "整改台账", "整改方案",
               "整改落实情况报告", "整改落实情况的报告", "个人整改落实情况的报告", "工作情况", "关于")
NO_LINE_START = set("，。、；：！？）》」』”’…—·%,.;:!?)]}")
NO_LINE_END = set("（《「『“‘([{")
UNITS = set("年月日号季度届次期项条个%")
SUFFIX = "对照检查材料"
# What may stand before 对照检查材料 on its line (“个人对照检查材料”).
SUFFIX_QUALIFIERS = ("", "个人", "班子", "领导班子")


def break_costs(text: str) -> list[float]:
    """cost[i]: how well a line may end before text[i] (0 best, INF never); len(text)+1 entries."""
    n = len(text)
    cost = [INF] * (n + 1)
    protected = [False] * (n + 1)  # inside a lexicon word
    word_edge = [False] * (n + 1)
    for m in _WORD_RE.finditer(text):
        for i in range(m.start() + 1, m.end()):
            protected[i] = True
        word_edge[m.start()] = word_edge[m.end()] = True
    for m in _QUOTED.finditer(text):  # a quoted name (“四个意识不强”) is one word
        for i in range(m.start() + 1, m.end()):
            protected[i] = True
    for i in range(1, n):
        a, b = text[i - 1], text[i]
        if protected[i] or b in NO_LINE_START or a in NO_LINE_END:
            continue
        if a.isascii() and a.isalnum() and b.isascii() and b.isalnum():
            continue  # inside a number or a Latin word
        if a.isdigit() and b in UNITS:
            continue  # 2025|年
        c = 6.0  # between two characters the lexicon does not know
        if a in "，、；：。":
            c = 0.0
        elif any(text.endswith(w, 0, i) for w in AFTER_GOOD) or any(text.startswith(w, i) for w in BEFORE_GOOD):
            c = 0.5
        elif b.isdigit() or a in "”》」』）" or b in "“《「『（":
            c = 1.0
        elif text.endswith("的", 0, i) or text.endswith("年度", 0, i) or text.endswith("季度", 0, i):
            c = 2.0
        elif word_edge[i]:
            c = 2.5
        cost[i] = c
    return cost


def _split(text: str, cuts: Sequence[int]) -> list[str]:
    bounds = [0, *cuts, len(text)]
    return [text[bounds[k]:bounds[k + 1]] for k in range(len(bounds) - 1)]


def break_title(text: str, line_pt: float, size_pt: float) -> list[str]:
    """The lines of a title set at ``size_pt`` in a line ``line_pt`` wide.

    Fewest lines first; among those the best breaks, with “对照检查材料” alone on the last
    line and no hourglass (a middle line shorter than both neighbours). A title too long for
    four lines is left to the word processor.
    """
    text = text.strip()
    width = lambda s: width_pt(s, size_pt, latin_em=0.55)  # noqa: E731
    if width(text) <= line_pt:
        return [text]
    costs = break_costs(text)
    if text.endswith(SUFFIX) and len(text) > len(SUFFIX):
        # The suffix line may carry a qualifier before 对照检查材料 (个人…, 班子…) if it fits.
        suffix_starts = {len(text) - len(SUFFIX) - len(q) for q in SUFFIX_QUALIFIERS
                         if text[: -len(SUFFIX)].endswith(q) and len(text) - len(SUFFIX) - len(q) > 0}
        suffix_starts = {i for i in suffix_starts if costs[i] < INF}
    else:
        suffix_starts = None
    candidates = [i for i in range(1, len(text)) if costs[i] < INF]
    for k in range(2, 5):
        best: tuple[float, list[int]] | None = None
        for cuts in itertools.combinations(candidates, k - 1):
            if suffix_starts is not None and cuts[-1] not in suffix_starts:
                continue
            parts = _split(text, cuts)
            widths = [width(p) for p in parts]
            if max(widths) > line_pt:
                continue
            score = sum(costs[c] for c in cuts) + _shape_penalty(widths, size_pt)
            if suffix_starts is not None and text[: cuts[-1]].endswith(SUFFIX_QUALIFIERS[1:]):
                score += 1.0  # “个人” belongs with 对照检查材料
            if best is None or score < best[0]:
                best = (score, list(cuts))
        if best is not None:
            return _split(text, best[1])
        if len(candidates) > 60:
            break  # too long to search: let the word processor wrap it
    return [text]


def _shape_penalty(widths: Sequence[float], size_pt: float) -> float:
    p = 0.0
    for a, b, c in zip(widths, widths[1:], widths[2:]):
        if b < a - size_pt / 2 and b < c - size_pt / 2:
            p += 5.0  # hourglass
    p += sum(3.0 for w in widths if w < 3 * size_pt)  # a line of one or two characters
    # Among equals, the more even split (a lower lower line than upper reads as 倒梯形, fine).
    return p + (max(widths) - min(widths)) / (size_pt * 20)


def break_heading(text: str, first_pt: float, line_pt: float, width: Callable[[str], float],
                  *, keep: int = 0, min_last: int = 5) -> list[str]:
    """Lines for a heading that wraps: [text] when it fits one line or wraps well by itself;
    else two or three lines broken by meaning, the last one at least ``min_last`` characters.
    The first ``keep`` characters (the numeral “（一）”) are never split off."""
    if width(text) <= first_pt:
        return [text]
    natural = _natural(text, first_pt, line_pt, width)
    if len(natural) > 3:
        return [text]
    costs = break_costs(text)
    for i in range(len(text) - 1, len(text) - min_last, -1):
        if i > 0:
            costs[i] = INF  # the last line keeps at least min_last characters (never “方面” alone)
    for i in range(0, keep + 2):
        costs[i] = INF
    if len(natural[-1]) >= min_last and all(costs[sum(map(len, natural[:k + 1]))] <= 2.5 for k in range(len(natural) - 1)):
        return [text]  # the word processor's own breaks read well
    best: tuple[float, list[int]] | None = None
    for k in range(len(natural), len(natural) + 1):
        for cuts in itertools.combinations([i for i in range(1, len(text)) if costs[i] < INF], k - 1):
            parts = _split(text, cuts)
            caps = [first_pt] + [line_pt] * (k - 1)
            if any(width(p) > cap for p, cap in zip(parts, caps)):
                continue
            # Prefer a first line that is not much shorter than it could be.
            slack = sum((cap - width(p)) / cap for p, cap in zip(parts[:-1], caps))
            score = sum(costs[c] for c in cuts) + 4 * slack
            if best is None or score < best[0]:
                best = (score, list(cuts))
    return _split(text, best[1]) if best else [text]


def _natural(text: str, first_pt: float, line_pt: float, width: Callable[[str], float]) -> list[str]:
    """How a word processor would fill the lines (greedy, CJK breaks anywhere)."""
    out, start, cap = [], 0, first_pt
    for i in range(1, len(text) + 1):
        if width(text[start:i]) > cap:
            out.append(text[start:i - 1])
            start, cap = i - 1, line_pt
    out.append(text[start:])
    return out
