"""storage/ must never pull in the UI or the document writer (DESIGN §5)."""

import subprocess
import sys

import pytest

FORBIDDEN = ("textual", "rich", "docx")


def loaded_modules(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
        capture_output=True, text=True, check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize(
    "module",
    ["storage", "storage.database", "storage.items", "storage.liaison", "storage.queries", "storage.demo",
     "storage.importing", "storage.carry", "storage.opinions", "storage.opinions_io"],
)
def test_storage_imports_no_ui_or_docx(module):
    mods = loaded_modules(f"import {module}")
    bad = sorted(m for m in mods if m.split(".")[0] in FORBIDDEN)
    assert not bad, f"{module} imported {bad}"


def test_cli_check_does_not_import_textual_or_docx(tmp_path):
    code = (
        "import os, sys\n"
        f"sys.argv = ['zhenggai', 'check', '--db', {str(tmp_path / 'x.json')!r}]\n"
        "from tui.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    )
    mods = loaded_modules(code)
    assert not any(m.split(".")[0] in ("textual", "docx") for m in mods)


def test_import_preview_of_a_text_file_loads_no_docx_or_openpyxl(tmp_path):
    """python-docx and openpyxl are imported only for the file types that need them."""
    src = tmp_path / "m.txt"
    src.write_text("一、存在的突出问题\n（一）在政治方面\n一是问题。", encoding="utf-8")
    code = (
        "import sys\n"
        f"sys.argv = ['zhenggai', 'import', {str(src)!r}, '--db', {str(tmp_path / 'x.json')!r}]\n"
        "from tui.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
    )
    mods = loaded_modules(code)
    assert not any(m.split(".")[0] in ("textual", "docx", "openpyxl") for m in mods)


def test_writers_load_their_library_only_when_an_export_runs(tmp_path):
    """Importing the export entry point loads neither python-docx nor openpyxl; an .xlsx export
    loads openpyxl and not python-docx, a .docx export the other way round."""
    mods = loaded_modules("import tui.cli, writers.export, writers.cells, writers.titles")
    assert not any(m.split(".")[0] in ("docx", "openpyxl") for m in mods)
    db = tmp_path / "x.json"
    for out, present, absent in (("l.xlsx", "openpyxl", "docx"), ("l.docx", "docx", "openpyxl")):
        code = (
            "import os\n"
            "os.environ['ZHENGGAI_TODAY'] = '2026-11-21'\n"
            "from storage import Database\n"
            "from storage.demo import load_demo\n"
            f"db = Database.open({str(db)!r})\n"
            "db.is_empty() and load_demo(db)\n"
            "from writers.export import ExportOptions, export\n"
            f"export(db, ExportOptions(kind='ledger', output={str(tmp_path / out)!r}))\n"
        )
        mods = {m.split(".")[0] for m in loaded_modules(code)}
        assert present in mods and absent not in mods, out
