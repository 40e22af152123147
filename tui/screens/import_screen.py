"""导入材料或台账 (i): a file, where to put it, a preview of what would be written, then Ctrl+S.

Reading the file (python-docx, openpyxl) and writing run in a thread: a big
workbook never freezes the screen. Nothing is written before Ctrl+S, and what
is written is what the preview showed (headings no dimension matches are
added as new dimensions, as the preview says).
"""

from __future__ import annotations

import os
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from storage import ZhenggaiError

from ..widgets.sidebar import newest_first

NEW = "__new__"


class ImportScreen(ModalScreen[dict | None]):
    """Dismisses with the import's result ({"campaign": uid, "items": n, …}) or None."""

    DEFAULT_CSS = """
    ImportScreen { align: center middle; background: $background 60%; }
    ImportScreen > #import {
        width: 100%; max-width: 110; height: 1fr;
        border: thick $primary; border-title-style: bold; background: $surface; padding: 0 1;
    }
    ImportScreen .row { height: 1; }
    ImportScreen .row Label { width: 10; text-style: bold; }
    ImportScreen .row Input, ImportScreen .row Select { width: 1fr; }
    ImportScreen #import-hint { color: $text-muted; height: 1; }
    ImportScreen #preview-pane { height: 1fr; border: round $panel; }
    ImportScreen #preview-pane:focus { border: round $accent; }
    ImportScreen #import-foot { height: auto; }
    ImportScreen #import-foot Button { margin-right: 1; width: auto; min-width: 6; }
    ImportScreen #import-status { width: 1fr; height: auto; max-height: 3; color: $error; }
    ImportScreen #import-status.-info { color: $success; }
    """
    AUTO_FOCUS = "#import-file"
    BINDINGS = [
        Binding("ctrl+s", "import", "导入", priority=True, tooltip="按预览写入数据库"),
        Binding("escape", "cancel", "关闭", tooltip="不导入，关闭"),
    ]

    def __init__(self, db, campaign_uid: str | None = None, path: str = "") -> None:
        super().__init__()
        self.db = db
        self.campaign_uid = campaign_uid
        self.initial_path = path
        self.doc: Any = None
        self.previewed: tuple[str, str, str] | None = None  # (path, campaign, subject) of the preview shown
        self.busy = False

    def compose(self) -> ComposeResult:
        camps = newest_first(self.db.all("campaigns"))
        options = [("按材料标题新建活动", NEW)] + [(f"导入到：{c.get('name', '')}", c["uid"]) for c in camps]
        with Vertical(id="import") as box:
            box.border_title = "导入材料或台账"
            with Horizontal(classes="row"):
                yield Label("文件")
                yield Input(self.initial_path, placeholder="如 ~/材料/2024年度对照检查材料.docx", id="import-file",
                            compact=True, select_on_focus=False)
            yield Static("材料 .docx .txt · 台账 .xlsx .xls .csv · Enter 预览 · Ctrl+S 导入",
                         id="import-hint", markup=False)
            with Horizontal(classes="row"):
                yield Label("导入到")
                yield Select(options, value=NEW, allow_blank=False, compact=True, id="import-campaign")
            with Horizontal(classes="row"):
                yield Label("材料主体")
                yield Input("", placeholder="留空：党组班子（个人材料取标题下的姓名）", id="import-subject",
                            compact=True, select_on_focus=False)
            with VerticalScroll(id="preview-pane", can_focus=True) as pane:
                pane.border_title = "预览"
                yield Static("输入文件路径后按 Enter 预览。", id="import-preview", markup=False)
            with Horizontal(id="import-foot"):
                yield Button("预览", id="import-preview-btn", compact=True)
                yield Button("导入", id="import-go", variant="primary", compact=True, disabled=True)
                yield Static("", id="import-status", markup=False)
        yield Footer()

    # ------------------------------------------------------------ state

    def choice(self) -> tuple[str, str, str]:
        path = os.path.expanduser(self.query_one("#import-file", Input).value.strip())
        camp = self.query_one("#import-campaign", Select).value
        subject = self.query_one("#import-subject", Input).value.strip()
        return path, "" if camp in (NEW, Select.BLANK) else str(camp), subject

    def options(self, add: bool = True):
        from storage.importing import ImportOptions

        _, camp, subject = self.choice()
        return ImportOptions(campaign=camp or None, subject=subject or None, add_unmatched=add)

    def set_status(self, text: str, info: bool = False) -> None:
        st = self.query_one("#import-status", Static)
        st.update(text)
        st.set_class(info, "-info")

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        ready = self.previewed is not None and self.previewed == self.choice()
        self.query_one("#import-go", Button).disabled = not ready

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-preview-btn")
    def _preview_pressed(self) -> None:
        self.action_preview()

    @on(Button.Pressed, "#import-go")
    def _go_pressed(self) -> None:
        self.action_import()

    # ------------------------------------------------------------ preview

    def action_preview(self) -> None:
        path, _, _ = self.choice()
        if not path:
            self.set_status("请填写要导入的文件路径。")
            return
        if self.busy:
            return
        self.busy = True
        self.set_status("正在读取……", info=True)
        self._read(self.choice(), self.options())

    @work(thread=True, exclusive=True, group="import")
    def _read(self, choice: tuple[str, str, str], opts) -> None:
        from storage.importing import build_plan, preview_lines

        try:
            from writers.import_read import read_source

            doc = read_source(choice[0])
            plan = build_plan(self.db, doc, os.path.abspath(choice[0]), opts)
            lines = preview_lines(plan, add_unmatched=True, max_items=500)
            blocked = plan.blocked(True)
        except ZhenggaiError as e:
            self.app.call_from_thread(self._show_error, str(e))
            return
        self.app.call_from_thread(self._show_preview, choice, doc, lines, blocked)

    def _show_error(self, message: str) -> None:
        self.busy = False
        self.doc, self.previewed = None, None
        self.query_one("#import-preview", Static).update(message)
        self.set_status("未能读取：" + message.split("\n")[0])
        self._changed()

    def _show_preview(self, choice, doc, lines: list[str], blocked: str) -> None:
        self.busy = False
        self.query_one("#import-preview", Static).update("\n".join(lines))
        self.query_one("#preview-pane").scroll_home(animate=False)
        if blocked:
            self.doc, self.previewed = None, None
            self.set_status("不能导入：" + blocked)
        else:
            self.doc, self.previewed = doc, choice
            self.set_status("以上为预览，尚未写入；确认无误后按 Ctrl+S 导入。", info=True)
        self._changed()

    # ------------------------------------------------------------ import

    def action_import(self) -> None:
        if self.busy:
            return
        if self.doc is None or self.previewed != self.choice():
            self.action_preview()
            return
        self.busy = True
        self.set_status("正在导入……", info=True)
        self._write(self.doc, self.previewed[0], self.options())

    @work(thread=True, exclusive=True, group="import")
    def _write(self, doc, path: str, opts) -> None:
        from storage.importing import apply_import

        try:
            _, result = apply_import(self.db, doc, os.path.abspath(path), opts)
        except ZhenggaiError as e:
            self.app.call_from_thread(self._show_error, str(e))
            return
        self.app.call_from_thread(self._done, result)

    def _done(self, result: dict) -> None:
        self.busy = False
        verb = "新建整改活动" if result["created"] else "导入到"
        self.app.notify(f"已{verb}“{result['campaign_name']}”：{result['items']} 个问题，{result['outlines']} 节材料段落"
                        + (f"，补充了 {result['filled']} 个已有问题的空白内容" if result["filled"] else ""),
                        title="导入完成")
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
