"""Nothing hidden at 80x24 or 60x18 (issue 12, item 6): the sidebar can be hidden (remembered),
the title column takes the free width, the detail pane shows the day's fields first, and at
60x18 the 状态 column and the form's ^s 保存 stay."""

from __future__ import annotations

import json
from pathlib import Path

from rich.cells import cell_len

from tests.tui_helpers import screen_text, wait_for_screen
from storage import settings
from tui.app import ZhenggaiApp
from tui.screens.item_form import ItemFormScreen


def _lines(app, widget) -> list[str]:
    """The screen's text inside ``widget``'s region."""
    region = widget.region
    rows = screen_text(app).splitlines()[region.y:region.bottom]
    out = []
    for row in rows:  # cut by cells: a Chinese character is two
        cells, text = 0, ""
        for ch in row:
            if region.x <= cells < region.right:
                text += ch
            cells += cell_len(ch)
        out.append(text)
    return out


async def test_b_hides_the_sidebar_the_title_column_widens_and_it_is_remembered(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        narrow = main.table._title_width
        assert "理论学习深度不足" not in screen_text(app).splitlines()[3]  # cut to ~6 characters
        await pilot.press("b")
        await pilot.pause()
        assert not main.query_one("#side-pane").display
        assert main.table._title_width >= narrow + 20
        assert "理论学习深度不足" in screen_text(app).splitlines()[3]
    assert json.loads(Path(settings.settings_path()).read_text(encoding="utf-8"))["sidebar_hidden"] is True
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#side-pane").display  # as left last time
        await pilot.press("b")
        await pilot.pause()
        assert app.screen.query_one("#side-pane").display
        assert app.screen.sidebar.region.width > 0
    assert settings.get("sidebar_hidden") is False


async def test_the_detail_pane_shows_measures_progress_and_evidence_first(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        main = app.screen
        main.table.move_cursor(row=2)  # 贯彻落实存在差距: measures, progress notes and evidence
        await pilot.pause()
        item = demo_db.get("items", main.current_uid())
        assert item["measures"] and item["progress"] and item["evidence"]
        text = "\n".join(_lines(app, main.query_one("#detail")))
        for label in ("整改措施", "最新进展", "佐证材料"):
            assert label in text
        assert item["measures"][0][:6] in text.replace("\n", "").replace("│", "").replace(" ", "")
        assert item["evidence"][0][:6] in text.replace("\n", "").replace("│", "").replace(" ", "")


async def test_at_60x18_the_status_column_and_the_keys_for_help_quit_and_save_stay(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(60, 18)) as pilot:
        await pilot.pause()
        main = app.screen
        table = _lines(app, main.query_one("#items"))
        assert "状态" in table[0]
        rows = [r for r in table[1:] if r.strip()]
        assert len(rows) == 3 and all(any(s in r for s in ("●", "▲", "✖", "✔", "○")) for r in rows)
        assert main.table.scrollable_content_region.width >= main.table.virtual_size.width  # nothing cut off
        bar = screen_text(app).splitlines()[-1]
        assert "f1 帮助" in bar and "^q 退出" in bar and "^p 命令" in bar
        await pilot.press("e")
        await wait_for_screen(pilot, ItemFormScreen)
        for _ in range(16):  # every field of the form: ^s 保存 stays first in the key bar
            assert screen_text(app).splitlines()[-1].lstrip().startswith("^s 保存")
            await pilot.press("tab")


async def test_two_digit_counts_keep_the_overdue_number_in_the_80_column_sidebar(demo_db):
    """At 1× a dimension reads “22/62 ✖12”: the label closes up so that the number after ✖
    is not cropped (it was: “1 政治纪律 22/62 ✖”)."""
    from storage.items import add_item

    camp = demo_db.all("campaigns")[0]
    for n in range(20):
        add_item(demo_db, camp["uid"], "d1", f"逾期的问题{n}", deadline="2026-01-05")
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        side = "\n".join(_lines(app, app.screen.sidebar))
        assert "✖20" in side.replace(" ", ""), side  # the 20 added (the demo has none overdue there)
        assert "23" in side and "政治纪律" in side
