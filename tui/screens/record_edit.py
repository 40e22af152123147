"""Generic modal edit screen around :class:`RecordForm`.

``save(values)`` is called with the form values plus ``uid`` and ``rev`` of the
record the form is based on (when it has them), so the caller can pass
``expected_rev=values["rev"]``. After "保留我的修改" in a conflict, ``rev`` is
the revision now on disk, so the second save overwrites the other user's
version deliberately.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from storage import ConflictError, ValidationError, ZhenggaiError
from storage.models import FieldSpec

from ..widgets.footer import KeysFooter
from ..widgets.record_form import DateChecks, RecordForm
from .dialogs import ConfirmDialog, ConflictDialog, confirm_dates

SaveFn = Callable[[dict[str, Any]], dict[str, Any]]


class RecordEditScreen(ModalScreen[dict | None]):
    """Edit one record; dismisses with the saved record or None."""

    DEFAULT_CSS = """
    RecordEditScreen { align: center middle; background: $background 60%; }
    RecordEditScreen > #editor {
        width: 100%; max-width: 110; height: 1fr;
        border: thick $primary; border-title-style: bold; background: $surface;
    }
    RecordEditScreen #editor-scroll { height: 1fr; }
    RecordEditScreen #editor-status { height: auto; max-height: 3; color: $error; padding: 0 1; }
    RecordEditScreen #editor-status.-info { color: $text-muted; }
    """
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, tooltip="保存并关闭表单"),
        Binding("escape", "cancel", "取消", tooltip="关闭表单（有未保存的修改时先确认）"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        record: Mapping[str, Any] | None,
        save: SaveFn,
        *,
        choices: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        date_checks: DateChecks | None = None,
    ) -> None:
        super().__init__()
        self.date_checks = date_checks
        self.edit_title = title
        self.fields = list(fields)
        self.record = dict(record or {})
        self.save_fn = save
        self.choices = choices
        self._busy = False

    # ------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        with Vertical(id="editor") as editor:
            editor.border_title = self.edit_title
            with VerticalScroll(id="editor-scroll", can_focus=False):
                yield from self.compose_before_form()
                yield RecordForm(self.fields, self.record, self.choices, date_checks=self.date_checks, id="form")
                yield from self.compose_after_form()
            yield Static("", id="editor-status", markup=False)
        yield KeysFooter()

    def compose_before_form(self) -> ComposeResult:
        return iter(())

    def compose_after_form(self) -> ComposeResult:
        return iter(())

    @property
    def form(self) -> RecordForm:
        return self.query_one("#form", RecordForm)

    def on_mount(self) -> None:
        self.form.focus_first()

    def set_status(self, message: str, *, info: bool = False) -> None:
        st = self.query_one("#editor-status", Static)
        st.update(message)
        st.set_class(info, "-info")

    # ------------------------------------------------------------ saving

    def payload(self) -> dict[str, Any]:
        values = self.form.values()
        for key in ("uid", "rev"):
            if self.record.get(key) is not None:
                values[key] = self.record[key]
        return values

    def action_save(self) -> None:
        if self._busy:
            return
        self._save()

    @work(exclusive=True, group="record-save")
    async def _save(self) -> None:
        self._busy = True
        try:
            if not await confirm_dates(self.app, self.form):
                return
            while True:
                values = self.payload()
                try:
                    saved = self.save_fn(values)
                except ValidationError as e:
                    self.form.show_errors(e.errors)
                    self.set_status("未保存：" + str(e))
                    return
                except ConflictError as e:
                    if await self._conflict(e):
                        continue  # keep mine: save again over their version
                    return
                except ZhenggaiError as e:
                    self.set_status("未保存：" + str(e))
                    return
                self.dismiss(saved)
                return
        finally:
            self._busy = False

    def _changes(self, theirs: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
        """(label, their value, mine) of each field the colleague changed since the form opened."""
        mine = self.form.values()
        return [(f.label, theirs.get(f.name), mine.get(f.name, self.record.get(f.name)))
                for f in self.fields if theirs.get(f.name) != self.record.get(f.name) and f.kind != "progress"]

    async def _conflict(self, e: ConflictError) -> bool:
        """Ask what to do; True means "save again with the current rev"."""
        theirs = e.current
        choice = await self.app.push_screen_wait(ConflictDialog(e, self._changes(theirs or {})))
        if choice == "reload":
            if theirs is None:
                self.dismiss(None)
                return False
            self.record = dict(theirs)
            await self.form.load(theirs)
            self.form.focus_first()
            self.set_status("已载入对方保存的内容，您的修改已放弃。", info=True)
            return False
        if choice == "keep" and theirs is not None:
            self.record = dict(theirs)  # what mine now overwrites (its rev, and the base of the next check)
            return True
        self.set_status("尚未保存：" + str(e))
        return False

    # ------------------------------------------------------------ cancelling

    def unsaved_changes(self) -> str:
        """The form's title when it holds changes not saved (the app asks before quitting)."""
        return self.edit_title if self.is_mounted and self.form.dirty else ""

    def action_cancel(self) -> None:
        if not self.form.dirty:
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDialog("放弃未保存的修改？", confirm_label="放弃修改", cancel_label="继续编辑", default=False), answer)
