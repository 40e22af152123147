"""What the 三联系 panes ask for, decided by the screen: the forms, dialogs and storage calls.

The panes (tui/widgets/liaison_*.py) show the data and post a message for each request
(edit a person, end a link, import a CSV file, ...); :class:`LiaisonActions`, mixed into
LiaisonScreen, answers them here. The handlers go by name (``on_<pane>_<message>``), so
they are found through the mixin.
"""

from __future__ import annotations

import os
from typing import Any

from textual import work

from storage import ZhenggaiError
from storage.liaison import delete_impact, delete_person, end_link, link_label
from storage.models import PARTIES, ROLES, TIERS, FieldSpec

from ..widgets.liaison_contacts import ContactsPane
from ..widgets.liaison_links import LinksPane
from ..widgets.liaison_people import PeoplePane
from .dialogs import ConfirmDialog, PromptDialog
from .liaison_forms import contact_form, link_edit_form, person_form


class LiaisonActions:
    """Mixed into LiaisonScreen (which has ``db``, the four panes and ``reload_all``)."""

    db: Any
    people: PeoplePane
    links: LinksPane
    contacts: ContactsPane

    # ------------------------------------------------------------ people

    def on_people_pane_edit_person(self, message: PeoplePane.EditPerson) -> None:
        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.reload_all()
                self.people.table.select_key(saved["uid"])
                self.notify(f"已保存：{saved.get('name', '')}")

        self.app.push_screen(person_form(self.db, message.person), done)

    @work(exclusive=True, group="people-delete")
    async def on_people_pane_delete_person(self, message: PeoplePane.DeletePerson) -> None:
        p = message.person
        impact = delete_impact(self.db, p["uid"])
        if impact["links"] or impact["contacts"]:
            msg = (
                f"删除“{p.get('name', '')}”（{p.get('role', '')}）？\n"
                f"其 {impact['links']} 条联系关系将于今天结束（不会抹去），"
                f"{impact['contacts']} 条联系记录保留在历史中；此人标记为不在册。"
            )
        else:
            msg = f"删除“{p.get('name', '')}”（{p.get('role', '')}）？此人没有联系关系和记录，将被彻底删除。"
        if not await self.app.push_screen_wait(ConfirmDialog(msg, confirm_label="删除", title="删除人员")):
            return
        try:
            delete_person(self.db, p["uid"])
        except ZhenggaiError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(f"已删除：{p.get('name', '')}")
        self.reload_all()

    @work(exclusive=True, group="people-filter")
    async def on_people_pane_filter_people(self, message: PeoplePane.FilterPeople) -> None:
        persons = [p for p in self.db.table_dict("persons").values() if p.get("active", True)]

        def opts(key: str) -> tuple[tuple[str, str], ...]:
            return tuple((v, v) for v in sorted({p.get(key, "") for p in persons} - {""}))

        fields = [
            FieldSpec("role", "身份", "choice", choices=tuple((r, r) for r in ROLES)),
            FieldSpec("party", "党派", "choice", choices=tuple((p, p) for p in PARTIES)),
            FieldSpec("sector", "界别", "choice", choices=opts("sector")),
            FieldSpec("committee", "专委会", "choice", choices=opts("committee")),
        ]
        result = await self.app.push_screen_wait(
            PromptDialog("筛选人员", fields, self.people.filters, message="留空表示不限；Ctrl+S 确定，Esc 取消。")
        )
        if result is not None:
            self.people.set_filters({k: v for k, v in result.items() if v})

    @work(exclusive=True, group="people-import")
    async def on_people_pane_import_people(self, message: PeoplePane.ImportPeople) -> None:
        from storage import people_csv

        from .liaison_import import ImportPreviewScreen

        fields = [FieldSpec("path", "CSV 文件路径", required=True, max_len=1000, placeholder="如 /home/me/名单.csv",
                            help="表头：姓名,身份,党派,界别,专委会,单位职务,电话")]
        got = await self.app.push_screen_wait(PromptDialog("从 CSV 导入人员", fields, {}))
        if not got:
            return
        path = os.path.expanduser(got["path"])
        try:
            plan = people_csv.plan_import(self.db, path)
        except ZhenggaiError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        if not await self.app.push_screen_wait(ImportPreviewScreen(plan)):
            self.notify("已取消导入，未写入任何数据。")
            return
        try:
            result = people_csv.apply(self.db, plan)
        except ZhenggaiError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        extra = f"，{len(result['skipped'])} 行因刚被他人录入而跳过" if result["skipped"] else ""
        self.notify(f"已导入 {result['imported']} 名人员{extra}。")
        self.reload_all()

    @work(exclusive=True, group="people-export")
    async def on_people_pane_export_people(self, message: PeoplePane.ExportPeople) -> None:
        from storage import people_csv, settings

        from ..fetch_hint import fetch_hint

        fields = [FieldSpec("path", "导出到（CSV 文件或文件夹）", required=True, max_len=1000, placeholder="如 /home/me/人员名单.csv"),
                  FieldSpec("force", "文件已存在时覆盖", "bool")]
        folder = settings.export_dir()  # the folder of this user's last export
        initial = {"path": os.path.join(folder, people_csv.DEFAULT_EXPORT_NAME)} if folder else {}
        got = await self.app.push_screen_wait(PromptDialog("导出人员名单", fields, initial))
        if not got:
            return
        try:
            n, written = people_csv.write_export(self.db, got["path"], force=got.get("force", False))
        except ZhenggaiError as e:
            self.notify(str(e), severity="error", timeout=8)
            return
        settings.remember_export(written)
        self.notify(f"已导出 {n} 名人员到 {written}\n{fetch_hint(written)}", timeout=15)

    # ------------------------------------------------------------ links and contacts

    @work(exclusive=True, group="links-new")
    async def on_links_pane_new_link(self, message: LinksPane.NewLink) -> None:
        field = FieldSpec("tier", "层级", "choice", required=True, choices=TIERS)
        got = await self.app.push_screen_wait(
            PromptDialog("新建联系关系", [field], {"tier": message.tier}, message="先选择层级，下一步选择联系人和联系对象。")
        )
        if got:
            self.open_link_form(got["tier"])

    def on_links_pane_edit_link(self, message: LinksPane.EditLink) -> None:
        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.reload_all()

        self.app.push_screen(link_edit_form(self.db, message.link), done)

    @work(exclusive=True, group="links-end")
    async def on_links_pane_end_link(self, message: LinksPane.EndLink) -> None:
        link = message.link
        label = link_label(self.db.table_dict("persons"), link)
        if not await self.app.push_screen_wait(
            ConfirmDialog(f"结束联系关系“{label}”？\n结束日期为今天；已有的联系记录保留。", confirm_label="结束", title="结束联系关系")
        ):
            return
        try:
            end_link(self.db, link["uid"])
        except ZhenggaiError as e:
            self.notify(str(e), severity="error")
            return
        self.notify(f"已结束：{label}")
        self.reload_all()

    def on_contacts_pane_edit_contact(self, message: ContactsPane.EditContact) -> None:
        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.reload_all()

        self.app.push_screen(contact_form(self.db, message.link, message.contact), done)
