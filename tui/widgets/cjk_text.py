"""Text that wraps Chinese as a reader expects: no closing mark at the start of a line.

Rich folds a run of Chinese wherever the cells run out, so a detail pane reads
"……“第一议题 / ”制度，每月……" with the closing quote starting the line. CJKText
breaks as Word does (禁则): a line never starts with ，。、；：！？）》”… and never
ends with （《“; the character before is carried down instead (at most two), so no
line grows wider than the pane. Latin words still break at spaces.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.console import Console, JustifyMethod, OverflowMethod
from rich.containers import Lines
from rich.text import Text

from writers.linebreak import NO_LINE_END, NO_LINE_START

CARRY = 2  # characters carried down at most to keep a mark off a line's start


def break_offsets(text: str, width: int) -> list[int]:
    """Where the lines of ``text`` (one paragraph) start, after the first."""
    offsets: list[int] = []
    start, cells, room = 0, 0, max(1, width)
    last_space = -1
    for i, ch in enumerate(text):
        w = get_character_cell_size(ch)
        if cells + w <= room or i == start:
            cells += w
            if ch == " ":
                last_space = i
            continue
        if ch == " ":
            cut = i + 1  # the space ends this line, where rstrip_end drops it
        elif w == 1 and get_character_cell_size(text[i - 1]) == 1 and last_space > start:
            cut = last_space + 1  # inside a Latin word: break after its space
        else:
            cut = i
        for _ in range(CARRY):
            if start < cut - 1 and cut < len(text) and (text[cut] in NO_LINE_START or text[cut - 1] in NO_LINE_END):
                cut -= 1
        offsets.append(cut)
        start, last_space = cut, -1
        cells = sum(get_character_cell_size(c) for c in text[cut:i + 1])
    return offsets


class CJKText(Text):
    """A rich Text whose wrapping keeps to the line-breaking rules of Chinese."""

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        wrap_justify = justify or self.justify or "default"
        wrap_overflow = overflow or self.overflow or "fold"
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            new_lines = line.divide(break_offsets(line.plain, width))
            for part in new_lines:
                part.rstrip_end(width)
            if wrap_justify:
                new_lines.justify(console, width, justify=wrap_justify, overflow=wrap_overflow)
            for part in new_lines:
                part.truncate(width, overflow=wrap_overflow)
            lines.extend(new_lines)
        return lines
