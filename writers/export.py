"""One entry point for every export, used by the CLI and the TUI dialog.

Each kind is written as .docx (python-docx) and, the tables (ledger, plan), as .xlsx too
(openpyxl), chosen by the output's suffix (FORMATS). Validation of the options happens
before python-docx or openpyxl is imported, so a bad option costs nothing; the file is
written to a temporary name in the target folder and moved into place (storage.outfile), so a
crash never leaves half a document.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storage import outfile
from storage.database import Database
from storage.dates import DateError, parse_quarter, quarter_of
from storage.dates import today as _today
from storage.errors import ZhenggaiError
from storage.models import STATUSES, SUBJECT_GROUP
from storage.queries import find_campaign

KINDS = {"report": "对照检查材料", "ledger": "整改台账", "contacts": "三联系工作情况",
         "progress": "整改落实情况报告", "plan": "整改方案"}
# kind -> the file formats it can be written as, by suffix; the first is the default.
FORMATS: dict[str, tuple[str, ...]] = {
    "report": (".docx",),
    "ledger": (".docx", ".xlsx"),
    "contacts": (".docx",),
    "progress": (".docx",),
    "plan": (".docx", ".xlsx"),
}
ALL_SUBJECTS = "全部"


@dataclass
class ExportOptions:
    kind: str
    output: str
    campaign: str | None = None  # uid or exact name
    subject: str | None = None
    dimensions: list[str] = field(default_factory=list)  # keys, short labels or titles
    statuses: list[str] = field(default_factory=list)
    quarter: str | None = None  # 2025Q2
    keep_empty: bool = False
    title: str | None = None
    force: bool = False
    style: dict[str, str] = field(default_factory=dict)  # this export only: numbering, heading


def resolve_output(
    output: str, force: bool, kind: str = "report", default_name: str | Callable[[], str] | None = None
) -> Path:
    """The absolute path to write, or a ZhenggaiError saying why not.

    ``output`` may name a folder (``default_name`` is used in it) and may omit the suffix (the
    kind's first format is added); only a regular file is written (a device, pipe, folder or
    symlink there is refused).
    """
    typed = Path(str(output or "").strip())
    if typed.suffix.lower() in outfile.OTHER_SUFFIXES:
        check_suffix(typed, kind)  # the kind's own message: “台账可导出为 Word 或 Excel”
    path = outfile.resolve(output, suffixes=FORMATS.get(kind, (".docx",)), force=force, default_name=default_name,
                           example="-o 对照检查材料.docx")
    check_suffix(path, kind)
    return path


def check_suffix(path: Path, kind: str) -> None:
    """The suffix must be one of the kind's FORMATS (.docx; .xlsx too for ledger and plan)."""
    allowed = FORMATS.get(kind, (".docx",))
    if path.suffix.lower() not in allowed:
        name = KINDS.get(kind, "文档")
        if len(allowed) == 1:
            raise ZhenggaiError(f"{name}只能导出为 Word 文档，输出文件应以 .docx 结尾：{path}")
        raise ZhenggaiError(f"{name}可导出为 Word（.docx）或 Excel（.xlsx），输出文件应以其中之一结尾：{path}")


def resolve_dimensions(campaign: dict[str, Any], refs: list[str]) -> list[str]:
    keys = []
    dims = campaign.get("dimensions", [])
    for ref in refs or []:
        r = ref.strip()
        hit = next((d for d in dims if r in (d.get("key"), d.get("short"), d.get("title"))), None)
        if hit is None and r.isdigit() and 1 <= int(r) <= len(dims):
            hit = dims[int(r) - 1]
        if hit is None:
            names = "、".join(d.get("short") or d.get("title", "") for d in dims)
            raise ZhenggaiError(f"活动“{campaign.get('name')}”中没有维度“{r}”。可选：{names}（也可写序号 1–{len(dims)}）")
        if hit["key"] not in keys:
            keys.append(hit["key"])
    return keys


def resolve_statuses(refs: list[str]) -> list[str]:
    out = []
    for ref in refs or []:
        r = ref.strip()
        if r not in STATUSES:
            raise ZhenggaiError(f"没有“{r}”这种状态。可选：{'、'.join(STATUSES)}")
        if r not in out:
            out.append(r)
    return out


def resolve_quarter(text: str | None) -> tuple[int, int]:
    if not text:
        return quarter_of(_today())
    try:
        return parse_quarter(text)
    except DateError as e:
        raise ZhenggaiError(str(e)) from None


def default_filename(kind: str, campaign: dict[str, Any] | None = None, subject: str | None = None,
                     quarter: tuple[int, int] | None = None, suffix: str = ".docx") -> str:
    """e.g. 2025年度民主生活会-对照检查材料.docx (characters a file name cannot hold removed)."""
    if kind == "contacts":
        y, q = quarter or quarter_of(_today())
        base = f"{y}年第{'一二三四'[q - 1]}季度-三联系工作情况"
    else:
        name = (campaign or {}).get("name") or "整改"
        who = "" if not subject or subject in (SUBJECT_GROUP, ALL_SUBJECTS) else f"-{subject}"
        base = f"{name}{who}-{KINDS[kind]}"
    base = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in base).strip() or "材料"
    return base + suffix


def export(db: Database, opts: ExportOptions) -> Path:
    """Build the document and write it; returns the absolute path written."""
    if opts.kind not in KINDS:
        raise ZhenggaiError(f"未知的导出类型“{opts.kind}”，可选：{'、'.join(KINDS)}")
    path = resolve_output(opts.output, opts.force, opts.kind, default_name=lambda: _default_name(db, opts))
    doc = _build(db, opts, path.suffix.lower())
    _atomic_save(doc, path, opts.force)
    return path


def _build(db: Database, opts: ExportOptions, suffix: str):
    """The document of ``opts.kind`` in the format of ``suffix``: anything with save(file)."""
    if opts.kind == "contacts":
        year, q = resolve_quarter(opts.quarter)
        from .contacts import build as build_contacts

        return build_contacts(db, year, q)
    campaign = find_campaign(db, opts.campaign)
    subject = (opts.subject or "").strip() or SUBJECT_GROUP
    if opts.kind in ("report", "progress"):
        if subject == ALL_SUBJECTS:
            raise ZhenggaiError(f"{KINDS[opts.kind]}需指定一个材料主体：党组班子或某位同志的姓名")
        if opts.kind == "progress":
            from .progress import build as build_progress

            return build_progress(db, campaign, subject, title=opts.title, style=opts.style)
        from .report import build as build_report

        return build_report(db, campaign, subject, title=opts.title, keep_empty=opts.keep_empty, style=opts.style)
    # ledger, plan: tables, filtered by dimension and status, as .docx or .xlsx
    table = dict(
        dimensions=resolve_dimensions(campaign, opts.dimensions),
        statuses=resolve_statuses(opts.statuses),
        title=opts.title,
    )
    who = None if subject == ALL_SUBJECTS else subject
    if suffix == ".xlsx":
        from .sheets import build as build_sheet

        return build_sheet(opts.kind, db, campaign, who, **table)
    if opts.kind == "plan":
        from .plan import build as build_plan

        return build_plan(db, campaign, who, **table)
    from .ledger import build as build_ledger

    return build_ledger(db, campaign, who, **table)


def _default_name(db: Database, opts: ExportOptions) -> str:
    """The default file name for ``opts`` (used when the output names a folder)."""
    if opts.kind == "contacts":
        return default_filename("contacts", quarter=resolve_quarter(opts.quarter))
    return default_filename(opts.kind, find_campaign(db, opts.campaign), (opts.subject or "").strip() or SUBJECT_GROUP)


def _atomic_save(gw, path: Path, force: bool) -> None:
    # The whole .docx is built in memory first (a few MB at most): python-docx's ZipFile then
    # never meets a full disk half-way (it would print a traceback from its destructor), and
    # the file goes into place by storage.outfile's temp file + fsync + link/rename.
    buf = io.BytesIO()
    gw.save(buf)
    outfile.write(path, buf.getvalue(), force=force, mode=outfile.DEFAULT_MODE)
