"""Item form, status workflow and progress notes, driven by Pilot on a real database."""

from __future__ import annotations

from forms_helpers import HostApp, type_text
from textual.widgets import Input, Select, TextArea

from storage.items import add_item, create_campaign
from tui.screens.dialogs import ConfirmDialog
from tui.screens.item_actions import NO_EVIDENCE, ItemActionScreen, ProgressNoteScreen
from tui.screens.item_form import ItemFormScreen
from tui.widgets.list_editor import ListEditor


def _camp(db):
    return create_campaign(db, "2024年度民主生活会", "dsh2024")


async def test_new_item_typed_in_chinese_is_saved(db):
    camp = _camp(db)
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], dimension="d3"), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "f-title"  # focus starts on 问题概述
        await type_text(pilot, "担当意识不强")
        form = app.screen.form
        # measures: two entries typed with Enter between them
        form.control("measures").focus()
        await pilot.pause()
        await type_text(pilot, "建立台账")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "定期督办")
        form.control("deadline").focus()
        await type_text(pilot, "2027年6月30日")
        form.control("leader").focus()
        await type_text(pilot, "张三")
        await pilot.pause()
        assert "2027年6月30日" in str(form.row("deadline").query_one(".field-sub").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(app.results) == 1
    saved = app.results[0]
    assert saved["title"] == "担当意识不强"
    assert saved["measures"] == ["建立台账", "定期督办"]
    assert saved["deadline"] == "2027-06-30"
    assert saved["dimension"] == "d3" and saved["leader"] == "张三"
    stored = db.get("items", saved["uid"])
    assert stored["measures"] == ["建立台账", "定期督办"] and stored["campaign"] == camp["uid"]


async def test_edit_item_every_kind_of_field(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "旧标题", measures=["甲", "乙", "丙"], evidence=["文件1"])
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        form = app.screen.form
        assert not form.dirty
        form.control("title").value = "新标题"
        form.query_one("#f-manifestation", TextArea).text = "表现一\n表现二"
        form.query_one("#f-kind", Select).value = "长期坚持"
        form.query_one("#f-dimension", Select).value = "d2"
        # reorder measures: move 丙 up, delete the emptied 甲
        editor = form.query_one("#f-measures", ListEditor)
        entries = list(editor.query(Input))
        entries[2].focus()
        await pilot.press("ctrl+up")
        entries[0].focus()
        await pilot.press("ctrl+e", *["backspace"] * 2)  # empty 甲, then backspace removes it
        await pilot.pause()
        assert editor.entries == ["丙", "乙"]
        assert form.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
    saved = db.get("items", item["uid"])
    assert saved["title"] == "新标题"
    assert saved["manifestation"] == "表现一\n表现二"
    assert saved["kind"] == "长期坚持"
    assert saved["dimension"] == "d2"
    assert saved["measures"] == ["丙", "乙"]
    assert saved["rev"] == item["rev"] + 1


async def test_bad_dates_show_inline_message_and_save_nothing(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题")
    for bad in ("2025-13-40", "明天"):
        app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            form = app.screen.form
            form.control("deadline").focus()
            await type_text(pilot, bad)
            await pilot.pause()
            live = str(form.row("deadline").query_one(".field-error").render())
            assert "整改时限" in live and ("月份" in live or "无法识别" in live)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, ItemFormScreen)  # still open
            assert "-has-error" in form.row("deadline").classes
            assert app.focused is form.control("deadline")
        assert app.results == []
        assert db.get("items", item["uid"])["rev"] == item["rev"]


async def test_empty_title_refused(db):
    camp = _camp(db)
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"]), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen.form
        assert "问题概述：不能为空" in str(form.row("title").query_one(".field-error").render())
        assert app.focused.id == "f-title"
    assert db.all("items") == []


async def test_cancel_guard_keep_editing_then_discard(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题")
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_text(pilot, "改")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("enter")  # 继续编辑 has the focus: a reflexive Enter loses nothing
        await pilot.pause()
        assert isinstance(app.screen, ItemFormScreen)
        assert app.screen.form.values()["title"] == "标题改"  # typing adds at the end
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm")  # 放弃修改
        await pilot.pause()
        assert not isinstance(app.screen, (ItemFormScreen, ConfirmDialog))
    assert app.results == [None]
    assert db.get("items", item["uid"])["title"] == "标题"


async def test_cancel_without_changes_closes_at_once(db):
    camp = _camp(db)
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"]), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def _run_action(db, item, action, keys=(), values=None):
    app = HostApp(lambda: ItemActionScreen(db, item, action), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for name, value in (values or {}).items():
            ctl = screen.form.control(name)
            if isinstance(ctl, TextArea):
                ctl.text = value
            else:
                ctl.value = value
        await pilot.press(*keys)
        await pilot.pause()
        info = {
            "refusal": screen.refusal,
            "message": "".join(str(m.render()) for m in screen.query("#dialog-message")),
            "errors": {r.spec.name: str(r.query_one(".field-error").render()) for r in screen.query("FieldRow")},
        }
    return app, info


async def test_workflow_close_requires_evidence_then_closes(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题", status="待销号")
    app, info = await _run_action(db, item, "close")
    assert info["refusal"] == NO_EVIDENCE
    assert "佐证材料" in info["message"]
    assert db.get("items", item["uid"])["status"] == "待销号"
    item = db.update("items", item["uid"], {"evidence": ["整改报告.docx"]})
    # approver missing -> inline error, nothing saved
    app, info = await _run_action(db, item, "close", ["ctrl+s"])
    assert "销号审核人：不能为空" in info["errors"]["closed_by"]
    assert db.get("items", item["uid"])["status"] == "待销号"
    app, info = await _run_action(db, item, "close", ["ctrl+s"], {"closed_by": "李四"})
    done = db.get("items", item["uid"])
    assert done["status"] == "已销号" and done["closed_by"] == "李四" and done["closed_on"] == "2026-11-21"
    assert app.results[0]["uid"] == item["uid"]


async def test_workflow_start_submit_reject_reopen(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题", evidence=["文件"])
    await _run_action(db, item, "start", ["enter"])
    assert db.get("items", item["uid"])["status"] == "整改中"
    await _run_action(db, db.get("items", item["uid"]), "submit", ["ctrl+s"])
    assert db.get("items", item["uid"])["status"] == "待销号"
    # reject needs a reason
    app, info = await _run_action(db, db.get("items", item["uid"]), "reject", ["ctrl+s"])
    assert "驳回原因：不能为空" in info["errors"]["reason"]
    await _run_action(db, db.get("items", item["uid"]), "reject", ["ctrl+s"], {"reason": "佐证不足"})
    it = db.get("items", item["uid"])
    assert it["status"] == "整改中" and it["progress"][-1]["text"] == "驳回：佐证不足"
    it = db.update("items", item["uid"], {"status": "已销号", "closed_by": "王五", "closed_on": "2026-11-01"})
    await _run_action(db, it, "reopen", ["ctrl+s"], {"reason": "群众反映问题反弹", "on": "2026.11.20"})
    it = db.get("items", item["uid"])
    assert it["status"] == "整改中" and it["closed_by"] == ""
    assert it["progress"][-1] == {"date": "2026-11-20", "text": "重启：群众反映问题反弹", "by": "tester"}


async def test_action_not_available_is_refused(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题")
    app, info = await _run_action(db, item, "close", ["enter"])
    assert "只适用于" in info["refusal"]
    assert db.get("items", item["uid"])["status"] == "未启动"
    assert app.results == [None]


async def test_progress_note_dated_today_by_os_user(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题")
    app = HostApp(lambda: ProgressNoteScreen(db, item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "f-text"
        await type_text(pilot, "已召开专题会")
        await pilot.press("ctrl+s")
        await pilot.pause()
    notes = db.get("items", item["uid"])["progress"]
    assert notes == [{"date": "2026-11-21", "text": "已召开专题会", "by": "tester"}]
    assert app.results[0]["progress"] == notes


async def test_progress_notes_shown_read_only_in_form(db):
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "标题", progress=[{"date": "2026-10-01", "text": "第一次进展", "by": "甲"}])
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        view = app.screen.form.row("progress").query_one(".progress-view")
        assert "2026年10月1日 第一次进展（甲）" in str(view.render())
        assert "progress" not in app.screen.form.values()


async def test_typing_into_an_opened_field_adds_to_it(db):
    # Keys typed ahead of a slow link reach the first field as soon as it has focus: they
    # must add to the title, not replace it (no select-all on focus).
    camp = _camp(db)
    item = add_item(db, camp["uid"], "d1", "理论学习不够深入")
    app = HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.focused.id == "f-title"
        await type_text(pilot, "等问题")
        await pilot.press("tab")
        await type_text(pilot, "d")  # the dimension Select: no text field
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert db.get("items", item["uid"])["title"] == "理论学习不够深入等问题"
