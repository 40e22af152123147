"""The detail pane wraps Chinese by its line-breaking rules (禁则): at 60x18 the measure
“落实党组会议“第一议题”制度，……” was drawn with ”制度 starting a line."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.text import Text

from tui.widgets.cjk_text import CJKText, break_offsets
from tui.widgets.item_detail import render_item
from writers.linebreak import NO_LINE_END, NO_LINE_START

MEASURE = "1.落实党组会议“第一议题”制度，每月开展一次专题研讨，围绕年度协商计划确定两个理论联系实际的调研课题。"
MIXED = MEASURE + "在 Office 2016 and LibreOffice Writer 中（含WPS）均可打开。"


def _lines(renderable, width: int) -> list[str]:
    console = Console(width=width, color_system=None, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return [ln.rstrip() for ln in console.export_text().splitlines()]


@pytest.mark.parametrize("width", range(8, 61))
def test_no_line_starts_with_a_closing_mark_nor_ends_with_an_opening_one(width):
    for text in (MEASURE, MIXED):
        lines = CJKText(text).wrap(Console(width=width, file=open("/dev/null", "w")), width)
        plain = [ln.plain for ln in lines]
        assert all(ln.cell_len <= width for ln in lines)
        assert "".join(plain).replace(" ", "") == text.replace(" ", "")  # nothing lost or doubled
        assert not any(p.lstrip()[:1] in NO_LINE_START for p in plain[1:]), plain
        assert not any(p.rstrip()[-1:] in NO_LINE_END for p in plain[:-1]), plain


def test_rich_alone_would_start_a_line_with_the_closing_quote():
    """What the pane did before: the case this module exists for."""
    width = 23  # 2 + 6×2 + 1 + 4×2 cells: the value column of the detail pane at 60x18
    rich_lines = [ln.plain for ln in Text(MEASURE).wrap(Console(width=80), width)]
    assert any(ln.startswith("”") for ln in rich_lines)
    ours = [ln.plain for ln in CJKText(MEASURE).wrap(Console(width=80), width)]
    assert not any(ln.startswith("”") for ln in ours)


def test_latin_words_still_break_at_spaces():
    lines = [ln.plain.strip() for ln in CJKText("LibreOffice Writer and Microsoft Word").wrap(Console(width=80), 12)]
    assert lines == ["LibreOffice", "Writer and", "Microsoft", "Word"]
    assert break_offsets("", 10) == [] and break_offsets("短", 1) == []


def test_the_detail_pane_keeps_the_rules():
    item = {"title": "理论学习深度不足", "status": "整改中", "measures": [MEASURE[2:], "围绕年度协商计划确定课题"],
            "progress": [{"date": "2026-10-11", "text": "已制定整改方案，明确责任分工。", "by": "demo"}]}
    for width in range(30, 60):
        body = [ln[9:] for ln in _lines(render_item(item), width) if ln.startswith(" " * 9) and ln.strip()]
        assert not any(ln.lstrip()[:1] in NO_LINE_START for ln in body), (width, body)
