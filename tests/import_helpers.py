"""Builders of the documents and spreadsheets the import tests read (made here, never shipped)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Sequence

# The real materials of ../shared/seeds, copied in so that a clean clone (CI) reads them too.
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"


def seed(prefix: str) -> Path:
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    assert found, f"seed {prefix} missing from {SEEDS}"
    return found[0]


def write_docx(path: Path, paragraphs: Sequence[str], tables: Sequence[Sequence[Sequence[str]]] = ()) -> Path:
    import docx

    d = docx.Document()
    for p in paragraphs:
        if "\n" in p:  # a line break inside one paragraph (how a long title is broken)
            par = d.add_paragraph()
            first, *rest = p.split("\n")
            run = par.add_run(first)
            for r in rest:
                run.add_break()
                run = par.add_run(r)
        else:
            d.add_paragraph(p)
    for rows in tables:
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                t.cell(r, c).text = v
    d.save(str(path))
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], merges: Sequence[str] = (), title: str = "台账",
               extra_sheets: dict[str, Sequence[Sequence[Any]]] | None = None) -> Path:
    """``rows`` from A1 on; ``merges`` like "A1:H1" (a merged cell keeps only its top-left value,
    as Excel does: the other cells of the range must be None in ``rows``)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    for m in merges:
        ws.merge_cells(m)
    for name, srows in (extra_sheets or {}).items():
        s = wb.create_sheet(name)
        for r, row in enumerate(srows, 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    s.cell(r, c, v)
    wb.save(str(path))
    return path


def fake_encrypted_ooxml(path: Path) -> Path:
    """The shape of a password-protected .xlsx/.docx: an OLE compound file whose streams are
    EncryptionInfo and EncryptedPackage (what Office writes; openpyxl cannot open it)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = (3).to_bytes(2, "little")  # major version 3
    header[0x1C:0x1E] = b"\xfe\xff"  # little endian
    header[0x1E:0x20] = (9).to_bytes(2, "little")  # 512-byte sectors
    entries = b""
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entry = bytearray(128)
        entry[: len(raw)] = raw
        entry[64:66] = len(raw).to_bytes(2, "little")
        entry[66] = 5 if name == "Root Entry" else 2
        entries += bytes(entry)
    path.write_bytes(bytes(header) + entries + bytes(512 - len(entries) % 512) + b"\x00" * 4096)
    return path


def fingerprint(folder) -> dict[str, str]:
    """Every file under ``folder`` and a hash of its bytes: equal before and after, nothing
    was written there (not even a backup)."""
    from conftest import wait_for_backups

    wait_for_backups()  # the day's first backup is made in a thread after a save
    out = {}
    for root, _, files in os.walk(folder):
        for f in files:
            path = os.path.join(root, f)
            out[os.path.relpath(path, folder)] = hashlib.sha256(open(path, "rb").read()).hexdigest()
    return out


def items_of(db, campaign: str | None = None) -> list[dict[str, Any]]:
    from storage.queries import items_for

    return items_for(db, campaign)
