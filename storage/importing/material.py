"""Recognise the structure of a 对照检查材料 from its paragraphs (pure text, no files).

    一、存在的突出问题            part (problems / causes / commitments / other)
    （一）在……方面。一是……二是……  section: heading alone or run into the paragraph
    1.…… / （1）…… / 一是……       problems (or points of 原因 and 措施)

:func:`recognise` returns a :class:`Material`: title, preface, the parts with
their sections, problems split into title / 问题表现 / 典型事例, signature,
date, the document's style, and every paragraph it skipped with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import clean_text
from .markers import DIGITS, PAREN, YISHI, Piece, split_pieces, start_marker
from .text import (
    CN_NUM_RE,
    cn_number,
    cjk_punct,
    cn_to_int,
    debris_reason,
    is_hidden_marker,
    split_problem,
    strip_page_marker,
    unwrap_heading,
)

PROBLEMS, CAUSES, COMMITMENTS, OTHER = "problems", "causes", "commitments", "other"
PART_LABEL = {PROBLEMS: "存在的问题", CAUSES: "问题产生的原因", COMMITMENTS: "努力方向和改进措施", OTHER: "其他"}

_PART = re.compile(rf"^({CN_NUM_RE})[、，,.．]\s*(\S.{{0,40}})$")
_SECTION = re.compile(rf"^[（(]({CN_NUM_RE})[）)]\s*(.*)$", re.S)
_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_CN_DATE = re.compile(r"^\s*([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,2})月([一二三四五六七八九十]{1,3})日\s*$")
_TITLE_END = ("材料", "提纲", "发言", "报告", "剖析", "清单", "方案")
# A part or a dimension heading that is the only one of its kind stands without a numeral (the
# app's own export: no lone “一、” or “（一）”): the part headings it writes, and “在……方面”.
_LONE_PART = {"存在的突出问题": PROBLEMS, "问题产生的原因": CAUSES, "今后的努力方向和改进措施": COMMITMENTS}
_LONE_SECTION = re.compile(r"^([^。；：:]{2,60}方面)(?:[。：:]\s*(.*))?$", re.S)


def part_kind(heading: str) -> str:
    h = heading
    if re.search(r"原因|根源|根子", h):
        return CAUSES
    if re.search(r"落实情况|完成情况|经验|做法|工作情况|基本情况|主要工作|成效", h):
        return OTHER
    if re.search(r"努力方向|改进措施|整改措施|下一步|今后|打算|建议|措施|努力", h):
        return COMMITMENTS
    if re.search(r"问题|不足|差距|查摆|检视|短板", h):
        return PROBLEMS
    return OTHER


@dataclass
class Problem:
    title: str
    manifestation: str
    example: str
    para: int
    style: str


@dataclass
class Section:
    numeral: int | None
    heading: str  # "" when the section has no heading of its own
    run_in: bool
    para: int
    body: list[tuple[int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    points: list[str] = field(default_factory=list)
    heading_is_problem: bool = False  # （一）<a problem> with its text below, no 一是 inside
    inferred: int | None = None  # a section without heading: its number, guessed from the next heading


@dataclass
class Part:
    kind: str
    heading: str
    para: int
    sections: list[Section] = field(default_factory=list)
    inferred: bool = False  # the part's heading is missing (a gap in the text)
    numeral: int = 0


@dataclass
class Material:
    title: str = ""
    subtitle: str = ""
    preface: list[str] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    signature: str = ""
    date: str = ""  # ISO
    style: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # (paragraph, text, reason)
    warnings: list[str] = field(default_factory=list)
    punct_fixed: int = 0

    def parts_of(self, kind: str) -> list[Part]:
        return [p for p in self.parts if p.kind == kind]

    def problem_count(self) -> int:
        return sum(len(s.problems) for p in self.parts_of(PROBLEMS) for s in p.sections)


def _date_iso(text: str) -> str:
    m = _DATE.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return f"{y:04d}-{mo:02d}-{d:02d}" if 1 <= mo <= 12 and 1 <= d <= 31 else ""
    m = _CN_DATE.match(text)
    if m:
        y = int("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in m.group(1)))
        mo, d = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        return f"{y:04d}-{mo:02d}-{d:02d}" if mo and d and mo <= 12 and d <= 31 else ""
    return ""


def _structural(text: str) -> bool:
    return (bool(_PART.match(text) and "。" not in text[:-1]) or bool(_SECTION.match(text))
            or text in _LONE_PART or start_marker(text) is not None)


MAX_CHARS = 2_000_000  # a 对照检查材料 is some 10 000 characters; this is a book


def recognise(paragraphs: list[str]) -> Material:
    if sum(len(p) for p in paragraphs) > MAX_CHARS:
        from ..errors import ZhenggaiError

        raise ZhenggaiError("文件的文字太多（超过 200 万字），不像一份对照检查材料，未导入。")
    mat = Material()
    paras: list[tuple[int, str]] = []
    for no, raw in enumerate(paragraphs, 1):
        for line in _lines(clean_text(raw)):
            line, n = cjk_punct(line)
            mat.punct_fixed += n
            reason = debris_reason(line)
            if reason:
                mat.skipped.append((no, line, reason))
                if is_hidden_marker(line):
                    mat.warnings.append(f"第 {no} 段是网页的删节标记：原文在此处缺了一段，其前后的归属可能不准，请核对。")
                    paras.append((no, "\x00gap"))
                continue
            paras.append((no, line))
    _ending(mat, paras)
    _heading_lines(mat, paras)
    _walk(mat, paras)
    _infer_parts(mat)
    for part in mat.parts:
        if part.kind == OTHER:
            n = sum(len(s.body) + bool(s.heading) for s in part.sections)
            what = f"{cn_number(part.numeral)}、{part.heading}" if part.heading else "无标题的部分"
            mat.skipped.append((part.para, what, f"共 {n} 段，不是对照检查材料的问题、原因或措施部分"))
        for sec in part.sections:
            _fill(mat, part, sec)
    _style(mat)
    return mat


def _lines(text: str) -> list[str]:
    """A paragraph's lines. A heading broken by meaning with a line break (as this app and many
    writers do: “（一）在带头严守政治纪律和政治规矩，\n维护党的团结统一方面”) is one line."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if (len(lines) > 1 and sum(map(len, lines)) <= 80 and (_SECTION.match(lines[0]) or _PART.match(lines[0]))
            and not any("。" in ln for ln in lines[:-1]) and not any(_structural(ln) for ln in lines[1:])):
        return ["".join(lines)]
    return lines


def _ending(mat: Material, paras: list[tuple[int, str]]) -> None:
    """Signature and date at the end."""
    while paras and paras[-1][1] == "\x00gap":
        paras.pop()
    if paras and _date_iso(paras[-1][1]):
        mat.date = _date_iso(paras.pop()[1])
        if paras and len(paras[-1][1]) <= 30 and not re.search(r"[。，；：！？]", paras[-1][1]) and not _structural(paras[-1][1]):
            mat.signature = paras.pop()[1]


def _heading_lines(mat: Material, paras: list[tuple[int, str]]) -> None:
    """Title (one or two short lines before any structure), a subtitle (a name), the preface."""
    k = 0
    title: list[str] = []
    while k < len(paras) and len(title) < 3:
        text = paras[k][1]
        if text == "\x00gap" or _structural(text) or len(text) > 60 or text.endswith(("。", "：", ":")):
            break
        if title and any("".join(title).endswith(s) for s in _TITLE_END):
            break
        title.append(strip_page_marker(text))
        k += 1
    mat.title = "".join(title)
    if k < len(paras) and mat.title and len(paras[k][1]) <= 12 and not re.search(r"[。，；：]", paras[k][1]) \
            and not _structural(paras[k][1]):
        mat.subtitle = paras[k][1].strip("（）() ")
        k += 1
    while k < len(paras) and not _structural(paras[k][1]):
        no, text = paras[k]
        if text == mat.title or strip_page_marker(text) == mat.title:
            mat.skipped.append((no, text, "重复的标题"))
        elif text != "\x00gap":
            mat.preface.append(text)
        k += 1
    del paras[:k]


def _walk(mat: Material, paras: list[tuple[int, str]]) -> None:
    part: Part | None = None
    section: Section | None = None
    gap = False
    for no, text in paras:
        if text == "\x00gap":
            gap = True
            continue
        m = _PART.match(text)
        if m and "。" not in text[:-1] and cn_to_int(m.group(1)):
            heading = m.group(2).strip().rstrip("。：:")
            part = Part(part_kind(heading), heading, no, numeral=cn_to_int(m.group(1)) or 0)
            mat.parts.append(part)
            section, gap = None, False
            continue
        if text in _LONE_PART:
            part = Part(_LONE_PART[text], text, no)
            mat.parts.append(part)
            section, gap = None, False
            continue
        m = None if _SECTION.match(text) or start_marker(text) is not None else _LONE_SECTION.match(text)
        if m and part is not None and part.kind == PROBLEMS and not part.sections:
            section = Section(1, m.group(1), bool(m.group(2)), no)
            if m.group(2):
                section.body.append((no, m.group(2).strip()))
            part.sections.append(section)
            continue
        m = _SECTION.match(text)
        if m and cn_to_int(m.group(1)):
            n = cn_to_int(m.group(1))
            if part is None:
                part = Part("", "", no)
                mat.parts.append(part)
            last = next((s.numeral for s in reversed(part.sections) if s.numeral), None)
            if last is not None and n <= last:
                why = "原文在此前有删节" if gap else "编号重新开始"
                mat.warnings.append(f"第 {no} 段：“（{m.group(1)}）”{why}，按新的部分处理（该部分的标题缺失）。")
                part = Part("", "", no, inferred=True)
                mat.parts.append(part)
            elif last is not None and n > last + 1:
                mat.warnings.append(f"第 {no} 段：“（{m.group(1)}）”前缺少第 {last + 1} 节，原文可能不全。")
            heading, run_in, rest = _split_heading(m.group(2))
            section = Section(n, heading, run_in, no)
            if rest:
                section.body.append((no, rest))
            part.sections.append(section)
            gap = False
            continue
        if part is None:
            part = Part("", "", no)
            mat.parts.append(part)
        if section is None:
            section = Section(None, "", False, no)
            part.sections.append(section)
        section.body.append((no, text))


def _split_heading(text: str) -> tuple[str, bool, str]:
    """（一）<heading>。<body> → (heading, run in?, body)."""
    text = text.strip()
    cuts = [i for i in (text.find(sep) for sep in ("。", "：", ":")) if 0 < i < len(text) - 1]
    if cuts:
        i = min(cuts)
        return text[:i].strip(), True, text[i + 1 :].strip()
    return text.rstrip("。：:").strip(), False, ""


def _infer_parts(mat: Material) -> None:
    """Parts without a heading: the text before the first part heading, or after a gap."""
    kinds = {p.kind for p in mat.parts}
    for idx, part in enumerate(mat.parts):
        if part.kind:
            continue
        has_numbers = any(start_marker(t) for s in part.sections for _, t in s.body) or any(
            s.heading for s in part.sections)
        later = {p.kind for p in mat.parts[idx + 1 :]}
        earlier = {p.kind for p in mat.parts[:idx]}
        if not part.inferred:
            part.kind = PROBLEMS if PROBLEMS not in kinds and has_numbers else OTHER
            if part.kind == OTHER:
                mat.warnings.append(f"第 {part.para} 段起的内容不在任何“一、二、三”部分之下，未导入。")
        elif PROBLEMS in earlier and CAUSES not in kinds and CAUSES not in later:
            part.kind = CAUSES
            mat.warnings.append(f"第 {part.para} 段起的部分缺少标题，按位置推定为“二、问题产生的原因”。")
        elif PROBLEMS not in kinds:
            part.kind = PROBLEMS
            mat.warnings.append(f"第 {part.para} 段起的部分缺少标题，按内容推定为“存在的问题”。")
        else:
            part.kind = OTHER
            mat.warnings.append(f"第 {part.para} 段起的部分缺少标题，无法判断归属，未导入。")
        kinds.add(part.kind)
    # Problems before the first heading of a problems part (a page cut off above them):
    # their section is the one before the next heading.
    for part in mat.parts_of(PROBLEMS):
        if len(part.sections) > 1 and part.sections[0].numeral is None and (part.sections[1].numeral or 0) > 1:
            part.sections[0].inferred = part.sections[1].numeral - 1


def _fill(mat: Material, part: Part, sec: Section) -> None:
    if part.kind == OTHER:
        return
    pieces, intro, warnings = split_pieces(sec.body)
    mat.warnings += warnings
    if part.kind in (CAUSES, COMMITMENTS):
        sec.points = [p.text.strip() for p in pieces] if pieces else [t for _, t in sec.body]
        if pieces and intro:
            sec.points = [t for _, t in intro] + sec.points
        return
    for no, text in intro:
        if pieces or not sec.heading:
            reason = "维度下的引导语" if pieces else "没有编号的段落"
            if len(text) > 12:
                mat.skipped.append((no, text, f"{reason}，未作为问题导入"))
    if pieces:
        sec.problems = [_problem(p.text, p.para, p.style) for p in pieces]
    elif sec.heading and sec.body and not _dimension_like(sec.heading):
        sec.heading_is_problem = True
        title = sec.heading.rstrip("。")
        _, manifest, example = split_problem("标题。" + "\n".join(t for _, t in sec.body))
        sec.problems = [Problem(title, manifest.strip(), example.strip(), sec.para, "")]
    elif sec.body:  # a dimension heading with unnumbered paragraphs: one problem each
        sec.problems = [_problem(t, no, "") for no, t in sec.body]
    sec.problems = [p for p in sec.problems if p.title]


def _problem(text: str, para: int, style: str) -> Problem:
    title, manifest, example = split_problem(text)
    return Problem(title, manifest.strip(), example.strip(), para, style)


def _dimension_like(heading: str) -> bool:
    from .match import matches_builtin

    return unwrap_heading(heading) != heading.strip().rstrip("。") or matches_builtin(heading)


def _style(mat: Material) -> None:
    numbering: dict[str, int] = {}
    heading: dict[str, int] = {}
    for part in mat.parts_of(PROBLEMS):
        for sec in part.sections:
            for p in sec.problems:
                if p.style:
                    key = "yishi" if p.style == YISHI else "digits"
                    numbering[key] = numbering.get(key, 0) + 1
            if sec.heading and not sec.heading_is_problem:
                key = "run_in" if sec.run_in else "alone"
                heading[key] = heading.get(key, 0) + 1
    if numbering:
        mat.style["numbering"] = max(numbering, key=lambda k: numbering[k])
    if heading:
        mat.style["heading"] = max(heading, key=lambda k: heading[k])


__all__ = ["DIGITS", "PAREN", "YISHI", "Piece", "Material", "Part", "Section", "Problem", "recognise", "PART_LABEL"]
