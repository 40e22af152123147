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
    """Add 。 unless the text already ends a sentence (。！？… or such a mark inside a closing
    quote); a trailing comma, 、, semicolon or colon becomes 。: a text ended so is followed by
    another sentence (never “…，。” nor “……；二是”); a half-width mark counts as its full-width form."""
    t = cjk_punct(text.rstrip())
    if not t:
        return t
    if t[-1] in "，,、；;：:":
        t = t[:-1].rstrip()
        if not t:
            return t
    if t[-1] in "。！？…!?":
        return t
    if t[-1] in "”’）)】」』》" and len(t) > 1 and t[-2] in "。！？!?":
        return t
    return t + "。"


# Half-width marks a Chinese text should not hold, and their full-width forms.
_FULL_MARKS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", ".": "。"}
_PAREN = re.compile(r"\(([^()\n]*)\)")
_QUOTE = re.compile(r'"([^"\n]*)"')
_MARKS = re.compile(r"[,;:?!.]")


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"
                         or ch in "“”‘’、。，；：？！（）《》〔〕【】—…")


def cjk_punct(text: str) -> str:
    """Half-width punctuation among Chinese text made full-width, as a 公文 writes it: , ; : ? !
    next to a Chinese character, . after one (not in “1.” or “3.5”), ( ) and " " in pairs whose
    content or neighbours are Chinese. Latin text and numbers keep theirs (“3:00”, “1,000”,
    “Office 2016, Word”)."""
    if not text or text.isascii():
        return text

    def paren(m: re.Match) -> str:
        s, e = m.start(), m.end()
        near = _cjk(text[s - 1] if s else "") or _cjk(text[e] if e < len(text) else "")
        return f"（{m.group(1)}）" if near or any(_cjk(c) for c in m.group(1)) else m.group(0)

    def quote(m: re.Match) -> str:
        s, e = m.start(), m.end()
        near = _cjk(text[s - 1] if s else "") or _cjk(text[e] if e < len(text) else "")
        return f"“{m.group(1)}”" if near or any(_cjk(c) for c in m.group(1)) else m.group(0)

    if "(" in text:
        text = _PAREN.sub(paren, text)
    if '"' in text:
        text = _QUOTE.sub(quote, text)
    out = list(text)
    for m in _MARKS.finditer(text):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == ".":
            ok = _cjk(before) and (not after or _cjk(after) or after.isspace())
        else:
            ok = _cjk(before) or (_cjk(after) and not (before.isdigit() or before.isascii() and before.isalpha()))
        if ok:
            out[i] = _FULL_MARKS[ch]
    return "".join(out)
