"""Preview of a people CSV import: every bad row with its line number, then confirm."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, Static

from storage.people_csv import ImportPlan


class ImportPreviewScreen(ModalScreen[bool]):
    """Dismisses True when the user confirms importing the good rows."""

    DEFAULT_CSS = """
    ImportPreviewScreen { align: center middle; background: $background 60%; }
    ImportPreviewScreen > #preview { width: 100%; max-width: 100; height: 1fr; max-height: 30;
        border: thick $primary; background: $surface; padding: 0 1; }
    ImportPreviewScreen #preview-title { text-style: bold; padding-bottom: 1; }
    ImportPreviewScreen #preview-rows { height: 1fr; border: round $border-blurred; }
    ImportPreviewScreen #preview-buttons { height: auto; align: right middle; }
    ImportPreviewScreen #preview-buttons Button { margin-left: 1; }
    """
    BINDINGS = [
        Binding("escape", "answer(False)", "取消", tooltip="不导入，返回"),
        Binding("ctrl+s", "answer(True)", "导入", priority=True, tooltip="导入合格的行"),
    ]

    def __init__(self, plan: ImportPlan) -> None:
        super().__init__()
        self.plan = plan

    def compose(self) -> ComposeResult:
        plan = self.plan
        with Vertical(id="preview"):
            yield Label(f"导入预览（{plan.encoding}）：{plan.summary()}", id="preview-title", markup=False)
            body = Text()
            if plan.bad:
                body.append("以下行不能导入：\n", style="bold")
                for b in plan.bad:
                    body.append(f"{b}\n", style="yellow" if b.duplicate else "red")
            else:
                body.append("所有行均合格。\n", style="green")
            if plan.good:
                body.append(f"\n将导入 {len(plan.good)} 名人员：", style="bold")
                body.append("、".join(g.record.get("name", "") for g in plan.good[:60]))
                if len(plan.good) > 60:
                    body.append(" 等")
            with VerticalScroll(id="preview-rows"):
                yield Static(body, id="preview-body")
            with Horizontal(id="preview-buttons"):
                if plan.good:
                    yield Button(f"导入 {len(plan.good)} 行", variant="primary", id="confirm")
                yield Button("取消", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#cancel").focus()  # the safe answer first; Ctrl+S (or ← Enter) imports

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, value: bool) -> None:
        self.dismiss(bool(value and self.plan.good))
