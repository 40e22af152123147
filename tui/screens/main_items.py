"""The workspace's item actions: new, edit, delete, status, progress, history, move, reorder."""

from __future__ import annotations


from storage.models import SUBJECT_GROUP

from .. import lazy
from ..undo_log import after_undo, record
from ..widgets.cells import fit


class ItemActions:
    """Mixed into MainScreen: what the keys do to the selected item."""

    def _after_save(self, result: dict | None) -> None:
        if isinstance(result, dict) and result.get("uid"):
            if self.search_text is None and result.get("campaign") == self.campaign_uid:
                if self.dimension is not None:
                    self.dimension = result.get("dimension") or self.dimension
                self.subject = result.get("subject") or self.subject
            self.reload(select=result["uid"])
        else:
            self.reload()
        self.table.focus()

    def action_new_item(self) -> None:
        if self.campaign_uid is None:
            self.notify("请先新建整改活动", severity="warning")
            return
        dims = self.dims()
        dim = self.dimension or (dims[0]["key"] if dims else None)
        lazy.push(self.app, "item_form", "ItemFormScreen", self.db, self.campaign_uid, None,
                  dimension=dim, subject=self.subject, callback=self._after_save)

    def action_edit_item(self) -> None:
        item = self.current_item()
        if item is None:
            return
        lazy.push(self.app, "item_form", "ItemFormScreen", self.db, item["campaign"], item,
                  dimension=item.get("dimension"), subject=item.get("subject") or SUBJECT_GROUP,
                  callback=self._after_save)

    def action_delete_item(self) -> None:
        item = self.current_item()
        if item is None:
            return

        from storage.opinions import delete_item, item_opinions  # opinions that became it are detached

        detached = tuple(o["uid"] for o in item_opinions(self.db, item["uid"]))

        def done(ok: bool | None) -> None:
            if ok:
                if self.attempt(delete_item, self.db, item["uid"], expected_rev=item.get("rev")) is not None:
                    record(self.app, "delete", item, None, detached)
                    self.notify(f"已删除：{fit(item.get('title', ''), 30)}（Ctrl+Z 撤销）")
            self.reload()

        n = len(detached)
        extra = f"\n它来自 {n} 条征求意见，这些意见将改为“未转为问题”。" if n else ""
        lazy.push(self.app, "dialogs", "ConfirmDialog",
                  f"确定删除事项“{fit(item.get('title', ''), 40)}”吗？\n删除会记入留痕，可从备份恢复。{extra}",
                  confirm_label="删除", callback=done)

    def action_status_action(self) -> None:
        item = self.current_item()
        if item is None:
            return
        from storage.items import TRANSITIONS, available_actions  # (not needed for the first frame)

        actions = available_actions(item)
        if not actions:
            self.notify(f"“{item.get('status')}”状态没有可用的操作", severity="warning")
            return
        options = [(a, TRANSITIONS[a][2]) for a in actions]

        def chosen(action: str | None) -> None:
            if action:
                lazy.push(self.app, "item_actions", "ItemActionScreen", self.db, item, action,
                          callback=self._after_save)

        self.app.push_screen(lazy.menu(f"状态：{item.get('status')}", options), chosen)

    def action_progress(self) -> None:
        item = self.current_item()
        if item is None:
            return
        lazy.push(self.app, "item_actions", "ProgressNoteScreen", self.db, item, callback=self._after_save)

    def action_history(self) -> None:
        uid = self.current_uid()
        if uid is None:
            return
        row = self.db.light("items").get(uid) or {}
        lazy.push(self.app, "history", "HistoryScreen", self.db, "items", uid, row.get("title") or uid)

    def action_move(self) -> None:
        item = self.current_item()
        if item is None:
            return
        options = [(d["key"], f"{n} {d.get('short') or ''}  {d.get('title', '')}")
                   for n, d in enumerate(self.dims(), 1) if d["key"] != item.get("dimension")]
        if not options:
            self.notify("本活动只有一个维度", severity="warning")
            return

        def chosen(key: str | None) -> None:
            if not key:
                return
            from storage.items import move_item

            moved = self.attempt(move_item, self.db, item["uid"], key)
            if moved:
                record(self.app, "move", item, moved)
                if self.dimension is not None:
                    self.dimension = key
                self.notify(f"已移到：{self.dim_label(key)}")
                self.reload(select=moved["uid"])

        self.app.push_screen(lazy.menu("移到维度", options), chosen)

    def action_reorder(self, delta: int) -> None:
        item = self.current_item()
        if item is None:
            return
        if self.sort is not None:
            from ..sorting import describe

            self.notify(f"列表正{describe(self.sort)}，序号顺序看不出来，不能在此调整。按 t 选“默认顺序”后再用 K / J 调整。",
                        title="暂不能调整顺序", severity="warning", timeout=6)
            return
        if self.search_text is not None or self.dimension is None:
            self.notify("请先在侧栏选中一个维度，再调整事项顺序", severity="warning")
            return
        from storage.items import reorder_item

        if self.attempt(reorder_item, self.db, item["uid"], delta) is not None:
            self.reload(select=item["uid"])

    # ------------------------------------------------------------ undo, copy

    def action_undo(self) -> None:
        """Ctrl+Z: undo this session's newest item change (edit, status, progress, move, delete)
        through storage, unless a colleague changed the item since (storage/undo.py)."""
        steps = getattr(self.app, "undo_steps", [])
        if not steps:
            self.notify("本次打开后还没有可撤销的修改", severity="warning")
            return
        from storage import ZhenggaiError
        from storage.undo import undo

        step = steps.pop()
        try:
            item = undo(self.db, step)
        except ZhenggaiError as e:
            self.notify(str(e), title="未撤销", severity="error", timeout=10)
            self.reload()
            return
        after_undo(self.app, step, item)
        self.notify(f"已撤销{step.label}" + ("（还可再按 Ctrl+Z）" if steps else ""), timeout=5)
        self.jump_to(item["uid"])

    def action_copy_item(self) -> None:
        """Ctrl+C: the selected item's text to the clipboard (OSC 52: the terminal puts it on
        the clipboard of the computer in front of the user, also over SSH)."""
        if self.get_selected_text():  # text selected with the mouse: that, as Textual does
            self.action_copy_text()
            return
        item = self.current_item()
        if item is None:
            return
        from ..item_text import item_text

        dim = self.dim_label(item.get("dimension")).split(" ", 1)[-1]
        self.app.copy_to_clipboard(item_text(item, dim))
        self.notify(f"已复制“{fit(item.get('title', ''), 24)}”的内容，可在 Word 等处粘贴。\n"
                    "（终端需允许程序写剪贴板；退出程序请按 Ctrl+Q）", title="已复制", timeout=5)
