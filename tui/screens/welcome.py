"""Shown when the database has no campaign yet: create one or load the demo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Static

from storage import ZhenggaiError

from .. import lazy
from ..widgets.footer import KeysFooter
from ..widgets.title_bar import TitleBar

INTRO = (
    "整改：民主生活会、专项整治、巡视巡察的问题整改台账，以及“三联系”工作。\n\n"
    "数据库里还没有整改活动。可以新建一个，导入上年度的对照检查材料或整改台账，或先载入虚构的演示数据看看效果。"
)


class WelcomeScreen(Screen):
    BINDINGS = [
        Binding("n", "new_campaign", "新建活动", tooltip="新建一个整改活动"),
        Binding("d", "demo", "演示数据", tooltip="载入虚构的演示数据"),
        Binding("i", "import", "导入", tooltip="导入上年度的对照检查材料或整改台账"),
        Binding("l", "liaison", "三联系", show=False),
        Binding("j,down", "app.focus_next", "下一个", show=False),
        Binding("k,up", "app.focus_previous", "上一个", show=False),
    ]

    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen #welcome {
        width: 64; max-width: 96%; height: auto;
        border: round $accent; padding: 1 2; background: $surface;
    }
    WelcomeScreen #intro { margin-bottom: 1; }
    WelcomeScreen Button { width: 100%; margin-bottom: 1; }
    WelcomeScreen #db-path { color: $text-muted; }
    """

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Center():
            with Vertical(id="welcome") as box:
                box.border_title = "欢迎使用"
                yield Static(INTRO, id="intro")
                yield Button("新建整改活动（n）", id="new", variant="primary", compact=True)
                yield Button("载入演示数据（d）", id="demo", compact=True)
                yield Button("导入材料或台账（i）", id="import", compact=True)
                yield Button("三联系工作（l）", id="liaison", compact=True)
                yield Static(f"数据库：{self.db.path}", id="db-path")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.app.title = "整改"
        self.app.sub_title = "尚无整改活动"
        self.query_one("#new", Button).focus()
        import os

        if os.environ.get("ZHENGGAI_EXIT_ON_READY") == "1":
            self.app.call_after_refresh(self.app.exit_when_painted)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        {"new": self.action_new_campaign, "demo": self.action_demo, "liaison": self.action_liaison,
         "import": self.action_import}[event.button.id]()

    def action_new_campaign(self) -> None:
        lazy.push(self.app, "campaign_form", "CampaignFormScreen", self.db, None, callback=self._created)

    def _created(self, result) -> None:
        if result and self.db.table_dict("campaigns"):
            self.open_workspace()

    def action_import(self) -> None:
        lazy.push(self.app, "import_screen", "ImportScreen", self.db, None, callback=self._created)

    def action_demo(self) -> None:
        from storage.demo import load_demo

        try:
            counts = load_demo(self.db)
        except ZhenggaiError as e:
            self.notify(str(e), title="未能载入演示数据", severity="error", timeout=8)
            return
        self.notify(f"已载入演示数据：{counts['campaigns']} 个活动，{counts['items']} 个事项，{counts['persons']} 名人员")
        self.open_workspace()

    def action_liaison(self) -> None:
        lazy.push(self.app, "liaison", "LiaisonScreen", self.db)

    def refresh_from_db(self) -> bool:
        """Called by the app's poll: a colleague created a campaign or loaded the demo."""
        if self.is_current and self.db.table_dict("campaigns"):
            self.notify("其他用户已建立整改活动，已为您打开工作台。")
            self.open_workspace()
            return True
        return False

    def open_workspace(self) -> None:
        # The form's callback and the 2-second poll can both get here: switch once.
        if getattr(self, "_leaving", False):
            return
        self._leaving = True
        from .main import MainScreen

        self.app.switch_screen(MainScreen(self.db))
