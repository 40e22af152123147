"""Reading the plain-text sources (.txt materials, .csv ledgers) and checking any file
before a reader opens it. Word and Excel files are read in writers/import_read.py."""

from __future__ import annotations

import csv
import io
import os

from ..errors import ZhenggaiError
from ..people_csv import ImportFileError, decode
from .ledger import Sheet

MAX_BYTES = 50 * 1024 * 1024


def check_file(path: str) -> int:
    """The file's size; a Chinese ZhenggaiError when it cannot be an import source."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ZhenggaiError(f"找不到文件：{path}") from None
    except OSError as e:
        raise ZhenggaiError(f"无法读取文件：{path}（{e.strerror}）") from None
    if os.path.isdir(path):
        raise ZhenggaiError(f"这是一个文件夹，不是文件：{path}")
    if st.st_size == 0:
        raise ZhenggaiError(f"文件是空的：{path}")
    if st.st_size > MAX_BYTES:
        raise ZhenggaiError(f"文件太大（{st.st_size // 1024 // 1024} MB），导入的材料或台账不应超过 50 MB：{path}")
    return st.st_size


def read_bytes(path: str) -> bytes:
    check_file(path)
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as e:
        raise ZhenggaiError(f"无法读取文件：{path}（{e.strerror}）") from None


def _text(path: str) -> tuple[str, str]:
    raw = read_bytes(path)
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ZhenggaiError(f"这不是文本文件：{path}。请导入 .docx、.xlsx、.csv 或 .txt 文件。")
    try:
        return decode(raw)
    except ImportFileError:
        raise ZhenggaiError(f"无法识别文件编码：{path}。请另存为 UTF-8 编码后重试。") from None


def read_text(path: str) -> tuple[list[str], str]:
    """A .txt material: its lines (paragraphs) and the encoding's name."""
    text, enc = _text(path)
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), enc


def read_csv(path: str) -> tuple[Sheet, str]:
    text, enc = _text(path)
    first = text.split("\n", 1)[0]
    delim = "\t" if first.count("\t") > first.count(",") else ","
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]
    except csv.Error as e:
        raise ZhenggaiError(f"CSV 文件格式有误：{path}（{e}）") from None
    return Sheet(os.path.basename(path), rows, "表格"), enc
