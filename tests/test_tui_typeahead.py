"""Keys that arrive in one burst (a slow SSH link, an IME committing a phrase) land where typed:
every key goes to the field that has focus after the keys before it, in order, whatever its
kind (printable, Backspace, Delete, arrows, Ctrl+U/K, Enter in list editors, Tab)."""

from __future__ import annotations

import pytest

from tests.tui_helpers import burst, settle, wait_for_screen
from tui.app import ZhenggaiApp
from tui.screens.item_form import ItemFormScreen

LEADER, DEPT = "陈立群", "研究室"  # item 1 of the demo data


async def _form_at_leader(pilot):
    """The issue's steps: e on item 1, Tab ×9 (focus in 责任领导)."""
    await pilot.press("e")
    form = await wait_for_screen(pilot, ItemFormScreen)
    await pilot.press(*["tab"] * 9)
    assert pilot.app.focused.id == "f-leader"
    assert form.form.values()["leader"] == LEADER and form.form.values()["owner_dept"] == DEPT
    return form


async def test_text_typed_right_after_tab_goes_to_the_next_field(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        form = await wait_for_screen(pilot, ItemFormScreen)
        # title -> 整改维度 -> 材料主体 -> 问题表现, all in one read
        burst(app, [*"标题甲", "tab", "tab", "tab", *"表现乙"])
        await settle(pilot)
        values = form.form.values()
        assert values["title"] == "标题甲"
        assert values["manifestation"] == "表现乙"


async def test_backspace_then_tab_in_one_read_edits_the_field_typed_in(demo_db):
    """Issue 12, item 1, exactly: type Y in 责任领导, then Backspace and Tab in one read."""
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await _form_at_leader(pilot)
        await pilot.press("Y")
        assert form.form.values()["leader"] == LEADER + "Y"
        burst(app, ["backspace", "tab"])
        await settle(pilot)
        values = form.form.values()
        assert values["leader"] == LEADER  # lost the Y
        assert values["owner_dept"] == DEPT  # untouched
        assert app.focused.id == "f-owner_dept"


async def test_backspace_then_shift_tab_in_one_read_edits_the_field_typed_in(demo_db):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await _form_at_leader(pilot)
        await pilot.press("tab", "Y")  # into 责任部门
        assert form.form.values()["owner_dept"] == DEPT + "Y"
        burst(app, ["backspace", "shift+tab"])
        await settle(pilot)
        values = form.form.values()
        assert values["owner_dept"] == DEPT
        assert values["leader"] == LEADER  # the previous field keeps its last character
        assert app.focused.id == "f-leader"


KINDS = [
    pytest.param(["backspace", "tab"], LEADER[:-1], DEPT, id="backspace"),
    pytest.param(["home", "delete", "tab"], LEADER[1:], DEPT, id="delete"),
    pytest.param(["left", "Z", "tab"], LEADER[:-1] + "Z" + LEADER[-1], DEPT, id="left-then-type"),
    pytest.param(["ctrl+u", "tab"], "", DEPT, id="ctrl+u"),
    pytest.param(["home", "ctrl+k", "tab"], "", DEPT, id="ctrl+k"),
    pytest.param(["X", "backspace", "Z", "tab"], LEADER + "Z", DEPT, id="type-backspace-type"),
    pytest.param(["tab", "backspace", "Z"], LEADER, DEPT[:-1] + "Z", id="tab-then-backspace"),
    pytest.param(["tab", "shift+tab", "backspace"], LEADER[:-1], DEPT, id="tab-back-backspace"),
]


@pytest.mark.parametrize("keys, leader, dept", KINDS)
async def test_every_kind_of_key_goes_where_it_was_typed(demo_db, keys, leader, dept):
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await _form_at_leader(pilot)
        burst(app, keys)
        await settle(pilot)
        values = form.form.values()
        assert (values["leader"], values["owner_dept"]) == (leader, dept)


async def test_enter_in_a_list_entry_then_shift_tab_and_typing(demo_db):
    # In 整改措施: End, Enter (a new entry), a word, Backspace; Shift+Tab back to the
    # first entry's neighbour field would be wrong: it goes to the entry before.
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = await _form_at_leader(pilot)
        await pilot.press("shift+tab", "shift+tab")  # the add button, then the last entry
        burst(app, ["end", "enter", *"新措施", "backspace", "shift+tab", "end", "backspace"])
        await settle(pilot)
        measures = form.form.values()["measures"]
        assert measures[-1] == "新措"
        assert measures[-2] == "围绕年度协商计划确定两个理论联系实际的调研课"
        assert form.form.values()["leader"] == LEADER


async def test_keys_typed_while_the_form_opens_go_into_it(demo_db):
    """e and the keys after it in one read: the form opens, then they are typed into it."""
    app = ZhenggaiApp(demo_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        burst(app, ["e", "end", *"（改）", "tab", "tab", "tab", "backspace"])
        await settle(pilot)
        form = await wait_for_screen(pilot, ItemFormScreen)
        values = form.form.values()
        assert values["title"] == "理论学习深度不足（改）"
        assert app.focused.id == "f-manifestation"
