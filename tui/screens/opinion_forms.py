"""The 征求意见 forms, all on the generic RecordEditScreen / item form (no second form):

- :func:`opinion_form` — add or edit an opinion (日期, 渠道, 来源类别, 涉及对象, 整改维度, 意见内容);
- :class:`OpinionItemFormScreen` — the item form pre-filled from an opinion (title from its
  first clause, 问题表现 its content, its dimension); saving creates the item and links the
  opinion in one transaction;
- :class:`OpinionImportPreview` — what an import would write, every bad row with its line;
- :func:`filter_fields` — the filter dialog's fields.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Footer, Label, Static

from storage import ConflictError, NotFoundError
from storage.database import Database
from storage.models import OPINION_SOURCES, FieldSpec, spec
from storage.opinions import UNCLASSIFIED, convert, item_draft, save_opinion, source_label

from .item_form import ItemFormScreen, dimension_choices
from .liaison_import import ImportPreviewScreen
from .record_edit import RecordEditScreen

FORM_FIELDS = tuple(spec("opinions", n) for n in ("content", "date", "channel", "source_kind", "concerns", "dimension"))
CONVERTED = (("yes", "已转为问题"), ("no", "未转为问题"))


def opinion_form(db: Database, campaign_uid: str, opinion: dict[str, Any] | None = None) -> RecordEditScreen:
    camp = db.require("campaigns", campaign_uid)
    uid = opinion["uid"] if opinion else None

    def save(values: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in values.items() if k != "rev"}
        if uid is None:
            return save_opinion(db, {**data, "campaign": campaign_uid})
        try:
            return save_opinion(db, {**data, "uid": uid}, expected_rev=values.get("rev"))
        except NotFoundError as e:
            if e.table != "opinions":
                raise
            raise ConflictError("opinions", uid, values.get("rev") or 0, None) from None  # deleted meanwhile

    title = f"编辑{source_label(opinion.get('seq'))}" if opinion else "新增征求意见"
    return RecordEditScreen(f"{title} · {camp.get('name', '')}", FORM_FIELDS, opinion or {"concerns": "党组班子"}, save,
                            choices={"dimension": dimension_choices(camp)})


class OpinionItemFormScreen(ItemFormScreen):
    """A new item from an opinion; dismisses with the saved item or None."""

    def __init__(self, db: Database, opinion: dict[str, Any], dimension: str | None = None) -> None:
        draft = item_draft(db, opinion, dimension)
        super().__init__(db, opinion["campaign"], None, dimension=draft["dimension"], subject=draft["subject"])
        self.opinion = opinion
        self.record.update(draft)
        self.edit_title = f"由{source_label(opinion.get('seq'))}新建整改问题 · {self.campaign.get('name', '')}"

    def compose_before_form(self) -> ComposeResult:
        yield Static(f"来源：{source_label(self.opinion.get('seq'))}（保存后记入该问题的“问题来源”）",
                     id="opinion-source", markup=False)

    def _save_item(self, values: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in values.items() if k not in ("rev", "uid")}
        return convert(self.db, self.opinion["uid"], data, expected_rev=self.opinion.get("rev"))


def filter_fields(campaign: dict[str, Any]) -> list[FieldSpec]:
    dims = tuple(dimension_choices(campaign)) + ((UNCLASSIFIED, "（未归类）"),)
    return [
        FieldSpec("dimension", "整改维度", "choice", choices=dims),
        FieldSpec("source_kind", "来源类别", "choice", choices=tuple((s, s) for s in OPINION_SOURCES)),
        FieldSpec("converted", "转为问题", "choice", choices=CONVERTED),
    ]


class OpinionImportPreview(ImportPreviewScreen):
    """The import's preview; dismisses True when the user imports the good rows. The people
    import's preview with the plan's own lines: the same frame, keys, buttons and safe focus."""

    def __init__(self, plan: Any, lines: list[str]) -> None:
        super().__init__(plan)
        self.preview_lines = lines

    def compose(self) -> ComposeResult:
        with Vertical(id="preview"):
            yield Label(f"导入预览（{self.plan.source}）：{self.plan.summary()}", id="preview-title", markup=False)
            with VerticalScroll(id="preview-rows"):
                yield Static("\n".join(self.preview_lines), id="preview-body", markup=False)
            with Horizontal(id="preview-buttons"):
                if self.plan.good:
                    yield Button(f"导入 {len(self.plan.good)} 条", variant="primary", id="confirm")
                yield Button("取消", id="cancel")
        yield Footer()
