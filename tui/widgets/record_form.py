"""One edit form for every record type, built from ``storage.models.FieldSpec``.

The form never validates business rules itself: it turns widget contents into
plain values (``values()``) and shows the ``ValidationError.errors`` the storage
layer returns (``show_errors``). Dates and integers get a live check as you type.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Callable, Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from storage.dates import DateError, cn_date, parse_date
from storage.models import FieldSpec

from .form_values import DateValidator, IntValidator, from_widget, progress_text, to_widget
from .list_editor import ListEditor
from .paste import LineInput

EDITABLE_KINDS = ("line", "text", "date", "choice", "list", "int", "bool", "ref")
READONLY_KINDS = ("progress",)

Choices = Mapping[str, Sequence[tuple[str, str]]]
# field name -> (the date typed, the form's values) -> a warning, or "" (storage.date_checks)
DateChecks = Mapping[str, Callable[[_dt.date, Mapping[str, Any]], str]]


# ---------------------------------------------------------------- the form


class FieldRow(Vertical):
    """Label, control, hint and error line of one field."""

    DEFAULT_CSS = """
    FieldRow { height: auto; margin-bottom: 1; }
    FieldRow > .field-main { height: auto; }
    FieldRow .field-label { width: 14; text-style: bold; padding-right: 1; }
    FieldRow .field-control { width: 1fr; }
    FieldRow .field-sub { margin-left: 14; height: auto; color: $text-muted; }
    FieldRow .field-sub.-ok { color: $success; }
    FieldRow .field-sub.-warn { color: $warning; text-style: bold; }
    FieldRow .field-error { margin-left: 14; color: $error; height: auto; display: none; }
    FieldRow.-has-error .field-error { display: block; }
    FieldRow.-has-error .field-label { color: $error; }
    FieldRow TextArea.field-control { height: 5; }
    FieldRow Input.field-control.-invalid { background-tint: $error 20%; }
    FieldRow .progress-view { width: 1fr; color: $text-muted; height: auto; max-height: 8; }
    """

    def __init__(self, spec: FieldSpec, control: Widget | None, value: Any) -> None:
        super().__init__(id=f"row-{spec.name}", classes=f"kind-{spec.kind}")
        self.spec = spec
        self.control = control
        self.value = value

    def compose(self) -> ComposeResult:
        s = self.spec
        with Horizontal(classes="field-main"):
            yield Label(s.label + (" *" if s.required else ""), classes="field-label")
            if self.control is not None:
                yield self.control
            else:
                yield Static(progress_text(self.value), classes="progress-view", markup=False)
        if s.kind == "list":
            sub = (s.help + " · " if s.help and "每行" not in s.help else "") + "Enter 新增 · 空行退格删除 · Ctrl+↑↓ 排序"
        else:
            sub = s.help
        yield Static(sub, classes="field-sub", markup=False)
        yield Static("", classes="field-error", markup=False)

    def on_mount(self) -> None:
        sub = self.query_one(".field-sub", Static)
        sub.display = bool(self.spec.help) or self.spec.kind in ("list", "date")

    def set_error(self, message: str) -> None:
        self.query_one(".field-error", Static).update(message)
        self.set_class(bool(message), "-has-error")
        if self.control is not None:
            self.control.set_class(bool(message), "-invalid")


class RecordForm(Vertical):
    """A form for ``fields`` filled from ``record``.

    ``choices`` overrides the choice list of a field by name (``[(value, label), ...]``).
    ``values()`` returns {field: value} for every editable field; ``dirty`` says
    whether anything differs from what the form was loaded with.
    """

    DEFAULT_CSS = """
    RecordForm { height: auto; padding: 0 1; }
    RecordForm > .form-error { color: $error; height: auto; display: none; margin-bottom: 1; }
    RecordForm > .form-error.-shown { display: block; }
    """

    class Changed(Message):
        """Some field changed (``name`` is the field)."""

        def __init__(self, form: "RecordForm", name: str) -> None:
            super().__init__()
            self.form = form
            self.name = name

        @property
        def control(self) -> "RecordForm":
            return self.form

    def __init__(
        self,
        fields: Sequence[FieldSpec],
        record: Mapping[str, Any] | None = None,
        choices: Choices | None = None,
        *,
        date_checks: DateChecks | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """``date_checks``: per date field, a check whose warning shows under the field as the
        date is typed (a past deadline, a future contact): warned about, never refused."""
        super().__init__(id=id, classes=classes)
        self.fields = [f for f in fields if f.kind in EDITABLE_KINDS + READONLY_KINDS]
        self.choices = dict(choices or {})
        self.date_checks = dict(date_checks or {})
        self._load(record or {})

    def _load(self, record: Mapping[str, Any]) -> None:
        self.record = dict(record)
        self._initial = {
            f.name: from_widget(f, to_widget(f, self._record_value(f)))
            for f in self.fields
            if f.kind in EDITABLE_KINDS
        }

    def _record_value(self, f: FieldSpec) -> Any:
        if f.name in self.record:
            return self.record[f.name]
        return f.empty()

    # ------------------------------------------------------------ building

    def _options(self, f: FieldSpec, current: Any) -> list[tuple[str, str]]:
        opts = list(self.choices.get(f.name, f.choices))
        values = {v for v, _ in opts}
        if current not in (None, "", Select.NULL) and str(current) not in values:
            opts.append((str(current), f"{current}（已不在可选范围）"))
        return [(str(v), str(label)) for v, label in opts]

    def _control(self, f: FieldSpec) -> Widget | None:
        value = to_widget(f, self._record_value(f))
        cid = f"f-{f.name}"
        k = f.kind
        if k == "text":
            ta = TextArea(value, soft_wrap=True, show_line_numbers=False, tab_behavior="focus", compact=True, id=cid, classes="field-control")
            if f.placeholder:
                ta.placeholder = f.placeholder
            return ta
        if k == "date":
            return LineInput(value, placeholder=f.placeholder or "如 2025-06-30", validators=[DateValidator()], compact=True, select_on_focus=False, id=cid, classes="field-control")
        if k == "int":
            return LineInput(value, placeholder=f.placeholder, validators=[IntValidator(f)], compact=True, select_on_focus=False, id=cid, classes="field-control")
        if k in ("choice", "ref"):
            opts = self._options(f, value)
            if value is not Select.NULL and value not in {v for v, _ in opts}:
                value = Select.NULL
            return Select(
                [(label, v) for v, label in opts],
                prompt="请选择" if opts else "（无可选项）",
                allow_blank=True,
                value=value,
                compact=True,
                id=cid,
                classes="field-control",
            )
        if k == "list":
            return ListEditor(value, placeholder=f.placeholder, id=cid, classes="field-control")
        if k == "bool":
            return Checkbox(f.label, value, id=cid, classes="field-control")
        if k == "progress":
            return None
        # No select-all on focus: over a slow link, what is typed ahead of the screen would
        # replace the whole field instead of adding to it.
        return LineInput(value, placeholder=f.placeholder, compact=True, select_on_focus=False, id=cid, classes="field-control")

    def compose(self) -> ComposeResult:
        yield Static("", classes="form-error", markup=False)
        for f in self.fields:
            yield FieldRow(f, self._control(f), self._record_value(f))

    def on_mount(self) -> None:
        for f in self.fields:
            if f.kind == "date":
                self._date_hint(f, self._raw(f))

    # ------------------------------------------------------------ reading

    def row(self, name: str) -> FieldRow:
        return self.query_one(f"#row-{name}", FieldRow)

    def control(self, name: str) -> Widget:
        return self.query_one(f"#f-{name}")

    def _raw(self, f: FieldSpec) -> Any:
        w = self.control(f.name)
        if isinstance(w, TextArea):
            return w.text
        if isinstance(w, ListEditor):
            return w.raw_entries
        if isinstance(w, Select):
            return w.value
        if isinstance(w, Checkbox):
            return w.value
        if isinstance(w, Input):
            return w.value
        return None

    def values(self) -> dict[str, Any]:
        """{field: value} of every editable field, ready for storage."""
        if not self.is_mounted:
            return dict(self._initial)
        return {f.name: from_widget(f, self._raw(f)) for f in self.fields if f.kind in EDITABLE_KINDS}

    @property
    def dirty(self) -> bool:
        return self.values() != self._initial

    @property
    def spec_names(self) -> list[str]:
        return [f.name for f in self.fields]

    # ------------------------------------------------------------ errors

    def show_errors(self, errors: Mapping[str, str]) -> None:
        """Show ``{field: message}`` inline; messages for fields not in the form go on top."""
        names = set(self.spec_names)
        first = None
        for f in self.fields:
            msg = errors.get(f.name, "")
            self.row(f.name).set_error(msg)
            if msg and first is None and f.kind in EDITABLE_KINDS:
                first = f.name
        other = [m for k, m in errors.items() if k not in names]
        top = self.query_one(".form-error", Static)
        top.update("\n".join(other))
        top.set_class(bool(other), "-shown")
        if first is not None:
            self.focus_field(first)
        elif other:
            top.scroll_visible()

    def clear_errors(self) -> None:
        self.show_errors({})

    def focus_field(self, name: str) -> None:
        w = self.control(name)
        w.focus()
        self.call_after_refresh(self.row(name).scroll_visible)

    def focus_first(self) -> None:
        for f in self.fields:
            if f.kind in EDITABLE_KINDS:
                self.control(f.name).focus()
                return

    async def load(self, record: Mapping[str, Any]) -> None:
        """Replace the form contents with ``record`` (e.g. the version on disk)."""
        self._load(record)
        await self.recompose()
        self.on_mount()

    # ------------------------------------------------------------ live checks

    def _spec(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def _date_hint(self, f: FieldSpec, raw: str) -> None:
        row = self.row(f.name)
        hint = row.query_one(".field-sub", Static)
        try:
            d = parse_date(raw)
        except DateError as e:
            hint.update("")
            hint.remove_class("-ok")
            hint.display = False
            row.set_error(f"{f.label}：{e}")
            return
        row.set_error("")
        hint.display = True
        if d is None:
            hint.update(f.help or "如 2025-06-30、2025.6.30、2025年6月30日")
            hint.remove_class("-ok")
        else:
            warning = self._date_warning(f.name, d)
            hint.update(f"⚠ {cn_date(d)}：{warning}" if warning else f"✓ {cn_date(d)}（{d.isoformat()}）")
            hint.set_class(not warning, "-ok")
            hint.set_class(bool(warning), "-warn")

    def _date_warning(self, name: str, d: _dt.date | None) -> str:
        check = self.date_checks.get(name)
        return check(d, self.values()) if check is not None and d is not None else ""

    def warnings(self, *, changed_only: bool = True) -> dict[str, str]:
        """{field: warning} of the date fields whose check warns (with ``changed_only``: of those
        whose value differs from what the form was loaded with, so an old date is not asked
        about at every save)."""
        out = {}
        values = self.values()
        for name in self.date_checks:
            f = self._spec(name)
            if f is None or (changed_only and values.get(name) == self._initial.get(name)):
                continue
            try:
                d = parse_date(values.get(name) or "")
            except DateError:
                continue
            warning = self._date_warning(name, d)
            if warning:
                out[name] = f"{f.label} {d.isoformat() if d else ''}：{warning}"
        return out

    def _field_of(self, widget: Widget) -> FieldSpec | None:
        node: Widget | None = widget
        while node is not None and node is not self:
            if isinstance(node, FieldRow):
                return node.spec
            node = node.parent  # type: ignore[assignment]
        return None

    def _changed(self, widget: Widget) -> None:
        f = self._field_of(widget)
        if f is None:
            return
        if f.kind == "date":
            self._date_hint(f, self._raw(f))
        elif f.kind == "int":
            res = IntValidator(f).validate(str(self._raw(f)))
            self.row(f.name).set_error("" if res.is_valid else f"{f.label}：{res.failure_descriptions[0]}")
        else:
            self.row(f.name).set_error("")
        for name in self.date_checks:  # a check may read other fields (a deadline: the status)
            other = self._spec(name)
            if other is not None and other is not f:
                self._date_hint(other, self._raw(other))
        self.post_message(self.Changed(self, f.name))

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if "entry" in event.input.classes:
            return
        self._changed(event.input)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        self._changed(event.text_area)

    @on(Select.Changed)
    def _select_changed(self, event: Select.Changed) -> None:
        self._changed(event.select)

    @on(Checkbox.Changed)
    def _check_changed(self, event: Checkbox.Changed) -> None:
        self._changed(event.checkbox)

    @on(ListEditor.Changed)
    def _list_changed(self, event: ListEditor.Changed) -> None:
        self._changed(event.editor)
