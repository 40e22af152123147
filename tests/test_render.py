"""Every kind of document as LibreOffice renders it (issue 10, “rendering check”; `make doccheck`).

One LibreOffice run converts them all: the demo database's 对照检查材料 (班子 and personal),
整改台账 (班子 and 全部), 整改方案, 整改落实情况报告 and 三联系 document, the 对照检查材料 of a
campaign in each document style and of the 专项整治 set, and the 整改落实情况报告 of a run-in
style and of the 专项整治 set (no 下一步打算: the dimensions are its parts). Then, from ``pdftotext -bbox`` and the page's pixels:
28 characters on every full body line, 22 lines on every full body page, title lines as
designed, no table row split across pages, page numbers where GB/T 9704 puts them, the
signature and date in place, no heading at a page's foot, every character of the .docx drawn
(LibreOffice once dropped marks it hung past the line's end) and none over another. Skipped, with
the reason, where LibreOffice or the tools are absent.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from export_helpers import style_campaign
from render_checks import (Stats, check_keeps, check_lines, check_no_overlap, check_page_numbers,
                           check_signature, check_table_rows, check_text_drawn, check_title)
from render_helpers import (Block, convert, dash_center_mm_below, docx_paragraphs, docx_text, missing_tools,
                            pages)

pytestmark = pytest.mark.render

PORTRAIT = (37, 35, 28, 26)
LANDSCAPE = (28, 26, 37, 35)
STYLES = [("digits", "alone"), ("yishi", "run_in"), ("digits", "run_in")]
FIGURES: dict[str, Stats] = {}


def _skip_reason() -> str | None:
    missing = missing_tools()
    if missing:
        return (f"{'、'.join(missing)} not installed: the rendering check needs LibreOffice and poppler "
                "(Debian: apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai)")
    if shutil.which("fc-list"):
        out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        if "Noto" not in out and "AR PL" not in out:
            return "no CJK font installed (Debian: apt-get install fonts-noto-cjk fonts-arphic-ukai)"
    return None


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    mp = pytest.MonkeyPatch()
    mp.setenv("ZHENGGAI_TODAY", "2026-11-21")  # module scope: conftest's per-test freeze is not on yet
    from storage import Database
    from storage.demo import load_demo
    from storage.dimensions import FOUR_AWARENESS
    from storage.items import add_item, add_outline, create_campaign
    from writers.export import ExportOptions, export

    tmp = tmp_path_factory.mktemp("render")
    docs: dict[str, tuple[Path, str]] = {}

    def out(name: str, db, orientation: str = "portrait", **kw) -> None:
        kind = kw.pop("kind", "report")
        docs[name] = (export(db, ExportOptions(kind=kind, output=str(tmp / f"{name}.docx"), **kw)), orientation)

    demo = Database.open(str(tmp / "demo" / "zhenggai.json"), user="tester")
    load_demo(demo)
    out("report", demo)
    out("personal", demo, subject="李秀兰")
    out("ledger", demo, "landscape", kind="ledger")
    out("ledger-all", demo, "landscape", kind="ledger", subject="全部")
    out("contacts", demo, kind="contacts")
    out("progress", demo, kind="progress")
    out("plan", demo, "landscape", kind="plan")
    for numbering, heading in STYLES:
        db = Database.open(str(tmp / f"{numbering}-{heading}" / "zhenggai.json"), user="tester")
        style_campaign(db, numbering=numbering, heading=heading)
        out(f"report-{numbering}-{heading}", db)
        if (numbering, heading) == ("yishi", "run_in"):
            out("progress-yishi-run_in", db, kind="progress")
    special = Database.open(str(tmp / "special" / "zhenggai.json"), user="tester")
    camp = create_campaign(special, "2025年度“四个意识不强”专项整治", FOUR_AWARENESS.key, organ="中共云海市政协机关党组",
                           report_date="2025-12-26", style={"heading": "run_in"})
    for d in camp["dimensions"]:
        for k in range(3):
            add_item(special, camp["uid"], d["key"], f"{d['short']}方面的问题{k + 1}",
                     manifestation="对照岗位职责查摆，工作标准不够高，落实不够细，" * (k + 1),
                     example="如在2025年第三季度的重点工作推进中，个别事项未按时限完成。")
    add_outline(special, camp["uid"], "causes", "思想认识不到位", ["1.对专项整治的重要性认识不足。", "2.自我要求有所放松。"])
    out("report-special", special)
    out("progress-special", special, kind="progress")
    # A title of 37 characters, set by hand: three lines, the organ and 对照检查材料 on their own.
    out("report-long-title", special, title="中共云海市政协机关党组关于“责任意识不强”等四个专项整治问题的对照检查材料",
        style={"heading": "alone", "numbering": "digits"})

    pdfs = convert([p for p, _ in docs.values()], tmp / "pdf", tmp)
    yield {name: (docx, pdf, pages(pdf), orient) for (name, (docx, orient)), pdf in zip(docs.items(), pdfs)}
    mp.undo()


BODY_DOCS = (["report", "personal", "contacts", "report-special", "report-long-title"] + [f"report-{n}-{h}" for n, h in STYLES]
             + ["progress", "progress-yishi-run_in", "progress-special"])
TABLE_DOCS = ["ledger", "ledger-all", "plan"]
ALL_DOCS = BODY_DOCS + TABLE_DOCS


def _block(doc) -> Block:
    _, _, pgs, orient = doc
    return Block.of(pgs[0], LANDSCAPE if orient == "landscape" else PORTRAIT)


@pytest.mark.parametrize("name", BODY_DOCS)
def test_28_characters_and_22_lines(rendered, name):
    docx, pdf, pgs, _ = rendered[name]
    paras = docx_paragraphs(docx)
    exempt = {x for _, parts in paras if len(parts) > 1 for x in parts[:-1]}  # broken by design
    keep = {x for sid, parts in paras if sid in ("GwH1", "GwH2", "GwH3") for x in parts}
    closing = {x for sid, parts in paras if sid == "GwSign" for x in parts}
    stats = FIGURES.setdefault(name, Stats())
    problems = check_lines(pgs, _block(rendered[name]), exempt=exempt, keep_lines=keep, stats=stats, closing=closing)
    problems += check_keeps(pgs, _block(rendered[name]), headings=keep, closing=closing)
    assert not problems, "\n".join(problems)
    # Every full line of CJK text holds 28 characters (26 after the indent), save where a
    # line-breaking rule moved one mark (counted apart, and few).
    assert stats.kinsoku <= max(2, sum(stats.full_lines.values()) // 4), stats.summary()


@pytest.mark.parametrize("name", ALL_DOCS)
def test_every_character_drawn(rendered, name):
    """The PDF draws every character of the .docx (no mark lost at a line's end), none over another."""
    docx, _, pgs, _ = rendered[name]
    problems = check_text_drawn(docx_text(docx), pgs) + check_no_overlap(pgs)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ALL_DOCS)
def test_title_lines_as_designed(rendered, name):
    docx, _, pgs, _ = rendered[name]
    designed = next(parts for sid, parts in docx_paragraphs(docx) if sid == "GwTitle")
    assert not check_title(pgs, designed)
    if name == "report":
        assert designed == ["中共云海市政协党组2025年度民主生活会", "对照检查材料"]
    if name == "report-long-title":
        assert designed == ["中共云海市政协机关党组", "关于“责任意识不强”等四个专项整治问题的", "对照检查材料"]
    if name == "progress":
        assert designed == ["中共云海市政协党组关于", "2025年度民主生活会整改落实情况的报告"]
    if name == "progress-special":  # the quoted name is never broken
        assert designed == ["中共云海市政协机关党组", "关于2025年度“四个意识不强”专项整治", "整改落实情况的报告"]


@pytest.mark.parametrize("name", ALL_DOCS)
def test_page_numbers_per_gbt9704(rendered, name):
    _, pdf, pgs, _ = rendered[name]
    block = _block(rendered[name])
    problems = check_page_numbers(pgs, block, lambda page: dash_center_mm_below(pdf, page, block),
                                  FIGURES.setdefault(name, Stats()))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", BODY_DOCS)
def test_signature_and_date(rendered, name):
    docx, _, pgs, _ = rendered[name]
    signs = [parts[0] for sid, parts in docx_paragraphs(docx) if sid == "GwSign"]
    assert len(signs) == 2
    problems = check_signature(pgs, _block(rendered[name]), signs[0], signs[1])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", TABLE_DOCS)
def test_no_ledger_row_split_across_pages(rendered, name):
    import docx as python_docx
    from docx.oxml.ns import qn

    from writers import ledger, plan

    COLUMNS = (plan if name == "plan" else ledger).COLUMNS

    path, _, pgs, _ = rendered[name]
    table = python_docx.Document(str(path)).tables[0]
    rows = [["".join(p.text for p in c.paragraphs) for c in r.cells]
            for r in table.rows[1:] if len(r._tr.findall(qn("w:tc"))) > 1]
    assert len(pgs) > 1  # the check means something only across pages
    problems = check_table_rows(pgs, _block(rendered[name]), [w for _, w, _ in COLUMNS], [c[0] for c in COLUMNS], rows)
    assert not problems, "\n".join(problems)


def test_figures(rendered, capsys, request):
    """What was measured (`make doccheck`, or any run with -v, prints it)."""
    lines = [f"{name}: {len(rendered[name][2])} pages; {stats.summary()}" for name, stats in sorted(FIGURES.items())]
    assert lines
    if request.config.getoption("verbose") > 0:
        with capsys.disabled():
            print("\nLibreOffice figures:\n  " + "\n  ".join(lines))
