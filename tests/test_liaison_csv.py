"""People CSV import/export: encodings, bad rows with line numbers, duplicates, the CLI."""

from __future__ import annotations

import pytest

from storage.liaison import add_person
from storage.people_csv import HEADER, ImportFileError, apply, export, plan_import
from tests.conftest import run_cli

HEAD = ",".join(HEADER)
GOOD = [
    "张建国,党组成员,中共,,,市政协副主席,13800000001",
    "李红,党员委员,,经济界,经济委员会,某集团董事长,13800000002",
    "赵明,党外委员,民盟,教育界,教科卫体委员会,某大学教授,0571-87654321",
    "孙丽,党外委员,九三学社,科技界,,某研究所研究员,",
]


def write(tmp_path, lines, encoding="utf-8", name="p.csv", bom=False):
    path = tmp_path / name
    text = "\r\n".join(lines) + "\r\n"
    data = text.encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return str(path)


def test_good_rows(db, tmp_path):
    plan = plan_import(db, write(tmp_path, [HEAD, *GOOD]))
    assert plan.bad == [] and [g.line for g in plan.good] == [2, 3, 4, 5]
    assert plan.good[1].record["party"] == "中共"  # 党员委员 with empty 党派
    assert db.all("persons") == []  # planning writes nothing
    result = apply(db, plan)
    assert result["imported"] == 4 and result["backup"]
    names = sorted(p["name"] for p in db.all("persons"))
    assert names == sorted(["张建国", "李红", "赵明", "孙丽"])
    zm = next(p for p in db.all("persons") if p["name"] == "赵明")
    assert (zm["role"], zm["party"], zm["sector"], zm["committee"], zm["unit_title"], zm["phone"]) == (
        "党外委员", "民盟", "教育界", "教科卫体委员会", "某大学教授", "0571-87654321")
    assert any(b.endswith("-import") for b in db.backups())
    assert db.check() == []


def test_bad_rows_have_line_numbers_and_reasons(db, tmp_path):
    lines = [
        HEAD,
        GOOD[0],
        ",党员委员,中共,,,,",                  # 3 empty name
        "王五,委员,,,,,",                       # 4 unknown role
        "钱六,党外委员,共青团,,,,",              # 5 unknown party
        "周七,党外委员,民进,,,,12345",           # 6 bad phone (too short)
        "吴八,党外委员,民进,,,,1380000abcd",     # 7 bad phone (letters)
        "",                                      # 8 blank line: skipped
        "郑九,党外委员,中共,,,,",                # 9 party does not fit role
        "冯十,党员委员,民革,,,,",                # 10 party does not fit role
        "陈一,党外委员,民进,,,,,多余",           # 11 too many columns
    ]
    plan = plan_import(db, write(tmp_path, lines))
    got = {b.line: b.reason for b in plan.bad}
    assert sorted(got) == [3, 4, 5, 6, 7, 9, 10, 11]
    assert got[3] == "姓名为空"
    assert "身份“委员”不可用" in got[4]
    assert "党派“共青团”不可用" in got[5]
    assert "电话“12345”格式不正确" in got[6] and "格式不正确" in got[7]
    assert "不能是“中共”" in got[9] and "应为“中共”" in got[10]
    assert "列数多于表头" in got[11]
    assert str(plan.bad[1]) == "第 4 行（王五）：" + got[4]
    assert [g.line for g in plan.good] == [2]
    assert plan.rows == 9  # the blank line is not a row
    assert "可导入 1 行，不能导入 8 行" in plan.summary()


def test_gbk_file(db, tmp_path):
    plan = plan_import(db, write(tmp_path, [HEAD, *GOOD], encoding="gbk"))
    assert plan.encoding == "GBK" and len(plan.good) == 4 and plan.bad == []
    assert plan.good[0].record["name"] == "张建国"


def test_bom_file(db, tmp_path):
    plan = plan_import(db, write(tmp_path, [HEAD, *GOOD], bom=True))
    assert plan.encoding == "UTF-8（带 BOM）" and len(plan.good) == 4
    assert plan.good[0].record["name"] == "张建国"  # no BOM glued to the first name


def test_utf16_tab_separated(db, tmp_path):
    lines = [l.replace(",", "\t") for l in [HEAD, *GOOD]]
    path = tmp_path / "u16.csv"
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    plan = plan_import(db, str(path))
    assert len(plan.good) == 4 and plan.bad == []


def test_duplicates_in_file(db, tmp_path):
    lines = [HEAD, GOOD[1], "李红,党员委员,中共,,,,", "李红,党外委员,民盟,,,,", "李四,党外委员,民盟,,,,138 0000 0002"]
    plan = plan_import(db, write(tmp_path, lines))
    got = {b.line: b for b in plan.bad}
    assert sorted(got) == [3, 5]
    assert got[3].duplicate and "与本文件第 2 行重复（同名同身份" in got[3].reason
    assert got[5].duplicate and "电话相同" in got[5].reason
    assert [g.line for g in plan.good] == [2, 4]  # same name, other 身份: a different person


def test_duplicates_of_existing(db, tmp_path):
    add_person(db, "李红", "党员委员", party="中共")
    add_person(db, "老周", "党外委员", party="民进", phone="0571-87654321")
    plan = plan_import(db, write(tmp_path, [HEAD, *GOOD]))
    got = {b.line: b.reason for b in plan.bad}
    assert sorted(got) == [3, 4]
    assert got[3] == "与已有人员“李红”重复（同名同身份：李红，党员委员）"
    assert got[4] == "与已有人员“老周”重复（电话相同）"
    assert apply(db, plan)["imported"] == 2
    assert len(db.all("persons")) == 4


def test_apply_skips_rows_added_meanwhile(db, tmp_path):
    plan = plan_import(db, write(tmp_path, [HEAD, *GOOD]))
    add_person(db, "赵明", "党外委员", party="民盟")  # a colleague was quicker
    result = apply(db, plan)
    assert result["imported"] == 3 and [b.line for b in result["skipped"]] == [4]


def test_empty_and_header_only(db, tmp_path):
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFileError, match="文件是空的"):
        plan_import(db, str(empty))
    blank_lines = tmp_path / "b.csv"
    blank_lines.write_bytes(b"\r\n\r\n  \r\n")
    with pytest.raises(ImportFileError, match="文件是空的"):
        plan_import(db, str(blank_lines))
    plan = plan_import(db, write(tmp_path, [HEAD], name="h.csv"))
    assert plan.empty and plan.summary() == "文件只有表头，没有人员数据。"
    assert apply(db, plan)["imported"] == 0 and db.backups() == []


def test_bad_header_and_missing_file(db, tmp_path):
    with pytest.raises(ImportFileError, match="表头不正确.*缺少列：身份.*不认识的列：职位"):
        plan_import(db, write(tmp_path, ["姓名,职位", "张三,党员委员"]))
    with pytest.raises(ImportFileError, match="找不到文件"):
        plan_import(db, str(tmp_path / "nope.csv"))
    binary = tmp_path / "x.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(ImportFileError):
        plan_import(db, str(binary))


def test_header_in_other_order_and_note(db, tmp_path):
    plan = plan_import(db, write(tmp_path, ["身份,姓名,备注", "党外委员,何某,新任委员"]))
    assert plan.good[0].record["name"] == "何某" and plan.good[0].record["note"] == "新任委员"


def test_export_round_trip(db, tmp_path):
    apply(db, plan_import(db, write(tmp_path, [HEAD, *GOOD])))
    out = tmp_path / "out.csv"
    assert export(db, str(out)) == 4
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + HEAD.encode())
    from storage import ZhenggaiError

    with pytest.raises(ZhenggaiError, match="已存在"):
        export(db, str(out))
    assert export(db, str(out), force=True) == 4
    # importing the export again finds every row a duplicate
    plan = plan_import(db, str(out))
    assert plan.good == [] and len(plan.bad) == 4 and all(b.duplicate for b in plan.bad)


# ---------------------------------------------------------------- CLI (real subprocess)


def test_cli_import_without_yes_writes_nothing(db, db_path, tmp_path):
    csv_path = write(tmp_path, [HEAD, *GOOD, "王五,委员,,,,,"])
    before = db_path.with_suffix(".contacts.json").exists()
    r = run_cli("people", "import", csv_path, "--db", str(db_path))
    assert r.returncode == 0, r.stderr
    assert "第 6 行（王五）：身份“委员”不可用" in r.stdout
    assert "未写入任何数据" in r.stdout and "--yes" in r.stdout
    assert db_path.with_suffix(".contacts.json").exists() == before
    db.refresh()
    assert db.all("persons") == []


def test_cli_import_with_yes(db, db_path, tmp_path):
    csv_path = write(tmp_path, [HEAD, *GOOD, "王五,委员,,,,,"], encoding="gbk")
    r = run_cli("people", "import", csv_path, "--db", str(db_path), "--yes")
    assert r.returncode == 0, r.stderr
    assert "第 6 行（王五）" in r.stdout and "已导入 4 名人员" in r.stdout
    db.refresh()
    assert len(db.all("persons")) == 4 and db.check() == []
    again = run_cli("people", "import", csv_path, "--db", str(db_path), "--yes")
    assert again.returncode == 0 and "没有导入任何人员" in again.stdout


def test_cli_import_unreadable_file(db_path, tmp_path):
    r = run_cli("people", "import", str(tmp_path / "none.csv"), "--db", str(db_path))
    assert r.returncode == 1 and "找不到文件" in r.stderr and "Traceback" not in r.stderr
    empty = tmp_path / "e.csv"
    empty.write_text("")
    r = run_cli("people", "import", str(empty), "--db", str(db_path), "--yes")
    assert r.returncode == 1 and "文件是空的" in r.stderr


def test_cli_export(db, db_path, tmp_path):
    add_person(db, "李红", "党员委员", party="中共")
    out = tmp_path / "x.csv"
    r = run_cli("people", "export", str(out), "--db", str(db_path))
    assert r.returncode == 0 and "已导出 1 名人员" in r.stdout
    assert "李红,党员委员,中共" in out.read_text(encoding="utf-8-sig")
    r = run_cli("people", "export", str(out), "--db", str(db_path))
    assert r.returncode == 1 and "--force" in r.stderr
    r = run_cli("people", "export", str(out), "--db", str(db_path), "--force")
    assert r.returncode == 0


def test_people_csv_imports_no_ui():
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", "import storage.people_csv, sys; print('\\n'.join(sys.modules))"],
                         capture_output=True, text=True, check=True).stdout.split()
    assert not [m for m in out if m.split(".")[0] in ("textual", "rich", "docx")]
