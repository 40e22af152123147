"""Recognise an office's 整改台账 from table rows (pure: cells in, an ImportDoc out).

The readers in writers/ (openpyxl, xlrd, python-docx) and the CSV reader give
each sheet as rows of cell values, a merged cell's value repeated over every
cell it covers. Here: the title above the table, the header row found by its
words (also a header of two rows), group rows (“一、政治纪律方面” merged across),
dimension cells merged down, measures “1.…\\n2.…” split into the list,
deadlines as dates or words, 完成情况 as a progress note.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

from ..models import STATUSES, ST_DOING, ST_REVIEW, ST_TODO
from ..text import clean_text
from .deadlines import parse_deadline
from .doc import LEDGER, Entry, ImportDoc
from .markers import start_marker
from .text import cjk_punct, split_problem, squash

# field -> header words (in this order: the more specific fields first; 问题 last).
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seq", ("序号", "编号")),
    ("dimension", ("问题类别", "整改维度", "问题类型", "问题分类", "所属方面", "所属维度", "类别", "维度")),
    ("progress", ("完成情况", "整改进展", "进展情况", "整改情况", "落实情况", "整改成效", "进展")),
    ("measures", ("整改措施", "整改举措", "具体措施", "措施")),
    ("deadline_text", ("时限说明",)),  # the app's own Excel ledger: the words beside the date
    ("deadline", ("整改时限", "完成时限", "整改期限", "完成时间", "完成期限", "时限")),
    ("leader", ("责任领导", "牵头领导", "分管领导", "责任人")),
    ("owner_dept", ("责任部门", "责任单位", "牵头部门", "责任科室", "牵头单位", "部门")),
    ("kind", ("整改类型",)),
    ("status", ("整改状态", "状态")),
    ("evidence", ("佐证材料", "佐证")),
    ("cause", ("原因剖析", "原因分析", "原因")),
    ("example", ("典型事例",)),
    ("title", ("问题概述", "问题名称", "问题简述", "问题标题")),
    ("manifestation", ("问题表现", "存在问题", "具体问题", "问题描述", "查摆问题", "主要问题", "问题清单", "问题")),
)
LABEL = {"deadline_text": "时限说明", "seq": "序号", "dimension": "问题类别", "progress": "完成情况", "measures": "整改措施", "deadline": "整改时限",
         "leader": "责任领导", "owner_dept": "责任部门", "kind": "整改类型", "status": "状态", "evidence": "佐证材料",
         "cause": "原因剖析", "example": "典型事例", "title": "问题概述", "manifestation": "问题表现"}
HEADER_SCAN = 20  # rows searched for the header
MAX_HEADER_CELL = 16
_STATUS = (
    (re.compile(r"已销号|已完成|完成|到位|办结"), ST_REVIEW),
    (re.compile(r"整改中|推进|进行|正在|持续|部分"), ST_DOING),
    (re.compile(r"未启动|未开始|尚未"), ST_TODO),
)
_FOOTER = re.compile(r"^(填表人|制表|审核人|联系人|说明|注[：:]|备注[：:])")
_NOTE_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日[：:]\s*")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    where: str = ""  # “工作表“台账””, “表格 1”


@dataclass
class Columns:
    fields: dict[str, int] = field(default_factory=dict)  # field -> column
    ignored: list[str] = field(default_factory=list)  # header words of columns we do not import
    rows: int = 1  # header rows


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return value.strftime("%Y-%m-%d")
    return clean_text(value)


def header_field(cell: Any) -> str | None:
    s = squash(text_of(cell))
    if not s or len(s) > MAX_HEADER_CELL:
        return None
    for name, words in HEADER_WORDS:
        if any(w in s for w in words):
            return name
    return None


def _row_fields(row: Sequence[Any]) -> dict[str, int]:
    out: dict[str, int] = {}
    for col, cell in enumerate(row):
        f = header_field(cell)
        if f and f not in out:
            out[f] = col
    return out


def find_header(rows: list[list[Any]]) -> tuple[int, Columns] | None:
    for r, row in enumerate(rows[:HEADER_SCAN]):
        found = _row_fields(row)
        if len(found) < 3 or not ({"title", "manifestation"} & found.keys()):
            continue
        cols = Columns(found)
        nxt = rows[r + 1] if r + 1 < len(rows) else []
        # A second header row: each of its cells repeats the one above (a merged cell) or is a header word.
        texts = [text_of(c) for c in nxt]
        if len({t for t in texts if t}) > 1 and all(not t or t == text_of(row[c] if c < len(row) else "") or header_field(t)
                              for c, t in enumerate(texts)) and any(
                t and t != text_of(row[c] if c < len(row) else "") for c, t in enumerate(texts)):
            cols.rows = 2
            fields: dict[str, int] = {}
            for c, t in enumerate(texts):
                f = header_field(t) or header_field(row[c] if c < len(row) else "")
                if f and f not in fields:
                    fields[f] = c
            cols.fields = fields
        used = set(cols.fields.values())
        last = rows[r + cols.rows - 1]
        for c, cell in enumerate(last):
            t = text_of(cell) or text_of(row[c] if c < len(row) else "")
            if c not in used and t and t not in cols.ignored:
                cols.ignored.append(t)
        return r, cols
    return None


def split_list(text: str) -> list[str]:
    """“1.…\\n2.…”, “（1）…（2）…”, “①…②…”, “一是…二是…” → the list, markers removed."""
    t = clean_text(text)
    for k, ch in enumerate(_CIRCLED):
        t = t.replace(ch, f"\n({k + 1})")
    out: list[str] = []
    for line in (x.strip() for x in t.split("\n")):
        if not line:
            continue
        found = start_marker(line)
        if found:
            out.append(line[found[2]:].strip())
        elif out:
            out[-1] += line
        else:
            out.append(line)
    if len(out) == 1 and re.match(r"\s*[（(]1[）)]", t):  # “（1）建立制度（2）开展培训”
        out, rest, k = [], out[0], 2
        while (m := re.search(rf"[（(]{k}[）)]", rest)):
            out.append(rest[: m.start()])
            rest, k = rest[m.end():], k + 1
        out.append(rest)
    if len(out) == 1:  # run in: “1.建立制度；2.开展培训。”
        parts = re.split(r"(?<=[；;。])\s*(?:\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[）)])\s*", out[0])
        if len(parts) > 1:
            first = start_marker(parts[0])
            out = [parts[0][first[2]:] if first else parts[0]] + parts[1:]
    return [x.strip().rstrip("；;") for x in out if x.strip()]


def _group_text(text: str) -> str:
    """“一、在带头……方面” / “（一）政治纪律” → the words."""
    return re.sub(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、])\s*", "", text).strip()


def recognise_sheets(sheets: list[Sheet], today: str) -> ImportDoc:
    doc = ImportDoc(LEDGER)
    found = []
    for sh in sheets:
        hit = find_header(sh.rows)
        if hit is None:
            if any(text_of(c) for row in sh.rows for c in row):
                doc.skipped.append((sh.where, "", "没有找到表头行（序号、问题、整改措施、责任领导……）"))
            continue
        found.append((sh, hit))
    by_sheet = len(found) > 1 and not any("dimension" in cols.fields for _, (_, cols) in found)
    for sh, (r, cols) in found:
        if not doc.title:
            above = [text_of(c) for row in sh.rows[:r] for c in row if text_of(c)]
            doc.title = above[0].replace("\n", "") if above else ""
        labels = "、".join(LABEL[f] for f in cols.fields if f != "seq")
        doc.notes.append(f"{sh.where}：第 {r + 1} 行是表头{'（两行）' if cols.rows == 2 else ''}，识别出的列：{labels}")
        if cols.ignored:
            doc.notes.append(f"{sh.where}：未导入的列：{'、'.join(cols.ignored)}")
        _rows(doc, sh, r + cols.rows, cols, today, sh.name if by_sheet else "")
    return doc


def _rows(doc: ImportDoc, sh: Sheet, start: int, cols: Columns, today: str, sheet_group: str) -> None:
    f = cols.fields
    group = sheet_group
    last_dim = ""

    def cell(row: list[Any], name: str) -> Any:
        c = f.get(name)
        return row[c] if c is not None and c < len(row) else None

    for r in range(start, len(sh.rows)):
        row = sh.rows[r]
        where = f"{sh.where}第 {r + 1} 行"
        texts = [text_of(c) for c in row]
        filled = [t for t in texts if t]
        if not filled:
            continue
        problem = text_of(cell(row, "title")) or text_of(cell(row, "manifestation"))
        if len(set(filled)) == 1 and (len(filled) > 1 or not problem):
            if _FOOTER.match(filled[0]):
                doc.skipped.append((where, filled[0], "表格下方的说明，未导入"))
            else:
                group, last_dim = _group_text(filled[0]), ""
            continue
        if not problem:
            doc.skipped.append((where, " ".join(filled)[:40], "没有问题内容，未导入"))
            continue
        dim = text_of(cell(row, "dimension"))
        if "dimension" in f:
            dim = dim or last_dim
            last_dim = dim
        doc.entries.append(Entry(_group_text(dim) if dim else group, _fields(doc, row, cell, where, today), where))


def _fields(doc: ImportDoc, row: list[Any], cell: Any, where: str, today: str) -> dict[str, Any]:
    def txt(name: str) -> str:
        s, _ = cjk_punct(text_of(cell(row, name)))
        return s

    out: dict[str, Any] = {}
    if txt("title"):
        out["title"] = txt("title").replace("\n", " ")
        out["manifestation"] = txt("manifestation")
    else:
        text = txt("manifestation")
        found = start_marker(text)
        text = text[found[2]:] if found else text
        first, nl, rest = text.partition("\n")
        if nl and len(first) <= 60 and rest.strip():  # a title line above the 问题表现 (as the app writes it)
            _, manifest, example = split_problem("。" + rest)
            title = first.strip().rstrip("。")
        else:
            title, manifest, example = split_problem(text)
        out.update(title=title, manifestation=manifest.strip())
        if example and not txt("example"):
            out["example"] = example.strip()
    for name in ("example", "cause"):
        if txt(name):
            out[name] = txt(name)
    out["measures"] = split_list(txt("measures"))
    out["evidence"] = split_list(txt("evidence"))
    for name in ("leader", "owner_dept"):
        out[name] = " ".join(txt(name).split())
    dl = parse_deadline(cell(row, "deadline"))
    out.update(deadline=dl.date, deadline_text=dl.text)
    if dl.kind:
        out["kind"] = dl.kind
    if txt("deadline_text"):
        out["deadline_text"] = txt("deadline_text").replace("\n", " ")
    if dl.problem:
        doc.warnings.append(f"{where}：整改时限“{dl.problem}”不是日期，已记为时限说明")
    kind = txt("kind")
    if kind in ("立行立改", "限期整改", "长期坚持"):
        out["kind"] = kind
    progress = txt("progress")
    head, _, tail = progress.partition("\n")
    said = next((st for st in STATUSES if head.strip().startswith(st)), "")
    if said:  # “整改中\n2025年3月1日：……” (the app's own ledger): the status, then the latest note
        out["status"] = said if said != "已销号" else ST_REVIEW
        if said == "已销号":
            doc.warnings.append(f"{where}：原为“已销号”，记为“待销号”（销号须在本系统中审核并登记佐证）")
        progress = tail.strip()
    kept = [ln for ln in progress.split("\n") if not ln.startswith("佐证材料：")]
    if len(kept) < len(progress.split("\n")) and not out["evidence"]:
        ev = next(ln for ln in progress.split("\n") if ln.startswith("佐证材料："))
        out["evidence"] = [e.strip() for e in ev[5:].split("；") if e.strip()]
    progress = "\n".join(kept).strip()
    if progress:
        m = _NOTE_DATE.match(progress)
        note_day = today
        if m:
            try:
                note_day = _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
                progress = progress[m.end():].strip()
            except ValueError:
                pass
        out["progress"] = [{"date": note_day, "text": progress, "by": ""}]
        out.setdefault("status", ST_DOING)
    status = txt("status")
    if status:
        if status in STATUSES and status != "已销号":
            out["status"] = status
        else:
            mapped = next((st for rx, st in _STATUS if rx.search(status)), "")
            if mapped:
                out["status"] = mapped
                if mapped == ST_REVIEW and said != "已销号":  # said once per row, not twice
                    doc.warnings.append(f"{where}：状态“{status}”记为“待销号”（销号须在本系统中审核并登记佐证）")
    return out

