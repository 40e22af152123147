"""Small modal dialogs: confirm, message, prompt (a small form), edit conflict."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from storage import ConflictError, ValidationError, ZhenggaiError
from storage.models import FieldSpec, coerce_fields

from ..widgets.cells import fit
from ..widgets.footer import KeysFooter
from ..widgets.record_form import DateChecks, RecordForm

DIALOG_CSS = """
{name} {{ align: center middle; background: $background 60%; }}
{name} > #dialog {{
    width: 70; max-width: 95%; height: auto; max-height: 90%;
    border: thick $primary; background: $surface; padding: 0 1;
}}
{name} #dialog-title {{ text-style: bold; width: 1fr; padding: 0 0 1 0; }}
{name} #dialog-message {{ height: auto; max-height: 12; margin-bottom: 1; overflow-y: auto; }}
{name} #dialog-buttons {{ height: auto; align: right middle; margin-top: 1; }}
{name} #dialog-buttons Button {{ margin-left: 1; min-width: 8; }}
"""


def dialog_css(name: str) -> str:
    return DIALOG_CSS.format(name=name)


class ChoiceDialog(ModalScreen[Any]):
    """A title, a message and a row of buttons; Enter on the focused button answers.

    Subclasses give ``buttons`` as (id, label, variant), the button focused first,
    ``answers`` mapping a button id to the value to dismiss with, and what Esc answers.
    """

    def __init__(self, message: str, *, title: str, buttons: Sequence[tuple[str, str, str]], focus: str,
                 answers: Mapping[str, Any] | None = None, escape: Any = None) -> None:
        super().__init__()
        self.message = message
        self.dialog_title = title
        self.buttons = list(buttons)
        self.first_focus = focus
        self.answers = dict(answers or {})
        self.escape_answer = escape
        # Focused as the screen is shown (not only in on_mount): a key typed with the one that
        # opened the dialog finds the first button focused already, never another one.
        self.AUTO_FOCUS = f"#{focus}"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.dialog_title, id="dialog-title")
            yield Static(self.message, id="dialog-message", markup=False)
            with Horizontal(id="dialog-buttons"):
                for button_id, label, variant in self.buttons:
                    yield Button(label, variant=variant, id=button_id)  # type: ignore[arg-type]
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(f"#{self.first_focus}", Button).focus()
        self._fit_message()

    def on_resize(self) -> None:
        self._fit_message()

    def _fit_message(self) -> None:
        """A long message scrolls rather than push the buttons off a short terminal (60x18)."""
        message = self.query_one("#dialog-message", Static)
        message.styles.max_height = max(3, min(12, self.app.size.height - 12))
    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        self.dismiss(self.answers.get(button, button))

    def action_escape(self) -> None:
        self.dismiss(self.escape_answer)


class ConfirmDialog(ChoiceDialog):
    """Yes/no question. Enter on the focused button, Esc = no.

    The safe answer (``cancel_label``: 取消, 继续编辑 …) has the focus when the dialog opens,
    so a reflexive Enter (or one typed ahead with the key that opened it) never deletes,
    discards or overwrites anything; ← → or Tab reach the other button."""

    DEFAULT_CSS = dialog_css("ConfirmDialog")
    BINDINGS = [
        Binding("escape", "escape", "取消", tooltip="不执行，返回"),
        Binding("left,right", "app.focus_next", "切换按钮", show=False),
    ]

    def __init__(
        self, message: str, confirm_label: str = "确定", *, title: str = "请确认", cancel_label: str = "取消",
        default: bool = False,
    ) -> None:
        """``default=True`` would put the focus on the confirm button: no dialog of the app
        does (see the class docstring)."""
        super().__init__(
            message, title=title,
            buttons=[("confirm", confirm_label, "warning"), ("cancel", cancel_label, "default")],
            focus="confirm" if default else "cancel",
            answers={"confirm": True, "cancel": False}, escape=False,
        )


class MessageDialog(ChoiceDialog):
    """A message with one 知道了 button (refusals, errors)."""

    DEFAULT_CSS = dialog_css("MessageDialog")
    BINDINGS = [Binding("escape", "escape", "关闭", tooltip="关闭提示")]

    def __init__(self, message: str, *, title: str = "提示") -> None:
        super().__init__(message, title=title, buttons=[("ok", "知道了", "primary")], focus="ok",
                         answers={"ok": None}, escape=None)


class ConflictDialog(ChoiceDialog):
    """Someone else saved the record meanwhile: reload / keep mine / cancel.

    Returns ``"reload"``, ``"keep"`` or ``"cancel"``. When the record was
    deleted meanwhile only ``"keep"`` (save it again as it is in the form) is not
    offered; ``"reload"`` then means "close the form".
    """

    DEFAULT_CSS = dialog_css("ConflictDialog") + """
    ConflictDialog #dialog { border: thick $warning; }
    """
    BINDINGS = [Binding("escape", "escape", "取消", tooltip="继续编辑，暂不保存")]

    def __init__(self, error: ConflictError, changed: Sequence[tuple[str, Any, Any]] = ()) -> None:
        """``changed``: (field label, their value, my value in the form) of each field they changed."""
        self.error = error
        deleted = error.current is None
        lines = [str(error)]
        if not deleted and changed:
            lines.append("对方改动的字段（对方保存的 ／ 我表单中的）：")
            for label, theirs, mine in changed[:MAX_CONFLICT_FIELDS]:
                lines.append(f"· {label}：{_shown(theirs)} ／ {_shown(mine)}")
            if len(changed) > MAX_CONFLICT_FIELDS:
                rest = "、".join(label for label, _, _ in changed[MAX_CONFLICT_FIELDS:])
                lines.append(f"· 另有：{fit(rest, 50)}")
        if deleted:
            lines.append("“关闭表单”放弃这些修改；“取消”回到表单，可复制内容后再关闭。")
            buttons = [("reload", "关闭表单", "default")]
        else:
            lines.append("重新载入：用对方的；保留我的修改：覆盖对方的；取消：回到表单")
            buttons = [("reload", "重新载入", "default"), ("keep", "保留我的修改", "warning")]
        buttons.append(("cancel", "取消", "primary"))
        super().__init__("\n".join(lines), title="保存冲突", buttons=buttons, focus="cancel", escape="cancel")


MAX_CONFLICT_FIELDS = 4  # fields shown with both values; the others by name
CONFLICT_VALUE_CELLS = 24  # each value shortened to this many terminal cells


def _shown(value: Any) -> str:
    """A field's value on one line, shortened: lists joined with ；, empty as （空）."""
    if isinstance(value, (list, tuple)):
        value = "；".join(str(v) for v in value if str(v).strip())
    text = "" if value is None else str(value)
    return fit(text, CONFLICT_VALUE_CELLS) if text.strip() else "（空）"


def coerce_values(fields: Sequence[FieldSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate ``values`` by the storage coercion rules; raise ValidationError."""
    errors: dict[str, str] = {}
    out = coerce_fields(fields, values, errors)
    if errors:
        raise ValidationError(errors)
    return out


class FormDialog(ModalScreen[Any]):
    """A small modal form: Ctrl+S or 确定 submits, Esc cancels.

    Subclasses override :meth:`submit` (return the result to dismiss with, or
    raise ZhenggaiError; ValidationError is shown next to the fields).
    """

    DEFAULT_CSS = dialog_css("FormDialog") + """
    FormDialog #dialog-body { height: auto; max-height: 1fr; }
    """
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("ctrl+s", "submit", "确定", priority=True, tooltip="保存并关闭"),
        Binding("escape", "cancel", "取消", tooltip="不保存，关闭"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[FieldSpec],
        values: Mapping[str, Any] | None = None,
        *,
        message: str = "",
        choices: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        submit_label: str = "确定",
        date_checks: DateChecks | None = None,
    ) -> None:
        super().__init__()
        self.date_checks = date_checks
        self.dialog_title = title
        self.fields = list(fields)
        self.initial = dict(values or {})
        self.message = message
        self.choices = choices
        self.submit_label = submit_label

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(self.dialog_title, id="dialog-title")
            if self.message:
                yield Static(self.message, id="dialog-message", markup=False)
            with VerticalScroll(id="dialog-body", can_focus=False):
                yield self.compose_body()
            with Horizontal(id="dialog-buttons"):
                yield Button(self.submit_label, variant="primary", id="submit")
                yield Button("取消", id="cancel")
        yield KeysFooter()

    def compose_body(self) -> RecordForm:
        return RecordForm(self.fields, self.initial, self.choices, date_checks=self.date_checks, id="form")

    @property
    def form(self) -> RecordForm:
        return self.query_one("#form", RecordForm)

    def on_mount(self) -> None:
        self.initial_focus()

    def initial_focus(self) -> None:
        self.form.focus_first()

    def submit(self, values: dict[str, Any]) -> Any:
        return coerce_values(self.fields, values)

    def action_submit(self) -> None:
        if self.form.warnings():  # a date to confirm first (asked in a worker)
            self._submit_after_confirming()
        else:  # at once, so that keys typed after Ctrl+S find the dialog gone
            self._submit()

    @work(exclusive=True, group="form-dialog-submit")
    async def _submit_after_confirming(self) -> None:
        if await confirm_dates(self.app, self.form):
            self._submit()

    def _submit(self) -> None:
        try:
            result = self.submit(self.form.values())
        except ValidationError as e:
            self.form.show_errors(e.errors)
            return
        except ZhenggaiError as e:
            self.form.show_errors({"_": str(e)})
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def unsaved_changes(self) -> str:
        """The dialog's title when its fields were changed (the app asks before quitting)."""
        forms = self.query("#form").results(RecordForm) if self.is_mounted else []
        return self.dialog_title if any(f.dirty for f in forms) else ""

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()


async def confirm_dates(app, form: RecordForm) -> bool:
    """Before a save: True, or, when a changed date looks wrong (a deadline already past, a
    contact in the future), the user's answer to 仍然保存 / 返回修改 (返回修改 focused); back
    in the form, the first such field has the focus."""
    warnings = form.warnings()
    if not warnings:
        return True
    text = "\n".join(warnings.values()) + "\n\n仍然保存吗？"
    if await app.push_screen_wait(ConfirmDialog(text, confirm_label="仍然保存", cancel_label="返回修改", title="请核对日期")):
        return True
    form.focus_field(next(iter(warnings)))
    return False


class PromptDialog(FormDialog):
    """Ask for a few values; returns the validated dict or None."""

    DEFAULT_CSS = dialog_css("PromptDialog")

    def __init__(self, title: str, fields: Sequence[FieldSpec], values: Mapping[str, Any] | None = None, **kw: Any) -> None:
        super().__init__(title, fields, values, **kw)
