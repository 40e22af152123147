"""Width of text in body characters (a CJK character is 1, an ASCII digit or letter 1/2)."""

from __future__ import annotations

from rich.cells import cell_len


def char_width(text: str) -> float:
    return cell_len(text) / 2
