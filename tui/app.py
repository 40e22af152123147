"""The zhenggai workspace app (issue 3): shell, polling for other users' saves, help, palette."""

from __future__ import annotations

import gc
import os
import sys
import time
from typing import Any, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from storage import ZhenggaiError

from . import follow
from .commands import ZhenggaiCommands
from .keys import KeyOrder
from .textual_private import drop_closed_watchers, make_switchable, stop_styles_cache_leak

POLL_SECONDS = follow.POLL_SECONDS

stop_styles_cache_leak()  # textual_private 7.: before any widget draws


class ZhenggaiApp(KeyOrder, App[int]):
    """``ZhenggaiApp(db)``; ``app.db`` is the shared :class:`storage.Database`."""

    TITLE = "整改"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {ZhenggaiCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    NOTIFICATION_TIMEOUT = 4

    BINDINGS = [
        # F1 works everywhere, also in forms and dialogs (a priority binding reaches past a modal
        # screen); ? where no text field takes it as a character (key_question_mark below).
        Binding("f1", "help", "帮助", tooltip="本界面的按键，以及所有按键", priority=True),
        Binding("question_mark", "help", "帮助", show=False, tooltip="本界面的按键，以及所有按键"),
        Binding("ctrl+q", "quit", "退出", tooltip="退出程序", priority=True),
        Binding("ctrl+p", "command_palette", "命令", show=False, tooltip="打开命令面板", priority=True),
        # Priority: Tab moves the focus even where the focused widget would take the key.
        # (Keys of a burst wait for the Tab before them: see KeyOrder.)
        Binding("tab", "focus_next", "下一项", show=False, priority=True),
        Binding("shift+tab", "focus_previous", "上一项", show=False, priority=True),
    ]

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db
        self._poll_error_shown = False
        self._broken: str | None = None
        self.poll_timer = None
        self.gc_paused = False  # run() pauses the collector for start-up
        self.undo_steps: list = []  # this session's item changes, for Ctrl+Z (tui/undo_log.py)
        if self.no_color:
            # Textual draws the themes of ANSI colour names black on black under NO_COLOR
            # (its grey filter reads an unresolved ANSI colour as black): not offered then.
            for name in [n for n, theme in self.available_themes.items() if theme.ansi]:
                self.unregister_theme(name)

    # ------------------------------------------------------------ start

    def get_default_screen(self) -> Screen:
        """The first screen is the app's base screen itself (not pushed over an empty one):
        Textual composes, styles and paints it once, in the app's first frame."""
        try:
            empty = not self.db.table_dict("campaigns")
        except ZhenggaiError as e:  # the file broke after we opened it
            self._broken = str(e)
            return Screen()
        if empty:
            from .screens.welcome import WelcomeScreen

            screen: Screen = WelcomeScreen(self.db)
        else:
            from .screens.main import MainScreen

            screen = MainScreen(self.db)
        self._prime_breakpoints(screen)
        # So that it can be switched away from (welcome -> workspace, and back when every
        # campaign is deleted), as a screen switched to can.
        make_switchable(screen)
        return screen

    def _prime_breakpoints(self, screen: Screen) -> None:
        """Give the screen its breakpoint classes (-narrow/-wide, -short/-tall) for the terminal
        size now. Textual adds them on the first Resize, after the first frame, and a class
        change on the screen re-styles every widget and paints the frame again."""
        width, height = self.size
        for size, breakpoints in ((width, self.HORIZONTAL_BREAKPOINTS), (height, self.VERTICAL_BREAKPOINTS)):
            for threshold, name in sorted(breakpoints or [], reverse=True):
                if size >= threshold:
                    screen.add_class(name, update=False)
                    break

    def on_mount(self) -> None:
        if self._broken is not None:
            self.exit(return_code=2, message=self._broken)
            return
        self.db.follow = False  # reads never re-parse a changed file on this thread: the poll does, in a thread
        self.poll_timer = self.set_interval(POLL_SECONDS, self.poll_in_background, name="poll-db")
        if self.gc_paused:
            self.call_after_refresh(self.resume_gc)  # once the first screen has been painted
            self.set_timer(POLL_SECONDS, self.resume_gc)  # or, at the latest, after a moment

    def resume_gc(self) -> None:
        """End of start-up: what it built lives on, so freeze it (no collection walks it again)
        and let the collector run again for everything after."""
        if self.gc_paused:
            self.gc_paused = False
            gc.freeze()
            gc.enable()

    def exit_when_painted(self) -> None:
        """ZHENGGAI_EXIT_ON_READY=1 (the benchmark): called once the first screen has been
        painted. With ZHENGGAI_READY_FILE set, first note the moment (CLOCK_MONOTONIC, shared by
        all processes) and the process's CPU time there, as benchmarks/hello.py does."""
        stamp = os.environ.get("ZHENGGAI_READY_FILE")
        if stamp:
            with open(stamp, "w", encoding="ascii") as fh:
                fh.write(f"{time.monotonic()} {time.process_time()}\n")
        self.exit()

    # ------------------------------------------------------------ other users' saves

    follows_db = True  # screens (三联系) leave following the database to the app
    background_swap = False  # set while screens redraw after a poll read in a thread

    def poll_in_background(self) -> None:
        """The 2-second timer: read what other users saved in a thread (follow.py), then swap
        it in and redraw here; the screen never waits for a file to be parsed. Also let go of
        the widgets closed since (textual_private 8.): a closed form's text areas, a closed
        三联系 screen, are freed now, not kept for the garbage collector to walk."""
        drop_closed_watchers(self, *self.screen_stack)
        follow.read_in_thread(self, self.db, lambda prepared: self.swap_in(prepared, background=True), self._poll_failed)

    def poll_db(self) -> bool:
        """One poll now, on this thread (tests call it at a known moment): read, swap, redraw.
        True when a screen redrew."""
        try:
            prepared = self.db.prepare_refresh()
        except ZhenggaiError as e:
            self._poll_failed(e)
            return False
        return self.swap_in(prepared)

    def swap_in(self, prepared: Any, background: bool = False) -> bool:
        """Make what was read the data in memory; re-render screens that show data (with
        ``background``, a screen may work out what it shows in a thread too: 三联系)."""
        try:
            self.db.apply_refresh(prepared)
        except ZhenggaiError as e:
            self._poll_failed(e)  # the other file, if it changed, is in
        else:
            self._poll_error_shown = False
        changed = False
        self.background_swap = background
        try:
            for screen in self.screen_stack:
                hook = getattr(screen, "refresh_from_db", None)
                if hook is not None:
                    try:
                        changed = bool(hook()) or changed
                    except ZhenggaiError as e:
                        self.notify(str(e), severity="error")
        finally:
            self.background_swap = False
        return changed

    def _poll_failed(self, error: ZhenggaiError) -> None:
        for screen in self.screen_stack:
            hook = getattr(screen, "db_failed", None)
            if hook is not None:
                hook(error)
        if not self._poll_error_shown:
            self._poll_error_shown = True
            self.notify(str(error), title="数据库读取失败", severity="error", timeout=15)

    # ------------------------------------------------------------ quitting

    def unsaved_work(self) -> list[str]:
        """What open forms and dialogs would lose: each screen with unsaved changes names
        itself through ``unsaved_changes()`` (an empty string: nothing to lose)."""
        out = []
        for screen in self.screen_stack:
            ask = getattr(screen, "unsaved_changes", None)
            what = ask() if callable(ask) else ""
            if what:
                out.append(what)
        return out

    async def action_quit(self) -> None:
        """Ctrl+Q: quit at once, or first ask when a form or dialog has unsaved changes."""
        from .screens.dialogs import ConfirmDialog

        unsaved = self.unsaved_work()
        if not unsaved:
            self.exit()
            return
        if isinstance(self.screen, ConfirmDialog) and self.screen.id == "quit-confirm":
            return  # already asking
        names = "、".join(f"“{w}”" for w in unsaved)

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        dialog = ConfirmDialog(f"{names}有未保存的修改。\n现在退出，这些修改将丢失。", confirm_label="放弃修改并退出",
                               cancel_label="继续编辑", title="退出整改程序？", default=False)
        dialog.id = "quit-confirm"
        self.push_screen(dialog, answer)

    def action_help_quit(self) -> None:
        """Ctrl+C (where no text field copies with it): say in Chinese how to quit."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(f"按 {self.get_key_display(active.binding)} 退出程序", title="要退出吗？")
                return

    # ------------------------------------------------------------ help & palette

    def action_help(self) -> None:
        """F1 / ?: the keys of the screen in front (its focused field's too) first, then all."""
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)  # F1 again closes it
        else:
            self.push_screen(HelpScreen(self.screen))

    def key_question_mark(self) -> None:
        """? that no binding took: in a form or dialog (a modal screen hides the app's own
        bindings), where no text field typed it."""
        self.action_help()

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            from .textual_private import ChinesePalette

            self.push_screen(ChinesePalette(placeholder="输入命令、事项或人员（姓名、拼音首字母）……", id="--command-palette"))

    def search_themes(self) -> None:
        """切换配色主题: Textual's theme picker, in Chinese."""
        from textual.theme import ThemeProvider

        from .textual_private import ChinesePalette

        self.push_screen(ChinesePalette(providers=[ThemeProvider], placeholder="输入配色主题名称……"))

    def get_css_variables(self) -> dict[str, str]:
        from .widgets.states import cursor_text_variables

        variables = super().get_css_variables()
        variables.update(cursor_text_variables(variables, self.no_color))
        self.theme_variables = variables
        return variables

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("切换配色主题", "更换界面的颜色主题", self.action_change_theme)
        yield SystemCommand("退出", "退出整改程序", self.action_quit)
        yield SystemCommand("帮助", "列出所有按键（F1）", self.action_help)


def run(db_path: str, shared: bool = False) -> int:
    """Open the database, then the app. A damaged file: message on stderr, exit code 2."""
    from storage import DamagedDatabaseError, Database

    # Start-up (the imports, the index parse, the first screen's widgets and styles) makes
    # many objects that live as long as the app: no collections until the first frame is
    # painted; then they are frozen, so that no collection walks them again (ZhenggaiApp).
    gc.disable()
    try:
        db = Database.open(db_path, shared=shared or None, lazy=True)  # the first screen reads the index
    except DamagedDatabaseError as e:
        gc.enable()
        print(str(e), file=sys.stderr)
        return 2
    except ZhenggaiError as e:
        gc.enable()
        print(str(e), file=sys.stderr)
        return e.exit_code
    app = ZhenggaiApp(db)
    app.gc_paused = True
    try:
        result = app.run()
    finally:
        app.resume_gc()
    if os.environ.get("ZHENGGAI_EXIT_ON_READY") in ("1", "full"):
        return 0
    return int(result or app.return_code or 0)
