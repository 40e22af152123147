"""One entry point for every export, used by the CLI and the TUI dialog.

Validation of the options happens before python-docx is imported, so a bad
option costs nothing; the file is written to a temporary name in the target
folder and moved into place (storage.outfile), so a crash never leaves half a document.
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

KINDS = {"report": "对照检查材料", "ledger": "整改台账", "contacts": "三联系工作情况"}
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


def resolve_output(output: str, force: bool, default_name: str | Callable[[], str] | None = None) -> Path:
    """The absolute path to write, or a ZhenggaiError saying why not.

    ``output`` may name a folder (``default_name`` is used in it) and may omit ``.docx``;
    only a regular file is written (a device, pipe, folder or symlink there is refused).
    """
    return outfile.resolve(output, suffixes=(".docx",), force=force, default_name=default_name,
                           example="-o 对照检查材料.docx")


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


def default_filename(kind: str, campaign: dict[str, Any] | None = None, subject: str | None = None, quarter: tuple[int, int] | None = None) -> str:
    """e.g. 2025年度民主生活会-对照检查材料.docx (characters a file name cannot hold removed)."""
    if kind == "contacts":
        y, q = quarter or quarter_of(_today())
        base = f"{y}年第{'一二三四'[q - 1]}季度-三联系工作情况"
    else:
        name = (campaign or {}).get("name") or "整改"
        who = "" if not subject or subject in (SUBJECT_GROUP, ALL_SUBJECTS) else f"-{subject}"
        base = f"{name}{who}-{KINDS[kind]}"
    base = "".join("_" if c in '/\\:*?"<>|' or ord(c) < 32 else c for c in base).strip() or "材料"
    return base + ".docx"


def export(db: Database, opts: ExportOptions) -> Path:
    """Build the document and write it; returns the absolute path written."""
    if opts.kind not in KINDS:
        raise ZhenggaiError(f"未知的导出类型“{opts.kind}”，可选：report、ledger、contacts")
    path = resolve_output(opts.output, opts.force, default_name=lambda: _default_name(db, opts))
    if opts.kind == "contacts":
        year, q = resolve_quarter(opts.quarter)
        from .contacts import build as build_contacts

        gw = build_contacts(db, year, q)
    else:
        campaign = find_campaign(db, opts.campaign)
        subject = (opts.subject or "").strip() or SUBJECT_GROUP
        if opts.kind == "report":
            if subject == ALL_SUBJECTS:
                raise ZhenggaiError("对照检查材料需指定一个材料主体：党组班子或某位同志的姓名")
            from .report import build as build_report

            gw = build_report(db, campaign, subject, title=opts.title, keep_empty=opts.keep_empty, style=opts.style)
        else:
            dims = resolve_dimensions(campaign, opts.dimensions)
            statuses = resolve_statuses(opts.statuses)
            from .ledger import build as build_ledger

            gw = build_ledger(
                db, campaign, None if subject == ALL_SUBJECTS else subject,
                dimensions=dims, statuses=statuses, title=opts.title,
            )
    _atomic_save(gw, path, opts.force)
    return path


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
