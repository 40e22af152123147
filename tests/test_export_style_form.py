"""The document style is chosen in the campaign form (issue 10.3)."""

from __future__ import annotations

from forms_helpers import HostApp, type_text

from storage.dimensions import FOUR_AWARENESS
from storage.items import create_campaign
from tui.screens.campaign_form import CampaignFormScreen


async def test_choose_the_document_style_of_a_campaign(db):
    camp = create_campaign(db, "活动", "dsh2024")
    db.update("campaigns", camp["uid"], {"style": {**camp["style"], "future": "kept"}})
    camp = db.get("campaigns", camp["uid"])
    app = HostApp(lambda: CampaignFormScreen(db, camp), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen.form
        assert form.control("style_numbering").value == "yishi"
        assert form.control("style_heading").value == "alone"
        form.control("style_numbering").value = "digits"
        form.control("style_heading").value = "run_in"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    style = db.get("campaigns", camp["uid"])["style"]
    assert style == {"numbering": "digits", "heading": "run_in", "dimension_heading": "在{title}方面", "future": "kept"}


async def test_new_campaign_takes_the_sets_heading_wording(db):
    app = HostApp(lambda: CampaignFormScreen(db), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        form = app.screen.form
        form.control("dimension_set").value = FOUR_AWARENESS.key
        await pilot.pause()
        assert form.control("style_dimension_heading").value == "{title}方面"
        form.control("name").focus()
        await type_text(pilot, "专项整治")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (c,) = db.all("campaigns")
    assert c["style"] == {"numbering": "yishi", "heading": "alone", "dimension_heading": "{title}方面"}


async def test_a_wording_set_elsewhere_is_offered(db):
    camp = create_campaign(db, "活动", "dsh2024", style={"dimension_heading": "关于{short}"})
    app = HostApp(lambda: CampaignFormScreen(db, camp), db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.form.control("style_dimension_heading").value == "关于{short}"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert db.get("campaigns", camp["uid"])["style"]["dimension_heading"] == "关于{short}"
