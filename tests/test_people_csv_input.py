"""People CSV files as they really come: not a CSV at all, broken lines, stray byte-order marks,
enormous fields, devices and pipes; and phone numbers Excel must show as text."""

from __future__ import annotations

import csv
import io
import os
import threading

import pytest

from storage.liaison import add_person
from storage.people_csv import HEADER, ImportFileError, apply, export, export_text, plan_import, plan_import_bytes
from tests.conftest import run_cli

HEAD = ",".join(HEADER)
PASSWD = "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"


def write(tmp_path, text: str, name="p.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_file_that_is_not_a_people_csv_is_not_quoted(db, tmp_path):
    path = write(tmp_path, PASSWD, "passwd")
    with pytest.raises(ImportFileError) as e:
        plan_import(db, path)
    msg = str(e.value)
    assert "不像是人员名单 CSV" in msg and "姓名,身份" in msg
    for secret in ("root", "/bin/bash", "daemon", "x:0:0"):
        assert secret not in msg


def test_cli_import_of_etc_passwd_says_what_is_wrong_without_its_lines(db_path):
    r = run_cli("people", "import", "/etc/passwd", "--db", str(db_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "不像是人员名单 CSV" in r.stderr
    first = open("/etc/passwd", encoding="utf-8", errors="replace").readline().strip()
    assert first and first not in r.stderr + r.stdout
    for part in first.split(":"):
        if len(part) > 3:
            assert part not in (r.stderr + r.stdout).replace("/etc/passwd", "")


def test_unknown_column_names_of_a_real_header_are_named_but_shortened(db, tmp_path):
    with pytest.raises(ImportFileError, match="不认识的列：职位") as e:
        plan_import(db, write(tmp_path, "姓名,身份,职位\n张三,党外委员,某\n"))
    long = "备" * 500
    with pytest.raises(ImportFileError) as e:
        plan_import(db, write(tmp_path, f"姓名,身份,{long}\n张三,党外委员,某\n", "l.csv"))
    assert len(str(e.value)) < 200


def test_a_huge_field_gets_a_chinese_message(db, tmp_path):
    big = "某" * (1024 * 1024 // 3 + 10)
    with pytest.raises(ImportFileError) as e:
        plan_import(db, write(tmp_path, f"{HEAD}\n张三,党外委员,民盟,,,\"{big}\",\n"))
    msg = str(e.value)
    assert "第 2 行附近有一个单元格太长" in msg and "引号" in msg
    assert "field" not in msg and "limit" not in msg and big[:50] not in msg
    # an unbalanced quote swallowing the rest of a long file: the same message, never English
    rows = "\n".join(f"人{n},党外委员,民盟,,,某单位,138{n:08d}" for n in range(6000))
    with pytest.raises(ImportFileError, match="单元格太长"):
        plan_import(db, write(tmp_path, f'{HEAD}\n张三,党外委员,民盟,,,"某单位,\n{rows}\n', "q.csv"))


def test_byte_order_mark_at_the_start_of_a_data_row_is_dropped(db, tmp_path):
    add_person(db, "李红", "党员委员", party="中共")
    # two files glued together (cat a.csv b.csv): the second one's BOM starts a data row
    text = f"{HEAD}\n张三,党外委员,民盟,,,,\n\ufeff李红,党员委员,中共,,,,\n\ufeff张三,党外委员,民盟,,,,\n"
    plan = plan_import(db, write(tmp_path, text))
    assert [g.record["name"] for g in plan.good] == ["张三"]
    got = {b.line: b for b in plan.bad}
    assert sorted(got) == [3, 4]
    assert got[3].name == "李红" and "与已有人员“李红”重复" in got[3].reason
    assert got[4].name == "张三" and "与本文件第 2 行重复" in got[4].reason
    assert all("\ufeff" not in g.record["name"] for g in plan.good)


def test_rows_with_fewer_or_more_fields_than_the_header_are_bad_rows(db, tmp_path):
    text = (
        f"{HEAD}\n"
        "张三,党外委员,民盟,教育界,教科卫体委员会,某大学教授,13800000001\n"  # 2 good
        "李四,党外委员,民进,教育界,教科卫\n"                                    # 3 broken by a newline…
        "体委员会,某中学校长,13800000002\n"                                     # 4 …in an unquoted field
        "王五,党外委员,九三学社,科技界\n"                                       # 5 too few
        "赵六,党外委员,民盟,,,,13800000003,多余\n"                              # 6 too many
        "钱七,党外委员,民盟,,,,,\n"                                             # 7 a trailing comma: fine
    )
    plan = plan_import(db, write(tmp_path, text))
    got = {b.line: b.reason for b in plan.bad}
    assert sorted(got) == [3, 4, 5, 6]
    assert "列数少于表头（本行 5 列，表头 7 列）" in got[3] and "换行" in got[3]
    assert "列数少于表头（本行 3 列" in got[4]
    assert "列数少于表头（本行 4 列" in got[5]
    assert "列数多于表头（本行 8 列，表头 7 列）" in got[6]
    assert [g.line for g in plan.good] == [2, 7]
    assert db.all("persons") == []


def test_phones_are_exported_as_text_for_excel_and_read_back(db, tmp_path):
    add_person(db, "张三", "党外委员", party="民盟", phone="+86-571-87654321")
    add_person(db, "李四", "党外委员", party="民进", phone="13800000001")
    add_person(db, "王五", "党外委员", party="九三学社", phone="057187654321")
    add_person(db, "赵六", "党外委员", party="民建", phone="")
    text = export_text(db)
    rows = list(csv.reader(io.StringIO(text)))
    phones = {r[0]: r[6] for r in rows[1:]}
    assert phones == {"张三": '="+86-571-87654321"', "李四": '="13800000001"', "王五": '="057187654321"', "赵六": ""}
    out = tmp_path / "out.csv"
    export(db, str(out))
    # our own export reads back as the same people (each a duplicate of itself, phones intact)
    plan = plan_import(db, str(out))
    assert plan.good == [] and len(plan.bad) == 4 and all(b.duplicate for b in plan.bad)
    db2_path = tmp_path / "other.json"
    from storage import Database

    db2 = Database.open(str(db2_path), user="tester")
    apply(db2, plan_import(db2, str(out)))
    assert {p["name"]: p["phone"] for p in db2.all("persons")} == {
        "张三": "+86-571-87654321", "李四": "13800000001", "王五": "057187654321", "赵六": ""}


def test_a_formula_like_value_is_still_neutralised(db):
    add_person(db, "=HYPERLINK(\"x\")", "党外委员", party="民盟")
    rows = list(csv.reader(io.StringIO(export_text(db))))
    assert rows[1][0].startswith("'=")
    plan = plan_import_bytes(db, export_text(db).encode("utf-8"))
    assert plan.bad and plan.bad[0].duplicate  # read back as the same name


def test_devices_and_pipes_are_not_read(db, tmp_path):
    with pytest.raises(ImportFileError, match="不是普通文件"):
        plan_import(db, "/dev/zero")  # would never end
    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    done: list = []
    t = threading.Thread(target=lambda: done.append(pytest.raises(ImportFileError, plan_import, db, str(fifo))), daemon=True)
    t.start()
    t.join(20)
    assert not t.is_alive(), "reading a FIFO blocked"
    assert "不是普通文件" in str(done[0].value)
