"""The `zhenggai` CLI basics in real subprocesses: demo, check, --db placement, ZHENGGAI_DB, default path."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from conftest import run_cli
from storage import Database


def test_demo_on_an_empty_database_then_refuses_then_force(tmp_path):
    path = tmp_path / "d" / "zhenggai.json"
    r = run_cli("demo", "--db", str(path))
    assert r.returncode == 0, r.stderr
    assert "已载入演示数据" in r.stdout and str(path) in r.stdout
    db = Database.open(str(path))
    assert db.all("campaigns") and len(db.all("persons")) >= 30 and db.check() == []
    raw = path.read_bytes()
    raw_contacts = path.with_name("zhenggai.contacts.json").read_bytes()

    r = run_cli("demo", "--db", str(path))
    assert r.returncode == 1 and "--force" in r.stderr and "Traceback" not in r.stderr
    assert path.read_bytes() == raw
    assert path.with_name("zhenggai.contacts.json").read_bytes() == raw_contacts

    before = set(db.backups())
    r = run_cli("demo", "--force", "--db", str(path))
    assert r.returncode == 0, r.stderr
    new = [b for b in db.backups() if b not in before and b.endswith("-import")]
    assert len(new) == 1  # backed up before overwriting
    assert gzip.decompress((Path(new[0]) / "zhenggai.json.gz").read_bytes()) == raw  # backups are gzipped
    assert gzip.decompress((Path(new[0]) / "zhenggai.contacts.json.gz").read_bytes()) == raw_contacts
    db.refresh()
    assert len(db.all("campaigns")) == 1 and db.check() == []


def test_check_sound_and_damaged(tmp_path):
    path = tmp_path / "zhenggai.json"
    assert run_cli("demo", "--db", str(path)).returncode == 0
    r = run_cli("check", "--db", str(path))
    assert r.returncode == 0, r.stderr
    assert "校验通过" in r.stdout and "备份" in r.stdout

    db = Database.open(str(path))
    path.write_bytes(path.read_bytes()[:-10])
    r = run_cli("check", "--db", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "已损坏" in r.stderr and db.backups_dir in r.stderr and str(path) in r.stderr


def test_check_reports_invalid_records(tmp_path):
    import orjson

    path = tmp_path / "zhenggai.json"
    db = Database.open(str(path))
    from storage.items import create_campaign

    camp = create_campaign(db, "活动", "dsh2024")
    data = orjson.loads(path.read_bytes())
    data["items"] = {"i1": {"uid": "i1", "campaign": "不存在", "dimension": "d1", "title": "", "status": "未启动"}}
    data["campaigns"][camp["uid"]]["report_title"] = "长" * 300
    path.write_bytes(orjson.dumps(data))
    r = run_cli("check", "--db", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "问题概述：不能为空" in r.stderr and "不存在" in r.stderr and "材料标题" in r.stderr
    # A date that is no date at all is damage (no screen or document could show it): named, exit 2.
    data["campaigns"][camp["uid"]]["meeting_date"] = "2025-13-40"
    path.write_bytes(orjson.dumps(data))
    r = run_cli("check", "--db", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "已损坏" in r.stderr and camp["uid"] in r.stderr and "会议日期" in r.stderr


def test_check_missing_database_is_a_user_error(tmp_path):
    path = tmp_path / "nothing.json"
    r = run_cli("check", "--db", str(path))
    assert r.returncode == 1 and "不存在" in r.stderr and not path.exists()


def test_db_option_before_or_after_the_subcommand(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert run_cli("--db", str(a), "demo").returncode == 0
    assert run_cli("demo", "--db", str(b)).returncode == 0
    assert a.exists() and b.exists()
    assert run_cli("--db", str(a), "check").returncode == 0
    assert run_cli("check", "--db", str(b)).returncode == 0


def test_zhenggai_db_env_and_default_path(tmp_path):
    env_path = tmp_path / "env" / "zg.json"
    r = run_cli("demo", env={"ZHENGGAI_DB": str(env_path)})
    assert r.returncode == 0 and env_path.exists(), r.stderr
    other = tmp_path / "flag.json"
    r = run_cli("demo", "--db", str(other), env={"ZHENGGAI_DB": str(env_path)})
    assert r.returncode == 0 and other.exists()  # --db wins over the environment

    default = Path(os.environ["XDG_DATA_HOME"]) / "zhenggai" / "zhenggai.json"
    assert not default.exists()
    r = run_cli("demo")
    assert r.returncode == 0, r.stderr
    assert default.exists() and str(default) in r.stdout
    assert run_cli("check").returncode == 0


def test_bad_arguments_exit_1_in_chinese(tmp_path):
    r = run_cli("demo", "--nonsense")
    assert r.returncode == 1 and "参数错误" in r.stderr and "Traceback" not in r.stderr
