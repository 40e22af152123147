"""The `zhenggai` command. Textual, Rich and python-docx are imported lazily,
only by the subcommands that need them, so `review` and `check` start fast.

Exit codes: 0 ok, 1 user error (Chinese message on stderr), 2 damaged data.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # Chinese, exit 1 (not argparse's 2: 2 means damaged data)
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(1)

    def format_help(self) -> str:  # section titles end with a Chinese colon
        return self._zh_colons(super().format_help())

    @staticmethod
    def _zh_colons(text: str) -> str:
        return text.replace("位置参数:\n", "位置参数：\n").replace("选项:\n", "选项：\n")

    def add_argument(self, *args, **kwargs):
        # A positional with choices is named by its choices in messages ("缺少必需的参数：report|ledger…").
        if args and not args[0].startswith("-") and kwargs.get("choices") and "metavar" not in kwargs:
            kwargs["metavar"] = "|".join(kwargs["choices"])
        return super().add_argument(*args, **kwargs)


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 1–65535 之间的整数，而不是“{text}”")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    from .argparse_zh import install

    install()  # usage, help sections and argparse's own errors in Chinese
    # Options every command takes, before or after the subcommand (SUPPRESS: a value given
    # before the subcommand is not reset by the subparser's default; main() fills the defaults).
    db_opt = argparse.ArgumentParser(add_help=False)
    db_opt.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help="数据库文件（默认：用户数据目录；也可用环境变量 ZHENGGAI_DB）")
    db_opt.add_argument("--shared", action="store_true", default=argparse.SUPPRESS, help="新建数据库时允许同组用户读写（0660；也可用环境变量 ZHENGGAI_SHARED=1）")

    p = _Parser(prog="zhenggai", description="整改：党建整改与“三联系”工作台", parents=[db_opt])
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="命令")

    d = sub.add_parser("demo", parents=[db_opt], help="载入虚构的演示数据")
    d.add_argument("--force", action="store_true", help="数据库非空时也覆盖（先备份）")

    r = sub.add_parser("review", parents=[db_opt], help="在控制台打印一屏整改与三联系概况")
    r.add_argument("--campaign", metavar="C", help="活动编号或名称")
    r.add_argument("--json", action="store_true", help="以 JSON 输出")

    e = sub.add_parser("export", parents=[db_opt], help="导出公文格式的 Word 文档（台账、方案也可导出为 Excel）")
    e.add_argument("kind", choices=["report", "ledger", "contacts", "progress", "plan"],
                   help="report 对照检查材料 / ledger 整改台账 / contacts 三联系情况 / progress 整改落实情况报告 / plan 整改方案")
    e.add_argument("--campaign", metavar="C", help="活动编号或名称")
    e.add_argument("--subject", metavar="S", help="材料主体：党组班子或个人姓名")
    e.add_argument("--dimension", metavar="D", action="append", help="只导出这些维度（台账、方案，可重复）")
    e.add_argument("--status", metavar="S", action="append", help="只导出这些状态（台账、方案，可重复）")
    e.add_argument("--quarter", metavar="YYYYQn", help="三联系材料的季度（默认本季度）")
    e.add_argument("--keep-empty", action="store_true", help="保留没有事项的维度（对照检查材料）")
    e.add_argument("--numbering", choices=["yishi", "digits"], help="本次导出的问题编号：yishi 一是、二是 / digits 1. 2.（默认按活动的文稿格式）")
    e.add_argument("--heading", choices=["alone", "run_in"], help="本次导出的（一）标题：alone 单独成行 / run_in 接排正文（默认按活动的文稿格式）")
    e.add_argument("-o", "--output", metavar="OUT.docx|OUT.xlsx", required=True,
                   help="输出文件或文件夹（文件夹中使用默认文件名；可省略后缀，默认 .docx；台账、方案可用 .xlsx）")
    e.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    c = sub.add_parser("check", parents=[db_opt], help="校验数据库文件")
    c.add_argument("--json", action="store_true", help="以 JSON 输出")

    pe = sub.add_parser("people", parents=[db_opt], help="人员名单导入导出")
    psub = pe.add_subparsers(dest="people_command", parser_class=_Parser, metavar="操作", required=True)
    pi = psub.add_parser("import", parents=[db_opt], help="从 CSV 导入人员（表头：姓名,身份,党派,界别,专委会,单位职务,电话）")
    pi.add_argument("file", metavar="FILE.csv")
    pi.add_argument("--yes", action="store_true", help="确认导入合格的行（不加则只检查、不写入）")
    px = psub.add_parser("export", parents=[db_opt], help="导出人员名单为 CSV")
    px.add_argument("file", metavar="FILE.csv", help="输出文件或文件夹（文件夹中写入 人员名单.csv）")
    px.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    # issue 13: bring last year's material in (tui/import_cmd.py), carry unfinished items over (tui/carry_cmd.py)
    im = sub.add_parser("import", parents=[db_opt], help="导入对照检查材料（.docx/.txt）或整改台账（.xlsx/.xls/.csv）")
    im.add_argument("file", metavar="FILE")
    im.add_argument("--campaign", metavar="C", help="导入到已有的活动（编号或名称）；不指定则按材料标题新建活动")
    im.add_argument("--subject", metavar="S", help="材料主体：党组班子（默认）或个人姓名")
    im.add_argument("--yes", action="store_true", help="确认导入（不加则只预览、不写入）")
    ca = sub.add_parser("carry", parents=[db_opt], help="把上一活动中未销号的事项接续到新活动")
    ca.add_argument("--from", dest="source", metavar="C", required=True, help="原活动（编号或名称）")
    ca.add_argument("--to", dest="target", metavar="C", required=True, help="接续到的活动（编号或名称）")
    ca.add_argument("--dimension", metavar="D", help="接续到的维度（键、简称或标题；默认“整改落实”维度）")
    ca.add_argument("--yes", action="store_true", help="确认接续（不加则只预览、不写入）")
    # issue 13 item 5: 征求意见 (tui/opinions_cmd.py)
    op = sub.add_parser("opinions", parents=[db_opt], help="征求意见：从 CSV/Excel 导入，导出为 CSV")
    osub = op.add_subparsers(dest="opinions_command", parser_class=_Parser, metavar="操作", required=True)
    oi = osub.add_parser("import", parents=[db_opt], help="导入征求意见表（.csv/.xlsx/.xls；表头含日期、渠道、来源类别、意见内容、涉及对象、整改维度）")
    oi.add_argument("file", metavar="FILE")
    oi.add_argument("--campaign", metavar="C", help="导入到哪个活动（编号或名称；只有一个活动时可省略）")
    oi.add_argument("--yes", action="store_true", help="确认导入合格的行（不加则只预览、不写入）")
    ox = osub.add_parser("export", parents=[db_opt], help="把一个活动的征求意见导出为 CSV")
    ox.add_argument("file", metavar="FILE.csv", help="输出文件或文件夹（文件夹中使用默认文件名）")
    ox.add_argument("--campaign", metavar="C", help="活动编号或名称")
    ox.add_argument("--force", action="store_true", help="覆盖已存在的文件")

    s = sub.add_parser("serve", parents=[db_opt], help="在浏览器中使用（textual-serve；凭启动时打印的令牌访问）")
    s.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，经 SSH 隧道访问）")
    s.add_argument("--port", type=_port, default=8000, help="端口（默认 8000；被占用时依次尝试后面的端口）")
    s.add_argument("--socket", metavar="PATH", nargs="?", const="", default=None,
                   help="改为监听本用户专用的 Unix 套接字（默认在用户运行目录），经 ssh -L 端口:套接字 转发")
    return p


def open_db(args: argparse.Namespace, *, create: bool = True):
    from storage import resolve_db_path

    return _open(resolve_db_path(args.db), args, create)


def open_existing(args: argparse.Namespace, hint: str = "", lazy: bool = False):
    """The database, which must exist (nothing is created): else a ZhenggaiError “数据库不存在：
    <path>” and ``hint`` (in which ``{path}`` is the path). ``lazy``: read the index first and
    each shard only when needed (Database.open)."""
    import os

    from storage import resolve_db_path
    from storage.errors import ZhenggaiError

    path = resolve_db_path(args.db)
    if not os.path.exists(path):
        raise ZhenggaiError(f"数据库不存在：{path}" + hint.format(path=path))
    return _open(path, args, create=False, lazy=lazy)


def open_for_import(args: argparse.Namespace, writing: bool):
    """The database an import writes to (created if need be); for a preview only, one that
    is not there yet is not created: the preview compares against an empty database."""
    import os

    from storage import Database, resolve_db_path

    path = resolve_db_path(args.db)
    if writing or os.path.exists(path):
        return _open(path, args, create=True)
    return Database(path)


def _open(path: str, args: argparse.Namespace, create: bool, lazy: bool = False):
    from storage import Database

    return Database.open(path, create=create, shared=getattr(args, "shared", False) or None, lazy=lazy)


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
    from .serve import main as serve_main

    return serve_main(args)


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
    if cmd in ("import", "carry", "opinions"):
        from importlib import import_module

        return import_module(f".{cmd}_cmd", __package__).main(args)
    if cmd == "people":
        from .people_cmd import main as people_main

        return people_main(args)
    raise AssertionError(cmd)


def main(argv: Sequence[str] | None = None) -> int:
    from storage.errors import ZhenggaiError

    args = build_parser().parse_args(argv)
    if not hasattr(args, "db"):  # --db and --shared may stand before or after the subcommand
        args.db = None
    if not hasattr(args, "shared"):
        args.shared = False
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
