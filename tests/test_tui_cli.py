"""The TUI started as `zhenggai` in a real process: benchmark hook and a damaged database."""

from __future__ import annotations

from tests.conftest import run_cli


def test_exit_on_ready_shows_the_main_screen_with_data(tmp_path):
    db = tmp_path / "z.json"
    assert run_cli("demo", "--db", str(db)).returncode == 0
    done = run_cli("--db", str(db), env={"ZHENGGAI_EXIT_ON_READY": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    # Textual draws on stderr when stdout is not a terminal; the header and the table were on screen
    # (the table's title column is cut to its width; the full records load after the first frame)
    assert "2025年度民主生活会" in done.stderr
    assert "理论学习深度" in done.stderr and "陈立群" in done.stderr
    assert "Traceback" not in done.stderr


def test_exit_on_ready_on_an_empty_database_shows_welcome(tmp_path):
    done = run_cli("--db", str(tmp_path / "new.json"), env={"ZHENGGAI_EXIT_ON_READY": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert "载入演示数据" in done.stderr


def test_damaged_database_exits_2_with_a_message_and_no_app(tmp_path):
    db = tmp_path / "z.json"
    db.write_text('{"meta": {"schema": ', encoding="utf-8")
    done = run_cli("--db", str(db), env={"ZHENGGAI_EXIT_ON_READY": "1"})
    assert done.returncode == 2
    assert "数据库文件已损坏" in done.stderr
    assert "Traceback" not in done.stderr
    assert "\x1b[?1049h" not in done.stderr  # the app never started
    assert db.read_text(encoding="utf-8") == '{"meta": {"schema": '  # untouched
