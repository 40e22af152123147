"""The workspace's navigation: dimensions, subjects, campaigns, the sidebar, other screens."""

from __future__ import annotations

from typing import Any

from storage.models import SUBJECT_GROUP
from storage.queries import item_rows, subjects

from .. import lazy
from ..filters import EMPTY as NO_FILTER
from ..widgets.cells import fit


class Navigation:
    """Mixed into MainScreen: where the workspace looks (see main.py for the state it keeps)."""

    def _open_last_used(self, camps: list[dict[str, Any]]) -> None:
        """The campaign and dimension this user had open last time in this database (settings),
        or the newest campaign's first dimension."""
        uid, dim = getattr(self, "_last_used", (None, None))
        camp = next((c for c in camps if c["uid"] == uid), None)
        keys = [d["key"] for d in (camp or {}).get("dimensions") or []]
        if camp is not None and (dim is None or dim in keys):
            self.campaign_uid, self.dimension = uid, dim
            return
        camp = camp or camps[0]
        dims = camp.get("dimensions") or []
        self.campaign_uid, self.dimension = camp["uid"], dims[0]["key"] if dims else None

    def _remember_place(self) -> None:
        """Note the campaign and dimension shown, for the next start (only when they changed)."""
        place = (self.campaign_uid, self.dimension)
        if place != getattr(self, "_last_used", None) and self.campaign_uid:
            from storage import settings

            self._last_used = place
            settings.remember_campaign(self.db.path, *place)

    def action_toggle_sidebar(self) -> None:
        """b: hide or show the sidebar (the table gets its width); remembered for next time."""
        from storage import settings

        pane = self.query_one("#side-pane")
        pane.display = not pane.display
        if not pane.display and self.sidebar.has_focus:
            self.table.focus()
        settings.update(**{settings.SIDEBAR_HIDDEN: not pane.display})
        self.notify("已显示侧栏" if pane.display else "已隐藏侧栏，按 b 再显示", timeout=2)

    def action_dimension(self, n: int) -> None:
        dims = self.dims()
        if not 1 <= n <= len(dims):
            self.notify(f"本活动只有 {len(dims)} 个维度", severity="warning")
            return
        self._close_search()
        self.dimension = dims[n - 1]["key"]
        self.reload()
        self.table.focus()

    def jump_to(self, uid: str | None) -> None:
        """From a search result to the item in its own dimension and subject."""
        item = self.db.light("items").get(uid) if uid else None
        if item is None:
            return
        self._close_search()
        self.campaign_uid = item.get("campaign")
        self.dimension = item.get("dimension")
        self.subject = item.get("subject") or SUBJECT_GROUP
        self.filters = dict(NO_FILTER)
        self.reload(select=uid)
        self.table.focus()

    def action_subject(self) -> None:
        if self.campaign_uid is None:
            return
        names = self.attempt(subjects, self.db, self.campaign_uid) or [SUBJECT_GROUP]
        options = [(s, s if s == SUBJECT_GROUP else f"个人：{s}") for s in names]

        def done(value: str | None) -> None:
            if value and value != self.subject:
                self.subject = value
                self._close_search()
                self.reload()

        self.app.push_screen(
            lazy.menu("材料主体", options, current=self.subject, note="新建个人事项时在表单的“材料主体”中填写姓名"),
            done,
        )

    def action_export(self) -> None:
        lazy.push(self.app, "export_dialog", "ExportDialog", self.db, self.campaign_uid, subject=self.subject,
                  callback=lambda _r: self.reload())

    def action_import(self) -> None:
        lazy.push(self.app, "import_screen", "ImportScreen", self.db, self.campaign_uid, callback=self._after_import)

    def _after_import(self, result: dict | None) -> None:
        camp = self.db.table_dict("campaigns").get(result["campaign"]) if result else None
        self._after_campaign(camp)

    def action_carry(self) -> None:
        """接续上年度: unfinished items of an earlier campaign into this one."""
        if self.campaign_uid is None:
            return
        from .carry_flow import start_carry

        def done(key: str) -> None:
            self.dimension = key
            self.reload()

        start_carry(self.app, self.db, self.campaign_uid, done)

    def action_liaison(self) -> None:
        lazy.push(self.app, "liaison", "LiaisonScreen", self.db, callback=lambda _r: self.reload())

    def action_opinions(self) -> None:
        """征求意见 of the campaign; v there comes back here with the problem selected."""
        if self.campaign_uid is None:
            self.notify("请先新建整改活动", severity="warning")
            return

        def done(result: dict | None) -> None:
            if isinstance(result, dict) and result.get("item"):
                self.jump_to(result["item"])
            else:
                self.reload()

        lazy.push(self.app, "opinions", "OpinionsScreen", self.db, self.campaign_uid, callback=done)

    def action_outline(self) -> None:
        if self.campaign_uid is None:
            return
        lazy.push(self.app, "outline_edit", "OutlineScreen", self.db, self.campaign_uid, self.subject,
                  callback=lambda _r: self.reload())

    def action_campaign(self) -> None:
        camp = self.campaign()
        options = [("new", "新建整改活动")]
        if camp:
            options = [("edit", "编辑本活动（名称、类型、年度……）"), ("dims", "编辑整改维度（标题、简称）"),
                       *options, ("carry", "接续上年度未销号的事项"), ("delete", "删除本活动及其全部事项")]

        def chosen(value: str | None) -> None:
            if value == "new":
                lazy.push(self.app, "campaign_form", "CampaignFormScreen", self.db, None, callback=self._after_campaign)
            elif value == "edit" and camp:
                lazy.push(self.app, "campaign_form", "CampaignFormScreen", self.db, camp, callback=self._after_campaign)
            elif value == "dims" and camp:
                lazy.push(self.app, "dimensions_edit", "DimensionsScreen", self.db, camp["uid"],
                          callback=lambda _r: self.reload())
            elif value == "carry" and camp:
                self.action_carry()
            elif value == "delete" and camp:
                self._delete_campaign(camp)

        title = f"整改活动：{fit(camp.get('name', ''), 30)}" if camp else "整改活动"
        self.app.push_screen(lazy.menu(title, options), chosen)

    def _after_campaign(self, result: dict | None) -> None:
        if isinstance(result, dict) and result.get("uid"):
            if result["uid"] != self.campaign_uid:
                self.campaign_uid = result["uid"]
                dims = [d["key"] for d in result.get("dimensions") or []]
                # a new campaign that carried last year's items opens where they went
                used = {r.get("dimension") for r in self.db.light("items", result["uid"]).values()}
                self.dimension = next((k for k in dims if k in used), dims[0] if dims else None)
                self.subject = SUBJECT_GROUP
                self._close_search()
        self.reload()

    def _delete_campaign(self, camp: dict[str, Any]) -> None:
        n = len(item_rows(self.db, camp["uid"]))

        def done(ok: bool | None) -> None:
            from storage.items import delete_campaign

            if ok and self.attempt(lambda: delete_campaign(self.db, camp["uid"]) or True):
                self.notify(f"已删除整改活动：{camp.get('name', '')}（删除前已备份）")
            self.reload()

        lazy.push(self.app, "dialogs", "ConfirmDialog",
                  f"确定删除整改活动“{camp.get('name', '')}”及其 {n} 个事项吗？\n删除前会自动备份。",
                  confirm_label="删除", callback=done)
