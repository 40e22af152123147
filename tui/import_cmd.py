"""`zhenggai import FILE`: a 对照检查材料 (.docx/.txt) or a 整改台账 (.xlsx/.xls/.csv).

    zhenggai import FILE [--db PATH] [--campaign C] [--subject S] [--yes]

Without --yes the preview is printed and nothing is written. Exit codes:
0 done (or previewed), 1 nothing recognisable / unreadable file / refused,
2 damaged database.
"""

from __future__ import annotations

import argparse
import os
import sys


def main(args: argparse.Namespace) -> int:
    from storage.importing import ImportOptions, apply_import, build_plan, preview_lines
    from writers.import_read import read_source

    from .cli import open_for_import

    doc = read_source(args.file)
    db = open_for_import(args, writing=args.yes)
    opts = ImportOptions(campaign=args.campaign, subject=args.subject, add_unmatched=args.yes)
    plan = build_plan(db, doc, os.path.abspath(args.file), opts)
    for line in preview_lines(plan, add_unmatched=args.yes):
        print(line)
    why = plan.blocked(args.yes)
    if not args.yes:
        if plan.error or (not plan.items and not plan.outlines):
            print(f"不能导入：{why}", file=sys.stderr)
            return 1
        print("以上为预览，未写入任何数据。确认无误后加 --yes 导入。")
        return 0
    if why:
        print(f"未导入：{why}", file=sys.stderr)
        return 1
    plan, result = apply_import(db, doc, os.path.abspath(args.file), opts)
    verb = "新建整改活动" if result["created"] else "导入到整改活动"
    print(f"已{verb}“{result['campaign_name']}”：{result['items']} 个问题，{result['outlines']} 节材料段落"
          + (f"，补充了 {result['filled']} 个已有问题的空白内容" if result["filled"] else "") + "。")
    if result["new_dimensions"]:
        print("新增维度：" + "；".join(result["new_dimensions"]))
    if result["backup"]:
        print(f"导入前的备份：{result['backup']}")
    print(f"数据库：{db.path}")
    return 0
