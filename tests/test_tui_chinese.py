"""No English on screen (issue 12, item 10): walk the workspace, its forms, dialogs, menus, the
palette (also with nothing found), an open Select list and the 三联系 tabs, and read every
latin word drawn. Key names, file formats and product names are allowed; anything else
(Textual's "No matches found", "Dismiss menu", "Select" …) fails the test with its screen."""

from __future__ import annotations

import re

from textual.command import CommandPalette

from tests.tui_helpers import screen_text, type_text, wait_for_screen, wait_until
from tui.app import ZhenggaiApp
from tui.screens.item_form import ItemFormScreen
from tui.screens.liaison import LiaisonScreen
from tui.screens.main import MainScreen

KEY_NAMES = {"esc", "enter", "tab", "shift", "ctrl", "space", "backspace", "delete", "home", "end", "pgup", "pgdn",
             "insert", "up", "down", "left", "right", "f1"}
FORMATS_AND_PRODUCTS = {"word", "wor", "excel", "wps", "csv", "docx", "xlsx", "xls", "txt", "ssh", "scp", "sftp",
                        "winscp", "pdf", "libreoffice", "gb"}
SCREENS = (  # (keys from the workspace, what it opens)
    ([], "工作台"), (["f1"], "帮助"), (["f"], "筛选"), (["a"], "状态菜单"), (["e"], "事项表单"), (["d"], "删除确认"),
    (["x"], "导出"), (["h"], "修改记录"), (["p"], "进展"), (["c"], "活动菜单"), (["s"], "材料主体"), (["o"], "材料段落"),
    (["i"], "导入"), (["y"], "征求意见"), (["n"], "新建事项"),
)


def english_words(text: str, allowed: set[str]) -> set[str]:
    words = set()
    for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", text):
        w = word.casefold()
        if len(w) > 1 and w not in KEY_NAMES and w not in FORMATS_AND_PRODUCTS and w not in allowed:
            words.add(word)
    return words


async def test_no_english_on_any_screen(demo_db):
    # Data may hold latin words (the OS user who saved, a home folder): those are not UI text.
    import os
    import pwd

    allowed = {"demo", "tester", pwd.getpwuid(os.geteuid()).pw_name.casefold(), "zzqx", "wjh"}  # (wjh: initials)
    allowed |= {part.casefold() for part in os.path.expanduser("~").split(os.sep) if part}
    found: dict[str, set[str]] = {}

    def read(app, where: str) -> None:
        words = english_words(screen_text(app), allowed)
        if words:
            found[where] = words

    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        for keys, where in SCREENS:
            await pilot.press(*keys)
            for _ in range(3):
                await pilot.pause()
            read(app, where)
            while app.screen is not main:
                await pilot.press("escape")
                await pilot.pause()
        await pilot.press("ctrl+p")
        await wait_for_screen(pilot, CommandPalette)
        read(app, "命令面板")
        await type_text(pilot, "zzqx")  # nothing matches
        await app.workers.wait_for_complete()
        # the palette shows its "nothing found" line after half a second
        await wait_until(pilot, lambda: "没有找到" in screen_text(app))
        read(app, "命令面板：无结果")
        assert "没有找到匹配的命令、事项或人员" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("e")
        form = await wait_for_screen(pilot, ItemFormScreen)
        form.form.control("dimension").focus()
        await pilot.press("enter")  # the Select's list open: its key bar
        await pilot.pause()
        read(app, "下拉列表")
        assert "关闭列表" in screen_text(app).splitlines()[-1]
        await pilot.press("escape", "escape")
        await wait_for_screen(pilot, MainScreen)
        await pilot.press("l")
        await wait_for_screen(pilot, LiaisonScreen)
        for tab in "1234":
            await pilot.press(tab)
            await pilot.pause()
            read(app, f"三联系 {tab}")
        await pilot.press("slash")
        await pilot.pause()
        read(app, "三联系：查找")
    assert not found, found


def test_the_check_itself_catches_textuals_english():
    assert english_words("No matches found  esc Dismiss menu", set()) == {"No", "matches", "found", "Dismiss", "menu"}
    assert english_words("^s 保存 esc 取消 f1 帮助 导出 Word / Excel（.docx）", set()) == set()
