"""CSV import and export of the people roll (三联系 人员名单).

Import is two steps so that nothing is written before the user has seen what
is wrong: :func:`plan_import` reads and checks the file and returns an
:class:`ImportPlan` (good rows, and every bad or duplicate row with its line
number and a Chinese reason); :func:`apply` imports the good rows in one
transaction after a backup.

Files from Excel/WPS come as UTF-8 (with or without BOM), GBK, or UTF-16 with
a BOM ("Unicode 文本", tab separated); all are accepted.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .csv_read import ImportFileError, cell, csv_error_message, decode, delimiter, quote, read_file
from .database import Database
from .errors import ZhenggaiError
from .models import PARTIES, ROLE_CPC_MEMBER, ROLE_LEADER, ROLES, blank, normalize
from .rules import CPC_PARTY, PARTY_ALIASES, person_problem

HEADER = ("姓名", "身份", "党派", "界别", "专委会", "单位职务", "电话")
COLUMNS = {"姓名": "name", "身份": "role", "党派": "party", "界别": "sector", "专委会": "committee", "单位职务": "unit_title", "电话": "phone", "备注": "note"}
REQUIRED_COLUMNS = ("姓名", "身份")

ROLE_ALIASES = {"党组成员": "党组成员", "党员委员": "党员委员", "中共党员委员": "党员委员", "党外委员": "党外委员", "非中共党员委员": "党外委员", "机关干部": "机关干部", "干部": "机关干部"}

_PHONE_SPLIT = re.compile(r"[/、,，;；]+")
_PHONE_OK = re.compile(r"^\+?[\d\s\-()（）]+(?:(?:转|ext\.?|#)\s*\d{1,6})?$", re.IGNORECASE)


@dataclass
class BadRow:
    line: int
    name: str
    reason: str
    duplicate: bool = False

    def __str__(self) -> str:
        who = f"（{self.name}）" if self.name else ""
        return f"第 {self.line} 行{who}：{self.reason}"


@dataclass
class GoodRow:
    line: int
    record: dict[str, Any]


@dataclass
class ImportPlan:
    path: str
    encoding: str
    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    rows: int = 0  # data rows seen (blank lines not counted)

    @property
    def empty(self) -> bool:
        return self.rows == 0

    def summary(self) -> str:
        if self.empty:
            return "文件只有表头，没有人员数据。"
        dup = sum(1 for b in self.bad if b.duplicate)
        s = f"共 {self.rows} 行：可导入 {len(self.good)} 行"
        if self.bad:
            s += f"，不能导入 {len(self.bad)} 行"
            if dup:
                s += f"（其中重复 {dup} 行）"
        return s + "。"


def normalize_phone(phone: str) -> str:
    return re.sub(r"\D", "", phone)


def phone_problem(phone: str) -> str | None:
    if not phone:
        return None
    for part in _PHONE_SPLIT.split(phone):
        part = part.strip()
        if not part:
            continue
        digits = len(normalize_phone(part))
        if not _PHONE_OK.match(part) or not 7 <= digits <= 20:
            return f"电话“{quote(phone, 30)}”格式不正确（应为手机号或座机号，如 13812345678、0571-87654321）"
    return None


def _person_keys(rec: dict[str, Any]) -> list[tuple[str, str, str]]:
    keys = [("name", rec.get("name", ""), rec.get("role", ""))]
    for part in _PHONE_SPLIT.split(rec.get("phone") or ""):
        d = normalize_phone(part)
        if d:
            keys.append(("phone", d, ""))
    return keys


def _existing_index(db: Database) -> dict[tuple[str, str, str], dict[str, Any]]:
    idx: dict[tuple[str, str, str], dict[str, Any]] = {}
    for p in db.table_dict("persons").values():
        if not p.get("active", True):
            continue
        for k in _person_keys(p):
            idx.setdefault(k, p)
    return idx


def _dup_reason(key: tuple[str, str, str], where: str) -> str:
    if key[0] == "name":
        return f"与{where}重复（同名同身份：{key[1]}，{key[2]}）"
    return f"与{where}重复（电话相同）"


def plan_import(db: Database, path: str) -> ImportPlan:
    """Read and check ``path``; raise ImportFileError when it is unusable."""
    return plan_import_bytes(db, read_file(path), path)


def plan_import_bytes(db: Database, raw: bytes, path: str = "") -> ImportPlan:
    if not raw.strip():
        raise ImportFileError(f"文件是空的：{path or '（无名）'}。第一行应为表头：{','.join(HEADER)}")
    text, encoding = decode(raw)
    if "\x00" in text:
        raise ImportFileError("这不像是 CSV 文本文件（含有二进制内容），请在 Excel/WPS 中另存为 CSV 后重试。")
    if not text.strip():
        raise ImportFileError(f"文件是空的：{path or '（无名）'}。第一行应为表头：{','.join(HEADER)}")
    lines = text.splitlines()
    first = next((n for n, l in enumerate(lines) if l.strip()), 0)
    delim = delimiter(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    header: list[str] | None = None
    prev_end = 0
    plan = ImportPlan(path=path, encoding=encoding)
    seen: dict[tuple[str, str, str], int] = {}
    existing = _existing_index(db)
    try:
        for row in reader:
            start, prev_end = prev_end + 1, reader.line_num
            cells = [cell(c) for c in row]
            if not any(cells):
                continue
            if header is None:
                header = _check_header(cells, start)
                continue
            plan.rows += 1
            _plan_row(plan, header, cells, start, seen, existing)
    except csv.Error as e:
        raise ImportFileError(csv_error_message(e, reader.line_num)) from None
    if header is None:
        raise ImportFileError(f"文件是空的：{path or '（无名）'}。第一行应为表头：{','.join(HEADER)}")
    return plan


def _check_header(cells: list[str], line: int = 1) -> list[str]:
    cols = [c.strip() for c in cells]
    while cols and not cols[-1]:
        cols.pop()
    expected = ",".join(HEADER)
    if not any(c in COLUMNS for c in cols):
        # Nothing here is a column of ours: this is not a people CSV (perhaps not a CSV at
        # all). Say so without quoting the line: it may come from any file on the server.
        raise ImportFileError(f"第 {line} 行不是人员名单的表头（没有“姓名”“身份”等列名），这个文件不像是人员名单 CSV。"
                              f"第一行应为表头：{expected}")
    unknown = [c for c in cols if c not in COLUMNS]
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    dup = sorted({c for c in cols if cols.count(c) > 1})
    if missing or unknown or dup:
        parts = []
        if missing:
            parts.append(f"缺少列：{'、'.join(missing)}")
        if unknown:
            shown = [quote(c) or "（空列名）" for c in unknown[:5]] + (["……"] if len(unknown) > 5 else [])
            parts.append(f"不认识的列：{'、'.join(shown)}")
        if dup:
            parts.append(f"重复的列：{'、'.join(dup)}")
        raise ImportFileError(f"第 {line} 行表头不正确（{'；'.join(parts)}）。表头应为：{expected}")
    return cols


def _plan_row(
    plan: ImportPlan,
    header: list[str],
    cells: list[str],
    line: int,
    seen: dict[tuple[str, str, str], int],
    existing: dict[tuple[str, str, str], dict[str, Any]],
) -> None:
    values = {COLUMNS[h]: (cells[n] if n < len(cells) else "") for n, h in enumerate(header)}
    name = quote(values.get("name", ""))
    used = len(cells)
    while used > len(header) and not cells[used - 1]:
        used -= 1  # empty cells past the header's last column (a trailing comma) are harmless
    if used > len(header):
        plan.bad.append(BadRow(line, name, f"列数多于表头（本行 {used} 列，表头 {len(header)} 列），请检查是否有多余的逗号"))
        return
    if used < len(header):
        plan.bad.append(BadRow(line, name, f"列数少于表头（本行 {used} 列，表头 {len(header)} 列），"
                                           "可能是单元格中有未加引号的换行，把一行断成了两行"))
        return
    if not name:
        plan.bad.append(BadRow(line, "", "姓名为空"))
        return
    role = ROLE_ALIASES.get(values.get("role", ""), values.get("role", ""))
    if role not in ROLES:
        shown = f"“{quote(values['role'])}”" if values.get("role") else "为空"
        plan.bad.append(BadRow(line, name, f"身份{shown}不可用（应为：{'、'.join(ROLES)}）"))
        return
    party = values.get("party", "")
    party = PARTY_ALIASES.get(party, party)
    if party and party not in PARTIES:
        plan.bad.append(BadRow(line, name, f"党派“{quote(party)}”不可用（应为：{'、'.join(PARTIES)}）"))
        return
    if not party and role in (ROLE_LEADER, ROLE_CPC_MEMBER):
        party = CPC_PARTY
    problem = person_problem(role, party)
    if problem:
        plan.bad.append(BadRow(line, name, problem))
        return
    problem = phone_problem(values.get("phone", ""))
    if problem:
        plan.bad.append(BadRow(line, name, problem))
        return
    rec = blank("persons", **{**values, "role": role, "party": party})
    try:
        rec = normalize("persons", rec)
    except ZhenggaiError as e:
        plan.bad.append(BadRow(line, name, str(e)))
        return
    keys = _person_keys(rec)
    for k in keys:
        if k in seen:
            plan.bad.append(BadRow(line, name, _dup_reason(k, f"本文件第 {seen[k]} 行"), duplicate=True))
            return
        if k in existing:
            plan.bad.append(BadRow(line, name, _dup_reason(k, f"已有人员“{existing[k].get('name', '')}”"), duplicate=True))
            return
    for k in keys:
        seen[k] = line
    plan.good.append(GoodRow(line, rec))


# ---------------------------------------------------------------- applying


def apply(db: Database, plan: ImportPlan) -> dict[str, Any]:
    """Import the plan's good rows in one transaction, after a backup.

    Rows that became duplicates since the plan was made (a colleague added the
    same person meanwhile) are skipped and reported. Returns
    ``{"imported": n, "skipped": [BadRow], "backup": path}``.
    """
    if not plan.good:
        return {"imported": 0, "skipped": [], "backup": None}
    with db.transaction():
        existing = _existing_index(db)
        recs, skipped = [], []
        for g in plan.good:
            hit = next((k for k in _person_keys(g.record) if k in existing), None)
            if hit:
                skipped.append(BadRow(g.line, g.record.get("name", ""), _dup_reason(hit, f"已有人员“{existing[hit].get('name', '')}”"), duplicate=True))
                continue
            recs.append(dict(g.record))
        backup = db.backup("import") if recs else None
        if recs:
            db.insert_many("persons", recs)
    return {"imported": len(recs), "skipped": skipped, "backup": backup}


# ---------------------------------------------------------------- export


def export_text(db: Database, include_inactive: bool = False) -> str:
    persons = [p for p in db.table_dict("persons").values() if include_inactive or p.get("active", True)]
    order = {r: n for n, r in enumerate(ROLES)}
    persons.sort(key=lambda p: (order.get(p.get("role", ""), 9), p.get("name", "")))
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(HEADER)
    for p in persons:
        w.writerow([(_excel_text if h == "电话" else _excel_safe)(p.get(COLUMNS[h], "") or "") for h in HEADER])
    return buf.getvalue()


def _excel_text(value: str) -> str:
    """A phone number as a cell Excel and WPS show as text: ="+86-571-87654321".

    Opening a CSV, Excel and WPS guess each cell's type: 13800000001 becomes 1.38E+10,
    +86-571-87654321 a sum (-87654806), 057187654321 loses its 0. Quoting the field does not
    stop the guess, and a leading apostrophe is not honoured in a CSV (it stays visible in the
    cell); a formula whose result is a text literal is, in both. Our import reads it back
    (see csv_read.cell). Values a formula literal cannot carry keep the plain guard.
    """
    if not value or '"' in value or len(value) > 200:
        return _excel_safe(value)
    return f'="{value}"'


def _excel_safe(value: str) -> str:
    # A cell starting with = + - @ is a formula to Excel/WPS; a phone like
    # "-" or "+86…" would be mangled. Phones keep "+"; formulas get a quote.
    if value[:1] in ("=", "@") or (value[:1] in ("+", "-") and not re.match(r"^[+\-][\d\s\-()]+$", value)):
        return "'" + value
    return value


DEFAULT_EXPORT_NAME = "人员名单.csv"


def export(db: Database, path: str, force: bool = False, include_inactive: bool = False) -> int:
    """Write the roll as UTF-8 with BOM (Excel/WPS open it directly). Returns the row count."""
    return write_export(db, path, force, include_inactive)[0]


def write_export(db: Database, path: str, force: bool = False, include_inactive: bool = False) -> tuple[int, Path]:
    """Like :func:`export`; returns the row count and the absolute path written.

    ``path`` may name a folder (人员名单.csv is written in it) or omit ``.csv``; only a
    regular file is ever written (see storage.outfile). The file is private (0600): it
    holds phone numbers.
    """
    from . import outfile

    target = export_path(path, force)
    text = export_text(db, include_inactive)
    outfile.write(target, ("\ufeff" + text).encode("utf-8"), force=force, mode=0o600)
    return text.count("\r\n") - 1, target


def export_path(path: str, force: bool = False) -> Path:
    """The absolute path :func:`export` writes for ``path`` (a ZhenggaiError if it may not)."""
    from . import outfile

    return outfile.resolve(path, suffixes=(".csv",), force=force, default_name=DEFAULT_EXPORT_NAME, example="人员名单.csv")


__all__ = ["HEADER", "BadRow", "GoodRow", "ImportFileError", "ImportPlan", "apply", "decode", "export", "export_path", "export_text", "write_export", "plan_import", "plan_import_bytes"]
