"""Bordered, fixed-layout tables whose rows never break across pages.

Every row is ``w:cantSplit`` (a row that would not fit moves whole to the next page), the
header row repeats on every page (``w:tblHeader``), widths are set on the grid and on every
cell, and a group row spans the whole table and keeps with the row below it. A row taller than
a page could never move whole; it alone is allowed to break, or Word and LibreOffice would cut
it off.
"""

from __future__ import annotations

import copy
import math
from typing import TYPE_CHECKING, Sequence

from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

from .cleaning import lines
from .gwstyles import MARGINS_LANDSCAPE, MARGINS_PORTRAIT, SZ_TABLE, W
from .textwidth import width_pt

if TYPE_CHECKING:
    from .gongwen import GongwenDocument

CELL_MARGIN_TWIPS = 57  # left and right
CELL_PAD_TWIPS = 28  # top and bottom
TABLE_PT = SZ_TABLE / 2
TABLE_LINE_PT = TABLE_PT * 1.45  # single spacing in the fonts at hand, on the generous side


class TableWriter:
    def __init__(self, gw: "GongwenDocument", columns: Sequence[tuple[str, float, str]], *, header: bool = True) -> None:
        self.gw = gw
        self.columns = list(columns)
        n = len(self.columns)
        table = gw.doc.add_table(rows=1 if header else 0, cols=n)
        self.table = table
        tbl = table._tbl
        # python-docx appended it before sectPr already (body.add_tbl keeps sectPr last).
        widths = [Mm(w) for _, w, _ in self.columns]
        self._widths = widths
        for col, w in zip(table.columns, widths):
            col.width = w
        total = sum(int(w.twips) for w in widths)
        tblpr = tbl.tblPr
        for child in list(tblpr):
            if child.tag != qn("w:tblStyle"):
                tblpr.remove(child)
        tblpr.append(parse_xml(f'<w:tblW {W} w:w="{total}" w:type="dxa"/>'))
        tblpr.append(parse_xml(f'<w:jc {W} w:val="center"/>'))
        borders = "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        tblpr.append(parse_xml(f"<w:tblBorders {W}>{borders}</w:tblBorders>"))
        tblpr.append(parse_xml(f'<w:tblLayout {W} w:type="fixed"/>'))
        tblpr.append(
            parse_xml(
                f'<w:tblCellMar {W}><w:top w:w="{CELL_PAD_TWIPS}" w:type="dxa"/><w:left w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/>'
                f'<w:bottom w:w="{CELL_PAD_TWIPS}" w:type="dxa"/><w:right w:w="{CELL_MARGIN_TWIPS}" w:type="dxa"/></w:tblCellMar>'
            )
        )
        tblpr.append(parse_xml(f'<w:tblLook {W} w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'))
        self._ppr = {
            "left": gw._ppr("GwTable"),
            "center": gw._ppr("GwTableCenter"),
            "head": gw._ppr("GwTableHead"),
            "group": gw._ppr("GwTableGroup"),
        }
        self._valign = parse_xml(f'<w:vAlign {W} w:val="center"/>')
        self._cant_split = parse_xml(f"<w:trPr {W}><w:cantSplit/></w:trPr>")
        top, bottom, *_ = MARGINS_LANDSCAPE if gw.landscape else MARGINS_PORTRAIT
        page_h = Mm(210 if gw.landscape else 297).pt - Mm(top).pt - Mm(bottom).pt
        self._header_pt = 0.0
        if header:
            row = table.rows[0]
            tr = row._tr
            tr.insert(0, parse_xml(f"<w:trPr {W}><w:cantSplit/><w:tblHeader/></w:trPr>"))
            for cell, (label, _, _), w in zip(row.cells, self.columns, widths):
                cell.width = w
                self._fill(cell._tc, [label], "head", center_v=True)
            self._header_pt = self._height([[label] for label, _, _ in self.columns])
        # A row taller than this could never move whole to a new page (the repeated header
        # row is above it there).
        self.max_row_pt = page_h - self._header_pt - 2 * TABLE_LINE_PT
        self.rows = 0

    def add_row(self, values: Sequence[str | Sequence[str | tuple[str, bool]]]) -> None:
        """One row; a value that is a list gives one paragraph per element (an element
        (text, True) is bold), and a string one paragraph per line."""
        texts = [value if isinstance(value, (list, tuple)) else lines(value) for value in values]
        tr = self.table.add_row()._tr
        if self._height(texts) <= self.max_row_pt:
            tr.insert(0, copy.deepcopy(self._cant_split))
        for tc, cell_texts, (_, _, align) in zip(tr.iterchildren(qn("w:tc")), texts, self.columns):
            self._fill(tc, cell_texts, align, center_v=(align == "center"))
        self.rows += 1

    def group_row(self, text: str) -> None:
        """A row spanning every column (e.g. a dimension's title above its items); it keeps
        with the next row, so it never ends a page."""
        tr = self.table.add_row()._tr
        tr.insert(0, copy.deepcopy(self._cant_split))
        tcs = list(tr.iterchildren(qn("w:tc")))
        for tc in tcs[1:]:
            tr.remove(tc)
        tc = tcs[0]
        tcpr = tc.tcPr
        tcpr.find(qn("w:tcW")).set(qn("w:w"), str(sum(int(w.twips) for w in self._widths)))
        tcpr.append(parse_xml(f'<w:gridSpan {W} w:val="{len(self.columns)}"/>'))
        self._fill(tc, lines(text), "group")

    def _height(self, texts: Sequence[Sequence[str]]) -> float:
        """Estimated height in points of a row with these cell texts."""
        tallest = 0
        for cell_texts, w in zip(texts, self._widths):
            cap = w.pt - 2 * CELL_MARGIN_TWIPS / 20
            n = sum(max(1, math.ceil(width_pt(_text(t), TABLE_PT, latin_em=0.55) / cap)) for t in cell_texts or [""])
            tallest = max(tallest, n)
        return tallest * TABLE_LINE_PT + 2 * CELL_PAD_TWIPS / 20

    def _fill(self, tc, texts: Sequence[str], kind: str, *, center_v: bool = False) -> None:
        ppr = self._ppr[kind]
        if center_v:
            tc.tcPr.append(copy.deepcopy(self._valign))
        p = tc.find(qn("w:p"))
        first = True
        for text in texts or [""]:
            if not first:
                new = p.makeelement(qn("w:p"), {})
                tc.append(new)
                p = new
            first = False
            p.append(copy.deepcopy(ppr))
            self.gw._append_run(p, _text(text), isinstance(text, tuple) and text[1])


def _text(t: str | tuple[str, bool]) -> str:
    return t[0] if isinstance(t, tuple) else t
