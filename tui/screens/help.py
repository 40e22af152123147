"""F1 / ?: every key binding of every screen, in Chinese."""

from __future__ import annotations

from typing import Any, Iterable

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import lazy

GENERAL: tuple[tuple[str, str], ...] = (
    ("Tab / Shift+Tab", "在侧栏、列表、详情和表单字段之间切换焦点"),
    ("↑ ↓ / j k", "在列表和侧栏中移动（输入框中 j、k 照常输入）"),
    ("Enter", "选择、打开或编辑"),
    ("PgUp / PgDn", "翻页"),
    ("Esc", "关闭对话框、取消、关闭搜索"),
    ("Ctrl+U / Ctrl+K", "输入框中删去光标前 / 光标后的全部文字（光标进入输入框时在末尾）"),
    ("Ctrl+P", "命令面板：输入中文查找命令和事项"),
    ("F1 / ?", "打开本帮助"),
    ("Ctrl+Q", "退出（有未保存的表单时先询问）"),
)

# (section title, module under tui.screens, class name) of screens built elsewhere
OTHER_SCREENS: tuple[tuple[str, str, str], ...] = (
    ("事项表单", "item_form", "ItemFormScreen"),
    ("编辑表单（通用）", "record_edit", "RecordEditScreen"),
    ("状态操作", "item_actions", "ItemActionScreen"),
    ("进展情况", "item_actions", "ProgressNoteScreen"),
    ("整改活动", "campaign_form", "CampaignFormScreen"),
    ("整改维度", "dimensions_edit", "DimensionsScreen"),
    ("材料段落", "outline_edit", "OutlineScreen"),
    ("修改记录", "history", "HistoryScreen"),
    ("确认对话框", "dialogs", "ConfirmDialog"),
    ("三联系", "liaison", "LiaisonScreen"),
    ("征求意见", "opinions", "OpinionsScreen"),
    ("导出", "export_dialog", "ExportDialog"),
)


def own_bindings(cls: type) -> list[Binding]:
    """Bindings declared by zhenggai classes in the MRO (Textual's own are summarised in 通用)."""
    seen: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("tui."):
            continue
        for b in klass.__dict__.get("BINDINGS", []) or []:
            if isinstance(b, tuple):
                b = Binding(*b)
            if not isinstance(b, Binding) or not b.description:
                continue
            seen[b.key] = b
    return list(seen.values())


KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "空格", "backspace": "Backspace",
    "delete": "Delete", "up": "↑", "down": "↓", "left": "←", "right": "→", "home": "Home", "end": "End",
    "pageup": "PgUp", "pagedown": "PgDn", "slash": "/", "question_mark": "?", "insert": "Insert",
}


def key_name(key: str) -> str:
    """'ctrl+shift+up' -> 'Ctrl+Shift+↑' (what people read on their keyboard)."""
    parts = key.split("+")
    mods = [p.capitalize() for p in parts[:-1]]
    last = parts[-1]
    if last in KEY_NAMES:
        last = KEY_NAMES[last]
    elif len(last) == 1:
        last = last.upper() if mods else last
    elif "_" in last:
        from textual.keys import key_to_character

        last = key_to_character(last) or last
    elif last.startswith("f") and last[1:].isdigit():
        last = last.upper()
    return "+".join([*mods, last])


def key_text(app, key: str) -> str:
    return " / ".join(dict.fromkeys(key_name(k.strip()) for k in key.split(",")))


def section_rows(app, bindings: Iterable[Binding]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    merged: dict[str, list[str]] = {}
    for b in bindings:
        desc = b.description + (f"：{b.tooltip}" if b.tooltip and b.tooltip != b.description else "")
        if b.action.startswith("dimension("):
            desc = "跳到第 1–9 个维度"
        keys = merged.setdefault(desc, [])
        if key_text(app, b.key) not in keys:
            keys.append(key_text(app, b.key))
    for desc, keys in merged.items():
        if desc == "跳到第 1–9 个维度":
            keys = ["1 … 9"]
        rows.append((" / ".join(keys), desc))
    return rows


def sections(app) -> list[tuple[str, list[tuple[str, str]]]]:
    from ..widgets.item_detail import ItemDetail
    from ..widgets.item_table import ItemTable
    from ..widgets.sidebar import Sidebar
    from .filter import FilterScreen
    from .main import MainScreen
    from .menu import MenuScreen
    from .welcome import WelcomeScreen

    out: list[tuple[str, list[tuple[str, str]]]] = [("通用", list(GENERAL))]
    out.append(("主界面", section_rows(app, own_bindings(MainScreen))))
    out.append(("事项列表、侧栏、详情", section_rows(app, [*own_bindings(ItemTable), *own_bindings(Sidebar),
                                                         *own_bindings(ItemDetail)])))
    out.append(("筛选", section_rows(app, own_bindings(FilterScreen))))
    out.append(("选择列表", section_rows(app, own_bindings(MenuScreen))))
    out.append(("欢迎页", section_rows(app, own_bindings(WelcomeScreen))))
    done: set[type] = {ItemDetail, ItemTable, Sidebar}
    for title, module, name in OTHER_SCREENS:
        cls = lazy.screen_class(module, name)
        if cls in done:
            continue
        done.add(cls)
        rows = section_rows(app, own_bindings(cls))
        if rows:
            out.append((title, rows))
    out.extend(widget_sections(app, done))
    return out


WIDGET_TITLES = {
    "EntryInput": "列表编辑（整改措施、佐证材料等）：一条",
    "AddButton": "列表编辑：＋ 添加一条（在此打字也新增一条）",
    "LiaisonTable": "三联系：列表",
    "PeoplePane": "三联系：人员",
    "LinksPane": "三联系：联系关系",
    "ContactsPane": "三联系：联系记录",
    "CoveragePane": "三联系：覆盖情况",
}


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def widget_sections(app, done: set[type]) -> list[tuple[str, list[tuple[str, str]]]]:
    """Bindings of the other widgets under tui/widgets (forms, 三联系 …)."""
    import importlib
    import inspect
    import pkgutil

    from textual.widget import Widget

    from .. import widgets

    out = []
    for mod_info in sorted(pkgutil.iter_modules(widgets.__path__), key=lambda m: m.name):
        try:
            mod = importlib.import_module(f"tui.widgets.{mod_info.name}")
        except Exception:
            continue
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ != mod.__name__ or not issubclass(cls, Widget) or cls in done:
                continue
            done.add(cls)
            rows = section_rows(app, [b for b in own_bindings(cls) if b in cls.__dict__.get("BINDINGS", [])])
            if rows:
                doc = (cls.__doc__ or "").strip().splitlines()[0].rstrip("。.") if cls.__doc__ else ""
                title = WIDGET_TITLES.get(cls.__name__) or (doc if _is_chinese(doc) else "")
                if not title:
                    title = "三联系" if mod_info.name.startswith("liaison") else "其他"
                out.append((title, rows))
    return out


SCREEN_TITLES = {name: title for title, _module, name in OTHER_SCREENS} | {
    "MainScreen": "主界面", "FilterScreen": "筛选", "MenuScreen": "选择列表", "WelcomeScreen": "欢迎页",
    "ChoiceDialog": "对话框", "MessageDialog": "提示", "ConflictDialog": "保存冲突", "PromptDialog": "对话框",
    "FormDialog": "对话框", "CommandPalette": "命令面板", "ChinesePalette": "命令面板",
}


def current_rows(screen) -> list[tuple[str, str]]:
    """The keys active on ``screen`` now (its own, its focused field's and, where it is not a
    form or dialog, the app's), those with a Chinese description (Textual's own widgets
    describe theirs in English: they are summarised in 通用)."""
    bindings = [active.binding for active in screen.active_bindings.values()]
    if screen.is_modal:  # the app's priority keys work there too, though Textual lists none of them
        bindings += [b for b in type(screen.app).BINDINGS if isinstance(b, Binding) and b.priority]
    seen: dict[str, Binding] = {}
    for b in bindings:
        if b.description and _is_chinese(b.description) and b.key not in seen:
            seen[b.key] = b
    return section_rows(screen.app, seen.values())


def current_title(screen) -> str:
    for klass in type(screen).__mro__:
        if klass.__name__ in SCREEN_TITLES:
            return f"本界面：{SCREEN_TITLES[klass.__name__]}"
    return "本界面"


def render_section(rows: list[tuple[str, str]]) -> Table:
    t = Table(show_header=False, box=None, padding=(0, 1), expand=True)
    t.add_column(width=16, no_wrap=True)
    t.add_column(ratio=1)
    for key, desc in rows:
        t.add_row(Text(key, style="bold"), desc)
    return t


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,f1,q,question_mark", "close", "关闭帮助"),
        Binding("j,down", "scroll(1)", "向下滚动", show=False),
        Binding("k,up", "scroll(-1)", "向上滚动", show=False),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 90; max-width: 100%; height: 90%; min-height: 10;
        border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen .help-title { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(self, origin=None) -> None:
        """``origin``: the screen help was asked for on; its keys come first."""
        super().__init__()
        self.origin = origin
        self.current: list[tuple[str, str]] = current_rows(origin) if origin is not None else []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as box:
            box.border_title = "按键帮助"
            box.border_subtitle = "Esc 关闭 · ↑↓ 滚动"
            if self.current:
                yield Static(current_title(self.origin), classes="help-title", id="help-current")
                yield Static(render_section(self.current))
                yield Static("全部按键", classes="help-title")
            for title, rows in sections(self.app):
                if not rows:
                    continue
                yield Static(title, classes="help-title")
                yield Static(render_section(rows))

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, delta: int) -> None:
        box = self.query_one("#help-body", VerticalScroll)
        box.scroll_relative(y=delta, animate=False)


def all_rows(app) -> list[tuple[str, str, str]]:
    """(section, key, description) for tests and the command palette."""
    return [(title, k, d) for title, rows in sections(app) for k, d in rows]


__all__: list[Any] = ["HelpScreen", "all_rows", "sections"]
