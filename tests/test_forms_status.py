"""The item form's 状态 offers only what the workflow allows from the item's status, never 已销号
(issue 12, item 4): 销号, 驳回 and 重启 need an approver or a reason and go through `a`."""

from __future__ import annotations

import pytest
from forms_helpers import HostApp
from textual.widgets import OptionList

from storage import ValidationError
from storage.items import add_item, create_campaign, form_statuses, save_item
from storage.models import ST_DOING, ST_DONE, ST_REVIEW, ST_TODO
from tui.screens.item_form import ItemFormScreen


async def _offered(db, item, camp_uid) -> tuple[list[str], str]:
    """The options the 状态 list shows when opened, and the hint under it."""
    app = HostApp(lambda: ItemFormScreen(db, camp_uid, item), db)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen.form
        form.focus_field("status")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        overlay = form.control("status").query_one(OptionList)
        offered = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
        hint = str(form.row("status").query_one(".field-sub").render())
    return [o for o in offered if o != "请选择"], hint


@pytest.mark.parametrize(
    "status, offered",
    [
        (None, [ST_TODO, ST_DOING]),
        (ST_TODO, [ST_TODO, ST_DOING]),
        (ST_DOING, [ST_DOING, ST_REVIEW]),
        (ST_REVIEW, [ST_REVIEW]),
        (ST_DONE, [ST_DONE]),
    ],
)
async def test_the_form_offers_only_the_allowed_statuses(db, status, offered):
    camp = create_campaign(db, "2024年度民主生活会", "dsh2024")
    item = None
    if status is not None:
        extra = {"evidence": ["文件"], "closed_by": "李四", "closed_on": "2026-11-01"} if status == ST_DONE else {}
        item = add_item(db, camp["uid"], "d1", "标题", status=status, **extra)
    shown, hint = await _offered(db, item, camp["uid"])
    assert shown == offered
    assert ST_DONE not in shown or status == ST_DONE
    assert "按 a" in hint


def test_storage_refuses_a_form_status_jump(db):
    camp = create_campaign(db, "2024年度民主生活会", "dsh2024")
    item = add_item(db, camp["uid"], "d1", "标题", status=ST_DOING, evidence=["文件"])
    for status in (ST_DONE, ST_TODO):
        with pytest.raises(ValidationError) as e:
            save_item(db, {**item, "status": status}, expected_rev=item["rev"])
        assert "按 a" in e.value.errors["status"]
    saved = save_item(db, {**item, "status": ST_REVIEW}, expected_rev=item["rev"])
    assert saved["status"] == ST_REVIEW
    with pytest.raises(ValidationError):
        save_item(db, {"campaign": camp["uid"], "dimension": "d1", "title": "新", "status": ST_DONE})
    assert form_statuses(ST_DONE) == (ST_DONE,)
