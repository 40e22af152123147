"""The command line's own words and options: argparse in Chinese, --shared on either side of
the subcommand and honoured where a database is created."""

from __future__ import annotations

import re
import stat

import pytest

from conftest import run_cli

ENGLISH = ("usage:", "options:", "positional arguments", "optional arguments", "show this help",
           "error:", "unrecognized", "required", "invalid", "expected")


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("argv", [
    ("--help",), ("demo", "--help"), ("export", "--help"), ("people", "import", "--help"), ("serve", "--help"),
])
def test_help_is_chinese(argv):
    r = run_cli(*argv)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("用法：zhenggai") and "显示本帮助并退出" in out and "选项：" in out
    assert not [w for w in ENGLISH if w in out.lower()], out


@pytest.mark.parametrize("argv, said", [
    (("demo", "--bogus"), "不认识的参数：--bogus"),
    (("export",), "缺少必需的参数：report|ledger|contacts|progress|plan, -o/--output"),
    (("export", "memo", "-o", "x.docx"), "无效的选择：'memo'"),
    (("serve", "--port", "x"), "端口应为 1–65535 之间的整数"),
    (("serve", "--port", "70000"), "端口应为 1–65535 之间的整数"),
    (("review", "--campaign"), "参数 --campaign：需要一个值"),
    (("nosuch",), "无效的选择：'nosuch'"),
])
def test_argument_errors_are_chinese_exit_1(argv, said):
    r = run_cli(*argv)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("用法：zhenggai") and said in r.stderr, r.stderr
    assert not [w for w in ENGLISH if w in r.stderr.lower()], r.stderr


def test_shared_after_the_subcommand_creates_a_group_database(tmp_path):
    after, before, plain = tmp_path / "a" / "z.json", tmp_path / "b" / "z.json", tmp_path / "c" / "z.json"
    r = run_cli("demo", "--shared", "--db", str(after))
    assert r.returncode == 0, r.stderr
    assert run_cli("--shared", "demo", "--db", str(before)).returncode == 0
    assert run_cli("demo", "--db", str(plain)).returncode == 0
    assert _mode(after) == 0o660 and _mode(before) == 0o660
    assert _mode(plain) == 0o600


def test_people_import_honours_shared_on_a_new_database(tmp_path):
    csv = tmp_path / "p.csv"
    csv.write_text("姓名,身份,党派\n张三,党外委员,民盟\n", encoding="utf-8")
    db = tmp_path / "new" / "z.json"
    r = run_cli("people", "import", str(csv), "--yes", "--shared", "--db", str(db))
    assert r.returncode == 0, r.stderr
    assert "已导入 1 名人员" in r.stdout
    shards = [p for p in db.parent.iterdir() if p.is_file() and re.match(r"z\..*json$|z\.json$", p.name)]
    assert shards and all(_mode(p) == 0o660 for p in shards), [(p.name, oct(_mode(p))) for p in shards]
