"""Text that any writer may put into a document: cleaned for XML, split into lines, ended."""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean(value: object) -> str:
    """Text safe for XML: \\r\\n and \\r become one \\n; what XML cannot hold is removed."""
    if value is None:
        return ""
    s = value if isinstance(value, str) else str(value)
    if "\r" in s:
        s = s.replace("\r\n", "\n").replace("\r", "\n")
    return _BAD.sub("", s)


def lines(value: object) -> list[str]:
    """Cleaned text split into its non-empty lines (each becomes a paragraph)."""
    return [ln.strip() for ln in clean(value).split("\n") if ln.strip()]


def one_line(value: object) -> str:
    """Cleaned text on one line: its lines joined by a space."""
    return " ".join(lines(value))


def end_sentence(text: str) -> str:
    """Add 。 unless the text already ends with closing punctuation; a trailing comma or 、
    becomes 。 (never “…，。”)."""
    t = text.rstrip()
    if not t:
        return t
    if t[-1] in "，,、":
        t = t[:-1].rstrip()
        if not t:
            return t
    if t[-1] in "。！？；：…!?;:":
        return t
    if t[-1] in "”’）)】」』》" and len(t) > 1 and t[-2] in "。！？!?":
        return t
    return t + "。"
