"""New campaign from a built-in dimension set, or edit / rename an existing one."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Static

from storage import ValidationError
from storage.database import Database
from storage.dimensions import BUILTIN_SETS, DEFAULT_SET, campaign_style, get_set
from storage.items import create_campaign
from storage.models import CAMPAIGN_FIELDS, STYLE_HEADING, STYLE_NUMBERING, FieldSpec

from ..widgets.record_form import RecordForm
from ..widgets.sidebar import newest_first
from .record_edit import RecordEditScreen

SET_FIELD = FieldSpec(
    "dimension_set",
    "维度方案",
    "choice",
    required=True,
    choices=tuple((s.key, s.name) for s in BUILTIN_SETS),
    default=DEFAULT_SET.key,
    help="新活动复制所选方案的维度，之后可在“整改维度”中修改",
)
# The campaign's document style (storage.models STYLE_*), one choice per key of ``style``.
HEADING_WORDINGS = (("在{title}方面", "（一）在……方面"), ("{title}方面", "（一）……方面"), ("{title}", "（一）……"))
STYLE_FIELDS = (
    FieldSpec("style_numbering", "问题编号", "choice", required=True, choices=STYLE_NUMBERING, default="yishi",
              help="对照检查材料中问题、原因和措施要点的编号"),
    FieldSpec("style_heading", "维度标题", "choice", required=True, choices=STYLE_HEADING, default="alone",
              help="单独成行，或接排正文：“（一）在……方面。一是……”"),
    FieldSpec("style_dimension_heading", "标题措辞", "choice", required=True, choices=HEADING_WORDINGS,
              default=HEADING_WORDINGS[0][0], help="维度标题的写法，……为维度全称"),
)
STYLE_KEYS = {f.name: f.name.removeprefix("style_") for f in STYLE_FIELDS}
EDIT_FIELDS = tuple(f for f in CAMPAIGN_FIELDS if f.form) + STYLE_FIELDS


def wording_label(template: str) -> str:
    return "（一）" + template.replace("{title}", "……").replace("{short}", "〔简称〕")


NO_CARRY = "-"
CARRY_FIELD = FieldSpec(
    "carry_from", "接续上年度", "choice", default=NO_CARRY,
    help="把所选活动中未销号的事项接续到新活动（原活动不作改动）",
)
CARRY_DIM_FIELD = FieldSpec("carry_dim", "接续到维度", "choice", help="接续的事项放入新活动的哪个维度")


def carry_choices(db: Database) -> list[tuple[str, str]]:
    """(uid, “name（未销号 N 项）”) of every campaign, newest first, after “不接续”."""
    from storage.queries import item_rows

    out = [(NO_CARRY, "不接续")]
    for c in newest_first(db.all("campaigns")):
        n = sum(1 for i in item_rows(db, c["uid"]) if i.get("status") != "已销号")
        out.append((c["uid"], f"{c.get('name', '')}（未销号 {n} 项）"))
    return out


def dim_choices(set_key: str) -> tuple[list[tuple[str, str]], str]:
    """The dimensions of a built-in set as choices, and the default (its 整改落实 dimension)."""
    from storage.carry import default_dimension

    dims = get_set(set_key).copy()
    return [(d["key"], f"{d['short']}｜{d['title']}") for d in dims], default_dimension({"dimensions": dims})


def dimensions_text(dims: list[dict[str, str]] | list[tuple[str, str]], note: str = "") -> str:
    lines = []
    for n, d in enumerate(dims, 1):
        title, short = (d.get("title", ""), d.get("short", "")) if isinstance(d, dict) else d
        lines.append(f"{n}. {short}｜{title}")
    if note:
        lines.append(f"注：{note}")
    return "\n".join(lines)


class CampaignFormScreen(RecordEditScreen):
    """Dismisses with the new or updated campaign, or None."""

    DEFAULT_CSS = """
    CampaignFormScreen #dims-preview { margin: 0 1 1 15; color: $text-muted; height: auto; }
    """

    def __init__(self, db: Database, campaign: dict[str, Any] | None = None) -> None:
        self.db = db
        self.is_new = campaign is None
        choices = None
        if campaign is None:
            carry = carry_choices(db) if db.table_dict("campaigns") else []
            fields = (SET_FIELD, *((CARRY_FIELD, CARRY_DIM_FIELD) if carry else ()), *EDIT_FIELDS)
            record = {f.name: f.empty() for f in fields}
            record["kind"] = DEFAULT_SET.kind
            title = "新建整改活动"
            if carry:
                dims, record["carry_dim"] = dim_choices(DEFAULT_SET.key)
                choices = {"carry_from": carry, "carry_dim": dims}
        else:
            fields = EDIT_FIELDS
            record = dict(campaign)
            title = f"编辑整改活动 · {campaign.get('name', '')}"
        style = campaign_style(campaign or {"dimension_set": DEFAULT_SET.key})
        record.update({name: style[key] for name, key in STYLE_KEYS.items()})
        wordings = list(HEADING_WORDINGS)
        if style["dimension_heading"] not in dict(wordings):  # set elsewhere (an import): offered too
            wordings.append((style["dimension_heading"], wording_label(style["dimension_heading"])))
        choices = {**(choices or {}), "style_dimension_heading": wordings}
        super().__init__(title, fields, record, self._save_campaign, choices=choices)
        self.carried = 0

    def compose_after_form(self) -> ComposeResult:
        yield Static(self._preview_text(), id="dims-preview", markup=False)

    def _preview_text(self) -> str:
        if self.is_new:
            key = self.form.values().get("dimension_set") if self.is_mounted else self.record.get("dimension_set")
            try:
                s = get_set(key or DEFAULT_SET.key)
            except KeyError:
                return ""
            return "所选方案的维度：\n" + dimensions_text(list(s.dimensions), s.note)
        return "整改维度（在“整改维度”中修改）：\n" + dimensions_text(self.record.get("dimensions", []))

    @on(RecordForm.Changed)
    def _changed(self, event: RecordForm.Changed) -> None:
        if event.name == "carry_from":
            self._follow_origin(self.form.values().get("carry_from") or NO_CARRY)
        if event.name == "dimension_set":
            self.query_one("#dims-preview", Static).update(self._preview_text())
            try:
                kind = get_set(self.form.values()["dimension_set"]).kind
            except KeyError:
                return
            self.form.control("kind").value = kind  # type: ignore[attr-defined]
            if "carry_dim" in self.form.spec_names:
                dims, default = dim_choices(self.form.values()["dimension_set"])
                select = self.form.control("carry_dim")
                select.set_options([(label, key) for key, label in dims])  # type: ignore[attr-defined]
                select.value = default  # type: ignore[attr-defined]
            # The set's own heading wording (专项整治: “（一）责任意识不强方面”).
            heading = get_set(self.form.values()["dimension_set"]).heading
            if heading in dict(HEADING_WORDINGS):
                self.form.control("style_dimension_heading").value = heading  # type: ignore[attr-defined]

    def _follow_origin(self, source: str) -> None:
        """Next year's campaign: the 党组织 of last year's, and the year after it, where still blank."""
        origin = self.db.get("campaigns", source) if source != NO_CARRY else None
        if not origin:
            return
        organ, year = self.form.control("organ"), self.form.control("year")
        if origin.get("organ") and not organ.value.strip():  # type: ignore[attr-defined]
            organ.value = origin["organ"]  # type: ignore[attr-defined]
        if isinstance(origin.get("year"), int) and not str(year.value).strip():  # type: ignore[attr-defined]
            year.value = str(origin["year"] + 1)  # type: ignore[attr-defined]

    def _save_campaign(self, values: dict[str, Any]) -> dict[str, Any]:
        # The style's keys go back into ``style``; keys this form does not show are kept.
        own = self.record.get("style") if isinstance(self.record.get("style"), dict) else {}
        chosen = {key: values.pop(name, "") for name, key in STYLE_KEYS.items()}
        values["style"] = {**own, **{k: v for k, v in chosen.items() if v}}
        if self.is_new:
            set_key = values.pop("dimension_set", "") or DEFAULT_SET.key
            try:
                get_set(set_key)
            except KeyError:
                raise ValidationError({"dimension_set": "维度方案：请选择一个方案"}) from None
            values = {k: v for k, v in values.items() if k not in ("uid", "rev")}
            name = values.pop("name", "")
            if not str(name).strip():
                raise ValidationError({"name": "活动名称：不能为空"})
            source = values.pop("carry_from", "") or NO_CARRY
            dim = values.pop("carry_dim", "")
            if source == NO_CARRY:
                return create_campaign(self.db, name, set_key, **values)
            from storage.carry import carry_over

            with self.db.transaction():  # the campaign and its carried items, or neither
                camp = create_campaign(self.db, name, set_key, **values)
                self.carried = len(carry_over(self.db, source, camp["uid"], dim or None))
            if self.carried:
                self.app.notify(f"已从上年度接续 {self.carried} 个未销号的事项（原活动未作改动）")
            return camp
        rev = values.pop("rev", None)
        uid = values.pop("uid")
        return self.db.update("campaigns", uid, values, expected_rev=rev)
