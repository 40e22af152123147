"""`zhenggai check`: the records, the history chain, the indexes and the backups.

Exit 0 when sound, 2 when the database is damaged or a problem was found (the
message says what and where), 1 when there is no database. No Textual here.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any



def main(args: argparse.Namespace) -> int:
    from storage import DamagedDatabaseError, Database, resolve_db_path

    path = resolve_db_path(args.db)
    if not os.path.lexists(path):
        print(f"数据库不存在：{path}", file=sys.stderr)
        return 1
    try:
        db = Database.open(path, create=False, lazy=True)  # the check reads each file itself, once
        report = db.check_report()
    except DamagedDatabaseError as e:
        if args.json:
            print(json.dumps({"ok": False, "path": path, "damaged": e.reason, "backups": e.backups}, ensure_ascii=False))
        print(str(e), file=sys.stderr)
        return 2
    counts = report["counts"]  # counted on the check's own read: nothing is loaded again
    problems = report["problems"]
    if args.json:
        print(json.dumps({"ok": not problems, "path": path, **report}, ensure_ascii=False, indent=2))
    else:
        show(path, counts, report, db.backups_dir)
    return 2 if problems else 0


def show(path: str, counts: dict[str, int], report: dict[str, Any], backups_dir: str) -> None:
    print(f"数据库：{path}")
    print("记录数：" + "，".join(f"{k} {v}" for k, v in counts.items()))
    h = report["history"]
    if not h["lines"]:
        print("修改记录：暂无")
    elif h["ok"]:
        print(f"修改记录：{h['lines']} 行，校验链完好；末行校验值 {h['tip']}（可记下，日后用于核对此前的记录未被改写）")
    else:
        print(f"修改记录：{h['lines']} 行，校验链在第 {h['broken_line']} 行断开")
    print("索引：" + "；".join(f"{name} {state}" for name, state in report["index"].items()))
    good = [b for b in report["backups"] if b["usable"]]
    bad = [b for b in report["backups"] if not b["usable"]]
    print(f"备份：{len(good)} 份可用" + (f"，{len(bad)} 份不可用" if bad else "") + f"，位于 {backups_dir}")
    if good:
        print(f"  最近一份可用的备份：{good[-1]['name']}")
    for b in bad:
        print(f"  - {b['name']}：不可用（{b['reason']}）")
    for note in report["notes"]:
        print(f"注意：{note}")
    problems = report["problems"]
    if problems:
        print(f"发现 {len(problems)} 个问题：", file=sys.stderr)
        for pr in problems[:50]:
            print(f"  - {pr}", file=sys.stderr)
    else:
        print("校验通过：文件完好，所有记录有效，修改记录的校验链完整。")
