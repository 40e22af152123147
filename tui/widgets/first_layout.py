"""What the first layout of a screen will give a widget, known while the screen mounts.

Textual lays a screen out only after it has mounted; a widget whose content depends on
its size (columns fitted to the width, scrollbars) learns it from the first Resize, after
the first frame has been painted, and each change then costs another layout and frame.
Filling such a widget with the sizes the layout will give it makes the first frame final.
A wrong guess costs only that extra frame: the Resize handlers still correct it.
"""

from __future__ import annotations

from typing import Any


def expected_width(widget: Any) -> int | None:
    """The outer width the layout will give ``widget``, worked out from the resolved styles of
    it and its ancestors (so before the first layout), or None where that needs a real layout
    (auto or percentage widths, several flexible siblings).

    The table is filled when the screen mounts, before it has a size: with the width known
    the first frame already has the final column widths, and no second frame re-fits them.
    """
    chain = list(widget.ancestors_with_self)
    screen = widget.screen
    if screen not in chain:
        return None
    width = widget.app.size.width
    for node in reversed(chain[: chain.index(screen)]):
        parent = node.parent
        parent_width = width - parent.styles.gutter.width
        rule = node.styles.width
        if rule is not None and rule.is_cells:
            width = int(rule.value)
        elif rule is None or rule.is_fraction:
            if parent.styles.layout is not None and parent.styles.layout.name == "horizontal":
                taken = 0
                for sibling in parent.children:
                    if sibling is node or not sibling.display or sibling.styles.dock != "none":
                        continue
                    other = sibling.styles.width
                    if other is None or not other.is_cells:
                        return None  # another flexible or auto-sized pane: needs a real layout
                    taken += int(other.value) + sibling.styles.margin.width
                parent_width -= taken
            width = parent_width
        else:
            return None
        width -= node.styles.margin.width
    return max(0, width)


def likely_scrolls(widget: Any, lines: int) -> bool:
    """Whether ``lines`` lines will overflow ``widget``: surely when there are more than the
    terminal has (a shorter content is assumed to fit)."""
    return lines > widget.app.size.height and widget.styles.overflow_y == "auto"


def expect_scrollbars(widget: Any, *, vertical: bool = False, horizontal: bool = False) -> None:
    """Before the first layout, show the scrollbars ``widget`` will need, so that they are
    mounted and placed by the first layout rather than by two more (Textual creates them
    when the first layout finds the content too big)."""
    if widget.size.width or not widget.is_mounted:
        return  # laid out already: Textual decides from the real sizes
    styles = widget.styles
    vertical = styles.overflow_y == "scroll" or (vertical and styles.overflow_y == "auto")
    horizontal = styles.overflow_x == "scroll" or (horizontal and styles.overflow_x == "auto")
    if vertical:
        widget.show_vertical_scrollbar = True
        widget.vertical_scrollbar.display = True
    if horizontal:
        widget.show_horizontal_scrollbar = True
        widget.horizontal_scrollbar.display = True
    if vertical and horizontal:
        _ = widget.scrollbar_corner
