"""征求意见 in and out: a table of opinions (CSV here; .xlsx/.xls rows from writers/import_read.py)
becomes a plan (good rows, every bad row with its line number and reason), then, confirmed,
opinions numbered on from the campaign's last; and the campaign's opinions as a CSV.

Nothing is written before :func:`apply`. The header row is found by its words (日期, 渠道/方式,
来源/提出人类别, 内容/意见建议, 涉及/针对, 维度/方面) within the first rows; a file without one is
named as not an opinions table, without quoting anything from it (it may be any file).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from .csv_read import EXCEL_TEXT, FORMULA_STARTS, ImportFileError, csv_error_message, decode, delimiter, quote, read_file
from .database import Database
from .dates import DateError, iso, parse_date
from .errors import ZhenggaiError
from .importing.ledger import text_of
from .importing.match import match_one
from .importing.text import squash
from .models import MAX_TEXT, OPINION_CHANNELS, OPINION_SOURCES, SUBJECT_GROUP, blank, normalize
from .opinions import next_seq, opinions_for, source_label
from .text import clean_text

# field -> header words; the first field whose word a header cell contains wins, so the
# specific ones come first (“征求方式” is a channel, “意见来源” a source, “意见内容” the content).
HEADER_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("seq", ("序号", "编号")),
    ("item", ("转为问题", "对应问题", "整改问题")),
    ("date", ("日期", "时间")),
    ("channel", ("渠道", "方式", "途径", "形式")),
    ("source_kind", ("来源类别", "提出人类别", "提出人身份", "人员类别", "意见来源", "征求对象", "提出人", "来源", "身份")),
    ("dimension", ("整改维度", "所属方面", "问题类别", "维度", "方面", "归类", "分类", "类别")),
    ("concerns", ("涉及对象", "针对对象", "意见对象", "反映对象", "涉及", "针对", "对象")),
    ("content", ("意见内容", "意见建议", "具体意见", "建议内容", "反映内容", "内容", "意见", "建议")),
)
IMPORTED = ("date", "channel", "source_kind", "concerns", "dimension", "content")
LABEL = {"date": "日期", "channel": "渠道", "source_kind": "来源类别", "concerns": "涉及对象",
         "dimension": "整改维度", "content": "意见内容"}
EXACT_CONTENT = {"意见内容", "意见建议", "内容", "意见", "建议", "具体意见", "意见建议内容"}
HEADER_SCAN, MAX_HEADER_CELL = 20, 16
EXPECTED = "日期、渠道、来源类别、意见内容、涉及对象、整改维度（至少要有“意见内容”或“意见建议”列）"

CHANNEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("个别谈话", ("个别谈话", "谈心谈话", "个别访谈", "谈话", "访谈", "走访")),
    ("意见箱", ("意见箱", "意见簿", "信箱")),
    ("网络", ("网络", "网上", "网站", "邮箱", "邮件", "微信", "在线", "网")),
    ("书面", ("书面", "征求意见函", "发函", "征求意见表", "问卷", "函")),
    ("座谈", ("座谈", "会议", "调研")),
)
SOURCE_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("委员", ("委员",)),  # first: 党外委员 and 党员委员 are 委员
    ("党外人士", ("党外", "民主党派", "无党派", "民革", "民盟", "民建", "民进", "农工", "致公", "九三", "台盟")),
    ("党员", ("党员", "中共", "党组织", "支部")),
    ("群众", ("群众", "干部职工", "职工", "服务对象", "居民", "村民", "企业")),
)
GROUP_WORDS = ("党组班子", "领导班子", "班子", "党组", SUBJECT_GROUP)
FOOTERS = ("填表人", "制表", "审核人", "联系人", "说明", "注：", "注:", "备注：", "备注:")


@dataclass
class BadRow:
    where: str
    reason: str
    duplicate: bool = False

    def __str__(self) -> str:
        return f"{self.where}：{self.reason}"


@dataclass
class GoodRow:
    where: str
    record: dict[str, Any]


@dataclass
class OpinionPlan:
    path: str
    source: str  # “UTF-8”, “Excel 工作簿” …
    campaign: dict[str, Any]
    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0

    def summary(self) -> str:
        if not self.rows:
            return "表格中只有表头，没有意见数据。"
        dup = sum(1 for b in self.bad if b.duplicate)
        s = f"共 {self.rows} 行：可导入 {len(self.good)} 条"
        if self.bad:
            s += f"，不能导入 {len(self.bad)} 行" + (f"（其中重复 {dup} 行）" if dup else "")
        return s + "。"

    def lines(self, db: Database, max_rows: int = 30) -> list[str]:
        """The preview, line by line (the CLI prints it, the TUI shows it)."""
        out = [f"导入到整改活动：{self.campaign.get('name', '')}", *self.notes, self.summary()]
        if self.bad:
            out.append("以下行不能导入：")
            out += [f"  {b}" for b in self.bad]
        if self.good:
            first = next_seq(db, self.campaign["uid"])
            last = first + len(self.good) - 1
            span = source_label(first) if first == last else f"征求意见第{first}–{last}条"
            out.append(f"将导入为{span}：")
            for n, g in enumerate(self.good[:max_rows]):
                r = g.record
                facts = "·".join(x for x in (r.get("date"), r.get("channel"), r.get("source_kind")) if x)
                out.append(f"  {first + n}. {quote(r['content'].replace(chr(10), ' '), 30)}" + (f"（{facts}）" if facts else ""))
            if len(self.good) > max_rows:
                out.append(f"  ……另有 {len(self.good) - max_rows} 条")
        return out


# ------------------------------------------------------------------ reading


def _text(value: Any, multiline: bool = False) -> str:
    if not isinstance(value, str):
        return text_of(value) if multiline else text_of(value).replace("\n", " ")
    c = clean_text(value.replace("\ufeff", "").replace("\u200b", ""), multiline=multiline)
    m = EXCEL_TEXT.match(c)
    if m:
        return m.group(1).replace('""', '"').strip()
    if c[:1] == "'" and c[1:2] in FORMULA_STARTS:
        return c[1:]
    return c


def read_csv_rows(path: str) -> tuple[list[tuple[int, list[str]]], str]:
    """A CSV file's rows, each with the line it starts on, and the encoding's name."""
    raw = read_file(path)
    if not raw.strip():
        raise ImportFileError(f"文件是空的：{path}")
    text, encoding = decode(raw)
    if "\x00" in text:
        raise ImportFileError("这不像是 CSV 文本文件（含有二进制内容），请在 Excel/WPS 中另存为 CSV 或 .xlsx 后重试。")
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first))
    rows, end = [], 0
    try:
        for row in reader:
            rows.append((end + 1, row))
            end = reader.line_num
    except csv.Error as e:
        raise ImportFileError(csv_error_message(e, reader.line_num)) from None
    return rows, encoding


def _field(cell: Any) -> str | None:
    s = squash(_text(cell))
    if not s or len(s) > MAX_HEADER_CELL:
        return None
    return next((name for name, words in HEADER_WORDS if any(w in s for w in words)), None)


def find_header(rows: Sequence[tuple[int, Sequence[Any]]]) -> tuple[int, dict[str, int], list[str], int] | None:
    """(index in ``rows``, field -> column, header texts not imported, columns) of the header row."""
    for n, (_, row) in enumerate(rows[:HEADER_SCAN]):
        found: dict[str, int] = {}
        for col, c in enumerate(row):
            f = _field(c)
            if f and f not in found:
                found[f] = col
        texts = {squash(_text(c)) for c in row} - {""}
        if "content" in found and (len(found) >= 2 or texts <= EXACT_CONTENT):
            used = {c for f, c in found.items() if f in IMPORTED}
            ignored = [_text(c) for col, c in enumerate(row) if col not in used and _text(c)]
            width = max(col for col, c in enumerate(row) if _text(c)) + 1
            return n, found, list(dict.fromkeys(ignored)), width
    return None


def _pick(value: str, words: tuple[tuple[str, tuple[str, ...]], ...], allowed: Sequence[str]) -> str | None:
    if value in allowed:
        return value
    return next((v for v, ws in words if any(w in value for w in ws)), None)


def plan_tables(db: Database, campaign: dict[str, Any], tables: Sequence[tuple[str, list[tuple[int, list[Any]]]]],
                path: str = "", source: str = "", csv_rows: bool = False) -> OpinionPlan:
    """Check the rows of each table (where-prefix, [(line, cells)]); raise when no table has a header."""
    plan = OpinionPlan(path, source, campaign)
    existing = {(o.get("date") or "", squash(o.get("content") or "")): o.get("seq") for o in opinions_for(db, campaign["uid"])}
    seen: dict[tuple[str, str], str] = {}
    found_any = False
    for prefix, rows in tables:
        hit = find_header(rows)
        if hit is None:
            continue
        found_any = True
        n, cols, ignored, width = hit
        named = "、".join(LABEL[f] for f in IMPORTED if f in cols)
        plan.notes.append(f"{prefix}第 {rows[n][0]} 行是表头，识别出的列：{named}")
        if ignored:
            plan.notes.append(f"{prefix}未导入的列：{'、'.join(quote(t, 12) for t in ignored)}")
        defaults: dict[str, str] = {}
        for line, row in rows[n + 1:]:
            where = f"{prefix}第 {line} 行"
            cells = [_text(c) for c in row]
            filled = [c for c in cells if c]
            if not filled:
                continue
            if len(filled) == 1 and filled[0].startswith(FOOTERS):
                plan.notes.append(f"{where}：表格下方的说明，未导入")
                continue
            used = len(cells)
            while not cells[used - 1]:
                used -= 1
            if csv_rows and (len(row) < width or used > width):
                plan.rows += 1
                plan.bad.append(BadRow(where, _width_problem(len(row), used, width)))
                continue
            first = next(col for col, c in enumerate(cells) if c)
            if len(set(filled)) == 1 and (len(filled) > 1 or first not in [cols[f] for f in IMPORTED if f in cols]):
                _group_row(plan, where, filled[0], defaults)
                continue
            plan.rows += 1
            _row(plan, campaign, where, row, cols, defaults, existing, seen)
    if not found_any:
        raise ImportFileError(f"这个文件不像是征求意见表：前 {HEADER_SCAN} 行中没有找到表头。表头应含：{EXPECTED}")
    return plan


def _width_problem(fields: int, used: int, width: int) -> str:
    if used > width:
        return f"列数多于表头（本行 {used} 列，表头 {width} 列），请检查内容中是否有未加引号的逗号"
    return (f"列数少于表头（本行 {fields} 列，表头 {width} 列），"
            "可能是单元格中有未加引号的换行，把一行断成了两行")


def _group_row(plan: OpinionPlan, where: str, text: str, defaults: dict[str, str]) -> None:
    """A row merged across (“一、座谈会意见”, “政治纪律方面”): a default for the rows below."""
    words = re.sub(r"^\s*(?:[一二三四五六七八九十]{1,3}[、.．]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、])\s*", "", text)
    dim = match_one(words, plan.campaign.get("dimensions") or [])
    channel = _pick(words, CHANNEL_WORDS, OPINION_CHANNELS)
    if dim is not None:
        defaults["dimension"] = dim["key"]
    elif channel:
        defaults["channel"] = channel
    else:
        plan.notes.append(f"{where}：分组标题，未导入")
        return
    plan.notes.append(f"{where}：分组标题，其下各行记为“{dim['title'] if dim else channel}”")


def _row(plan: OpinionPlan, campaign: dict[str, Any], where: str, row: list[Any], cols: dict[str, int],
         defaults: dict[str, str], existing: dict[tuple[str, str], Any], seen: dict[tuple[str, str], str]) -> None:
    def get(name: str) -> Any:
        c = cols.get(name)
        return row[c] if c is not None and c < len(row) else None

    content = _text(get("content"), multiline=True)
    if not content:
        plan.bad.append(BadRow(where, "意见内容为空"))
        return
    if len(content) > MAX_TEXT:
        plan.bad.append(BadRow(where, f"意见内容超过 {MAX_TEXT} 字（现有 {len(content)} 字）"))
        return
    try:
        date = iso(parse_date(_text(get("date"))))
    except DateError as e:
        plan.bad.append(BadRow(where, f"日期：{e}"))
        return
    rec: dict[str, Any] = {"content": content, "date": date}
    for name, words, allowed, label in (("channel", CHANNEL_WORDS, OPINION_CHANNELS, "渠道"),
                                        ("source_kind", SOURCE_WORDS, OPINION_SOURCES, "来源类别")):
        value = _text(get(name)) or defaults.get(name, "")
        picked = _pick(value, words, allowed) if value else ""
        if picked is None:
            plan.bad.append(BadRow(where, f"{label}“{quote(value)}”不可用（应为：{'、'.join(allowed)}）"))
            return
        rec[name] = picked
    concerns = _text(get("concerns")).removesuffix("同志").strip()
    rec["concerns"] = SUBJECT_GROUP if not concerns or concerns in GROUP_WORDS else concerns
    dim_text = _text(get("dimension"))
    dims = campaign.get("dimensions") or []
    if dim_text:
        hit = dims[int(dim_text) - 1] if dim_text.isdigit() and 1 <= int(dim_text) <= len(dims) else match_one(dim_text, dims)
        if hit is None:
            names = "、".join(d.get("short") or d.get("title", "") for d in dims)
            plan.bad.append(BadRow(where, f"整改维度“{quote(dim_text)}”不是本活动的维度（可填：{names}，或留空）"))
            return
        rec["dimension"] = hit["key"]
    else:
        rec["dimension"] = defaults.get("dimension", "")
    try:
        rec = normalize("opinions", blank("opinions", **rec, campaign=campaign["uid"], seq=1))
    except ZhenggaiError as e:
        plan.bad.append(BadRow(where, str(e)))
        return
    key = (rec["date"], squash(rec["content"]))
    if key in existing:
        plan.bad.append(BadRow(where, f"与已有的{source_label(existing[key])}重复（日期和内容相同）", duplicate=True))
    elif key in seen:
        plan.bad.append(BadRow(where, f"与{seen[key]}重复（日期和内容相同）", duplicate=True))
    else:
        seen[key] = where
        plan.good.append(GoodRow(where, rec))


def plan_csv(db: Database, campaign: dict[str, Any], path: str) -> OpinionPlan:
    rows, encoding = read_csv_rows(path)
    return plan_tables(db, campaign, [("", rows)], path, encoding, csv_rows=True)


# ------------------------------------------------------------------ writing


def apply(db: Database, plan: OpinionPlan) -> dict[str, Any]:
    """Add the plan's good rows, numbered on from the campaign's last, in one transaction after a
    backup. Rows a colleague added meanwhile (same date and content) are skipped and reported."""
    if not plan.good:
        return {"imported": 0, "skipped": [], "backup": None, "first": None, "last": None}
    cuid = plan.campaign["uid"]
    with db.transaction():
        db.require("campaigns", cuid)
        existing = {(o.get("date") or "", squash(o.get("content") or "")): o.get("seq") for o in opinions_for(db, cuid)}
        recs, skipped = [], []
        seq = next_seq(db, cuid)
        for g in plan.good:
            key = (g.record.get("date") or "", squash(g.record.get("content") or ""))
            if key in existing:
                skipped.append(BadRow(g.where, f"与已有的{source_label(existing[key])}重复（导入时发现）", duplicate=True))
                continue
            recs.append({**g.record, "seq": seq, "item": ""})
            seq += 1
        backup = db.backup("import") if recs else None
        if recs:
            db.insert_many("opinions", recs)
    first = recs[0]["seq"] if recs else None
    return {"imported": len(recs), "skipped": skipped, "backup": backup, "first": first,
            "last": recs[-1]["seq"] if recs else None}


EXPORT_HEADER = ("序号", "日期", "渠道", "来源类别", "涉及对象", "整改维度", "意见内容", "转为问题")


def export_text(db: Database, campaign_uid: str) -> str:
    from .people_csv import _excel_safe

    titles = {d["key"]: d.get("title", "") for d in db.table_dict("campaigns")[campaign_uid].get("dimensions") or []}
    items = db.light("items", campaign_uid)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(EXPORT_HEADER)
    for o in opinions_for(db, campaign_uid):
        item = items.get(o.get("item") or "")
        row = [str(o.get("seq") or ""), o.get("date") or "", o.get("channel") or "", o.get("source_kind") or "",
               o.get("concerns") or SUBJECT_GROUP, titles.get(o.get("dimension") or "", ""), o.get("content") or "",
               (item or {}).get("title", "")]
        w.writerow([_excel_safe(v) for v in row])
    return buf.getvalue()


def default_name(campaign: dict[str, Any]) -> str:
    base = f"{campaign.get('name') or '整改'}-征求意见"
    return "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in base) + ".csv"


def write_export(db: Database, campaign_uid: str, path: str, force: bool = False) -> tuple[int, Path]:
    """The campaign's opinions as CSV (UTF-8 with BOM, as Excel/WPS open it); an existing file
    only with ``force``, never through a symlink or onto a device (storage.outfile)."""
    from . import outfile

    camp = db.require("campaigns", campaign_uid)
    target = outfile.resolve(path, suffixes=(".csv",), force=force, default_name=default_name(camp), example="征求意见.csv")
    text = export_text(db, campaign_uid)
    outfile.write(target, ("\ufeff" + text).encode("utf-8"), force=force, mode=0o600)
    return len(opinions_for(db, campaign_uid)), target
