"""Campaign form, dimensions editor and outline sections; storage helpers for outlines."""

from __future__ import annotations

import pytest
from forms_helpers import HostApp, type_text
from textual.widgets import Input, OptionList

from storage.dimensions import BUILTIN_SETS
from storage.items import add_item, add_outline, create_campaign, reorder_outline, save_outline
from tui.screens.campaign_form import CampaignFormScreen
from tui.screens.dialogs import ConfirmDialog
from tui.screens.dimensions_edit import DimensionsScreen
from tui.screens.outline_edit import OutlineScreen
from tui.screens.record_edit import RecordEditScreen


@pytest.mark.parametrize("dset", BUILTIN_SETS, ids=[s.key for s in BUILTIN_SETS])
async def test_create_campaign_from_each_builtin_set(db, dset):
    app = HostApp(lambda: CampaignFormScreen(db), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen.form
        assert app.focused.id == "f-dimension_set"
        form.control("dimension_set").value = dset.key
        await pilot.pause()
        preview = str(app.screen.query_one("#dims-preview").render())
        assert dset.dimensions[0][1] in preview
        form.control("name").focus()
        await type_text(pilot, "测试活动")
        await pilot.press("ctrl+s")
        await pilot.pause()
    camps = db.all("campaigns")
    assert len(camps) == 1
    c = camps[0]
    assert c["name"] == "测试活动" and c["kind"] == dset.kind
    assert [(d["title"], d["short"]) for d in c["dimensions"]] == list(dset.dimensions)
    assert app.results[0]["uid"] == c["uid"]


async def test_new_campaign_needs_a_name(db):
    app = HostApp(lambda: CampaignFormScreen(db), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "活动名称" in str(app.screen.form.row("name").query_one(".field-error").render())
    assert db.all("campaigns") == []


async def test_rename_campaign(db):
    camp = create_campaign(db, "旧名称", "dsh2024")
    app = HostApp(lambda: CampaignFormScreen(db, camp), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "f-name"
        await pilot.press("ctrl+u")  # the cursor starts at the end: clear what is before it
        await type_text(pilot, "2025年度民主生活会")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert db.get("campaigns", camp["uid"])["name"] == "2025年度民主生活会"


async def test_edit_dimension_short_label_add_reorder_remove(db):
    camp = create_campaign(db, "活动", "dsh2024")
    add_item(db, camp["uid"], "d1", "有事项的维度")
    app = HostApp(lambda: DimensionsScreen(db, camp["uid"]), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        rows = screen.rows()
        rows[2].query_one(".dim-short", Input).value = "担当"
        # removing d1 is refused while it has items
        rows[0].query_one(".dim-title", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.rows()) == 5
        assert "还有 1 条整改事项" in str(screen.query_one("#dims-status").render())
        # remove d5, add a new one, move d4 up
        screen.rows()[4].query_one(".dim-title", Input).focus()
        await pilot.press("ctrl+r")
        await pilot.press("ctrl+n")
        await pilot.pause()
        await type_text(pilot, "新增的维度")
        screen.rows()[3].query_one(".dim-title", Input).focus()
        await pilot.press("ctrl+up")
        await pilot.press("ctrl+s")
        await pilot.pause()
    dims = db.get("campaigns", camp["uid"])["dimensions"]
    assert [d["key"] for d in dims][:4] == ["d1", "d2", "d4", "d3"]
    assert dims[3]["short"] == "担当"
    assert dims[4]["title"] == "新增的维度" and dims[4]["key"] == "d5"  # freed key reused
    assert len(dims) == 5


async def test_dimensions_cancel_guard(db):
    camp = create_campaign(db, "活动", "dsh2024")
    app = HostApp(lambda: DimensionsScreen(db, camp["uid"]), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "改")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("left", "enter")  # from 继续编辑 (the default) to 放弃修改
        await pilot.pause()
    assert app.results == [None]
    assert db.get("campaigns", camp["uid"])["rev"] == camp["rev"]


async def test_outline_add_edit_reorder_delete(db):
    camp = create_campaign(db, "活动", "dsh2024")
    add_outline(db, camp["uid"], "causes", "理想信念有所松懈", ["第一段"])
    app = HostApp(lambda: OutlineScreen(db, camp["uid"], "党组班子"), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(OptionList).option_count == 1
        # add
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, RecordEditScreen)
        editor.form.control("heading").focus()
        await type_text(pilot, "宗旨意识有所淡化")
        editor.form.control("points").focus()
        await type_text(pilot, "要点一")
        await pilot.press("enter")
        await type_text(pilot, "要点二")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one(OptionList).option_count == 2
        new = screen.selected
        assert new["heading"] == "宗旨意识有所淡化" and new["points"] == ["要点一", "要点二"]
        # reorder: the new one goes first in 原因
        await pilot.press("ctrl+up")
        await pilot.pause()
        assert [r["heading"] for r in screen.records] == ["宗旨意识有所淡化", "理想信念有所松懈"]
        # edit the highlighted one
        await pilot.press("e")
        await pilot.pause()
        app.screen.form.control("heading").value = "宗旨意识淡化"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.selected["heading"] == "宗旨意识淡化"
        # delete with confirmation (first cancel, then confirm)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert len(screen.records) == 2
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("enter")  # 取消 has the focus: nothing deleted
        await pilot.pause()
        assert len(screen.records) == 2
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("left", "enter")
        await pilot.pause()
        assert [r["heading"] for r in screen.records] == ["理想信念有所松懈"]
    assert [o["heading"] for o in db.all("outlines")] == ["理想信念有所松懈"]


def test_save_outline_and_reorder_helpers(db):
    camp = create_campaign(db, "活动", "dsh2024")
    a = save_outline(db, {"campaign": camp["uid"], "part": "causes", "heading": "甲", "points": ["1"]})
    b = save_outline(db, {"campaign": camp["uid"], "part": "causes", "heading": "乙", "points": []})
    c = save_outline(db, {"campaign": camp["uid"], "part": "preface", "heading": "前言", "points": []})
    assert (a["seq"], b["seq"], c["seq"]) == (1, 2, 1) and a["subject"] == "党组班子"
    reorder_outline(db, b["uid"], -1)
    assert db.get("outlines", b["uid"])["seq"] == 1 and db.get("outlines", a["uid"])["seq"] == 2
    assert reorder_outline(db, b["uid"], -1)["seq"] == 1  # already first
    moved = save_outline(db, {"uid": a["uid"], "campaign": camp["uid"], "part": "preface", "heading": "甲"}, expected_rev=db.get("outlines", a["uid"])["rev"])
    assert moved["part"] == "preface" and moved["seq"] == 2
    from storage import ValidationError

    with pytest.raises(ValidationError):
        save_outline(db, {"campaign": camp["uid"], "part": "nope", "heading": "x"})
