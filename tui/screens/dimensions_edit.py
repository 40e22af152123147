"""Edit a campaign's dimensions: titles, short labels, add, remove, reorder."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, Static

from storage import ZhenggaiError
from storage.database import Database
from storage.items import set_dimensions

from .dialogs import ConfirmDialog


class DimensionRow(Horizontal):
    DEFAULT_CSS = """
    DimensionRow { height: 1; margin-bottom: 1; }
    DimensionRow > .dim-no { width: 4; color: $text-muted; }
    DimensionRow > .dim-title { width: 1fr; }
    DimensionRow > .dim-short { width: 16; margin-left: 1; }
    DimensionRow > Button { margin-left: 1; min-width: 6; }
    """

    def __init__(self, dim: dict[str, str]) -> None:
        super().__init__()
        self.key = dim.get("key", "")
        self.dim = dim

    def compose(self) -> ComposeResult:
        yield Label("", classes="dim-no")
        yield Input(self.dim.get("title", ""), placeholder="维度标题", compact=True, select_on_focus=False, classes="dim-title")
        yield Input(self.dim.get("short", ""), placeholder="简称", compact=True, select_on_focus=False, max_length=20, classes="dim-short")
        yield Button("删除", compact=True, classes="dim-remove")

    def data(self) -> dict[str, str]:
        return {
            "key": self.key,
            "title": self.query_one(".dim-title", Input).value.strip(),
            "short": self.query_one(".dim-short", Input).value.strip(),
        }


class DimensionsScreen(ModalScreen[dict | None]):
    """Dismisses with the updated campaign, or None."""

    DEFAULT_CSS = """
    DimensionsScreen { align: center middle; background: $background 60%; }
    DimensionsScreen > #dims { width: 100%; max-width: 110; height: 1fr; border: thick $primary; background: $surface; }
    DimensionsScreen #dims-head { height: auto; color: $text-muted; padding: 0 1; margin-bottom: 1; }
    DimensionsScreen #dims-list { height: 1fr; padding: 0 1; }
    DimensionsScreen #dims-status { height: auto; color: $error; padding: 0 1; }
    DimensionsScreen #dims-status.-info { color: $text-muted; }
    DimensionsScreen #dims-add { margin: 0 1; }
    """
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, tooltip="保存整改维度"),
        Binding("escape", "cancel", "取消", tooltip="不保存，关闭"),
        Binding("ctrl+n", "add", "新增维度", tooltip="在末尾新增一个维度"),
        Binding("ctrl+r", "remove", "删除维度", tooltip="删除光标所在的维度（其下没有事项时）"),
        Binding("ctrl+up,alt+up", "move(-1)", "上移", tooltip="把光标所在的维度上移"),
        Binding("ctrl+down,alt+down", "move(1)", "下移", tooltip="把光标所在的维度下移"),
    ]

    def __init__(self, db: Database, campaign_uid: str) -> None:
        super().__init__()
        self.db = db
        self.campaign_uid = campaign_uid
        self.campaign = db.require("campaigns", campaign_uid)
        self._initial = [dict(d) for d in self.campaign.get("dimensions", [])]

    def compose(self) -> ComposeResult:
        with Vertical(id="dims") as box:
            box.border_title = f"整改维度 · {self.campaign.get('name', '')}"
            yield Static("左：维度标题（材料中的小标题）；右：简称（侧栏和表格中显示）。", id="dims-head")
            with VerticalScroll(id="dims-list", can_focus=False):
                for d in self._initial:
                    yield DimensionRow(d)
            yield Button("＋ 新增维度", compact=True, id="dims-add")
            yield Static("", id="dims-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._renumber()
        rows = self.rows()
        if rows:
            rows[0].query_one(".dim-title", Input).focus()

    def rows(self) -> list[DimensionRow]:
        return list(self.query(DimensionRow))

    def dimensions(self) -> list[dict[str, str]]:
        return [r.data() for r in self.rows()]

    @property
    def dirty(self) -> bool:
        return self.dimensions() != [{"key": d.get("key", ""), "title": d.get("title", ""), "short": d.get("short", "")} for d in self._initial]

    def unsaved_changes(self) -> str:
        """For the app's question before quitting."""
        return "整改维度" if self.is_mounted and self.dirty else ""

    def _renumber(self) -> None:
        for n, r in enumerate(self.rows(), 1):
            r.query_one(".dim-no", Label).update(f"{n}.")

    def _current(self) -> DimensionRow | None:
        node = self.focused
        while node is not None:
            if isinstance(node, DimensionRow):
                return node
            node = node.parent  # type: ignore[assignment]
        return None

    def set_status(self, message: str, *, info: bool = False) -> None:
        st = self.query_one("#dims-status", Static)
        st.update(message)
        st.set_class(info, "-info")

    # ------------------------------------------------------------ actions

    async def action_add(self) -> None:
        row = DimensionRow({"key": "", "title": "", "short": ""})
        await self.query_one("#dims-list").mount(row)
        self._renumber()
        row.query_one(".dim-title", Input).focus()

    @on(Button.Pressed, "#dims-add")
    async def _add_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        await self.action_add()

    def _item_count(self, key: str) -> int:
        return sum(1 for i in self.db.light("items").values() if i.get("campaign") == self.campaign_uid and i.get("dimension") == key)

    async def remove_row(self, row: DimensionRow) -> None:
        n = self._item_count(row.key) if row.key else 0
        if n:
            self.set_status(f"“{row.data()['short'] or row.data()['title']}”下还有 {n} 条整改事项，不能删除。请先把事项移到其他维度或删除。")
            return
        if len(self.rows()) <= 1:
            self.set_status("至少需要保留一个维度。")
            return
        rows = self.rows()
        idx = rows.index(row)
        await row.remove()
        self._renumber()
        rest = self.rows()
        if rest:
            rest[min(idx, len(rest) - 1)].query_one(".dim-title", Input).focus()
        self.set_status("已删除（保存后生效）。", info=True)

    async def action_remove(self) -> None:
        row = self._current()
        if row is not None:
            await self.remove_row(row)

    @on(Button.Pressed, ".dim-remove")
    async def _remove_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        row = event.button.parent
        if isinstance(row, DimensionRow):
            await self.remove_row(row)

    def action_move(self, delta: int) -> None:
        row = self._current()
        if row is None:
            return
        rows = self.rows()
        idx = rows.index(row)
        new = idx + delta
        if not 0 <= new < len(rows):
            return
        focused = self.focused
        parent = self.query_one("#dims-list")
        if delta < 0:
            parent.move_child(row, before=rows[new])
        else:
            parent.move_child(row, after=rows[new])
        self._renumber()
        if focused is not None:
            focused.focus()

    def action_save(self) -> None:
        dims = self.dimensions()
        for n, d in enumerate(dims, 1):
            if not d["title"]:
                self.set_status(f"第 {n} 个维度的标题不能为空。")
                return
        try:
            saved = set_dimensions(self.db, self.campaign_uid, dims, expected_rev=self.campaign.get("rev"))
        except ZhenggaiError as e:
            self.set_status("未保存：" + str(e))
            return
        self.dismiss(saved)

    @work
    async def action_cancel(self) -> None:
        if self.dirty:
            ok = await self.app.push_screen_wait(ConfirmDialog("放弃未保存的修改？", confirm_label="放弃修改", cancel_label="继续编辑", default=False))
            if not ok:
                return
        self.dismiss(None)

