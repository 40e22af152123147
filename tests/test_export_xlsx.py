"""整改台账 and 整改方案 as .xlsx, read back with openpyxl (issue 13 item 2, export half)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from conftest import run_cli
from storage.items import add_item, create_campaign, transition
from storage.models import ST_DONE, SUBJECT_GROUP
from storage.queries import items_for
from writers.cells import completion_cell
from writers.export import ExportOptions, export
from writers.sheets import CUT, DATE_FORMAT, EXCEL_CELL_MAX

LEDGER_HEAD = ["序号", "整改维度", "问题概述", "问题表现", "整改措施", "责任领导", "责任部门", "整改时限", "时限说明",
               "状态", "完成情况"]
PLAN_HEAD = ["序号", "整改维度", "问题概述", "问题表现", "整改措施", "责任领导", "责任部门", "完成时限", "时限说明"]


def _sheet(db, tmp_path, kind="ledger", name="t.xlsx", **kw):
    path = export(db, ExportOptions(kind=kind, output=str(tmp_path / name), **kw))
    return openpyxl.load_workbook(path).active


def _header(ws) -> list[str]:
    return [c.value for c in ws[3]]


def _col(ws, label: str) -> int:
    return _header(ws).index(label) + 1


def _rows(ws) -> list[list]:
    return [[c.value for c in r] for r in ws.iter_rows(min_row=4)]


def test_ledger_xlsx_layout_and_print_setup(demo_db, tmp_path):
    ws = _sheet(demo_db, tmp_path)
    camp = demo_db.all("campaigns")[0]
    items = items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
    assert ws.title == "整改台账"
    # Title and subtitle merged across the table; the header below them.
    last = openpyxl.utils.get_column_letter(len(LEDGER_HEAD))
    assert {str(r) for r in ws.merged_cells.ranges} == {f"A1:{last}1", f"A2:{last}2"}
    assert ws["A1"].value == "中共云海市政协党组2025年度民主生活会整改台账"
    assert ws["A2"].value == "（截至2026年11月21日）"
    assert _header(ws) == LEDGER_HEAD
    assert ws["A3"].font.name == "黑体" and ws["A1"].font.name == "方正小标宋简体"
    # The header row frozen, repeated on every printed page, filtered.
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.auto_filter.ref == f"A3:{last}{3 + len(items)}"
    # One row per item, numbered, with the dimension's short label in its own column.
    rows = _rows(ws)
    assert len(rows) == len(items) == ws.max_row - 3
    assert [r[0] for r in rows] == list(range(1, len(items) + 1))
    short = {d["key"]: d["short"] for d in camp["dimensions"]}
    assert [r[1] for r in rows] == [short[i["dimension"]] for i in items]
    assert [r[2] for r in rows] == [i["title"] for i in items]
    # Landscape A4, fitted to one page wide, margins set, page numbers in the footer.
    setup = ws.page_setup
    assert setup.orientation == "landscape" and int(setup.paperSize) == 9
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0) and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_margins.left == 0.5 and ws.page_margins.top == 0.6
    assert ws.print_options.horizontalCentered
    assert "&P" in ws.oddFooter.center.text
    # Wrapped text, borders, rows tall enough for their wrapped lines.
    for r in range(3, ws.max_row + 1):
        for c in range(1, len(LEDGER_HEAD) + 1):
            cell = ws.cell(r, c)
            assert cell.alignment.wrap_text and cell.border.left.style == "thin"
        lines = max(str(ws.cell(r, c).value or "").count("\n") + 1 for c in range(1, len(LEDGER_HEAD) + 1))
        assert ws.row_dimensions[r].height >= lines * 14


def test_ledger_xlsx_widths_count_chinese_double(demo_db, tmp_path):
    ws = _sheet(demo_db, tmp_path)
    width = {label: ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width
             for k, label in enumerate(LEDGER_HEAD, 1)}
    # Every header fits on its line (4 CJK characters ≈ 8 units), short labels too.
    for label, w in width.items():
        assert w >= 2 * len(label), (label, w)
    assert width["整改维度"] >= 2 * max(len(d["short"]) for d in demo_db.all("campaigns")[0]["dimensions"])
    assert width["序号"] <= 6
    # A date “2026年11月18日” (8 digits, 3 characters) fits without wrapping.
    assert width["整改时限"] >= 8 + 3 * 2
    # The long texts wrap in wide columns instead of widening the sheet past a page.
    assert 24 <= width["问题表现"] <= 26 and 24 <= width["整改措施"] <= 26


@pytest.mark.parametrize("kind, subject", [("ledger", None), ("ledger", "全部"), ("plan", None)],
                         ids=["ledger", "ledger-every-subject", "plan"])
def test_xlsx_printed_text_stays_legible(demo_db, tmp_path, kind, subject):
    """Fitted to an A4 landscape page's width, the sheet is printed at Excel's scale: the page's
    printable width over the columns' (a width unit is 7 px of the default 11 pt font, 96 px an
    inch). It was 71 %: 11 pt text printed under 8 pt. Now 80 % or more: 9 pt at least."""
    path = export(demo_db, ExportOptions(kind=kind, subject=subject, output=str(tmp_path / f"{kind}.xlsx")))
    ws = openpyxl.load_workbook(path).active
    margins = ws.page_margins.left + ws.page_margins.right
    printable_in = 297 / 25.4 - margins
    sheet_in = sum(ws.column_dimensions[c].width * 7 for c in ws.column_dimensions) / 96
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.orientation == "landscape"
    assert printable_in / sheet_in >= 0.8, round(printable_in / sheet_in, 2)


def test_ledger_xlsx_dates_are_dates_and_status_as_in_word(demo_db, tmp_path):
    ws = _sheet(demo_db, tmp_path)
    camp = demo_db.all("campaigns")[0]
    items = items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
    due, words, state, done = (_col(ws, x) for x in ("整改时限", "时限说明", "状态", "完成情况"))
    for r, item in enumerate(items, 4):
        cell = ws.cell(r, due)
        if item.get("deadline"):
            assert cell.is_date and cell.value.date() == dt.date.fromisoformat(item["deadline"])
            assert cell.number_format == DATE_FORMAT
        assert (ws.cell(r, words).value or "") == (item.get("deadline_text") or "")
        assert ws.cell(r, state).value == item["status"]
        # Word and Excel say the same, 待销号（…申请） rule included.
        assert ws.cell(r, done).value.split("\n") == completion_cell(item)
    texts = [ws.cell(r, done).value for r in range(4, ws.max_row + 1)]
    assert any(t.startswith("待销号（2026年11月9日申请）") for t in texts)
    assert any(t.startswith("已销号（") for t in texts) and any("（已逾期）" in t for t in texts)


def test_ledger_xlsx_filters_and_every_subject(demo_db, tmp_path):
    ws = _sheet(demo_db, tmp_path, dimensions=["政治纪律", "2"], statuses=["整改中", "待销号"])
    rows = _rows(ws)
    assert rows and {r[1] for r in rows} == {"政治纪律", "党性作风"}
    assert {r[_col(ws, "状态") - 1] for r in rows} <= {"整改中", "待销号"}
    assert ws["A2"].value == "（截至2026年11月21日；维度：政治纪律、党性作风；状态：整改中、待销号）"

    camp = demo_db.all("campaigns")[0]
    add_item(demo_db, camp["uid"], "d1", "个人问题", subject="李秀兰", leader="李秀兰")
    ws = _sheet(demo_db, tmp_path, name="all.xlsx", subject="全部")
    assert _header(ws)[:3] == ["序号", "整改维度", "材料主体"]
    assert [r[2] for r in _rows(ws)][-1] == "李秀兰"
    assert "时限说明" in _header(ws)
    # Without any 时限说明 the column is left out.
    bare = create_campaign(demo_db, "无时限说明", organ="中共测试党组")
    add_item(demo_db, bare["uid"], bare["dimensions"][0]["key"], "问题甲", deadline="2026-12-31")
    ws = _sheet(demo_db, tmp_path, name="bare.xlsx", campaign=bare["uid"])
    assert "时限说明" not in _header(ws) and ws.cell(4, _col(ws, "整改时限")).is_date


def test_xlsx_text_stays_text_and_long_cells_are_cut(db, tmp_path):
    camp = create_campaign(db, "边界测试", organ="中共测试党组")
    d = camp["dimensions"][0]["key"]
    add_item(db, camp["uid"], d, "=HYPERLINK(\"http://x\",\"点我\")", manifestation="问" * 100_000 + "\x01\x0b尾",
             measures=["+1", "@SUM(A1)"], leader="-2", deadline_text="长期坚持")
    ws = _sheet(db, tmp_path)
    row = 4
    title = ws.cell(row, _col(ws, "问题概述"))
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK")
    text = ws.cell(row, _col(ws, "问题表现")).value
    assert len(text) <= EXCEL_CELL_MAX and text.endswith(CUT)
    assert ws.cell(row, _col(ws, "整改时限")).value is None  # the words stand in 时限说明
    assert ws.cell(row, _col(ws, "时限说明")).value == "长期坚持"
    assert ws.row_dimensions[row].height <= 409


def test_xlsx_ledger_comes_back_through_import(demo_db, tmp_path, db_path):
    """The app's own Excel ledger is a ledger the import reads: the same items come back."""
    out = tmp_path / "台账.xlsx"
    export(demo_db, ExportOptions(kind="ledger", output=str(out)))
    other = tmp_path / "other.json"
    r = run_cli("import", str(out), "--db", str(other), "--yes")
    assert r.returncode == 0, r.stderr
    from storage import Database

    new = Database.open(str(other))
    camp = demo_db.all("campaigns")[0]
    mine = items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
    theirs = items_for(new, new.all("campaigns")[0]["uid"])
    fields = ("title", "manifestation", "measures", "leader", "owner_dept", "deadline", "deadline_text")
    assert [{f: i.get(f) for f in fields} for i in theirs] == [{f: i.get(f) for f in fields} for i in mine]


def test_plan_xlsx(demo_db, tmp_path):
    ws = _sheet(demo_db, tmp_path, kind="plan")
    assert ws.title == "整改方案"
    assert ws["A1"].value == "中共云海市政协党组2025年度民主生活会整改方案"
    assert ws["A2"].value == "（问题清单、任务清单、责任清单）"
    assert _header(ws) == PLAN_HEAD
    camp = demo_db.all("campaigns")[0]
    items = items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
    assert len(_rows(ws)) == len(items)
    assert ws.freeze_panes == "A4" and ws.print_title_rows == "$3:$3" and ws.page_setup.orientation == "landscape"
    assert all(ws.cell(r, _col(ws, "完成时限")).is_date for r in range(4, ws.max_row + 1)
               if items[r - 4].get("deadline"))


def test_xlsx_only_for_tables_and_overwrite_refused(demo_db, tmp_path):
    from storage.errors import ZhenggaiError

    for kind in ("report", "progress", "contacts"):
        with pytest.raises(ZhenggaiError, match="只能导出为 Word 文档"):
            export(demo_db, ExportOptions(kind=kind, output=str(tmp_path / "a.xlsx")))
    with pytest.raises(ZhenggaiError, match=r"Word（\.docx）或 Excel（\.xlsx）"):
        export(demo_db, ExportOptions(kind="plan", output=str(tmp_path / "a.xls")))
    out = tmp_path / "l.xlsx"
    out.write_bytes(b"keep")
    with pytest.raises(ZhenggaiError, match="文件已存在"):
        export(demo_db, ExportOptions(kind="ledger", output=str(out)))
    assert out.read_bytes() == b"keep"
    export(demo_db, ExportOptions(kind="ledger", output=str(out), force=True))
    assert openpyxl.load_workbook(out).active.max_row > 3
    assert not list(tmp_path.glob(".zhenggai-*"))


def test_cli_xlsx_and_messages(demo_path, tmp_path):
    out = tmp_path / "台账.xlsx"
    r = run_cli("export", "ledger", "--db", str(demo_path), "-o", str(out), "--status", "已销号")
    assert r.returncode == 0, r.stderr
    ws = openpyxl.load_workbook(out).active
    assert {row[_col(ws, "状态") - 1] for row in _rows(ws)} == {ST_DONE}
    r = run_cli("export", "ledger", "--db", str(demo_path), "-o", str(out))
    assert r.returncode == 1 and "文件已存在" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", "report", "--db", str(demo_path), "-o", str(tmp_path / "r.xlsx"))
    assert r.returncode == 1 and "只能导出为 Word 文档" in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", "plan", "--db", str(demo_path), "-o", str(tmp_path / "p.xlsx"), "--dimension", "没有")
    assert r.returncode == 1 and "没有维度" in r.stderr
    r = run_cli("export", "plan", "--db", str(demo_path), "-o", str(tmp_path / "p.xlsx"))
    assert r.returncode == 0, r.stderr


def test_ledger_xlsx_of_a_closed_item(db, tmp_path):
    camp = create_campaign(db, "销号测试", organ="中共测试党组")
    item = add_item(db, camp["uid"], camp["dimensions"][0]["key"], "问题甲", deadline="2026-11-30",
                    evidence=["〔2026〕1号文件"], status="整改中")
    item = transition(db, item["uid"], "submit", on="2026-11-10")
    transition(db, item["uid"], "close", approver="王审核", on="2026-11-20")
    ws = _sheet(db, tmp_path)
    assert ws.cell(4, _col(ws, "完成情况")).value.split("\n") == [
        "已销号（2026年11月20日，审核人：王审核）", "佐证材料：〔2026〕1号文件"]
