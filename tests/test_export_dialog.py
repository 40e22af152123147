"""ExportDialog driven with the Pilot: writes files, shows the path, asks before overwriting."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, SelectionList, Static

from export_helpers import body_paragraphs, open_doc, column, item_rows
from tui.screens.export_dialog import ExportDialog
from tui_helpers import ExportHost


async def _set_path(pilot, dialog, path: Path) -> None:
    inp = dialog.query_one("#path", Input)
    inp.value = str(path)
    await pilot.pause()


async def _export_and_wait(pilot, app) -> None:
    if app.screen.has_class("-done"):  # after an export: 继续导出 brings the form back first
        await pilot.press("ctrl+s")
        await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_dialog_writes_report_and_shows_path(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = ExportHost(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        # Defaults: the campaign's material in the home folder, title from the campaign.
        default = dialog.query_one("#path", Input).value
        assert default == str(tmp_path / "2025年度民主生活会-对照检查材料.docx")
        assert dialog.query_one("#title", Input).value == "中共云海市政协党组2025年度民主生活会对照检查材料"
        await _export_and_wait(pilot, app)
        result = str(dialog.query_one("#result", Static).render())
        assert f"已导出：{default}" in result
        assert Path(default).exists()
        texts = [p.text for p in body_paragraphs(open_doc(default))]
        assert texts[0].replace("\n", "") == "中共云海市政协党组2025年度民主生活会对照检查材料"
        await pilot.press("escape")
        await pilot.pause()
    assert app.result == [default]


async def test_dialog_ledger_with_filter_and_overwrite_confirm(demo_db, tmp_path):
    app = ExportHost(demo_db, kind="ledger")
    out = tmp_path / "台账.docx"
    out.write_bytes(b"old")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#kind", Select).value == "ledger"
        assert not dialog.query_one("#filters").has_class("hidden")
        dialog.query_one("#statuses", SelectionList).select("已销号")
        await _set_path(pilot, dialog, out)
        await pilot.press("ctrl+s")
        await pilot.pause()
        # The overwrite question comes first; cancelling keeps the old file.
        assert type(app.screen).__name__ == "ConfirmDialog"
        await pilot.press("escape")
        await pilot.pause()
        assert out.read_bytes() == b"old"
        assert "没有覆盖" in str(dialog.query_one("#result", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        app.screen.query_one("#confirm").press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"已导出：{out}" in str(dialog.query_one("#result", Static).render())
    doc = open_doc(out)
    rows = item_rows(doc.tables[0])
    assert rows and all(r.cells[column("完成情况")].text.startswith("已销号") for r in rows)


async def test_dialog_contacts_and_errors(demo_db, tmp_path):
    app = ExportHost(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#kind", Select).value = "contacts"
        await pilot.pause()
        assert dialog.query_one("#row-campaign").has_class("hidden")
        assert not dialog.query_one("#row-quarter").has_class("hidden")
        assert dialog.query_one("#path", Input).value.endswith("2026年第四季度-三联系工作情况.docx")
        await _set_path(pilot, dialog, tmp_path / "no" / "c.docx")
        await _export_and_wait(pilot, app)
        assert "文件夹不存在" in str(dialog.query_one("#result", Static).render())
        await _set_path(pilot, dialog, tmp_path / "c.docx")
        await _export_and_wait(pilot, app)
        assert (tmp_path / "c.docx").exists()
        assert "已导出" in str(dialog.query_one("#result", Static).render())


async def test_dialog_offers_progress_and_plan_and_the_excel_format(demo_db, tmp_path, monkeypatch):
    """The new kinds, and 格式 for the tables: choosing Excel changes the suffix of the path, a
    typed name included; the .xlsx is written."""
    import openpyxl

    monkeypatch.setenv("HOME", str(tmp_path))
    app = ExportHost(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        kinds = dialog.query_one("#kind", Select)
        kinds.value = "progress"
        await pilot.pause()
        assert dialog.query_one("#row-format").has_class("hidden")
        assert dialog.query_one("#title", Input).value == "中共云海市政协党组关于2025年度民主生活会整改落实情况的报告"
        assert dialog.query_one("#path", Input).value == str(tmp_path / "2025年度民主生活会-整改落实情况报告.docx")
        await _export_and_wait(pilot, app)
        assert (tmp_path / "2025年度民主生活会-整改落实情况报告.docx").exists()

        kinds.value = "plan"
        await pilot.pause()
        assert not dialog.query_one("#row-format").has_class("hidden")
        assert not dialog.query_one("#filters").has_class("hidden")
        dialog.query_one("#format", Select).value = ".xlsx"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value == str(tmp_path / "2025年度民主生活会-整改方案.xlsx")
        await _export_and_wait(pilot, app)
        ws = openpyxl.load_workbook(tmp_path / "2025年度民主生活会-整改方案.xlsx").active
        assert ws["A1"].value == "中共云海市政协党组2025年度民主生活会整改方案"

        kinds.value = "ledger"
        await pilot.pause()
        await _set_path(pilot, dialog, tmp_path / "我的台账.xlsx")
        dialog.query_one("#format", Select).value = ".docx"
        await pilot.pause()
        assert dialog.query_one("#path", Input).value == str(tmp_path / "我的台账.docx")
        dialog.query_one("#format", Select).value = ".xlsx"
        await pilot.pause()
        await _export_and_wait(pilot, app)
        assert openpyxl.load_workbook(tmp_path / "我的台账.xlsx").active["A3"].value == "序号"
        # A .xlsx for a kind that has no Excel form is refused in words.
        kinds.value = "report"
        await pilot.pause()
        await _set_path(pilot, dialog, tmp_path / "材料.xlsx")
        await _export_and_wait(pilot, app)
        assert "只能导出为 Word 文档" in str(dialog.query_one("#result", Static).render())
