"""The Excel 台账 and 方案 as LibreOffice Calc prints them (`make doccheck`, marker `render`).

A row too low for its wrapped text is cut off on paper (Calc and Excel neither grow it): every
character of every cell must be drawn, none over another. Skipped, with the reason, where LibreOffice, poppler or
Calc is absent.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from render_checks import check_no_overlap, check_text_drawn
from render_helpers import convert, missing_tools, pages

pytestmark = pytest.mark.render

SHEETS = [("ledger", None), ("ledger", "全部"), ("plan", None)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    missing = missing_tools()
    if missing:
        pytest.skip(f"{'、'.join(missing)} not installed (Debian: apt-get install libreoffice-calc-nogui poppler-utils)")
    mp = pytest.MonkeyPatch()
    mp.setenv("ZHENGGAI_TODAY", "2026-11-21")  # module scope: conftest's per-test freeze is not on yet
    from storage import Database
    from storage.demo import load_demo
    from writers.export import ExportOptions, export

    tmp = tmp_path_factory.mktemp("sheets")
    db = Database.open(str(tmp / "demo" / "zhenggai.json"), user="tester")
    load_demo(db)
    files = {f"{kind}-{subject or '班子'}": export(db, ExportOptions(kind=kind, subject=subject,
                                                                    output=str(tmp / f"{kind}-{subject}.xlsx")))
             for kind, subject in SHEETS}
    try:
        pdfs = convert(list(files.values()), tmp / "pdf", tmp)
    except (AssertionError, subprocess.CalledProcessError) as e:
        pytest.skip(f"LibreOffice Calc cannot print .xlsx here ({e}); Debian: apt-get install libreoffice-calc-nogui")
    yield {name: (path, pdf) for (name, path), pdf in zip(files.items(), pdfs)}
    mp.undo()


def _cells(path: Path) -> str:
    from openpyxl import load_workbook

    from storage.dates import cn_date

    out = []
    for row in load_workbook(path).active.iter_rows():
        for c in row:
            if isinstance(c.value, dt.date):
                out.append(cn_date(c.value))
            elif c.value is not None:
                out.append(str(c.value))
    return "".join(out)


@pytest.mark.parametrize("name", [f"{k}-{s or '班子'}" for k, s in SHEETS])
def test_every_cell_printed_whole(printed, name):
    path, pdf = printed[name]
    pgs = pages(pdf)
    problems = check_text_drawn(_cells(path), pgs) + check_no_overlap(pgs)
    assert not problems, "\n".join(problems)

