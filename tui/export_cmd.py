"""`zhenggai export report|ledger|contacts|progress|plan`: write a finished .docx (GB/T 9704), or
an .xlsx for ledger and plan.

``-o`` may name a folder (the default file name is used in it) or omit ``.docx``.

Textual is never imported here; python-docx only once the options are valid.
"""

from __future__ import annotations

import argparse


def main(args: argparse.Namespace) -> int:
    from writers.export import ExportOptions, export

    from .cli import open_existing

    # The index, then one campaign's records: the other campaigns are not parsed.
    db = open_existing(args, "。可先运行 zhenggai demo --db {path} 载入演示数据。", lazy=True)
    opts = ExportOptions(
        kind=args.kind,
        output=args.output,
        campaign=getattr(args, "campaign", None),
        subject=getattr(args, "subject", None),
        dimensions=list(getattr(args, "dimension", None) or []),
        statuses=list(getattr(args, "status", None) or []),
        quarter=getattr(args, "quarter", None),
        keep_empty=bool(getattr(args, "keep_empty", False)),
        force=bool(getattr(args, "force", False)),
        style={k: v for k in ("numbering", "heading") if (v := getattr(args, k, None))},
    )
    written = export(db, opts)
    print(f"已导出：{written}")
    after_export(written)
    return 0


def after_export(written) -> None:
    """Remember the folder (the TUI's export dialog offers it next) and say how to fetch the file."""
    from storage import settings

    from .fetch_hint import fetch_hint

    settings.remember_export(written)
    print(fetch_hint(written))
