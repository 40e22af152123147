"""The export dialog's path: remembered folder per user, a folder or a name without .docx
accepted, and after the export where the file is and how to fetch it over SSH, visible at
80x24 and 60x18."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, Input, Static

from tui.screens.export_dialog import ExportDialog
from tui_helpers import ExportHost, screen_text

NAME = "2025年度民主生活会-对照检查材料.docx"


async def _export(pilot, dialog, path: str) -> str:
    dialog.query_one("#path", Input).value = path
    await pilot.pause()
    await pilot.press("ctrl+s")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return str(dialog.query_one("#result", Static).render())


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("ZHENGGAI_SSH_HOST", "zg.example.cn")
    return tmp_path


@pytest.mark.parametrize("size", [(80, 24), (60, 18)])
async def test_a_folder_is_accepted_remembered_and_the_fetch_commands_shown(demo_db, home, size):
    folder = home / "材料"
    folder.mkdir()
    app = ExportHost(demo_db)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#path", Input).value == str(home / NAME)  # nothing remembered yet
        result = await _export(pilot, dialog, str(folder))
        written = folder / NAME
        assert written.exists()
        assert f"已导出：{written}" in result.replace("\n", "")
        assert "scp " in result and "@zg.example.cn:" in result and "WinSCP" in result
        # it all fits: the form folds away, the path, the commands and the buttons are on screen
        text = screen_text(app)
        assert "scp" in text and "WinSCP" in text and "关闭" in text and "继续导出" in text
        assert app.focused is dialog.query_one("#close", Button)
        # the scp command, which the dialog has to wrap, is copied whole with Ctrl+C (OSC 52)
        assert "复制取回命令" in text
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.clipboard.startswith("scp ") and app.clipboard.endswith(f"@zg.example.cn:{written} .")
        # 继续导出 brings the form back, for another document
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert dialog.query_one("#path", Input).display and "输出文件" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.result == [str(written)]

    # The next dialog, in a new session, starts in the remembered folder.
    app = ExportHost(demo_db, kind="ledger")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert Path(app.screen.query_one("#path", Input).value).parent == folder


async def test_a_name_without_docx_gets_it_and_overwrite_asks_for_the_resolved_file(demo_db, home):
    app = ExportHost(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        await _export(pilot, dialog, str(home / "报告"))
        assert (home / "报告.docx").read_bytes()[:2] == b"PK"
        await pilot.press("ctrl+s")  # 继续导出
        await pilot.pause()
        (home / NAME).write_bytes(b"old")
        dialog.query_one("#path", Input).value = str(home)  # the folder: the default name in it exists
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmDialog"
        assert str(home / NAME) in app.screen.message  # the file that would be overwritten, not the folder
        app.screen.query_one("#confirm").press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert (home / NAME).read_bytes()[:2] == b"PK"


async def test_a_device_or_symlink_is_refused_in_the_dialog(demo_db, home):
    link = home / "link.docx"
    link.symlink_to(home / "elsewhere.docx")
    app = ExportHost(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#path", Input).value = str(link)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "符号链接" in str(dialog.query_one("#result", Static).render())
        assert type(app.screen) is ExportDialog  # not even the overwrite question
    assert not os.path.exists(home / "elsewhere.docx")


async def test_people_csv_export_in_the_tui_starts_in_the_remembered_folder(db, home):
    from storage import settings
    from storage.liaison import add_person
    from tui.screens.dialogs import PromptDialog
    from tui.screens.liaison import LiaisonScreen

    add_person(db, "李红", "党员委员", party="中共", phone="13800000001")
    folder = home / "名单"
    folder.mkdir()
    settings.remember_export(folder / "上次.docx")

    class Liaison(App[None]):
        def on_mount(self) -> None:
            self.push_screen(LiaisonScreen(db))

    app = Liaison()
    notes: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, PromptDialog)
        path = app.screen.form.query_one("#f-path", Input)
        assert path.value == str(folder / "人员名单.csv")
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
    written = folder / "人员名单.csv"
    assert '"=""13800000001"""' in written.read_text(encoding="utf-8-sig")
    assert any(f"到 {written}" in n and "scp " in n for n in notes), notes
