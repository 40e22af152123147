"""An item applied for 销号 in time is not overdue while it waits for review (issue 10.2)."""

from __future__ import annotations

import datetime as dt

from export_helpers import column, item_rows, open_doc
from storage.items import add_item, create_campaign, save_item, transition
from storage.models import ST_DOING, ST_REVIEW
from storage.queries import DEADLINE_OK, DEADLINE_OVERDUE, deadline_state, submitted_on
from writers.export import ExportOptions, export

TODAY = dt.date(2026, 11, 21)  # tests/conftest.py freezes it


def _item(db, deadline: str, **kw):
    camp = create_campaign(db, "活动", organ="某党组")
    item = add_item(db, camp["uid"], "d1", "问题", deadline=deadline, **kw)
    return camp, transition(db, item["uid"], "start")


def test_applied_before_deadline_is_not_overdue_after_it(db):
    # Applied on 11-09 with the deadline on 11-18; today (11-21) the review is still pending.
    _, item = _item(db, "2026-11-18")
    item = transition(db, item["uid"], "submit", on="2026-11-09")
    assert item["status"] == ST_REVIEW and item["submitted_on"] == "2026-11-09"
    assert deadline_state(item, TODAY) == DEADLINE_OK


def test_applied_after_deadline_stays_overdue(db):
    _, item = _item(db, "2026-11-18")
    item = transition(db, item["uid"], "submit", on="2026-11-20")
    assert deadline_state(item, TODAY) == DEADLINE_OVERDUE


def test_applied_on_the_deadline_is_in_time(db):
    _, item = _item(db, "2026-11-18")
    item = transition(db, item["uid"], "submit", on="2026-11-18")
    assert deadline_state(item, TODAY) == DEADLINE_OK


def test_rejected_item_is_judged_on_today_again(db):
    _, item = _item(db, "2026-11-18")
    item = transition(db, item["uid"], "submit", on="2026-11-09")
    item = transition(db, item["uid"], "reject", reason="佐证不足")
    assert item["status"] == ST_DOING and item["submitted_on"] == ""
    assert deadline_state(item, TODAY) == DEADLINE_OVERDUE


def test_status_set_in_the_form_records_the_day(db):
    camp, item = _item(db, "2026-11-30")
    saved = save_item(db, {**item, "status": ST_REVIEW}, expected_rev=item["rev"])
    assert saved["submitted_on"] == TODAY.isoformat()
    # Back to 整改中 only by 驳回 (the form offers no way back), which clears the day.
    back = transition(db, saved["uid"], "reject", reason="佐证不足")
    assert back["status"] == ST_DOING and back["submitted_on"] == ""


def test_older_records_use_the_application_note(db):
    # Before submitted_on existed, “申请销号：…” in the progress notes is the record.
    item = {"status": ST_REVIEW, "deadline": "2026-11-18",
            "progress": [{"date": "2026-11-01", "text": "已制定方案"}, {"date": "2026-11-10", "text": "申请销号：已完成"}]}
    assert submitted_on(item) == dt.date(2026, 11, 10)
    assert deadline_state(item, TODAY) == DEADLINE_OK
    unknown = {"status": ST_REVIEW, "deadline": "2026-11-18", "progress": []}
    assert submitted_on(unknown) is None and deadline_state(unknown, TODAY) == DEADLINE_OVERDUE


def test_ledger_says_when_it_applied_and_not_overdue(demo_db, tmp_path):
    """The issue's case on the demo data: 政治敏锐性有待提高, deadline three days ago, applied
    twelve days ago. The ledger printed “待销号（已逾期）”."""
    path = export(demo_db, ExportOptions(kind="ledger", output=str(tmp_path / "l.docx")))
    rows = {r.cells[column("问题表现")].paragraphs[0].text: r for r in item_rows(open_doc(path).tables[0])}
    cell = rows["政治敏锐性有待提高"].cells[column("完成情况")].text
    assert cell.startswith("待销号（2026年11月9日申请）")
    assert "逾期" not in cell
    # An item that is late says so.
    doing_late = rows["担当作为不够主动"].cells[column("完成情况")].text
    assert doing_late.startswith("整改中（已逾期）")


def test_review_and_table_agree_with_the_ledger(demo_db):
    """`review` and the item table read light rows (from the index): they must judge the demo's
    in-time 销号 application as the ledger does, not as overdue."""
    from storage import Database
    from storage.queries import item_rows as light_item_rows
    from tui.review import collect

    lazy = Database.open(demo_db.path, lazy=True)
    assert not lazy.loaded("items")  # served from the index, as `review` and the first screen are
    rows = {r["title"]: r for c in lazy.all("campaigns") for r in light_item_rows(lazy, c["uid"])}
    assert deadline_state(rows["政治敏锐性有待提高"]) == DEADLINE_OK
    assert deadline_state(rows["担当作为不够主动"]) == DEADLINE_OVERDUE
    urgent = [u["title"] for u in collect(lazy, None, liaison=False)["urgent"]]
    assert "政治敏锐性有待提高" not in urgent and "担当作为不够主动" in urgent
