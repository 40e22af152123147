"""SVG snapshots of the item form at 80x24 and 120x36 (frozen date, no cursor blink)."""

from __future__ import annotations

import pytest
from forms_helpers import HostApp

from storage.items import add_item, create_campaign
from tui.screens.item_form import ItemFormScreen


def _app(db):
    camp = create_campaign(db, "2024年度民主生活会", "dsh2024")
    item = add_item(
        db,
        camp["uid"],
        "d3",
        "担当意识不强，遇到难题绕着走",
        manifestation="对群众反映的难点问题研究不深。",
        measures=["建立难题清单", "每月调度一次"],
        leader="张三",
        owner_dept="办公室",
        deadline="2025-06-30",
        deadline_text="2025年底前，并长期坚持",
        progress=[{"date": "2026-11-01", "text": "已建立清单", "by": "tester"}],
    )
    return HostApp(lambda: ItemFormScreen(db, camp["uid"], item), db)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_item_form_snapshot(db, snap_compare, size):
    async def settle(pilot):
        await pilot.pause()

    assert snap_compare(_app(db), terminal_size=size, run_before=settle)
