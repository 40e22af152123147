"""Every deadline state is readable in every theme the app offers, and without colour overdue is
the most visible state (issue 12, item 5).

The contrast is worked out from what the app draws: the styles of the segments on screen (after
Textual's NO_COLOR filter), not from the code's intentions. WCAG AA: 4.5:1 for text.
"""

from __future__ import annotations

import re

import pytest
from rich.color import Color as RichColor

from storage.queries import DEADLINE_SYMBOL
from tui.app import ZhenggaiApp

SYMBOLS = set(DEADLINE_SYMBOL.values())
DATE = re.compile(r"\d{4}-\d\d-\d\d")


def _luminance(rgb) -> float:
    def ch(c: int) -> float:
        c8 = c / 255
        return c8 / 12.92 if c8 <= 0.03928 else ((c8 + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b)


def _contrast(a, b) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _rgb(app, color: RichColor | None, foreground: bool):
    """A drawn colour as the terminal shows it; the default colours are the app's terminal
    theme's (what Textual assumes for ANSI themes)."""
    terminal = app.ansi_theme_dark if app.current_theme.dark else app.ansi_theme_light
    if color is None or color.is_default:
        return tuple(terminal.foreground_color if foreground else terminal.background_color)
    return tuple(color.get_truecolor(terminal, foreground))


def state_segments(app):
    """(screen line, text, style) of what shows a deadline state: the symbols (table, detail,
    sidebar counts, legend) and the table's 时限 dates."""
    table = app.screen.query_one("#items")
    rows = range(table.region.y, table.region.bottom)
    update = app.screen._compositor.render_update(full=True)
    for y, line in enumerate(update.strips):
        for segment in (s for strip in line for s in strip):
            if segment.style is None or not segment.text.strip():
                continue
            if SYMBOLS & set(segment.text) or (y in rows and DATE.search(segment.text)):
                yield y, segment.text, segment.style


def _readability(app) -> list[str]:
    bad = []
    for y, text, style in state_segments(app):
        fg, bg = _rgb(app, style.color, True), _rgb(app, style.bgcolor, False)
        if style.reverse:
            fg, bg = bg, fg
        ratio = _contrast(fg, bg)
        if ratio < 4.5:
            bad.append(f"{app.theme}: line {y} {text.strip()!r} {fg} on {bg}: {ratio:.2f}")
    return bad


async def _every_state_on_screen(pilot):
    """All dimensions in the table (● ▲ ✖ ✔ ○ all there), the cursor on an overdue item."""
    app = pilot.app
    await pilot.pause()
    main = app.screen
    main.dimension = None
    main.reload()
    await pilot.pause()
    overdue = next(i for i, item in enumerate(main.table.items) if item["title"] == "担当作为不够主动")
    main.table.move_cursor(row=overdue)
    await pilot.pause()
    texts = "".join(t for _y, t, _s in state_segments(app))
    assert SYMBOLS <= set(texts), "every state should be on screen"


@pytest.mark.parametrize("no_color", [False, True], ids=["colour", "NO_COLOR"])
async def test_every_state_is_readable_in_every_theme(demo_db, monkeypatch, no_color):
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _every_state_on_screen(pilot)
        bad = []
        themes = list(app.available_themes)  # what the theme switcher offers
        assert len(themes) >= (19 if no_color else 21)
        for theme in themes:
            for focus in ("#items", "#sidebar"):  # the cursor lines focused and not
                app.theme = theme
                app.screen.query_one(focus).focus()
                await pilot.pause()
                bad += _readability(app)
        assert not bad, "\n".join(bad)


async def test_without_colour_overdue_is_reversed_and_nothing_else_is(demo_db, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await _every_state_on_screen(pilot)
        app.screen.query_one("#sidebar").focus()  # so that the table's cursor row is not reversed by focus
        await pilot.pause()
        table = app.screen.query_one("#items")
        seen = set()
        for y, text, style in state_segments(app):
            if not table.region.y <= y < table.region.bottom:
                continue
            seen.add(text.strip()[:1])
            if DEADLINE_SYMBOL["overdue"] in text or (DATE.search(text) and style.reverse):
                assert style.reverse and style.bold, (y, text, style)
            elif SYMBOLS & set(text):
                assert not style.reverse, (y, text, style)
        assert {DEADLINE_SYMBOL["overdue"], DEADLINE_SYMBOL["ok"]} <= seen
        # the sidebar's overdue counts too
        sidebar = app.screen.query_one("#sidebar")
        counts = [(t, s) for y, t, s in state_segments(app) if sidebar.region.y <= y < sidebar.region.bottom
                  and DEADLINE_SYMBOL["overdue"] in t]
        assert counts and all(s.reverse and s.bold for _t, s in counts)
