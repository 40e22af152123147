"""`zhenggai people import|export`: the people roll as CSV, without the TUI.

    zhenggai people import FILE.csv [--db PATH] [--yes]
    zhenggai people export FILE.csv|FOLDER [--db PATH] [--force]

Without --yes the import only checks the file and reports (nothing is
written). Exit codes: 0 ok (the file was readable), 1 the file could not be
read at all or another user error, 2 damaged database.
"""

from __future__ import annotations

import argparse
import sys


def cmd_import(args: argparse.Namespace) -> int:
    from storage import people_csv

    from .cli import open_for_import

    db = open_for_import(args, writing=args.yes)
    plan = people_csv.plan_import(db, args.file)
    out = sys.stdout
    print(f"文件：{args.file}（编码 {plan.encoding}）", file=out)
    print(plan.summary(), file=out)
    if plan.bad:
        print("以下行不能导入：", file=out)
        for b in plan.bad:
            print(f"  {b}", file=out)
    if plan.empty:
        return 0
    if not args.yes:
        if plan.good:
            print(f"未写入任何数据。确认无误后加 --yes 导入这 {len(plan.good)} 行。", file=out)
        else:
            print("没有可导入的行，未写入任何数据。", file=out)
        return 0
    result = people_csv.apply(db, plan)
    for b in result["skipped"]:
        print(f"  {b}（导入时发现，已跳过）", file=out)
    if result["imported"]:
        print(f"已导入 {result['imported']} 名人员。导入前的备份：{result['backup']}", file=out)
    else:
        print("没有导入任何人员。", file=out)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from storage import people_csv

    from .cli import open_existing

    db = open_existing(args)
    n, written = people_csv.write_export(db, args.file, force=args.force)
    print(f"已导出 {n} 名人员到 {written}（UTF-8，Excel/WPS 可直接打开）")
    from .export_cmd import after_export

    after_export(written)
    return 0


def main(args: argparse.Namespace) -> int:
    if args.people_command == "import":
        return cmd_import(args)
    if args.people_command == "export":
        return cmd_export(args)
    raise AssertionError(args.people_command)
