"""整改台账 and 三联系 documents read back."""

from __future__ import annotations

import pytest
from docx.oxml.ns import qn
from docx.shared import Mm

from export_helpers import body_paragraphs, column, fmt, footer_xml, group_rows, item_rows, open_doc
from storage.dates import cn_date
from storage.liaison import coverage
from storage.models import ST_DOING, ST_DONE, SUBJECT_GROUP
from storage.queries import items_for
from writers.export import ExportOptions, export
from writers.ledger import COLUMNS

HEADER = ["序号", "问题表现", "整改措施", "责任领导", "责任部门", "整改时限", "完成情况"]


def _ledger(db, tmp_path, name="l.docx", **kw):
    path = export(db, ExportOptions(kind="ledger", output=str(tmp_path / name), **kw))
    return open_doc(path)


def _mm(length) -> float:
    return round(length / Mm(1), 1)


def test_ledger_landscape_header_and_rows(demo_db, tmp_path):
    doc = _ledger(demo_db, tmp_path)
    sec = doc.sections[0]
    assert sec.orientation == 1  # landscape
    assert (_mm(sec.page_width), _mm(sec.page_height)) == (297.0, 210.0)
    text_w = _mm(sec.page_width - sec.left_margin - sec.right_margin)
    text_h = _mm(sec.page_height - sec.top_margin - sec.bottom_margin)
    assert (text_w, text_h) == (225.0, 156.0)
    assert "PAGE" in footer_xml(sec.footer) and "PAGE" in footer_xml(sec.even_page_footer)

    assert len(doc.tables) == 1
    table = doc.tables[0]
    rows = table.rows
    assert [c.text for c in rows[0].cells] == HEADER
    tr_pr = rows[0]._tr.trPr
    assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
    for r in rows[1:]:
        assert r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None
    # No row breaks across a page: every row, header and group rows too.
    for r in rows:
        assert r._tr.trPr is not None and r._tr.trPr.find(qn("w:cantSplit")) is not None
    camp = demo_db.all("campaigns")[0]
    items = items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP)
    data = item_rows(table)
    assert len(data) == len(items)
    assert [r.cells[0].text for r in data] == [str(n) for n in range(1, len(items) + 1)]

    # Items grouped by dimension under a row spanning the table with the dimension's full title,
    # numbered in the campaign's order; no 整改维度 column repeating it in every row.
    groups = group_rows(table)
    used = [d for d in camp["dimensions"] if any(i["dimension"] == d["key"] for i in items)]
    assert [g.cells[0].text for g in groups] == [f"{'一二三四五'[n]}、{d['title']}" for n, d in enumerate(used)]
    for g in groups:
        tc = g._tr.find(qn("w:tc"))
        assert tc.tcPr.find(qn("w:gridSpan")).get(qn("w:val")) == str(len(COLUMNS))
        assert int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w"))) == sum(int(Mm(w).twips) for _, w, _ in COLUMNS)
        assert fmt(doc, g.cells[0].paragraphs[0])["east"] == "黑体"
        assert g.cells[0].paragraphs[0]._p.pPr.find(qn("w:keepNext")) is not None or \
            style_keep_next(doc, "GwTableGroup")
    first = rows[1]
    assert len(first._tr.findall(qn("w:tc"))) == 1  # the first row under the header is a group row

    # Widths on the grid and on every cell; fixed layout; borders on. The width freed by the
    # dimension column went to 问题表现, 整改措施 and 完成情况.
    tbl = table._tbl
    grid = [int(g.get(qn("w:w"))) for g in tbl.tblGrid.iter(qn("w:gridCol"))]
    assert grid == [int(Mm(w).twips) for _, w, _ in COLUMNS]
    assert sum(w for _, w, _ in COLUMNS) == 225
    widths = {label: w for label, w, _ in COLUMNS}
    assert min(widths["问题表现"], widths["整改措施"], widths["完成情况"]) >= 43
    for tc in tbl.iter(qn("w:tc")):
        w = tc.tcPr.find(qn("w:tcW"))
        assert w is not None and int(w.get(qn("w:w"))) > 0
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    borders = tbl.tblPr.find(qn("w:tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        assert borders.find(qn(f"w:{side}")).get(qn("w:val")) == "single"

    # Table text: smaller, single spacing, no first-line indent, off the line grid, uncondensed.
    cell_p = data[0].cells[column("问题表现")].paragraphs[1]
    f = fmt(doc, cell_p)
    assert (f["east"], f["sz"], f["firstLineChars"], f["rule"]) == ("仿宋_GB2312", "24", "0", "auto")
    assert fmt(doc, rows[0].cells[0].paragraphs[0])["east"] == "黑体"
    # The problem's summary leads its cell in bold.
    title_run = data[0].cells[column("问题表现")].paragraphs[0].runs[0]
    assert title_run.text == items[0]["title"] and title_run.bold


def style_keep_next(doc, style_id: str) -> bool:
    from export_helpers import style_el

    return style_el(doc, style_id).find(qn("w:pPr")).find(qn("w:keepNext")) is not None


def test_ledger_cells_deadline_text_and_completion(demo_db, tmp_path):
    doc = _ledger(demo_db, tmp_path)
    items = items_for(demo_db, demo_db.all("campaigns")[0]["uid"], subject=SUBJECT_GROUP)
    rows = item_rows(doc.tables[0])
    done = column("完成情况")
    for item, row in zip(items, rows):
        cells = [c.text for c in row.cells]
        assert cells[column("问题表现")].startswith(item["title"])
        if item.get("deadline_text"):  # broken after its comma
            assert cells[column("整改时限")].replace("\n", "") == item["deadline_text"]
        elif item.get("deadline"):
            # A date breaks after its year, never inside “10月12日”.
            y, rest = cn_date(item["deadline"]).split("年")
            assert [p.text for p in row.cells[column("整改时限")].paragraphs] == [y + "年", rest]
        if item["status"] == ST_DONE:
            assert cells[done].startswith(f"已销号（{cn_date(item['closed_on'])}，审核人：{item['closed_by']}）")
        else:
            assert cells[done].startswith(item["status"])
        if item.get("progress") and item["status"] != ST_DONE:
            last = item["progress"][-1]
            assert f"{cn_date(last['date'])}：{last['text']}" in cells[done]
    long_term = [r for it, r in zip(items, rows) if it.get("deadline_text")]
    assert long_term and all(r.cells[column("整改时限")].text.endswith("长期坚持") for r in long_term)


def test_ledger_filters(demo_db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    doc = _ledger(demo_db, tmp_path, "f.docx", statuses=[ST_DOING], dimensions=["政治纪律", "d2"])
    want = [i for i in items_for(demo_db, camp["uid"], subject=SUBJECT_GROUP, status=ST_DOING) if i["dimension"] in ("d1", "d2")]
    rows = item_rows(doc.tables[0])
    assert len(rows) == len(want) > 0
    assert all(r.cells[column("完成情况")].text.startswith(ST_DOING) for r in rows)
    assert len(group_rows(doc.tables[0])) == 2
    assert "状态：整改中" in body_paragraphs(doc)[1].text
    # 全部 includes the personal items too.
    doc = _ledger(demo_db, tmp_path, "all.docx", subject="全部")
    assert len(item_rows(doc.tables[0])) == len(items_for(demo_db, camp["uid"]))
    # A person's items form their own group, named.
    assert any(g.cells[0].text.endswith("（李秀兰）") for g in group_rows(doc.tables[0]))


def test_ledger_bad_filter_is_a_clear_error(demo_db, tmp_path):
    from storage.errors import ZhenggaiError

    with pytest.raises(ZhenggaiError, match="没有维度“不存在”"):
        _ledger(demo_db, tmp_path, dimensions=["不存在"])
    with pytest.raises(ZhenggaiError, match="没有“完成”这种状态"):
        _ledger(demo_db, tmp_path, statuses=["完成"])
    assert not (tmp_path / "l.docx").exists()


def test_contacts_document(demo_db, tmp_path):
    path = export(demo_db, ExportOptions(kind="contacts", output=str(tmp_path / "c.docx")))
    doc = open_doc(path)
    texts = [p.text for p in body_paragraphs(doc)]
    assert texts[0] == "2026年第四季度“三联系”工作情况"
    assert texts[1] == "（统计时间：2026年10月1日至2026年11月21日）"
    cov = coverage(demo_db, 2026, 4)
    t1 = cov["tiers"][0]
    assert any(t.startswith(f"第一层（党组成员联系党员委员）：联系关系{t1['total']}条，本季度达到联系次数要求{t1['met']}条") for t in texts)
    # Words, not the screens' arrows, in the text and in the tables.
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert not any("→" in t for t in texts + cells)
    # Signed by the 党组 of the campaign and dated today (GB/T 9704 7.3.5.2).
    assert texts[-2:] == ["中共云海市政协党组", "2026年11月21日"]
    assert "二、联系关系" in texts and "（三）委员联系界别群众" in texts
    # Three tier tables, the log, the overdue list.
    assert len(doc.tables) == 5
    tier1, tier2, tier3, log, overdue = doc.tables
    assert len(tier1.rows) - 1 == t1["total"]
    assert [c.text for c in tier3.rows[0].cells][:3] == ["序号", "委员", "联系的界别群众"]
    assert [c.text for c in log.rows[0].cells] == ["日期", "联系人", "联系对象", "方式", "内容", "反映问题"]
    assert len(log.rows) - 1 == cov["contacts"]
    assert len(overdue.rows) - 1 == len(cov["overdue"])
    for t in doc.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    names = [p["name"] for p in cov["noncpc_without_cpc"]]
    assert any(t.startswith("尚未明确联系党员委员的党外委员") and all(n in t for n in names) for t in texts)


def test_contacts_other_quarter_and_bad_quarter(demo_db, tmp_path):
    from storage.errors import ZhenggaiError

    path = export(demo_db, ExportOptions(kind="contacts", output=str(tmp_path / "q.docx"), quarter="2026Q2"))
    texts = [p.text for p in body_paragraphs(open_doc(path))]
    assert texts[0] == "2026年第二季度“三联系”工作情况"
    assert texts[1] == "（统计时间：2026年4月1日至2026年6月30日）"
    # What was raised is counted in one order in every quarter: 意见建议, then 社情民意.
    for q in ("2026Q2", "2026Q3", "2026Q4"):
        p = export(demo_db, ExportOptions(kind="contacts", output=str(tmp_path / f"{q}.docx"), quarter=q))
        said = next(t for t in (x.text for x in body_paragraphs(open_doc(p))) if t.startswith("本季度共开展联系"))
        if "社情民意" in said and "意见建议" in said:
            assert said.index("意见建议") < said.index("社情民意"), said
    with pytest.raises(ZhenggaiError, match="季度"):
        export(demo_db, ExportOptions(kind="contacts", output=str(tmp_path / "x.docx"), quarter="2026Q5"))


def test_a_row_taller_than_a_page_may_break(db, tmp_path):
    """A row that could never fit a page is the one row allowed to break (Word and LibreOffice
    would otherwise cut it off); every other row keeps whole."""
    from storage.items import add_item, create_campaign

    camp = create_campaign(db, "活动", organ="某党组")
    add_item(db, camp["uid"], "d1", "短问题", manifestation="一句话。")
    add_item(db, camp["uid"], "d1", "长问题", manifestation="很长的问题表现。" * 12_500)  # 100 000 characters
    add_item(db, camp["uid"], "d1", "又一个短问题")
    doc = _ledger(db, tmp_path)
    rows = item_rows(doc.tables[0])
    split = [r.cells[column("问题表现")].paragraphs[0].text for r in rows
             if r._tr.trPr is None or r._tr.trPr.find(qn("w:cantSplit")) is None]
    assert split == ["长问题"]
    assert len(rows[1].cells[column("问题表现")].text) > 100_000


def test_contacts_without_a_campaign_is_dated_only(db, tmp_path):
    path = export(db, ExportOptions(kind="contacts", output=str(tmp_path / "c.docx")))
    texts = [p.text for p in body_paragraphs(open_doc(path))]
    assert texts[-1] == "2026年11月21日"
    assert texts[-2].startswith("尚未明确联系党员委员的党外委员")


@pytest.mark.parametrize("kind", ["ledger", "plan"])
def test_short_cells_fit_their_column(demo_db, tmp_path, kind):
    """A department, a leader and a deadline stand whole on their lines: “机关事务 / 科” and
    “2026年底 / 前，并长期 / 坚持” were broken by a column too narrow for them."""
    from writers import ledger, plan
    from writers.tables import CELL_MARGIN_TWIPS
    from writers.textwidth import width_pt

    columns = (ledger if kind == "ledger" else plan).COLUMNS
    doc = open_doc(export(demo_db, ExportOptions(kind=kind, output=str(tmp_path / f"{kind}.docx"))))
    labels = [c[0] for c in columns]
    seen = set()
    for row in item_rows(doc.tables[0]):
        for label in ("责任领导", "责任部门", "整改时限", "完成时限"):
            if label not in labels:
                continue
            k = labels.index(label)
            room = Mm(columns[k][1]).pt - 2 * CELL_MARGIN_TWIPS / 20
            for p in row.cells[k].paragraphs:
                seen.add(p.text)
                if len(p.text) <= 6:  # 社会和法制委员会 wraps as “社会和法制 / 委员会”
                    assert width_pt(p.text, 12) <= room, (label, p.text)
    assert {"机关事务科", "委员工作室", "并长期坚持"} <= seen
    assert any(t.endswith("底前，") for t in seen)  # “2026年11月底前，” / “并长期坚持”: broken after the comma

