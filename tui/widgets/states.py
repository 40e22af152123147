"""How a deadline state (● 按期 ▲ 临近 ✖ 逾期 ✔ 销号 ○ 未定) is drawn: by the theme's colours, each
made readable (contrast at least 4.5:1, WCAG AA) on the backgrounds it is drawn on; without
colour (NO_COLOR) by weight alone, overdue reversed so that it is the most visible.

The symbol carries the state too, so a line reads the same in any of these.
"""

from __future__ import annotations

from typing import Iterable

from rich.style import Style
from textual.color import Color

from storage.queries import DEADLINE_DONE, DEADLINE_NONE, DEADLINE_OK, DEADLINE_OVERDUE, DEADLINE_SOON

MIN_CONTRAST = 4.5

# state -> the theme variable of its colour (None: the text colour), and whether bold
THEME_COLOURS: dict[str, tuple[str | None, bool]] = {
    DEADLINE_OK: ("text-success", False),
    DEADLINE_SOON: ("text-warning", True),
    DEADLINE_OVERDUE: ("text-error", True),
    DEADLINE_DONE: (None, False),  # the text colour, muted
    DEADLINE_NONE: (None, False),
}
DONE_MUTED = 0.35  # how far 销号 moves from the text colour towards the background

NO_COLOUR_STYLES: dict[str, Style] = {
    DEADLINE_OK: Style(),
    DEADLINE_SOON: Style(bold=True),
    DEADLINE_OVERDUE: Style(bold=True, reverse=True),
    DEADLINE_DONE: Style(),
    DEADLINE_NONE: Style(),
}


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(c: int) -> float:
        c8 = c / 255
        return c8 / 12.92 if c8 <= 0.03928 else ((c8 + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(a: Color, b: Color) -> float:
    """WCAG contrast ratio of two opaque colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(color: Color, backgrounds: Iterable[Color], minimum: float = MIN_CONTRAST) -> Color:
    """``color``, moved towards white on dark backgrounds (black on light ones) just as far as
    it takes to reach ``minimum`` contrast on each of ``backgrounds``."""
    grounds = list(backgrounds)
    if not grounds or min(contrast(color, bg) for bg in grounds) >= minimum:
        return color
    dark = sum(luminance(bg) for bg in grounds) / len(grounds) < 0.18
    target = Color(255, 255, 255) if dark else Color(0, 0, 0)
    for step in range(1, 21):
        moved = color.blend(target, step / 20)
        if min(contrast(moved, bg) for bg in grounds) >= minimum:
            return moved
    return target


def state_styles(widget, backgrounds: Iterable[Color]) -> dict[str, Style]:
    """Rich styles of the deadline states for text that ``widget`` draws on ``backgrounds``
    (opaque colours), in the app's current theme.

    Without colour, Textual draws every colour as the grey of its brightness, and a theme's
    own text may then read at less than 4.5:1 (solarized-light: 4.1): the states are drawn
    in black or white, whichever reads on those greys. A theme of ANSI colour names leaves
    the colours to the terminal's palette, which the app cannot know: there the states are
    drawn as without colour, in the terminal's own text colour."""
    grounds = list(backgrounds)
    variables = widget.app.theme_variables
    if _is_ansi(variables):
        return dict(NO_COLOUR_STYLES)
    if widget.app.no_color:
        text = best_text_on(*(bg.monochrome for bg in grounds))
        return {state: style + Style(color=text.rich_color) for state, style in NO_COLOUR_STYLES.items()}
    text = Color.parse(variables.get("foreground", "#e0e0e0"))
    base = grounds[0] if grounds else Color(0, 0, 0)
    out: dict[str, Style] = {}
    for state, (variable, bold) in THEME_COLOURS.items():
        if variable is not None:
            color = base + Color.parse(variables[variable])  # (a colour may be translucent)
        elif state == DEADLINE_DONE:
            color = text.blend(base, DONE_MUTED)
        else:
            color = text
        out[state] = Style(color=readable(color, grounds).rich_color, bold=bold)
    return out


class DrawsStates:
    """Mixed into a widget that draws the states on its own background (the item table, the
    sidebar): ``state_styles()`` for ``state_backgrounds()``, worked out once per theme and
    NO_COLOR setting."""

    _state_styles: dict[str, Style]
    _state_styles_for: tuple = ()

    def state_backgrounds(self) -> list[Color]:
        """The widget's background as drawn: plain, and tinted while it has the focus."""
        parent = self.background_colors[0]
        background = self.styles.background
        foreground = Color.parse(self.app.theme_variables.get("foreground", "#e0e0e0"))
        return [parent + background, parent + background.tint(foreground.with_alpha(0.05))]

    def state_styles(self) -> dict[str, Style]:
        key = (self.app.theme, self.app.no_color)
        if key != self._state_styles_for:
            self._state_styles = state_styles(self, self.state_backgrounds())
            self._state_styles_for = key
        return self._state_styles


def _is_ansi(variables: dict[str, str]) -> bool:
    return variables.get("foreground", "").startswith("ansi_")


def best_text_on(*backgrounds: Color) -> Color:
    """Black or white, whichever reads better on all of ``backgrounds`` (on one colour that is
    at least 4.58:1; Textual's "auto" picks by brightness, which on some blues is the worse)."""
    white, black = Color(255, 255, 255), Color(0, 0, 0)
    return max((white, black), key=lambda c: min(contrast(c, bg) for bg in backgrounds))


def cursor_text_variables(variables: dict[str, str], no_color: bool = False) -> dict[str, str]:
    """CSS variables for the text of a table's or tree's cursor line, focused and not:
    ``zg-cursor-text`` and ``zg-cursor-blurred-text`` (app.tcss uses them). Without colour
    they are chosen for the greys Textual then draws."""
    out = {
        "zg-cursor-text": variables.get("block-cursor-foreground", "auto 100%"),
        "zg-cursor-blurred-text": variables.get("block-cursor-blurred-foreground", "auto 100%"),
    }
    if _is_ansi(variables):
        return out
    try:
        surface = Color.parse(variables.get("background", "#000000")) + Color.parse(variables.get("surface", "transparent"))
        cursor = surface + Color.parse(variables["block-cursor-background"])
        blurred = surface + Color.parse(variables["block-cursor-blurred-background"])
    except Exception:  # a theme of ANSI colour names: the terminal's own colours decide
        return out
    if no_color:
        cursor, blurred = cursor.monochrome, blurred.monochrome
    out["zg-cursor-text"] = best_text_on(cursor).hex
    out["zg-cursor-blurred-text"] = best_text_on(blurred).hex
    return out


def opaque_background(widget) -> Color:
    """What ``widget``'s background looks like, its ancestors' showing through."""
    return widget.background_colors[1]
