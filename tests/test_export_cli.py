"""`zhenggai export` in a real subprocess; robustness of the writers against any text."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from export_helpers import body_paragraphs, open_doc


@pytest.mark.parametrize("kind", ["report", "ledger", "contacts"])
def test_cli_exports_each_kind_and_refuses_overwrite(demo_path, tmp_path, kind):
    out = tmp_path / f"{kind}.docx"
    r = run_cli("export", kind, "--db", str(demo_path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert str(out.resolve()) in r.stdout
    assert body_paragraphs(open_doc(out))
    before = out.read_bytes()
    out.write_bytes(b"keep me")
    r = run_cli("export", kind, "--db", str(demo_path), "-o", str(out))
    assert r.returncode == 1
    assert "文件已存在" in r.stderr and "--force" in r.stderr and "Traceback" not in r.stderr
    assert out.read_bytes() == b"keep me"
    r = run_cli("export", kind, "--db", str(demo_path), "-o", str(out), "--force")
    assert r.returncode == 0, r.stderr
    assert out.read_bytes()[:2] == b"PK" and len(out.read_bytes()) > len(before) // 2


def test_cli_user_errors(demo_path, tmp_path):
    cases = [
        (["-o", str(tmp_path / "nope" / "a.docx")], "文件夹不存在"),
        (["-o", str(tmp_path / "a.txt")], ".docx"),
        (["--campaign", "没有这个活动", "-o", str(tmp_path / "a.docx")], "找不到整改活动"),
        (["--status", "完成", "-o", str(tmp_path / "a.docx")], "状态"),
    ]
    for extra, msg in cases:
        r = run_cli("export", "ledger", "--db", str(demo_path), *extra)
        assert r.returncode == 1, (extra, r.stdout)
        assert msg in r.stderr and "Traceback" not in r.stderr
    r = run_cli("export", "report", "--db", str(tmp_path / "missing.json"), "-o", str(tmp_path / "a.docx"))
    assert r.returncode == 1 and "数据库不存在" in r.stderr
    assert not list(tmp_path.glob("*.docx")) and not list(tmp_path.glob(".zhenggai-*"))


def test_cli_campaign_by_name_and_by_uid(demo_path, tmp_path):
    from storage import Database

    camp = Database.open(str(demo_path)).all("campaigns")[0]
    for n, ref in enumerate((camp["name"], camp["uid"])):
        r = run_cli("export", "report", "--db", str(demo_path), "--campaign", ref, "-o", str(tmp_path / f"{n}.docx"))
        assert r.returncode == 0, r.stderr


def test_python_docx_not_imported_by_cli_or_storage():
    code = "import tui.cli, storage, storage.queries, writers, writers.export\nimport sys\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'textual')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_export_imports_no_textual(demo_path, tmp_path):
    code = (
        "import sys\n"
        "from tui.cli import main\n"
        f"rc = main(['export', 'report', '--db', {str(demo_path)!r}, '-o', {str(tmp_path / 'x.docx')!r}])\n"
        "assert rc == 0\n"
        "assert 'docx' in sys.modules\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


# ----------------------------------------------------------------- any text at all

NASTY = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()),
    max_size=40,
)
NASTY_EXTRA = st.sampled_from(
    ["", "\x00\x01\x0b\x0c\x1f", "\ud800", "\udfff\ud83d", "\ufffe\uffff", "a\r\nb\rc\nd\te", "😀👨‍👩‍👧", "<w:t>&amp;</w:t>", "　 "]
)
FIELD = st.one_of(NASTY, NASTY_EXTRA, st.tuples(NASTY, NASTY_EXTRA).map("".join))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(texts=st.lists(FIELD, min_size=8, max_size=8))
@example(texts=["!㐀", "a,b", "!㐀", "(中)", "甲.乙", "a;中", "中:", "中?"])  # made full-width, as written
def test_any_unicode_in_the_writer_primitives(tmp_path_factory, texts):
    """Raw text (as a hand-edited or old database might hold) straight into every kind of paragraph
    and table cell: saved without error, read back as its cleaned self."""
    from writers.cleaning import cjk_punct
    from writers.gongwen import GongwenDocument, clean, lines

    out = tmp_path_factory.mktemp("g") / "g.docx"
    gw = GongwenDocument(title=texts[0], author=texts[1])
    gw.title(texts[0])
    gw.subtitle(texts[1])
    gw.h1(texts[2])
    gw.h2(texts[3])
    gw.h3(texts[4])
    gw.h4(texts[5])
    gw.body(texts[6])
    gw.body_runs([(texts[6], False), (texts[7], True)])
    table = gw.table([("甲", 50, "left"), ("乙", 50, "center"), ("丙", 56, "left")])
    table.add_row((texts[0], [texts[1], texts[2]], lines(texts[3])))
    gw.signature(texts[4], texts[5])
    gw.save(str(out))
    doc = open_doc(out)
    body = "\n".join(p.text for p in doc.paragraphs)
    for t in texts[2:6]:
        flat = cjk_punct(clean(t)).replace("\n", " ").replace("\t", " ").strip()
        for word in flat.split():
            assert word in body.replace("\t", " ")
    cells = [c.text for c in doc.tables[0].rows[1].cells]
    for word in cjk_punct(clean(texts[0])).split():
        assert word in cells[0]


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fields=st.lists(FIELD, min_size=18, max_size=18))
def test_any_unicode_in_every_field_exports(db, tmp_path_factory, fields):
    """Every text field of every record type, through the real database, into all three documents."""
    from storage.items import add_item, add_outline, create_campaign
    from storage.liaison import add_link, add_person, log_contact
    from writers.export import ExportOptions, export

    out = tmp_path_factory.mktemp("h")
    f = iter(fields)
    n = len(db.all("campaigns"))
    camp = create_campaign(db, f"活动{n}" + next(f)[:20], organ=next(f), signature=next(f), report_title=next(f))
    add_item(
        db, camp["uid"], "d1", "题" + next(f), manifestation=next(f), example=next(f), cause=next(f),
        measures=[next(f), next(f)], leader=next(f), owner_dept=next(f), deadline_text=next(f),
        progress=[{"date": "2026-11-01", "text": fields[0] + "进展", "by": "x"}],
    )
    add_outline(db, camp["uid"], "causes", next(f), [next(f)])
    add_outline(db, camp["uid"], "preface", "", [next(f)])
    a = add_person(db, f"甲{n}" + next(f)[:10], "党组成员", sector=fields[1][:40])
    b = add_person(db, f"乙{n}", "党员委员", sector=fields[2][:40])
    link = add_link(db, 1, a["uid"], b["uid"])
    log_contact(db, link["uid"], "记" + fields[3], on="2026-11-01", raised=fields[4], follow_up=fields[5])
    for kind in ("report", "ledger", "contacts"):
        path = export(db, ExportOptions(kind=kind, output=str(out / f"{kind}.docx"), campaign=camp["uid"]))
        doc = open_doc(path)
        assert body_paragraphs(doc)


def test_huge_fields_and_emoji_through_the_database(db, tmp_path):
    from storage.items import add_item, add_outline, create_campaign
    from storage.liaison import add_link, add_person, log_contact
    from writers.export import ExportOptions, export

    big = ("长文本😀" * 20_000)[:100_000]
    camp = create_campaign(db, "大活动😀", organ="党组")
    add_item(db, camp["uid"], "d1", "问题😀", manifestation=big, example=big, measures=[big], cause=big,
             leader="张三", deadline_text="长期😀", progress=[{"date": "2026-11-01", "text": big, "by": "x"}])
    add_outline(db, camp["uid"], "causes", "原因😀", [big])
    a = add_person(db, "甲😀", "党组成员")
    b = add_person(db, "乙", "党员委员")
    link = add_link(db, 1, a["uid"], b["uid"])
    log_contact(db, link["uid"], big, on="2026-11-01", raised=big, raised_kind="意见建议")
    for kind in ("report", "ledger", "contacts"):
        path = export(db, ExportOptions(kind=kind, output=str(tmp_path / f"{kind}.docx")))
        doc = open_doc(path)
        text = "".join(p.text for p in doc.paragraphs) + "".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert big in text or big[:1000] in text
