"""整改台账 and 整改方案 as Excel workbooks (openpyxl), for offices that keep and pass on their
ledgers in Excel.

One sheet: the title merged across the table, a subtitle, the header row (frozen, repeated on
every printed page, with an AutoFilter), one row per item. The dimension is a column, not a
merged group row as in Word: a spreadsheet is sorted and filtered, and merged rows break both.
Dates are real dates shown as 2026年6月30日; the texts are the Word ledger's (cells.py), so the
two say the same in the same words. Printed: A4 landscape, fitted to the page's width.
Column widths count a CJK character as about two of Excel's width units (one digit). The
import (storage/importing/ledger.py) reads these sheets back.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from storage.database import Database
from storage.dates import cn_date
from storage.models import SUBJECT_GROUP

from .cells import (completion_cell, deadline_cell, dimension_label, measures_cell, problem_title, select_items,
                    table_subtitle)
from .cleaning import cjk_punct, clean, lines, one_line
from .stamp import doc_now
from .textwidth import is_wide
from .titles import TITLES

DATE_FORMAT = 'yyyy"年"m"月"d"日"'
EXCEL_CELL_MAX = 32767  # characters a cell holds in Excel
CUT = "……（以下超出 Excel 单元格的字数上限，未导出）"
FONT_TITLE, FONT_SUB, FONT_HEAD, FONT_BODY = "方正小标宋简体", "楷体_GB2312", "黑体", "宋体"
CJK_UNITS = 2.1  # a 11 pt CJK character in Excel's width units (the default font's digit)
HEADER_ROW = 3  # title, subtitle, header
LINE_PT = 14.4  # one line of 11 pt text
MAX_ROW_PT = 409


@dataclass(frozen=True)
class Col:
    label: str
    value: Callable[[int, dict[str, Any]], Any]
    width: tuple[float, float]  # (narrowest, widest) in width units; text wraps beyond
    align: str = "left"


def _deadline(item: dict[str, Any], words_apart: bool) -> Any:
    """The deadline as a real date; without one, the Word ledger's words (时限说明, else the
    kind: 长期坚持) — unless a 时限说明 column holds them."""
    try:
        return _dt.date.fromisoformat(item.get("deadline") or "")
    except ValueError:
        pass
    if words_apart and clean(item.get("deadline_text")).strip():
        return ""
    return deadline_cell(item)


def _text(values: Sequence[str]) -> str:
    return "\n".join(values)


SEQ = Col("序号", lambda n, i: n, (5, 6), "center")
MATERIAL = Col("材料主体", lambda n, i: one_line(i.get("subject") or SUBJECT_GROUP), (8, 12), "center")
# The long texts wrap at 26 units (12 characters): wider, the sheet printed on one page's width
# shrank to 71 % in Excel (up to 13 columns, three of 34 units), its 11 pt text to under 8 pt.
WIDE = (18, 26)
COMMON = (
    Col("问题概述", lambda n, i: problem_title(i), (12, 16)),
    Col("问题表现", lambda n, i: _text(lines(i.get("manifestation"))), WIDE),
    Col("整改措施", lambda n, i: _text(measures_cell(i)), WIDE),
    Col("责任领导", lambda n, i: one_line(i.get("leader")), (9, 12), "center"),
    Col("责任部门", lambda n, i: one_line(i.get("owner_dept")), (9, 14), "center"),
)
NOTE = Col("时限说明", lambda n, i: one_line(i.get("deadline_text")), (10, 14))


def columns(kind: str, campaign: dict[str, Any], items: list[dict[str, Any]], all_subjects: bool) -> list[Col]:
    dim = Col("整改维度", lambda n, i: dimension_label(campaign, i, short=True), (9, 14), "center")
    out = [SEQ, dim] + ([MATERIAL] if all_subjects else []) + list(COMMON)
    apart = any(clean(i.get("deadline_text")).strip() for i in items)
    out.append(Col("整改时限" if kind == "ledger" else "完成时限", lambda n, i: _deadline(i, apart), (13, 16), "center"))
    if apart:
        out.append(NOTE)
    if kind == "ledger":
        out.append(Col("状态", lambda n, i: clean(i.get("status")).strip(), (7, 8), "center"))
        out.append(Col("完成情况", lambda n, i: _text(completion_cell(i)), WIDE))
    return out


class SheetDocument:
    """A built workbook; ``save`` takes a path or a binary file."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb

    def save(self, target) -> None:
        self.wb.save(target)


def build(
    kind: str,
    db: Database,
    campaign: dict[str, Any],
    subject: str | None = SUBJECT_GROUP,
    *,
    dimensions: Sequence[str] = (),
    statuses: Sequence[str] = (),
    title: str | None = None,
) -> SheetDocument:
    """``kind``: ledger (整改台账) or plan (整改方案)."""
    title = one_line(title) or TITLES[kind](campaign, subject)
    items = select_items(db, campaign, subject, dimensions, statuses)
    cols = columns(kind, campaign, items, subject is None)
    wb = Workbook()
    ws = wb.active
    ws.title = "整改台账" if kind == "ledger" else "整改方案"
    write_sheet(ws, title, table_subtitle(kind, campaign, dimensions, statuses), cols, items)
    props = wb.properties
    props.title, props.creator = title[:250], one_line(campaign.get("organ"))[:100]
    props.lastModifiedBy = props.creator
    props.created = props.modified = doc_now().replace(tzinfo=None)
    return SheetDocument(wb)


def write_sheet(ws, title: str, subtitle: str, cols: list[Col], items: list[dict[str, Any]]) -> None:
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = {a: Alignment(horizontal=a, vertical="center", wrap_text=True) for a in ("left", "center")}
    body, head = Font(name=FONT_BODY, size=11), Font(name=FONT_HEAD, size=11)
    last = get_column_letter(len(cols))

    for row, text, font, height in ((1, title, Font(name=FONT_TITLE, size=18), 36),
                                    (2, subtitle, Font(name=FONT_SUB, size=12), 21)):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = ws.cell(row=row, column=1)
        _put(cell, text)
        cell.font, cell.alignment = font, Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[row].height = height

    # Values first, to size the columns; then the rows' heights from the wrapped lines, since
    # neither Excel nor LibreOffice sizes a row of wrapped text when it opens the file.
    table = [[col.label for col in cols]] + [[col.value(n, item) for col in cols] for n, item in enumerate(items, 1)]
    shown = [[cn_date(v) if isinstance(v, _dt.date) else _fit(v) for v in row] for row in table]
    widths = []
    for k, col in enumerate(cols):
        lo, hi = col.width
        widest = max(_units(x) for row in shown for x in row[k].split("\n"))
        widths.append(round(min(hi, max(lo, widest + 2)), 1))
        ws.column_dimensions[get_column_letter(k + 1)].width = widths[-1]
    for r, (values, texts) in enumerate(zip(table, shown), HEADER_ROW):
        for k, (value, col) in enumerate(zip(values, cols), 1):
            cell = ws.cell(row=r, column=k)
            if isinstance(value, _dt.date):
                cell.value = value
                cell.number_format = DATE_FORMAT
            else:
                _put(cell, value)
            cell.font, cell.alignment, cell.border = (head if r == HEADER_ROW else body), wrap[
                "center" if r == HEADER_ROW else col.align], border
        ws.row_dimensions[r].height = row_height(texts, widths)

    end = HEADER_ROW + max(len(items), 1)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last}{end}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last}{end}"
    setup = ws.page_setup
    setup.orientation = "landscape"
    setup.paperSize = ws.PAPERSIZE_A4
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _fit(value: Any) -> str:
    """The text of a cell: cleaned, and cut to what an Excel cell holds."""
    text = str(value) if isinstance(value, int) else cjk_punct(clean(value))
    if len(text) > EXCEL_CELL_MAX:
        text = text[: EXCEL_CELL_MAX - len(CUT)] + CUT
    return text


def _put(cell, value: Any) -> None:
    """A number as a number; anything else as text that stays text (“=…” is no formula)."""
    if isinstance(value, int):
        cell.value = value
        return
    cell.value = _fit(value)
    cell.data_type = "s"


def row_height(texts: Sequence[str], widths: Sequence[float]) -> float:
    """Points for the tallest cell of a row: its lines as wrapped in its column's width, at 11 pt
    with the fonts' line gap, capped at Excel's 409 pt."""
    tallest = 1
    for text, width in zip(texts, widths):
        room = max(width - 1.0, 2.0)
        tallest = max(tallest, sum(max(1, math.ceil(_units(x) / room)) for x in text.split("\n")))
    return min(MAX_ROW_PT, round(tallest * LINE_PT + 6, 1))


def _units(text: str) -> float:
    return sum(CJK_UNITS if is_wide(ch) else 1.1 for ch in text)
