"""`zhenggai opinions import|export`: 征求意见 as a table, without the TUI.

    zhenggai opinions import FILE.csv|.xlsx|.xls [--db PATH] [--campaign C] [--yes]
    zhenggai opinions export FILE.csv|FOLDER [--db PATH] [--campaign C] [--force]

Without --yes the import prints its preview (the header it found, every row it cannot take
with its line number and why, the numbers the others would get) and writes nothing. Exit
codes: 0 done or previewed, 1 unreadable file, no header, nothing to import or another user
error, 2 damaged database. Textual is never imported; openpyxl only for a workbook.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any


def plan_file(db: Any, campaign: dict[str, Any], path: str):
    """The import plan of a .csv, .xlsx or .xls file of opinions (nothing written)."""
    from storage.opinions_io import plan_csv, plan_tables
    from writers.import_read import read_sheets

    path = os.path.expanduser(path)
    read = read_sheets(path)
    if read is None:
        return plan_csv(db, campaign, path)
    sheets, notes = read
    named = len(sheets) > 1
    tables = [(f"工作表“{s.name}”" if named else "", [(r + 1, row) for r, row in enumerate(s.rows)]) for s in sheets]
    plan = plan_tables(db, campaign, tables, path, "Excel 工作簿")
    plan.notes += notes  # e.g. a sheet longer than the reader takes
    return plan


def _open(args: argparse.Namespace):
    from .cli import open_existing

    return open_existing(args, "。征求意见要导入到一个整改活动中，请先新建活动。")


def cmd_import(args: argparse.Namespace) -> int:
    from storage.opinions_io import apply
    from storage.queries import find_campaign

    db = _open(args)
    camp = find_campaign(db, args.campaign)
    plan = plan_file(db, camp, args.file)
    where = f"（{plan.source}）" if plan.source else ""
    print(f"文件：{args.file}{where}")
    for line in plan.lines(db, max_rows=10 ** 6):
        print(line)
    if not plan.good:
        print("没有可导入的行，未写入任何数据。", file=sys.stderr)
        return 1
    if not args.yes:
        print(f"以上为预览，未写入任何数据。确认无误后加 --yes 导入这 {len(plan.good)} 条。")
        return 0
    result = apply(db, plan)
    for b in result["skipped"]:
        print(f"  {b}，已跳过")
    if not result["imported"]:
        print("没有导入任何意见。", file=sys.stderr)
        return 1
    span = f"第{result['first']}条" if result["first"] == result["last"] else f"第{result['first']}–{result['last']}条"
    print(f"已导入 {result['imported']} 条征求意见（征求意见{span}）到“{camp.get('name', '')}”。")
    print(f"导入前的备份：{result['backup']}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from storage.opinions_io import write_export
    from storage.queries import find_campaign

    from .export_cmd import after_export

    db = _open(args)
    camp = find_campaign(db, args.campaign)
    n, written = write_export(db, camp["uid"], args.file, force=args.force)
    print(f"已导出 {n} 条征求意见到 {written}（UTF-8，Excel/WPS 可直接打开）")
    after_export(written)
    return 0


def main(args: argparse.Namespace) -> int:
    if args.opinions_command == "import":
        return cmd_import(args)
    return cmd_export(args)
