"""Reading an import source: .docx (python-docx), .xlsx (openpyxl), .xls (xlrd), .txt, .csv.

The file's first bytes decide what it is (a name can lie): a ZIP is a .docx
or an .xlsx, an OLE container is an old .doc/.xls or a password-protected
Office file, anything else is text. Word and Excel libraries are imported
only here, when an import runs. Every failure is a ZhenggaiError with a
Chinese message; nothing here writes.
"""

from __future__ import annotations

import os
import zipfile
from typing import Any

from storage.dates import today
from storage.errors import ZhenggaiError
from storage.importing import ImportDoc, Sheet, from_paragraphs, recognise_sheets, require_recognised
from storage.importing.ledger import find_header
from storage.importing.sources import check_file, read_csv, read_text

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
MAX_ROWS, MAX_COLS = 5000, 60
TEXT_EXT = (".txt", ".text", ".md")


def _source(path: str) -> tuple[str, bytes, str, str]:
    """(path, its first bytes, its name, its suffix in lower case) of a file to read, checked."""
    path = os.path.expanduser(path)
    check_file(path)
    with open(path, "rb") as fh:
        head = fh.read(8)
    return path, head, os.path.basename(path), os.path.splitext(path)[1].lower()


def _zip_names(path: str, name: str) -> set[str]:
    """The names of the parts of an Office file (a ZIP)."""
    try:
        with zipfile.ZipFile(path) as z:
            return set(z.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ZhenggaiError(f"文件已损坏，无法读取：{name}（不是完整的 Office 文件）。") from None


def read_source(path: str) -> ImportDoc:
    """What the file holds, recognised; raises when nothing is recognisable."""
    path, head, name, ext = _source(path)
    if head.startswith(b"PK"):
        doc = _zip(path, ext, name)
    elif head == OLE:
        doc = _ole(path, ext, name)
    elif ext == ".csv":
        sheet, enc = read_csv(path)
        doc = recognise_sheets([sheet], today().isoformat())
        doc.notes.insert(0, f"编码：{enc}")
    elif ext in (".docx", ".xlsx", ".xlsm", ".doc", ".xls"):
        raise ZhenggaiError(f"文件已损坏或不是 {ext[1:]} 格式：{name}。请在 Word/WPS 或 Excel 中打开确认后另存再导入。")
    elif ext in TEXT_EXT or not ext:
        paras, enc = read_text(path)
        doc = from_paragraphs(paras)
        doc.notes.insert(0, f"编码：{enc}")
    else:
        raise ZhenggaiError(f"不支持的文件类型：{name}。可以导入 .docx、.txt（对照检查材料）或 .xlsx、.xls、.csv（整改台账）。")
    require_recognised(doc, path)
    return doc


def _zip(path: str, ext: str, name: str) -> ImportDoc:
    names = _zip_names(path, name)
    if "word/document.xml" in names:
        return _docx(path, name)
    if "xl/workbook.xml" in names:
        return _xlsx(path, name)
    raise ZhenggaiError(f"无法识别的文件：{name}（既不是 Word .docx，也不是 Excel .xlsx）。")


def _ole(path: str, ext: str, name: str) -> ImportDoc:
    with open(path, "rb") as fh:
        data = fh.read()
    if ENCRYPTED in data:
        raise ZhenggaiError(f"文件设置了打开密码，无法读取：{name}。请在 Word/WPS 或 Excel 中取消密码（文件→信息→保护）后另存再导入。")
    if ext == ".xls" or b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data:
        return _xls(path, name)
    raise ZhenggaiError(f"这是旧版 Word 97-2003 文件（.doc）：{name}。请在 Word/WPS 中另存为 .docx 后再导入。")


# ------------------------------------------------------------------ Word


def _docx(path: str, name: str) -> ImportDoc:
    try:
        import docx

        d = docx.Document(path)
        paras = [p.text for p in d.paragraphs]
        tables = [[[c.text for c in row.cells] for row in t.rows] for t in d.tables]
    except ZhenggaiError:
        raise
    except Exception:  # python-docx raises many kinds on a damaged part
        raise ZhenggaiError(f"Word 文件已损坏，无法读取：{name}。") from None
    if not any(p.strip() for p in paras) and not tables:
        raise ZhenggaiError(f"Word 文件中没有文字：{name}。")
    doc = from_paragraphs(paras)
    if not doc.entries and tables:
        sheets = [Sheet(f"表格{n}", rows, f"表格 {n} ") for n, rows in enumerate(tables, 1)]
        if any(find_header(s.rows) for s in sheets):
            ledger = recognise_sheets(sheets, today().isoformat())
            ledger.title = ledger.title or next((p.strip() for p in paras if p.strip()), "").replace("\n", "")
            return ledger
    return doc


# ------------------------------------------------------------------ Excel


def read_sheets(path: str) -> tuple[list[Sheet], list[str]] | None:
    """The rows of every sheet of an .xlsx or .xls file (a merged cell's value in each cell it
    covers) and notes on what was left out, for imports of other tables (征求意见); None when the
    file is not a workbook (a CSV or text file: the caller reads it). Raises a ZhenggaiError for
    a damaged, password-protected or Word file."""
    path, head, name, ext = _source(path)
    if head.startswith(b"PK"):
        if "xl/workbook.xml" not in _zip_names(path, name):
            raise ZhenggaiError(f"这不是 Excel 工作簿：{name}。请把表格另存为 .xlsx 或 .csv 后再导入。")
        return _xlsx_sheets(path, name)
    if head == OLE:
        with open(path, "rb") as fh:
            data = fh.read()
        if ENCRYPTED in data:
            raise ZhenggaiError(f"文件设置了打开密码，无法读取：{name}。请在 Excel/WPS 中取消密码（文件→信息→保护）后另存再导入。")
        if ext == ".xls" or b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data:
            return _xls_sheets(path, name), []
        raise ZhenggaiError(f"这不是 Excel 工作簿：{name}。请把表格另存为 .xlsx 或 .csv 后再导入。")
    if ext in (".xlsx", ".xlsm", ".xls", ".docx", ".doc"):
        raise ZhenggaiError(f"文件已损坏或不是 {ext[1:]} 格式：{name}。请在 Excel/WPS 中打开确认后另存为 .xlsx 或 .csv 再导入。")
    return None


def _xlsx(path: str, name: str) -> ImportDoc:
    sheets, notes = _xlsx_sheets(path, name)
    doc = recognise_sheets(sheets, today().isoformat())
    doc.notes += notes
    return doc


def _xlsx_sheets(path: str, name: str) -> tuple[list[Sheet], list[str]]:
    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception:
        raise ZhenggaiError(f"Excel 文件已损坏，无法读取：{name}。请在 Excel/WPS 中打开确认后另存为 .xlsx 再导入。") from None
    sheets = []
    notes = []
    try:
        for ws in wb.worksheets:
            rows_n, cols_n = min(ws.max_row, MAX_ROWS), min(ws.max_column, MAX_COLS)
            if ws.max_row > MAX_ROWS:
                notes.append(f"工作表“{ws.title}”超过 {MAX_ROWS} 行，只读取了前 {MAX_ROWS} 行")
            rows = [list(r) for r in ws.iter_rows(min_row=1, max_row=rows_n, max_col=cols_n, values_only=True)]
            for rng in ws.merged_cells.ranges:
                _fill(rows, rng.min_row - 1, rng.min_col - 1, rng.max_row - 1, rng.max_col - 1)
            sheets.append(Sheet(ws.title, rows, f"工作表“{ws.title}”"))
    finally:
        wb.close()
    return sheets, notes


def _fill(rows: list[list[Any]], r0: int, c0: int, r1: int, c1: int) -> None:
    """A merged range: its top-left value in every cell it covers."""
    if r0 >= len(rows):
        return
    value = rows[r0][c0] if c0 < len(rows[r0]) else None
    for r in range(r0, min(r1, len(rows) - 1) + 1):
        row = rows[r]
        for c in range(c0, min(c1, len(row) - 1) + 1):
            row[c] = value


def _xls(path: str, name: str) -> ImportDoc:
    return recognise_sheets(_xls_sheets(path, name), today().isoformat())


def _xls_sheets(path: str, name: str) -> list[Sheet]:
    try:
        import xlrd
    except ImportError:
        raise ZhenggaiError(f"这是旧版 Excel 97-2003 文件（.xls）：{name}。请在 Excel/WPS 中另存为 .xlsx 后再导入。") from None
    try:
        book = xlrd.open_workbook(path, formatting_info=True)
    except Exception as e:
        if "encrypt" in str(e).lower():
            raise ZhenggaiError(f"文件设置了打开密码，无法读取：{name}。请取消密码后另存再导入。") from None
        raise ZhenggaiError(f"Excel 文件已损坏，无法读取：{name}。请在 Excel/WPS 中另存为 .xlsx 再导入。") from None
    sheets = []
    for sh in book.sheets():
        rows = []
        for r in range(min(sh.nrows, MAX_ROWS)):
            row = []
            for c in range(min(sh.ncols, MAX_COLS)):
                cell = sh.cell(r, c)
                v: Any = cell.value
                if cell.ctype == xlrd.XL_CELL_DATE:
                    v = xlrd.xldate.xldate_as_datetime(v, book.datemode)
                elif cell.ctype == xlrd.XL_CELL_EMPTY:
                    v = None
                row.append(v)
            rows.append(row)
        for r0, r1, c0, c1 in sh.merged_cells:
            _fill(rows, r0, c0, r1 - 1, c1 - 1)
        sheets.append(Sheet(sh.name, rows, f"工作表“{sh.name}”"))
    return sheets


__all__ = ["read_sheets", "read_source"]
