"""What a form field's widget holds, and back: conversions, live validators, the progress view.

Shared by RecordForm (record_form.py); no widget of its own.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from textual.validation import ValidationResult, Validator
from textual.widgets import Select

from storage.dates import DateError, cn_date, iso, parse_date
from storage.models import FieldSpec


class DateValidator(Validator):
    def validate(self, value: str) -> ValidationResult:
        try:
            parse_date(value)
        except DateError as e:
            return self.failure(str(e))
        return self.success()


class IntValidator(Validator):
    def __init__(self, spec: FieldSpec) -> None:
        super().__init__()
        self.spec = spec

    def validate(self, value: str) -> ValidationResult:
        s = value.strip()
        if not s:
            return self.success()
        try:
            n = int(s)
        except ValueError:
            return self.failure("请填写整数")
        lo, hi = self.spec.min, self.spec.max
        if (lo is not None and n < lo) or (hi is not None and n > hi):
            return self.failure(f"应在 {'' if lo is None else lo}–{'' if hi is None else hi} 之间")
        return self.success()


# ---------------------------------------------------------------- conversions


def to_widget(spec: FieldSpec, value: Any) -> Any:
    """Record value -> what the widget holds."""
    k = spec.kind
    if k in ("choice", "ref"):
        return Select.NULL if value in (None, "") else str(value)
    if k == "list":
        if isinstance(value, str):
            value = value.split("\n")
        return [str(v) for v in value or []]
    if k == "bool":
        return bool(value)
    if k == "progress":
        return list(value or [])
    return "" if value is None else str(value)


def from_widget(spec: FieldSpec, raw: Any) -> Any:
    """Widget content -> value for storage (storage still validates it)."""
    k = spec.kind
    if k in ("choice", "ref"):
        return "" if raw is Select.NULL or raw is None or raw == Select.NULL else str(raw)
    if k == "list":
        return [str(v).strip() for v in raw if str(v).strip()]
    if k == "bool":
        return bool(raw)
    if k == "date":
        try:
            return iso(parse_date(raw))
        except DateError:
            return str(raw).strip()
    if k == "int":
        s = str(raw).strip()
        if not s:
            return None
        try:
            return int(s)
        except ValueError:
            return s
    return raw


def progress_text(notes: Iterable[Mapping[str, Any]]) -> str:
    lines = []
    for n in notes or []:
        who = f"（{n.get('by')}）" if n.get("by") else ""
        d = n.get("date") or ""
        try:
            d = cn_date(d) if d else ""
        except ValueError:
            pass
        lines.append(f"{d} {n.get('text', '')}{who}".strip())
    return "\n".join(lines) or "（暂无进展记录）"
