"""Fitting text to terminal cells: a Chinese character is two cells wide."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len


def fit(text: Any, width: int) -> str:
    """Cut ``text`` to ``width`` terminal cells, white space folded, with an ellipsis."""
    text = " ".join(str(text or "").split())
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
