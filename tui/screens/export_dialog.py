"""Export dialog: kind, format, campaign, subject, options and path; writes the .docx (or the
.xlsx of a 台账 or 方案) in a worker thread and shows where the file went and how to fetch it
over SSH.

The path starts in the folder of this user's last export (remembered in the user's settings
file); a folder gets the default file name, a name without a suffix gets the format's."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Footer, Input, Label, Select, SelectionList, Static
from textual.worker import Worker, WorkerState

from storage import ZhenggaiError
from storage.dates import quarter_of
from storage.dates import today as _today
from storage.models import STATUSES, SUBJECT_GROUP
from storage.queries import subjects as _subjects

KIND_LABELS = (("对照检查材料", "report"), ("整改台账", "ledger"), ("三联系工作情况", "contacts"),
               ("整改落实情况报告", "progress"), ("整改方案", "plan"))
# = writers.export.FORMATS for the kinds with a choice (the others are .docx only).
TABLE_KINDS = ("ledger", "plan")
FORMAT_LABELS = (("Word 文档（.docx）", ".docx"), ("Excel 表格（.xlsx）", ".xlsx"))
ALL_SUBJECTS = "全部"  # = writers.export.ALL_SUBJECTS (not imported: writers load python-docx lazily)


class ExportDialog(ModalScreen[str | None]):
    """Returns the absolute path written (or None when closed without exporting)."""

    DEFAULT_CSS = """
    ExportDialog { align: center middle; background: $background 60%; }
    ExportDialog > #dialog {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExportDialog #dialog-title { text-style: bold; padding: 0 0 1 0; }
    ExportDialog #fields { height: auto; max-height: 15; }
    ExportDialog .row { height: 1; margin-bottom: 1; }
    ExportDialog .row > Label { width: 10; padding: 0 1 0 0; text-align: right; }
    ExportDialog .row > Select, ExportDialog .row > Input { width: 1fr; }
    ExportDialog #filters { height: 7; }
    ExportDialog #filters SelectionList { width: 1fr; height: 7; }
    ExportDialog.-ledger .row { margin-bottom: 0; }
    ExportDialog #result { height: auto; min-height: 1; margin-top: 1; }
    ExportDialog #result.error { color: $error; }
    ExportDialog #result.done { color: $success; }
    ExportDialog #buttons { height: auto; align: right middle; }
    ExportDialog #buttons Button { margin-left: 1; min-width: 8; }
    ExportDialog .hidden { display: none; }
    ExportDialog.-done #fields { display: none; }
    """
    BINDINGS = [
        Binding("escape", "close", "关闭", tooltip="关闭导出窗口"),
        Binding("ctrl+s", "export", "导出", tooltip="生成文档"),
        Binding("ctrl+c", "copy_fetch", "复制取回命令", tooltip="把 scp 命令复制到自己电脑的剪贴板（OSC 52）"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_fetch":  # only once a file is written; else Ctrl+C is the app's
            return bool(getattr(self, "written", None)) and self.has_class("-done")
        return True

    def action_copy_fetch(self) -> None:
        from ..fetch_hint import scp_command

        self.app.copy_to_clipboard(scp_command(self.written))
        self.app.notify("已复制取回命令，可在自己电脑的命令行粘贴执行。\n（终端需允许程序写剪贴板）",
                        title="已复制", timeout=5)

    def __init__(self, db, campaign_uid: str | None = None, subject: str = SUBJECT_GROUP, kind: str = "report") -> None:
        super().__init__()
        self.db = db
        camps = db.all("campaigns")
        if campaign_uid is None and camps:
            campaign_uid = camps[0]["uid"]
        self.campaign_uid = campaign_uid
        self.subject = subject or SUBJECT_GROUP
        self.kind = kind
        self.suffix = ".docx"
        self._path_touched = False
        self._title_touched = False
        self._busy = False
        self._auto: dict[str, str] = {}
        self.written: str | None = None

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        camps = self.db.all("campaigns")
        with Vertical(id="dialog"):
            yield Label("导出文档（公文格式；台账、方案也可导出为 Excel）", id="dialog-title")
            with VerticalScroll(id="fields"):
                with Horizontal(classes="row"):
                    yield Label("类型")
                    yield Select(KIND_LABELS, value=self.kind, allow_blank=False, id="kind", compact=True)
                with Horizontal(classes="row", id="row-format"):
                    yield Label("格式")
                    yield Select(FORMAT_LABELS, value=self.suffix, allow_blank=False, id="format", compact=True)
                with Horizontal(classes="row", id="row-campaign"):
                    yield Label("整改活动")
                    yield Select(
                        [(c.get("name") or c["uid"], c["uid"]) for c in camps],
                        value=self.campaign_uid if self.campaign_uid else Select.NULL,
                        allow_blank=not camps, prompt="（还没有整改活动）", id="campaign", compact=True,
                    )
                with Horizontal(classes="row", id="row-subject"):
                    yield Label("材料主体")
                    yield Select(self._subject_options(), value=self.subject, allow_blank=False, id="subject", compact=True)
                with Horizontal(classes="row", id="row-title"):
                    yield Label("标题")
                    yield Input(self._remember("#title", self._default_title()), id="title", placeholder="留空则按活动自动生成", compact=True)
                with Horizontal(classes="row", id="row-keep"):
                    yield Label("")
                    yield Checkbox("保留没有事项的维度", id="keep-empty", compact=True)
                with Horizontal(id="filters"):
                    yield SelectionList[str](*self._dimension_options(), id="dimensions")
                    yield SelectionList[str](*[(s, s) for s in STATUSES], id="statuses")
                with Horizontal(classes="row", id="row-quarter"):
                    yield Label("季度")
                    y, q = quarter_of(_today())
                    yield Input(f"{y}Q{q}", id="quarter", placeholder="如 2025Q2", compact=True)
                with Horizontal(classes="row"):
                    yield Label("输出文件")
                    yield Input(self._remember("#path", self._default_path()), id="path", compact=True)
            yield Static("", id="result", markup=False)
            with Horizontal(id="buttons"):
                yield Button("导出", variant="primary", id="export", compact=True)
                yield Button("关闭", id="close", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#dimensions", SelectionList).border_title = "维度（不选为全部）"
        self.query_one("#statuses", SelectionList).border_title = "状态（不选为全部）"
        self._show_kind()
        self.query_one("#kind", Select).focus()

    # ------------------------------------------------------------ defaults

    def _remember(self, selector: str, value: str) -> str:
        self._auto[selector] = value
        return value

    def _campaign(self) -> dict | None:
        return self.db.get("campaigns", self.campaign_uid) if self.campaign_uid else None

    def _subject_options(self) -> list[tuple[str, str]]:
        subs = _subjects(self.db, self.campaign_uid) if self.campaign_uid else [SUBJECT_GROUP]
        if self.subject not in subs:
            subs.append(self.subject)
        opts = [(s, s) for s in subs]
        if self.kind in TABLE_KINDS:
            opts.append(("全部（班子和个人）", ALL_SUBJECTS))
        return opts

    def _dimension_options(self) -> list[tuple[str, str]]:
        camp = self._campaign() or {}
        return [(d.get("short") or d.get("title") or d["key"], d["key"]) for d in camp.get("dimensions", [])]

    def _default_title(self) -> str:
        camp = self._campaign()
        if camp is None or self.kind == "contacts":
            return ""
        subject = SUBJECT_GROUP if self.subject == ALL_SUBJECTS else self.subject
        if self.kind in ("report", "progress"):
            return _title(self.kind, camp, subject)
        return _title(self.kind, camp, None if self.subject == ALL_SUBJECTS else subject)

    def _default_name(self) -> str:
        quarter = None
        if self.kind == "contacts":
            try:
                from storage.dates import parse_quarter

                quarter = parse_quarter(self.query_one("#quarter", Input).value)
            except Exception:
                quarter = None
        return _default_filename(self.kind, self._campaign(), self.subject, quarter, self._suffix())

    def _default_path(self) -> str:
        """The default name in the folder of this user's last export (else the home folder)."""
        from storage import settings

        return str(Path(settings.export_dir() or Path.home()) / self._default_name())

    def _show_kind(self) -> None:
        kind = self.kind
        self.query_one("#row-campaign").set_class(kind == "contacts", "hidden")
        self.query_one("#row-subject").set_class(kind == "contacts", "hidden")
        self.query_one("#row-title").set_class(kind == "contacts", "hidden")
        self.query_one("#row-keep").set_class(kind != "report", "hidden")
        self.query_one("#row-format").set_class(kind not in TABLE_KINDS, "hidden")
        self.query_one("#filters").set_class(kind not in TABLE_KINDS, "hidden")
        self.query_one("#row-quarter").set_class(kind != "contacts", "hidden")
        self.set_class(kind in TABLE_KINDS, "-ledger")

    def _suffix(self) -> str:
        return self.suffix if self.kind in TABLE_KINDS else ".docx"

    def _refresh_defaults(self) -> None:
        if not self._path_touched:
            self._set_quietly("#path", self._default_path())
        if not self._title_touched:
            self._set_quietly("#title", self._default_title())

    def _set_quietly(self, selector: str, value: str) -> None:
        self._auto[selector] = value
        self.query_one(selector, Input).value = value

    # ------------------------------------------------------------ events

    @on(Select.Changed, "#kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.kind:
            return
        self.kind = str(event.value)
        if self.kind not in TABLE_KINDS and self.subject == ALL_SUBJECTS:
            self.subject = SUBJECT_GROUP
        sub = self.query_one("#subject", Select)
        with sub.prevent(Select.Changed):
            sub.set_options(self._subject_options())
            sub.value = self.subject
        self._show_kind()
        self._refresh_defaults()

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.suffix:
            return
        self.suffix = str(event.value)
        path = self.query_one("#path", Input)
        if self._path_touched and Path(path.value.strip()).suffix.lower() in (".docx", ".xlsx"):
            path.value = str(Path(path.value.strip()).with_suffix(self.suffix))  # keep the name typed
        else:
            self._refresh_defaults()

    @on(Select.Changed, "#campaign")
    def _campaign_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.campaign_uid:
            return
        self.campaign_uid = str(event.value)
        self.subject = SUBJECT_GROUP
        sub = self.query_one("#subject", Select)
        with sub.prevent(Select.Changed):
            sub.set_options(self._subject_options())
            sub.value = self.subject
        dims = self.query_one("#dimensions", SelectionList)
        dims.clear_options()
        dims.add_options(self._dimension_options())
        self._refresh_defaults()

    @on(Select.Changed, "#subject")
    def _subject_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        self.subject = str(event.value)
        self._refresh_defaults()

    # A field counts as edited only when its value differs from the default we put there
    # (Input also reports its initial value as a change when mounted).
    @on(Input.Changed, "#path")
    def _path_edited(self, event: Input.Changed) -> None:
        self._path_touched = event.value != self._auto.get("#path")

    @on(Input.Changed, "#title")
    def _title_edited(self, event: Input.Changed) -> None:
        self._title_touched = event.value != self._auto.get("#title")

    @on(Input.Changed, "#quarter")
    def _quarter_edited(self) -> None:
        if not self._path_touched:
            self._set_quietly("#path", self._default_path())

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#export")
    def _export_pressed(self) -> None:
        self.action_export()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()

    # ------------------------------------------------------------ actions

    def action_close(self) -> None:
        if not self._busy:
            self.dismiss(self.written)

    def _options(self, force: bool):
        from writers.export import ExportOptions  # no python-docx yet

        return ExportOptions(
            kind=self.kind,
            output=self.query_one("#path", Input).value,
            campaign=self.campaign_uid,
            subject=self.subject,
            dimensions=list(self.query_one("#dimensions", SelectionList).selected),
            statuses=list(self.query_one("#statuses", SelectionList).selected),
            quarter=self.query_one("#quarter", Input).value.strip() or None,
            keep_empty=self.query_one("#keep-empty", Checkbox).value,
            title=self.query_one("#title", Input).value.strip() or None,
            force=force,
        )

    def action_export(self) -> None:
        if self._busy:
            return
        if self.has_class("-done"):  # "继续导出": the form again, for another document
            self._show_form()
            return
        from writers.export import resolve_output

        opts = self._options(force=False)
        if self.kind != "contacts" and not self.campaign_uid:
            self._show("还没有整改活动，无法导出。请先新建整改活动。", error=True)
            return
        try:  # a folder gets the default name, a name without .docx gets it
            path = resolve_output(opts.output, force=True, kind=self.kind, default_name=self._default_name)
        except ZhenggaiError as e:
            self._show(str(e), error=True)
            return
        opts.output = str(path)
        if path.exists():
            from .dialogs import ConfirmDialog

            def answer(yes: bool | None) -> None:
                if yes:
                    opts.force = True  # the resolved file, with the options the user confirmed
                    self._start(opts)
                else:
                    self._show("未导出：文件已存在，没有覆盖。", error=True)

            self.app.push_screen(ConfirmDialog(f"文件已存在：\n{path}\n\n是否覆盖？", "覆盖", title="覆盖文件", default=False), answer)
            return
        self._start(opts)

    def _start(self, opts) -> None:
        self._busy = True
        self.query_one("#export", Button).disabled = True
        self._show("正在生成文档……")
        self.db.refresh()
        self.run_worker(lambda: _run_export(self.db, opts), thread=True, exclusive=True, name="export", group="export")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "export" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        self._busy = False
        self.query_one("#export", Button).disabled = False
        if event.state == WorkerState.SUCCESS:
            from storage import settings

            from ..fetch_hint import fetch_hint

            self.written = str(event.worker.result)
            settings.remember_export(self.written)
            # The form folds away so that the path and the fetch commands fit at 80x24 and 60x18.
            self.add_class("-done")
            self.refresh_bindings()
            self._relabel("继续导出")
            self.query_one("#close", Button).focus()
            self._show(f"已导出：{self.written}\n\n{fetch_hint(self.written)}", done=True)
            self.app.notify(f"已导出：{self.written}", title="导出完成", timeout=8)
        elif event.state == WorkerState.ERROR:
            err = event.worker.error
            msg = str(err) if isinstance(err, ZhenggaiError) else f"导出失败：{err}"
            self._show(msg, error=True)
        else:
            self._show("导出已取消。", error=True)

    def _relabel(self, label: str) -> None:
        button = self.query_one("#export", Button)
        button.label = label
        button.refresh(layout=True)  # a new label does not resize the button by itself

    def _show_form(self) -> None:
        self.remove_class("-done")
        self.refresh_bindings()
        self._relabel("导出")
        self._show("")
        self.query_one("#path", Input).focus()

    def _show(self, text: str, *, error: bool = False, done: bool = False) -> None:
        w = self.query_one("#result", Static)
        w.update(text)
        w.set_class(error, "error")
        w.set_class(done, "done")


# These thin wrappers keep python-docx out of the import until an export runs: writers.report
# and writers.ledger import it, so their title helpers are copied through writers.export lazily.


def _run_export(db, opts) -> Path:
    from writers.export import export

    return export(db, opts)


def _title(kind: str, camp: dict, subject: str | None) -> str:
    from writers import titles

    return titles.TITLES[kind](camp, subject)


def _default_filename(kind, camp, subject, quarter, suffix=".docx") -> str:
    from writers.export import default_filename

    return default_filename(kind, camp, subject, quarter, suffix)
