"""Single-line fields that keep every line of a paste.

Textual's Input keeps only the first line of a multi-line paste and drops the rest without a
word: a 问题概述 copied from a Word paragraph that wrapped, or from a PDF, lost its second half.
:class:`LineInput` joins the lines instead (Chinese lines end to end, other text with a space
between) and says so in a toast, so nothing pasted is lost unseen.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


def join_lines(text: str) -> tuple[str, int]:
    """(the pasted ``text`` on one line, how many non-empty lines it had)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = ""
    for line in lines:
        if out and out[-1].isascii() and out[-1].isalnum() and line[0].isascii() and line[0].isalnum():
            out += " "  # between two latin words or numbers; Chinese runs on without a space
        out += line
    return out, len(lines)


class LineInput(Input):
    """An Input whose multi-line paste is joined into one line, with a notice."""

    def on_paste(self, event: events.Paste) -> None:
        if "\n" not in event.text and "\r" not in event.text:
            return  # one line: Input's own handling
        event.prevent_default()  # not Input's (it keeps the first line only)
        event.stop()
        text, n = join_lines(event.text)
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
        if n > 1:
            self.notify(f"粘贴的 {n} 行已合并为一行（单行栏目）。需要分段的内容请放在多行栏目中。", title="已合并粘贴的内容", timeout=6)
