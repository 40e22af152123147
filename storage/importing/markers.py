"""Problem and point numbering inside a section: 一是/二是…, 1./2./3. paragraphs, （1）（2）.

A section's body (its paragraphs, after the heading) is cut into numbered
pieces. A marker counts only in sequence (一是 then 二是 …), at the start of a
paragraph or, run into a paragraph, right after a sentence ends, so that
“…团结统一是…” is never taken for 一是.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import CN_NUM_RE, cn_to_int

YISHI, DIGITS, PAREN = "yishi", "digits", "paren"

_START = {
    YISHI: re.compile(rf"^({CN_NUM_RE})是[，,：:、]?\s*"),
    DIGITS: re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*"),
    PAREN: re.compile(r"^[（(](\d{1,2})[）)]\s*"),
}
_INLINE = {
    YISHI: re.compile(rf"(?<=[。；;：:！？])\s*({CN_NUM_RE})是[，,：:、]?\s*"),
    DIGITS: re.compile(r"(?<=[。；;])\s*(\d{1,2})\s*[.．、](?!\d)\s*"),
    PAREN: re.compile(r"(?<=[。；;：:])\s*[（(](\d{1,2})[）)]\s*"),
}


def _num(style: str, token: str) -> int | None:
    return cn_to_int(token) if style == YISHI else int(token)


@dataclass
class Piece:
    number: int
    style: str
    text: str
    para: int  # paragraph number (1-based, in the file) where it starts


def start_marker(text: str) -> tuple[str, int, int] | None:
    """(style, number, length of the marker) when ``text`` opens with a numbering marker."""
    for style, rx in _START.items():
        m = rx.match(text)
        if m:
            n = _num(style, m.group(1))
            if n:
                return style, n, m.end()
    return None


def split_pieces(paras: list[tuple[int, str]]) -> tuple[list[Piece], list[tuple[int, str]], list[str]]:
    """Cut ``paras`` ((paragraph number, text) ...) into numbered pieces.

    Returns the pieces, the text that came before the first piece (an
    introduction such as “主要表现在：”), and warnings (numbering out of order).
    Unnumbered paragraphs after a piece continue it (joined with a newline).
    """
    pieces: list[Piece] = []
    intro: list[tuple[int, str]] = []
    warnings: list[str] = []
    style: str | None = None
    for no, text in paras:
        found = start_marker(text)
        if found and (style is None or found[0] == style or not pieces):
            st, n, end = found
            expected = (pieces[-1].number + 1) if pieces and pieces[-1].style == st else 1
            if n != expected:
                warnings.append(f"第 {no} 段：编号“{text[:end].strip()}”不连续（应为第 {expected} 项），已按新的一项导入")
            style = st
            body = text[end:]
            pieces.append(Piece(n, st, "", no))
        else:
            body = text
            if not pieces:
                # a run-in list may start inside the paragraph: “主要表现在：一是……”
                for st, rx in _INLINE.items():
                    m = rx.search(body)
                    if m and _num(st, m.group(1)) == 1 and (style is None or style == st):
                        intro.append((no, body[: m.start()].strip()))
                        style = st
                        pieces.append(Piece(1, st, "", no))
                        body = body[m.end():]
                        break
                else:
                    intro.append((no, body))
                    continue
            elif pieces[-1].text:
                pieces[-1].text += "\n"
        _inline_split(pieces, body, no)
    return pieces, [(n, t) for n, t in intro if t], warnings


def _inline_split(pieces: list[Piece], body: str, no: int) -> None:
    """Append ``body`` to the last piece, cutting it where the next numbers of the same
    style run in (…。二是…。三是…)."""
    cur = pieces[-1]
    rx = _INLINE[cur.style]
    pos = 0
    for m in rx.finditer(body):
        if _num(cur.style, m.group(1)) != cur.number + 1:
            continue
        cur.text += body[pos : m.start()]
        cur = Piece(cur.number + 1, cur.style, "", no)
        pieces.append(cur)
        pos = m.end()
    cur.text += body[pos:]
