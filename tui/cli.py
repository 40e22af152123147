"""The `zhenggai` command. Textual, Rich and python-docx are imported lazily,
only by the subcommands that need them, so `review` and `check` start fast.

Exit codes: 0 ok, 1 user error (Chinese message on stderr), 2 damaged data.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # Chinese, exit 1 (not argparse's 2: 2 means damaged data)
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(1)


def build_parser() -> argparse.ArgumentParser:
    db_opt = argparse.ArgumentParser(add_help=False)
    db_opt.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="数据库文件（默认：用户数据目录；也可用环境变量 ZHENGGAI_DB）")

    p = _Parser(prog="zhenggai", description="整改：党建整改与“三联系”工作台", parents=[db_opt])
    p.add_argument("--shared", action="store_true", help="新建数据库时允许同组用户读写（0660）")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="命令")

    d = sub.add_parser("demo", parents=[db_opt], help="载入虚构的演示数据")
    d.add_argument("--force", action="store_true", help="数据库非空时也覆盖（先备份）")

    r = sub.add_parser("review", parents=[db_opt], help="在控制台打印一屏整改与三联系概况")
    r.add_argument("--campaign", metavar="C", help="活动编号或名称")
    r.add_argument("--json", action="store_true", help="以 JSON 输出")

    e = sub.add_parser("export", parents=[db_opt], help="导出公文格式的 Word 文档")
    e.add_argument("kind", choices=["report", "ledger", "contacts"], help="report 对照检查材料 / ledger 整改台账 / contacts 三联系情况")
    e.add_argument("--campaign", metavar="C", help="活动编号或名称")
    e.add_argument("--subject", metavar="S", help="材料主体：党组班子或个人姓名")
    e.add_argument("--dimension", metavar="D", action="append", help="只导出这些维度（台账，可重复）")
    e.add_argument("--status", metavar="S", action="append", help="只导出这些状态（台账，可重复）")
    e.add_argument("--quarter", metavar="YYYYQn", help="三联系材料的季度（默认本季度）")
    e.add_argument("--keep-empty", action="store_true", help="保留没有事项的维度（对照检查材料）")
    e.add_argument("-o", "--output", metavar="OUT.docx", required=True, help="输出文件")
    e.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    c = sub.add_parser("check", parents=[db_opt], help="校验数据库文件")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    pe = sub.add_parser("people", parents=[db_opt], help="人员名单导入导出")
    psub = pe.add_subparsers(dest="people_command", parser_class=_Parser, metavar="操作", required=True)
    pi = psub.add_parser("import", parents=[db_opt], help="从 CSV 导入人员（表头：姓名,身份,党派,界别,专委会,单位职务,电话）")
    pi.add_argument("file", metavar="FILE.csv")
    pi.add_argument("--yes", action="store_true", help="确认导入合格的行（不加则只检查、不写入）")
    px = psub.add_parser("export", parents=[db_opt], help="导出人员名单为 CSV")
    px.add_argument("file", metavar="FILE.csv")
    px.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    s = sub.add_parser("serve", parents=[db_opt], help="在浏览器中使用（textual-serve，仅限本机访问）")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1；该服务没有登录验证）")
    s.add_argument("--port", type=int, default=8000)
    return p


def open_db(args: argparse.Namespace, *, create: bool = True):
    from storage import Database, resolve_db_path

    return Database.open(resolve_db_path(args.db), create=create, shared=getattr(args, "shared", False) or None)


def cmd_demo(args: argparse.Namespace) -> int:
    from storage.demo import load_demo

    db = open_db(args)
    counts = load_demo(db, force=args.force)
    print(
        f"已载入演示数据：{counts['campaigns']} 个整改活动，{counts['items']} 个整改事项，"
        f"{counts['persons']} 名人员，{counts['links']} 条联系关系，{counts['contacts']} 条联系记录。\n数据库：{db.path}"
    )
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .check_cmd import main as check_main

    return check_main(args)


def cmd_tui(args: argparse.Namespace) -> int:
    import gc

    gc.disable()  # no collections during start-up: tui.app.run() resumes them after the first frame
    from storage import resolve_db_path

    from .app import run

    return run(resolve_db_path(args.db), shared=args.shared)


def cmd_serve(args: argparse.Namespace) -> int:
    from storage import resolve_db_path

    try:
        from textual_serve.server import Server
    except ImportError:
        print("未安装 textual-serve，无法在浏览器中使用。", file=sys.stderr)
        return 1
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"警告：该服务没有登录验证，监听 {args.host} 会让他人无需密码即可访问数据。", file=sys.stderr)
    db = resolve_db_path(args.db)
    command = f"{sys.executable} -m tui --db {_quote(db)}"
    Server(command, host=args.host, port=args.port, title="整改").serve()
    return 0


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def dispatch(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd is None:
        return cmd_tui(args)
    if cmd == "demo":
        return cmd_demo(args)
    if cmd == "check":
        return cmd_check(args)
    if cmd == "serve":
        return cmd_serve(args)
    if cmd == "review":
        from .review import main as review_main

        return review_main(args)
    if cmd == "export":
        from .export_cmd import main as export_main

        return export_main(args)
    if cmd == "people":
        from .people_cmd import main as people_main

        return people_main(args)
    raise AssertionError(cmd)


def main(argv: Sequence[str] | None = None) -> int:
    from storage.errors import ZhenggaiError

    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):  # --db may stand before or after the subcommand
        args.db = None
    try:
        return dispatch(args)
    except ZhenggaiError as e:
        print(str(e), file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
