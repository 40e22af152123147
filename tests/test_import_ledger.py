"""Import of a 整改台账: spreadsheets built here (merged title, two-line header, merged dimension
cells, group rows), CSV, and the app's own Word ledger read back."""

from __future__ import annotations

import datetime as dt

from import_helpers import write_docx, write_xlsx

from storage.importing import ImportOptions, apply_import, build_plan, preview_lines
from storage.importing.ledger import split_list
from storage.queries import find_campaign, items_for
from writers.import_read import read_source

TODAY = "2026-11-21"  # tests/conftest.py freezes it

HEADER1 = ["序号", "问题类别", "存在问题", "整改措施", "整改责任", None, "完成时限", "完成情况"]
HEADER2 = [None, None, None, None, "责任领导", "责任部门", None, None]
ROWS = [
    [1, "政治纪律", "理论学习不够深入。学用结合不紧。如调研课题脱离实际。", "1.落实第一议题制度；\n2.每月专题研讨",
     "陈立群", "研究室", dt.datetime(2025, 6, 30), "已制定学习计划"],
    [2, None, "政治敏锐性不强", "（1）建立舆情监测机制（2）开展专题培训", "王志远", "办公室", "2025年6月底前", None],
    [3, "在带头增强党性、严守纪律、砥砺作风方面", "纪律执行不严", "①严格考勤\n②定期通报", "王志远", "机关党委",
     "长期坚持", None],
    [4, None, "廉洁意识需加强", "开展警示教育", "陈立群", "机关纪委", "2025年底前，并长期坚持", "已开展一次"],
]


def ledger_rows() -> list[list]:
    return [["某某市政协党组2024年度民主生活会整改台账"] + [None] * 7, HEADER1, HEADER2, *ROWS,
            ["填表人：张三　审核：李四"] + [None] * 7]


MERGES = ["A1:H1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2", "G2:G3", "H2:H3", "B4:B5", "B6:B7", "A8:H8"]


def check(db, camp_uid: str) -> None:
    items = items_for(db, camp_uid)
    got = [(i["dimension"], i["title"], i["manifestation"], i["example"], i["measures"], i["leader"], i["owner_dept"],
            i["deadline"], i["deadline_text"], i["kind"], i["status"], [p["text"] for p in i["progress"]]) for i in items]
    assert got == [
        ("d1", "理论学习不够深入", "学用结合不紧。", "如调研课题脱离实际。", ["落实第一议题制度", "每月专题研讨"],
         "陈立群", "研究室", "2025-06-30", "", "限期整改", "整改中", ["已制定学习计划"]),
        ("d1", "政治敏锐性不强", "", "", ["建立舆情监测机制", "开展专题培训"], "王志远", "办公室",
         "2025-06-30", "2025年6月底前", "限期整改", "未启动", []),
        ("d2", "纪律执行不严", "", "", ["严格考勤", "定期通报"], "王志远", "机关党委", "", "长期坚持", "长期坚持", "未启动", []),
        ("d2", "廉洁意识需加强", "", "", ["开展警示教育"], "陈立群", "机关纪委", "2025-12-31", "2025年底前，并长期坚持",
         "长期坚持", "整改中", ["已开展一次"]),
    ]
    assert all(p["date"] == TODAY and p["by"] == "tester" for i in items for p in i["progress"])


def test_xlsx_merged_title_two_line_header_merged_dimensions(db, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", ledger_rows(), MERGES)
    doc = read_source(str(path))
    assert doc.kind == "ledger" and doc.title == "某某市政协党组2024年度民主生活会整改台账"
    plan = build_plan(db, doc, str(path), ImportOptions())
    assert plan.new_campaign["name"] == "某某市政协党组2024年度民主生活会"
    assert plan.set_name.startswith("2024年度民主生活会")  # 政治纪律 is a short label of the default set
    text = "\n".join(preview_lines(plan))
    assert "第 2 行是表头（两行）" in text and "责任领导" in text
    assert "填表人" in text  # the footer row is named as skipped
    _, result = apply_import(db, doc, str(path), ImportOptions())
    check(db, result["campaign"])


def test_xlsx_group_rows_and_one_line_header(db, tmp_path):
    rows = [["序号", "问题表现", "整改措施", "责任领导", "责任部门", "整改时限", "完成情况"],
            ["一、政治纪律方面"] + [None] * 6,
            [1, "理论学习不够深入", "研讨", "陈立群", "研究室", 45838, None],
            ["二、在带头增强党性、严守纪律、砥砺作风方面"] + [None] * 6,
            [1, "纪律执行不严", "考勤", "王志远", "机关党委", "立行立改", None]]
    path = write_xlsx(tmp_path / "l.xlsx", rows, ["A2:G2", "A4:G4"])
    _, result = apply_import(db, read_source(str(path)), str(path), ImportOptions())
    items = items_for(db, result["campaign"])
    assert [(i["dimension"], i["title"], i["deadline"], i["kind"]) for i in items] == [
        ("d1", "理论学习不够深入", "2025-06-30", "限期整改"), ("d2", "纪律执行不严", "", "立行立改")]


def test_xlsx_into_existing_campaign_by_short_label(demo_db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    rows = [["序号", "整改维度", "问题", "整改措施", "责任人", "责任单位", "整改时限", "整改进展"],
            [1, "从严治党", "新的问题", "措施一", "甲", "乙", "2027年3月", "推进中"]]
    path = write_xlsx(tmp_path / "l.xlsx", rows)
    _, result = apply_import(demo_db, read_source(str(path)), str(path), ImportOptions(campaign=camp["name"]))
    new = [i for i in items_for(demo_db, camp["uid"]) if i["title"] == "新的问题"]
    assert [(i["dimension"], i["deadline"], i["deadline_text"]) for i in new] == [("d4", "2027-03-31", "2027年3月")]


def test_csv_ledger_in_gbk(db, tmp_path):
    lines = ["序号,问题类别,问题表现,整改措施,责任领导,责任部门,整改时限,完成情况",
             '1,政治纪律,理论学习不够深入,"1.研讨\n2.调研",陈立群,研究室,2025-06-30,',
             "2,,政治敏锐性不强,培训,王志远,办公室,2025年6月底前,"]
    path = tmp_path / "台账.csv"
    path.write_bytes("\r\n".join(lines).encode("gbk"))
    doc = read_source(str(path))
    assert "编码：GBK" in doc.notes
    _, result = apply_import(db, doc, str(path), ImportOptions())
    items = items_for(db, result["campaign"])
    assert [(i["dimension"], i["title"], i["measures"]) for i in items] == [
        ("d1", "理论学习不够深入", ["研讨", "调研"]), ("d1", "政治敏锐性不强", ["培训"])]


def test_the_apps_own_word_ledger_comes_back(demo_db, tmp_path):
    from storage import Database
    from writers.export import ExportOptions, export

    camp = demo_db.all("campaigns")[0]
    out = tmp_path / "ledger.docx"
    export(demo_db, ExportOptions("ledger", str(out), campaign=camp["uid"], subject="党组班子"))
    other = Database.open(str(tmp_path / "o" / "z.json"), user="tester")
    doc = read_source(str(out))
    assert doc.kind == "ledger"
    _, result = apply_import(other, doc, str(out), ImportOptions())
    fields = ("dimension", "title", "manifestation", "measures", "leader", "owner_dept", "deadline_text", "status")

    def row(i):  # the table shows 时限说明 instead of the date when there is one
        return (*(i[f] for f in fields), "" if i["deadline_text"] else i["deadline"],
                [p["text"] for p in i["progress"][-1:]])

    # 已销号 comes back as 待销号: 销号 is approved in the app, with its evidence, not imported
    mine = [row({**i, "status": "待销号" if i["status"] == "已销号" else i["status"]})
            for i in items_for(demo_db, camp["uid"], subject="党组班子")]
    theirs = [row(i) for i in items_for(other, result["campaign"])]
    assert theirs == mine
    new = find_campaign(other, result["campaign"])
    assert [d["title"] for d in new["dimensions"]] == [d["title"] for d in camp["dimensions"]]
    closed = [w for w in doc.warnings if "记为“待销号”" in w]
    assert closed and all("原为“已销号”" in w for w in closed)
    rows = [w.split("：")[0] for w in closed]
    assert len(rows) == len(set(rows)) == sum(i["status"] == "已销号" for i in items_for(demo_db, camp["uid"]))


def test_the_apps_own_excel_ledger_warns_once_per_closed_row(demo_db, tmp_path):
    """The .xlsx ledger says 已销号 twice (状态 and 完成情况): the preview says so once a row."""
    from writers.export import ExportOptions, export

    camp = demo_db.all("campaigns")[0]
    out = tmp_path / "ledger.xlsx"
    export(demo_db, ExportOptions("ledger", str(out), campaign=camp["uid"], subject="党组班子"))
    doc = read_source(str(out))
    closed = [w for w in doc.warnings if "记为“待销号”" in w]
    rows = [w.split("：")[0] for w in closed]
    assert len(rows) == len(set(rows)) == sum(
        i["status"] == "已销号" for i in items_for(demo_db, camp["uid"], subject="党组班子"))


def test_word_table_with_merged_cells(db, tmp_path):
    path = write_docx(tmp_path / "t.docx", ["整改台账"], tables=[[
        ["序号", "问题类别", "问题表现", "整改措施", "责任领导", "整改时限"],
        ["1", "政治纪律", "问题一", "措施", "甲", "2025年6月底前"],
        ["2", "", "问题二", "措施", "乙", "长期坚持"]]])
    import docx

    d = docx.Document(str(path))
    t = d.tables[0]
    t.cell(1, 1).merge(t.cell(2, 1))  # 问题类别 merged down
    d.save(str(path))
    doc = read_source(str(path))
    assert [(e.group, e.fields["title"]) for e in doc.entries] == [("政治纪律", "问题一"), ("政治纪律", "问题二")]


def test_split_list_shapes():
    assert split_list("1.甲；\n2.乙") == ["甲", "乙"]
    assert split_list("1.甲；2.乙；3.丙。") == ["甲", "乙", "丙。"]
    assert split_list("（1）甲（2）乙") == ["甲", "乙"]
    assert split_list("①甲②乙") == ["甲", "乙"]
    assert split_list("只有一条措施") == ["只有一条措施"]
    assert split_list("1.甲\n续写\n2.乙") == ["甲续写", "乙"]


def test_xls_ledger_with_merged_cells_and_dates(db, tmp_path):
    import pytest

    xlwt = pytest.importorskip("xlwt", reason="xlwt builds the .xls; it is a dev dependency")
    wb = xlwt.Workbook()
    ws = wb.add_sheet("台账")
    ws.write_merge(0, 0, 0, 4, "某某市政协党组整改台账")
    for c, h in enumerate(["序号", "问题类别", "问题表现", "整改措施", "整改时限"]):
        ws.write(1, c, h)
    ws.write_merge(2, 3, 1, 1, "政治纪律")
    ws.write(2, 2, "问题一")
    ws.write(3, 2, "问题二")
    ws.write(2, 3, "1.甲\n2.乙")
    ws.write(3, 3, "丙")
    ws.write(2, 4, dt.date(2025, 6, 30), xlwt.easyxf(num_format_str="YYYY-MM-DD"))
    ws.write(3, 4, "长期坚持")
    path = tmp_path / "台账.xls"
    wb.save(str(path))
    _, result = apply_import(db, read_source(str(path)), str(path), ImportOptions())
    items = items_for(db, result["campaign"])
    assert [(i["dimension"], i["title"], i["measures"], i["deadline"], i["kind"]) for i in items] == [
        ("d1", "问题一", ["甲", "乙"], "2025-06-30", "限期整改"), ("d1", "问题二", ["丙"], "", "长期坚持")]


def test_the_ledger_after_the_material_fills_its_problems_blank_fields(demo_db, tmp_path):
    """Last year's 对照检查材料, then its 台账, into one campaign: the second import fills what the
    first left blank (measures, leaders, deadlines, progress), never what is already written, and a
    third run has nothing left to do."""
    from storage import Database
    from writers.export import ExportOptions, export

    camp = demo_db.all("campaigns")[0]
    report, ledger = tmp_path / "report.docx", tmp_path / "ledger.xlsx"
    export(demo_db, ExportOptions("report", str(report), campaign=camp["uid"], subject="党组班子"))
    export(demo_db, ExportOptions("ledger", str(ledger), campaign=camp["uid"], subject="党组班子"))
    other = Database.open(str(tmp_path / "o" / "z.json"), user="tester")
    _, first = apply_import(other, read_source(str(report)), str(report), ImportOptions())
    items = items_for(other, first["campaign"])
    assert items and not any(i["measures"] or i["leader"] for i in items)
    typed = items[0]
    other.update("items", typed["uid"], {"leader": "手填的领导"})

    name = find_campaign(other, first["campaign"])["name"]
    refused = build_plan(other, read_source(str(ledger)), str(ledger), ImportOptions())  # same title: no 2nd campaign
    assert f"--campaign “{name}”" in refused.blocked(False) and "补充空白内容" in refused.blocked(False)
    opts = ImportOptions(campaign=first["campaign"])
    plan = build_plan(other, read_source(str(ledger)), str(ledger), opts)
    assert not plan.items and len(plan.fills) == len(items)
    assert any("将补充其空白内容" in line for line in preview_lines(plan))
    _, second = apply_import(other, read_source(str(ledger)), str(ledger), opts)
    assert second["items"] == 0 and second["filled"] == len(items)

    theirs = {i["title"]: i for i in items_for(demo_db, camp["uid"], subject="党组班子")}
    for i in items_for(other, first["campaign"]):
        src = theirs[i["title"]]
        assert i["measures"] == src["measures"] and i["owner_dept"] == src["owner_dept"]
        assert (i["deadline"], i["deadline_text"]) == (src["deadline"], src["deadline_text"])
        assert i["manifestation"] == src["manifestation"]  # the material's, kept
        assert i["leader"] == ("手填的领导" if i["uid"] == typed["uid"] else src["leader"])
        assert i["status"] == {"已销号": "待销号", "未启动": "未启动"}.get(src["status"], src["status"])
    again = build_plan(other, read_source(str(ledger)), str(ledger), opts)
    assert not again.fills and again.blocked(False) == "没有可导入的内容（问题都已存在）。"
