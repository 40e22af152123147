"""How wide text is on the page, in points, without a renderer.

A CJK character (and full-width punctuation) is one em; Times New Roman digits are
half an em, other Latin characters about half an em. Word and LibreOffice both add a
little space between CJK and Latin text (see AUTOSPACE_EM). Used to place the signature
and date and to decide where titles and headings break; never to guess a line's exact fill.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len

# Word adds 1/4 em where CJK meets a Latin letter or digit (w:autoSpaceDE/DN, on by default);
# LibreOffice adds 1/5 em (measured: 3.2 pt at 16 pt, 4.4 pt at 22 pt) and ignores the switch
# in .docx files. The larger value keeps fit decisions on the safe side.
AUTOSPACE_EM = 0.25


def char_width(text: str) -> float:
    """Width in body characters: a CJK character 1, an ASCII digit or letter 1/2."""
    return cell_len(text) / 2


# Marks of ambiguous width that every run's w:hint="eastAsia" sets in the CJK font: one em each,
# as in the body text (“”‘’ around a name in a title are two full characters, not two half ones).
EAST_ASIAN_MARKS = frozenset("“”‘’…—·")


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F") or ch in EAST_ASIAN_MARKS


def width_pt(text: str, size_pt: float, *, spacing_pt: float = 0.0, autospace: bool = True,
             latin_em: float = 0.5) -> float:
    """The advance of ``text`` set at ``size_pt`` with ``spacing_pt`` added after every character."""
    total = 0.0
    prev = ""
    for ch in text:
        wide = is_wide(ch)
        total += (size_pt if wide else size_pt * latin_em) + spacing_pt
        if autospace and prev and _boundary(prev, ch):
            total += size_pt * AUTOSPACE_EM
        prev = ch
    return total


def _boundary(a: str, b: str) -> bool:
    """A CJK character next to a Latin letter or digit (where autospace applies)."""
    wa, wb = is_wide(a), is_wide(b)
    if wa == wb:
        return False
    latin = b if wa else a
    cjk = a if wa else b
    return latin.isascii() and latin.isalnum() and unicodedata.category(cjk).startswith("L")
