"""Reading a CSV file as Excel, WPS or a text editor saved it: any of their encodings and
separators, only a regular file of sensible size, cells cleaned of what those tools add, and
messages that say what is wrong in Chinese without quoting the file (it may be any file on
the server).
"""

from __future__ import annotations

import csv
import os
import re
import stat

from .errors import ZhenggaiError
from .text import clean_text

MAX_BYTES = 20 * 1024 * 1024
EXCEL_TEXT = re.compile(r'^="((?:[^"]|"")*)"$')  # ="0571-87654321": a text cell for Excel/WPS
FORMULA_STARTS = ("=", "+", "-", "@")


class ImportFileError(ZhenggaiError):
    """The file cannot be read as a people CSV at all."""


def decode(raw: bytes) -> tuple[str, str]:
    """Text and the encoding's Chinese name: UTF-16 (BOM), UTF-8 (BOM or not), GBK."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        text = raw.decode("utf-8-sig")
        return text, "UTF-8（带 BOM）" if raw.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        pass
    for enc, label in (("gbk", "GBK"), ("gb18030", "GB18030")):
        try:
            return raw.decode(enc), label
        except UnicodeDecodeError:
            continue
    raise ImportFileError("无法识别文件编码：请在 Excel/WPS 中另存为“CSV UTF-8（逗号分隔）”后重试。")


def read_file(path: str) -> bytes:
    """The file's bytes; only a regular file of at most MAX_BYTES is read (never a device,
    a pipe or a folder: reading /dev/zero or a FIFO would never end)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise ImportFileError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise ImportFileError(f"这是一个文件夹，不是 CSV 文件：{path}") from None
    except PermissionError:
        raise ImportFileError(f"没有读取权限：{path}") from None
    except OSError as e:
        raise ImportFileError(f"无法读取文件 {path}：{e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise ImportFileError(f"这是一个文件夹，不是 CSV 文件：{path}")
        if not stat.S_ISREG(st.st_mode):
            raise ImportFileError(f"这不是普通文件（是设备、管道或套接字），不能作为 CSV 导入：{path}")
        if st.st_size > MAX_BYTES:
            raise ImportFileError(f"文件太大（{st.st_size // 1024 // 1024} MB），人员名单 CSV 不应超过 20 MB：{path}")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while total <= MAX_BYTES:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > MAX_BYTES:  # it grew while we read it
            raise ImportFileError(f"文件太大，人员名单 CSV 不应超过 20 MB：{path}")
        return b"".join(chunks)
    except OSError as e:
        raise ImportFileError(f"无法读取文件 {path}：{e.strerror or e}") from None
    finally:
        os.close(fd)


def delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", "\t", "，", ";")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def cell(raw: str) -> str:
    """One cell's text: cleaned, without the byte-order marks that files glued together
    (or saved by some editors) leave at a row's start, and without the text-marking our
    own export adds (="…" around phones, ' before a formula-like value)."""
    c = clean_text(raw.replace("\ufeff", "").replace("\u200b", ""), multiline=False)
    m = EXCEL_TEXT.match(c)
    if m:
        c = m.group(1).replace('""', '"').strip()
    elif c[:1] == "'" and c[1:2] in FORMULA_STARTS:
        c = c[1:]
    return c


def quote(value: str, limit: int = 20) -> str:
    """A value from the file, shortened for a message."""
    return value if len(value) <= limit else value[:limit] + "…"


def csv_error_message(e: csv.Error, line: int) -> str:
    # The csv module's messages are English; say what they mean without quoting the file.
    text = str(e)
    if "field larger than field limit" in text:
        return (f"第 {line} 行附近有一个单元格太长（超过 {csv.field_size_limit() // 1000} 000 个字符），"
                "通常是引号不成对，把后面的许多行并进了一个单元格。请检查引号后重试。")
    if "NUL" in text:
        return "文件含有二进制内容，不像是 CSV 文本文件，请在 Excel/WPS 中另存为 CSV 后重试。"
    return f"第 {line} 行附近的 CSV 格式有误，请检查引号是否成对。"
