"""征求意见 in and out: CSV and .xlsx tables built here, read back field by field; every malformed
input a Chinese message, exit 1, nothing written; bad rows listed with their line numbers."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from conftest import run_cli
from import_helpers import fake_encrypted_ooxml, fingerprint, write_docx, write_xlsx

from storage.items import create_campaign
from storage.opinions import opinions_for, save_opinion
from storage.opinions_io import apply, plan_csv, write_export
from tui.opinions_cmd import plan_file

FIELDS = ("date", "channel", "source_kind", "concerns", "content")
LONG = "建议进一步精简会议文件，" * 8_000 + "切实减轻基层负担。"  # 96 009 characters


@pytest.fixture
def camp(db):
    return create_campaign(db, "2025年度民主生活会", organ="中共云海市政协党组")


def fill(db, camp):
    k = [d["key"] for d in camp["dimensions"]]
    rows = [
        dict(date="2025-01-10", channel="座谈", source_kind="党员", content="理论学习不够深入，学用结合不紧。", dimension=k[0]),
        dict(date="2025-01-12", channel="书面", source_kind="群众", concerns="王建华", dimension=k[1],
             content="调研走过场，\n作风不够扎实。\n建议“沉下去”。"),
        dict(date="", channel="意见箱", source_kind="", content="=1+1 这样的开头不应被当作公式", dimension=""),
        dict(date="2025-01-15", channel="网络", source_kind="委员", content=LONG, dimension=k[4]),
        dict(date="2025-01-16", channel="个别谈话", source_kind="党外人士", content="干部作风有待改进，“门难进”现象仍有。",
             dimension=k[3], concerns="李秀兰"),
    ]
    return [save_opinion(db, {"campaign": camp["uid"], **r}) for r in rows]


def dim_index(camp, key):
    return next((n for n, d in enumerate(camp["dimensions"]) if d["key"] == key), None)


def same(a_camp, a, b_camp, b):
    for f in FIELDS:
        assert a.get(f) == b.get(f), f
    assert dim_index(a_camp, a.get("dimension")) == dim_index(b_camp, b.get("dimension"))


def test_csv_export_and_import_round_trip_field_by_field(db, camp, tmp_path):
    made = fill(db, camp)
    n, path = write_export(db, camp["uid"], str(tmp_path))
    assert n == 5 and path.name == "2025年度民主生活会-征求意见.csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "'=1+1" in path.read_text("utf-8-sig")  # never a formula in Excel/WPS
    other = create_campaign(db, "2026年度民主生活会")
    plan = plan_csv(db, other, str(path))
    assert not plan.bad and len(plan.good) == 5
    assert any("未导入的列：序号、转为问题" in n for n in plan.notes)
    result = apply(db, plan)
    assert (result["imported"], result["first"], result["last"]) == (5, 1, 5) and result["backup"]
    back = opinions_for(db, other["uid"])
    for a, b in zip(made, back):
        same(camp, a, other, b)
    assert [o["seq"] for o in back] == [1, 2, 3, 4, 5]
    # the same file again: every row is a duplicate, nothing is added
    again = plan_csv(db, other, str(path))
    assert not again.good and all(b.duplicate for b in again.bad)
    assert "与已有的征求意见第1条重复" in str(again.bad[0])


def test_xlsx_with_a_merged_title_group_rows_dates_and_a_footer(db, camp, tmp_path):
    rows = [
        ["2025年度民主生活会征求意见建议汇总表", None, None, None, None, None, None],
        ["序号", "征求时间", "征求方式", "提出人类别", "意见建议", "针对对象", "所属方面"],
        ["一、座谈会意见", None, None, None, None, None, None],
        [1, dt.datetime(2025, 1, 10), None, "党员干部", "理论学习不够深入，学用结合不紧。", "班子", "政治纪律"],
        [2, "2025.1.12", None, "服务对象", "调研走过场，\n作风不够扎实。", "王建华同志", "党性作风"],
        ["二、书面征求意见", None, None, None, None, None, None],
        [3, "2025年1月13日", None, "政协委员", "落实全面从严治党责任有差距。", None, 4],
        [4, None, "网上留言", "民盟成员", "建议减少文山会海。", "党组", "带头履行全面从严治党政治责任"],
        ["填表人：办公室", None, None, None, None, None, None],
    ]
    src = write_xlsx(tmp_path / "意见.xlsx", rows, merges=["A1:G1", "A3:G3", "A6:G6"])
    plan = plan_file(db, camp, str(src))
    assert not plan.bad, plan.bad
    assert plan.source == "Excel 工作簿"
    assert "第 2 行是表头，识别出的列：日期、渠道、来源类别、涉及对象、整改维度、意见内容" in plan.notes
    k = [d["key"] for d in camp["dimensions"]]
    got = [g.record for g in plan.good]
    assert [(r["date"], r["channel"], r["source_kind"], r["concerns"], r["dimension"]) for r in got] == [
        ("2025-01-10", "座谈", "党员", "党组班子", k[0]),
        ("2025-01-12", "座谈", "群众", "王建华", k[1]),
        ("2025-01-13", "书面", "委员", "党组班子", k[3]),
        ("", "网络", "党外人士", "党组班子", k[3]),
    ]
    assert got[1]["content"] == "调研走过场，\n作风不够扎实。"
    apply(db, plan)
    assert [o["seq"] for o in opinions_for(db, camp["uid"])] == [1, 2, 3, 4]


def test_a_workbook_of_several_sheets_names_the_sheet_of_a_bad_row(db, camp, tmp_path):
    head = ["日期", "渠道", "意见内容"]
    src = write_xlsx(tmp_path / "two.xlsx", [head, ["2025-01-10", "座谈", "甲"]], title="一月",
                     extra_sheets={"二月": [head, ["2025-02-30", "座谈", "乙"], ["2025-02-03", "电话", "丙"]]})
    plan = plan_file(db, camp, str(src))
    assert [g.record["content"] for g in plan.good] == ["甲"]
    assert [str(b) for b in plan.bad] == [
        "工作表“二月”第 2 行：日期：日期“2025-02-30”无效：2025年2月没有30日",
        "工作表“二月”第 3 行：渠道“电话”不可用（应为：座谈、书面、个别谈话、意见箱、网络）",
    ]


@pytest.mark.parametrize("encoding, sep", [("gbk", ","), ("utf-16", "\t"), ("utf-8", "，")])
def test_csv_in_the_encodings_and_separators_office_tools_write(db, camp, tmp_path, encoding, sep):
    text = sep.join(["日期", "渠道", "来源", "内容"]) + "\r\n" + sep.join(["2025-01-10", "座谈", "群众", "办事效率不高"]) + "\r\n"
    src = tmp_path / "o.csv"
    src.write_bytes(text.encode(encoding))
    plan = plan_csv(db, camp, str(src))
    assert [g.record["content"] for g in plan.good] == ["办事效率不高"] and not plan.bad


def test_bad_rows_are_listed_with_their_line_numbers_and_the_good_ones_imported(db, db_path, camp, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text(
        "日期,渠道,来源类别,意见内容,涉及对象,整改维度\n"        # line 1
        "2025-01-10,座谈,党员,\"两行的\n意见\",班子,政治纪律\n"    # lines 2-3: good
        "2025-13-01,座谈,党员,日期错,班子,\n"                      # line 4
        "2025-01-11,电话,党员,渠道错,班子,\n"                      # line 5
        "2025-01-11,座谈,外星人,来源错,班子,\n"                    # line 6
        "2025-01-11,座谈,党员,,班子,\n"                            # line 7
        "2025-01-11,座谈,党员,维度错,班子,宣传思想\n"              # line 8
        "2025-01-11,座谈,党员,少了列\n"                            # line 9
        "2025-01-11,座谈,党员,多了列,班子,,多余\n"                 # line 10
        "2025-01-10,座谈,党员,\"两行的\n意见\",班子,政治纪律\n",    # lines 11-12: duplicate of line 2
        encoding="utf-8",
    )
    before = fingerprint(db_path.parent)
    r = run_cli("opinions", "import", str(src), "--db", str(db_path))
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for line, why in ((4, "月份应在 1 到 12 之间"), (5, "渠道“电话”不可用"), (6, "来源类别“外星人”不可用"),
                      (7, "意见内容为空"), (8, "整改维度“宣传思想”不是本活动的维度"), (9, "列数少于表头"),
                      (10, "列数多于表头"), (11, "与第 2 行重复")):
        assert f"第 {line} 行：" in out and why in out, (line, out)
    assert "共 9 行：可导入 1 条，不能导入 8 行（其中重复 1 行）" in out
    assert "未写入任何数据" in out and fingerprint(db_path.parent) == before
    r = run_cli("opinions", "import", str(src), "--db", str(db_path), "--yes")
    assert r.returncode == 0 and "已导入 1 条征求意见（征求意见第1条）" in r.stdout, r.stdout + r.stderr
    from storage import Database

    [o] = opinions_for(Database.open(str(db_path)), camp["uid"])
    assert o["content"] == "两行的\n意见"


# ------------------------------------------------------------------ malformed input

SECRET = "zqyjSecret42"


def _passwd(p):
    p.write_text(f"{SECRET}:x:0:0:意见内容:/root:/bin/bash\ndaemon:x:1:1:{SECRET}:/usr/sbin:/usr/sbin/nologin\n")
    return p


def _corrupt_xlsx(p):
    good = write_xlsx(p.with_name("good.xlsx"), [["日期", "意见内容"], ["2025-01-10", "甲"]])
    p.write_bytes(good.read_bytes()[:300])
    return p


def _header_only(p):
    p.write_text("日期,渠道,意见内容\n", encoding="utf-8")
    return p


CASES = {
    "empty.csv": (lambda p: (p.write_bytes(b""), p)[1], "文件是空的"),
    "passwd": (_passwd, "这个文件不像是征求意见表"),
    "binary.csv": (lambda p: (p.write_bytes(b"\x00\x01\x02" + SECRET.encode() * 50), p)[1], "含有二进制内容"),
    "corrupt.xlsx": (_corrupt_xlsx, "文件已损坏"),
    "garbage.xlsx": (lambda p: (p.write_bytes(os.urandom(2048)), p)[1], "文件已损坏或不是 xlsx 格式"),
    "locked.xlsx": (fake_encrypted_ooxml, "设置了打开密码"),
    "notes.docx": (lambda p: write_docx(p, ["征求意见", "意见内容"]), "这不是 Excel 工作簿"),
    "noheader.xlsx": (lambda p: write_xlsx(p, [["2024年工作安排"], ["一月", "学习"]]), "前 20 行中没有找到表头"),
    "header-only.csv": (_header_only, "没有可导入的行"),
    "missing.csv": (lambda p: p, "找不到文件"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_input_is_refused_in_chinese_and_nothing_written(db, db_path, camp, tmp_path, name):
    make, message = CASES[name]
    src = make(tmp_path / name)
    before = fingerprint(db_path.parent)
    r = run_cli("opinions", "import", str(src), "--db", str(db_path), "--yes")
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert message in r.stderr, r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    assert SECRET not in r.stdout + r.stderr  # a foreign file's content is never quoted
    assert fingerprint(db_path.parent) == before  # not even a backup


def test_the_command_needs_a_database_and_names_the_campaigns(tmp_path, db, db_path, camp):
    src = _header_only(tmp_path / "o.csv")
    r = run_cli("opinions", "import", str(src), "--db", str(tmp_path / "none.json"))
    assert r.returncode == 1 and "数据库不存在" in r.stderr and not (tmp_path / "none.json").exists()
    create_campaign(db, "另一个活动")
    r = run_cli("opinions", "import", str(src), "--db", str(db_path))
    assert r.returncode == 1 and "请用 --campaign 指定" in r.stderr


def test_export_command_writes_a_csv_and_never_overwrites_without_force(db, db_path, camp, tmp_path):
    fill(db, camp)
    out = tmp_path / "征求意见.csv"
    r = run_cli("opinions", "export", str(out), "--db", str(db_path))
    assert r.returncode == 0 and "已导出 5 条征求意见" in r.stdout, r.stderr
    first = out.read_bytes()
    r = run_cli("opinions", "export", str(out), "--db", str(db_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr and out.read_bytes() == first
    r = run_cli("opinions", "export", str(out), "--db", str(db_path), "--force")
    assert r.returncode == 0


def test_review_shows_the_opinion_figures_from_the_index(db, db_path, camp):
    import json

    from storage.opinions import convert, item_draft, opinion_counts

    made = fill(db, camp)
    convert(db, made[0]["uid"], item_draft(db, made[0]))
    r = run_cli("review", "--db", str(db_path), "--json")
    assert json.loads(r.stdout)["opinions"] == opinion_counts(db, camp["uid"]) == {
        "total": 5, "dimensions": 4, "converted": 1, "unclassified": 1}
    r = run_cli("review", "--db", str(db_path))
    assert "征求意见 5 条：已转为问题 1 条，归纳为 4 个方面，未归类 1 条。" in r.stdout


def test_rows_past_the_readers_limit_are_named_in_the_preview(db, camp, tmp_path, monkeypatch):
    import writers.import_read as reader

    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    src = write_xlsx(tmp_path / "long.xlsx", [["日期", "意见内容"], *[[f"2025-01-0{n}", f"意见{n}"] for n in range(1, 6)]],
                     title="汇总")
    plan = plan_file(db, camp, str(src))
    assert len(plan.good) == 2
    assert "工作表“汇总”超过 3 行，只读取了前 3 行" in plan.lines(db)
