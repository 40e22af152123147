"""Bringing last year's material in: 对照检查材料 (.docx/.txt) and 整改台账 (.xlsx/.csv).

Pure text and table recognition lives here (no python-docx, no openpyxl);
writers/import_read.py reads Word and Excel files into paragraphs and rows.

    doc = writers.import_read.read_source(path)         # or from_paragraphs / recognise_sheets
    plan = build_plan(db, doc, path, ImportOptions(...))  # what would be written
    preview_lines(plan)                                   # shown to the user
    apply_import(db, doc, path, options)                  # writes (one transaction, after a backup)
"""

from __future__ import annotations

from .apply import apply_import
from .doc import LEDGER, MATERIAL, ImportDoc, from_material
from .ledger import Sheet, recognise_sheets
from .material import recognise
from .plan import ImportOptions, Plan, build_plan, require_recognised
from .preview import preview_lines


def from_paragraphs(paragraphs: list[str]) -> ImportDoc:
    return from_material(recognise(paragraphs))


__all__ = [
    "LEDGER", "MATERIAL", "ImportDoc", "ImportOptions", "Plan", "Sheet", "apply_import", "build_plan",
    "from_paragraphs", "preview_lines", "recognise_sheets", "require_recognised",
]
