"""Record definitions: field specs, choices and validation.

The field specs are UI-neutral metadata. The TUI builds every edit form from
them (one form widget for all record types) and ``normalize`` validates any
record against them, so the rules live in exactly one place.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from .dates import DateError, iso, parse_date
from .errors import ValidationError
from .text import clean_text, scrub

# ---------------------------------------------------------------- choices

CAMPAIGN_KINDS = ("民主生活会", "组织生活会", "专项整治", "巡视巡察整改", "其他")
ITEM_KINDS = ("立行立改", "限期整改", "长期坚持")

ST_TODO, ST_DOING, ST_REVIEW, ST_DONE = "未启动", "整改中", "待销号", "已销号"
STATUSES = (ST_TODO, ST_DOING, ST_REVIEW, ST_DONE)

SUBJECT_GROUP = "党组班子"

OUTLINE_PARTS = (
    ("preface", "前言"),
    ("causes", "问题产生的原因"),
    ("commitments", "努力方向和改进措施"),
    ("next_steps", "下一步打算"),  # of the 整改落实情况报告 (writers/progress.py)
)

ROLE_LEADER, ROLE_CPC_MEMBER, ROLE_NONCPC_MEMBER, ROLE_STAFF = "党组成员", "党员委员", "党外委员", "机关干部"
ROLES = (ROLE_LEADER, ROLE_CPC_MEMBER, ROLE_NONCPC_MEMBER, ROLE_STAFF)
MEMBER_ROLES = (ROLE_CPC_MEMBER, ROLE_NONCPC_MEMBER)  # "委员" in tier 3

PARTIES = ("中共", "民革", "民盟", "民建", "民进", "农工党", "致公党", "九三学社", "台盟", "无党派", "群众")

TIERS = (
    ("1", "第一层：党组成员联系党员委员"),
    ("2", "第二层：党员委员联系党外委员"),
    ("3", "第三层：委员联系界别群众"),
)
TIER_SHORT = {1: "党组成员→党员委员", 2: "党员委员→党外委员", 3: "委员→界别群众"}

CONTACT_MODES = ("走访", "座谈", "电话", "微信", "调研", "活动")

# Document style of a campaign (campaign field ``style``, a dict; DESIGN §9). Every key is
# optional; a missing key takes the default below (dimension_heading: the dimension set's).
#   numbering          "yishi": problems and points as 一是、二是…; "digits": as 1. 2. …
#   heading            "alone": “（一）在……方面” on a line of its own; "run_in": run into the
#                      paragraph that follows (“（一）在……方面。一是……二是……”)
#   dimension_heading  wording of a dimension's heading, with {title} (the dimension's full
#                      title) or {short} (its short label): “在{title}方面”, “{title}方面” …
# Other keys are kept as they are (a later version may know them).
STYLE_NUMBERING = (("yishi", "一是、二是"), ("digits", "1. 2."))
STYLE_HEADING = (("alone", "标题单独成行"), ("run_in", "标题接排正文"))
STYLE_DEFAULTS = {"numbering": "yishi", "heading": "alone", "dimension_heading": "在{title}方面"}
RAISED_KINDS = ("意见建议", "社情民意")

# 征求意见: how an opinion was collected before the meeting, and who raised it (a kind, never a name).
OPINION_CHANNELS = ("座谈", "书面", "个别谈话", "意见箱", "网络")
OPINION_SOURCES = ("党员", "群众", "党外人士", "委员")

# ---------------------------------------------------------------- limits

MAX_LINE = 500  # single-line fields
MAX_TEXT = 200_000  # long text: a 100 000-character field must fit
MAX_LIST_ITEMS = 500
MAX_INT = 2**53  # integers beyond this do not survive JSON readers

SYSTEM_FIELDS = ("uid", "rev", "created", "created_by", "updated", "updated_by")


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record, as the form and the validator see it.

    kind: line | text | date | choice | list | int | bool | ref | progress
    """

    name: str
    label: str
    kind: str = "line"
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    max_len: int = 0
    min: int | None = None
    max: int | None = None
    default: Any = None
    placeholder: str = ""
    help: str = ""
    form: bool = True  # shown in the generic edit form
    ref: str = ""  # for kind == "ref": the referenced table

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(v for v, _ in self.choices)

    def choice_label(self, value: Any) -> str:
        for v, label in self.choices:
            if v == str(value):
                return label
        return str(value)

    def empty(self) -> Any:
        if self.default is not None:
            return self.default() if callable(self.default) else self.default
        return {"list": [], "progress": [], "int": None, "bool": False}.get(self.kind, "")


def _same(values: Iterable[str]) -> tuple[tuple[str, str], ...]:
    return tuple((v, v) for v in values)


F = FieldSpec

CAMPAIGN_FIELDS: tuple[FieldSpec, ...] = (
    F("name", "活动名称", required=True, max_len=100, placeholder="如：2024年度民主生活会"),
    F("kind", "活动类型", "choice", required=True, choices=_same(CAMPAIGN_KINDS), default="民主生活会"),
    F("year", "年度", "int", min=2000, max=2100),
    F("organ", "党组织", max_len=100, placeholder="如：中共××市政协党组"),
    F("meeting_date", "会议日期", "date"),
    F("report_title", "材料标题", max_len=200, help="留空则按活动名称自动生成"),
    F("signature", "署名", max_len=100, placeholder="如：中共××市政协党组"),
    F("report_date", "成文日期", "date"),
    F("dimensions", "整改维度", "dimensions", form=False),
    F("style", "文稿格式", "docstyle", default=dict, form=False),
    # The highest 征求意见 number ever given in the campaign, kept when that opinion is deleted,
    # so that a number is never given twice (storage/opinions.py).
    F("opinion_seq", "征求意见编号", "int", min=0, form=False),
)

ITEM_FIELDS: tuple[FieldSpec, ...] = (
    F("title", "问题概述", required=True, max_len=MAX_LINE, placeholder="一句话概括问题，如：理论学习深度不足"),
    F("dimension", "整改维度", "choice", required=True, help="所属维度"),
    F("subject", "材料主体", max_len=50, default=SUBJECT_GROUP, help="党组班子或个人姓名"),
    F("manifestation", "问题表现", "text", max_len=MAX_TEXT),
    F("example", "典型事例", "text", max_len=MAX_TEXT, placeholder="如/比如/例如……，见人见事"),
    F("cause", "原因剖析", "text", max_len=MAX_TEXT),
    F("measures", "整改措施", "list", max_len=MAX_TEXT, help="每行一条措施"),
    F("leader", "责任领导", max_len=100),
    F("owner_dept", "责任部门", max_len=200),
    F("kind", "整改类型", "choice", choices=_same(ITEM_KINDS), default="限期整改"),
    F("deadline", "整改时限", "date", help="如 2025-06-30、2025.6.30、2025年6月30日"),
    F("deadline_text", "时限说明", max_len=200, placeholder="如：2025年底前，并长期坚持"),
    F("status", "状态", "choice", required=True, choices=_same(STATUSES), default=ST_TODO),
    F("evidence", "佐证材料", "list", max_len=MAX_LINE, help="每行一项，如文件名或文号"),
    F("submitted_on", "申请销号日期", "date", form=False),
    F("closed_by", "销号审核人", max_len=50, form=False),
    F("closed_on", "销号日期", "date", form=False),
    F("progress", "进展情况", "progress", form=False),
    F("campaign", "整改活动", "ref", required=True, ref="campaigns", form=False),
    F("seq", "序号", "int", min=0, form=False),
    # Where the problem came from, e.g. “征求意见第3条” (kept by storage/opinions.py from the
    # opinions that point to the item; other entries are left as they are).
    F("sources", "问题来源", "list", max_len=MAX_LINE, form=False),
)

OUTLINE_FIELDS: tuple[FieldSpec, ...] = (
    F("part", "部分", "choice", required=True, choices=OUTLINE_PARTS, default="causes"),
    F("heading", "标题", max_len=MAX_LINE, placeholder="如：理想信念有所松懈"),
    F("points", "要点", "list", max_len=MAX_TEXT, help="每行一段"),
    F("subject", "材料主体", max_len=50, default=SUBJECT_GROUP),
    F("campaign", "整改活动", "ref", required=True, ref="campaigns", form=False),
    F("seq", "序号", "int", min=0, form=False),
)

PERSON_FIELDS: tuple[FieldSpec, ...] = (
    F("name", "姓名", required=True, max_len=50),
    F("role", "身份", "choice", required=True, choices=_same(ROLES)),
    F("party", "党派", "choice", choices=_same(PARTIES)),
    F("sector", "界别", max_len=50),
    F("committee", "专委会", max_len=50),
    F("unit_title", "单位职务", max_len=200),
    F("phone", "电话", max_len=40),
    F("note", "备注", "text", max_len=MAX_TEXT),
    F("active", "在册", "bool", default=True, form=False),
)

LINK_FIELDS: tuple[FieldSpec, ...] = (
    F("tier", "层级", "choice", required=True, choices=TIERS),
    F("from_person", "联系人", "ref", required=True, ref="persons"),
    F("to_person", "联系对象", "ref", ref="persons", help="第一、二层填写"),
    F("to_group", "界别群众", max_len=100, help="第三层填写，如：经济界别企业职工"),
    F("min_per_quarter", "每季度至少", "int", min=1, max=90, default=1),
    F("since", "开始日期", "date"),
    F("until", "结束日期", "date"),
    F("note", "备注", "text", max_len=MAX_TEXT),
)

CONTACT_FIELDS: tuple[FieldSpec, ...] = (
    F("link", "联系关系", "ref", required=True, ref="links", form=False),
    F("date", "日期", "date", required=True),
    F("mode", "方式", "choice", required=True, choices=_same(CONTACT_MODES), default="走访"),
    F("summary", "内容摘要", "text", required=True, max_len=MAX_TEXT),
    F("raised_kind", "反映类型", "choice", choices=_same(RAISED_KINDS)),
    F("raised", "反映的意见建议/社情民意", "text", max_len=MAX_TEXT),
    F("follow_up", "跟进落实", "text", max_len=MAX_TEXT),
    F("by", "记录人", max_len=50, form=False),
)

OPINION_FIELDS: tuple[FieldSpec, ...] = (
    F("date", "日期", "date", help="征求到这条意见的日期，如 2025-01-10"),
    F("channel", "渠道", "choice", choices=_same(OPINION_CHANNELS)),
    F("source_kind", "来源类别", "choice", choices=_same(OPINION_SOURCES), help="提出人的类别，不必填写姓名"),
    F("concerns", "涉及对象", max_len=50, default=SUBJECT_GROUP, help="党组班子或班子成员姓名"),
    F("dimension", "整改维度", "choice", help="归入本活动的哪个方面（可不选）"),
    F("content", "意见内容", "text", required=True, max_len=MAX_TEXT),
    F("item", "转为问题", "ref", ref="items", form=False),
    F("campaign", "整改活动", "ref", required=True, ref="campaigns", form=False),
    F("seq", "序号", "int", min=1, form=False),  # 征求意见第 N 条: given once, never renumbered
)

SPECS: dict[str, tuple[FieldSpec, ...]] = {
    "campaigns": CAMPAIGN_FIELDS,
    "items": ITEM_FIELDS,
    "outlines": OUTLINE_FIELDS,
    "persons": PERSON_FIELDS,
    "links": LINK_FIELDS,
    "contacts": CONTACT_FIELDS,
    "opinions": OPINION_FIELDS,
}
UID_PREFIX = {"campaigns": "c", "items": "i", "outlines": "o", "persons": "p", "links": "l", "contacts": "k",
              "opinions": "y"}
TABLE_LABEL = {
    "campaigns": "整改活动",
    "items": "整改事项",
    "outlines": "材料段落",
    "persons": "人员",
    "links": "联系关系",
    "contacts": "联系记录",
    "opinions": "征求意见",
}


def spec(table: str, name: str) -> FieldSpec:
    for f in SPECS[table]:
        if f.name == name:
            return f
    raise KeyError(f"{table}.{name}")


def new_uid(table: str) -> str:
    return UID_PREFIX.get(table, "r") + secrets.token_hex(5)


def blank(table: str, **values: Any) -> dict[str, Any]:
    """A new record with every field at its default."""
    rec = {f.name: f.empty() for f in SPECS[table]}
    rec.update(values)
    return rec


# ---------------------------------------------------------------- validation


def _coerce(f: FieldSpec, value: Any, errors: dict[str, str]) -> Any:
    k = f.kind
    if k in ("line", "text", "ref"):
        s = clean_text(value, multiline=(k == "text"))
        if f.max_len and len(s) > f.max_len:
            errors[f.name] = f"{f.label}：不能超过 {f.max_len} 字（现有 {len(s)} 字）"
        return s
    if k == "date":
        try:
            return iso(parse_date(value if value is not None else ""))
        except DateError as e:
            errors[f.name] = f"{f.label}：{e}"
            return str(value)
    if k == "choice":
        s = clean_text(value, multiline=False)
        if s and f.choices and s not in f.choice_values:
            errors[f.name] = f"{f.label}：“{s}”不是可选值（{'、'.join(f.choice_values)}）"
        return s
    if k == "list":
        if value is None:
            return []
        if isinstance(value, str):
            value = value.split("\n")
        if not isinstance(value, (list, tuple)):
            errors[f.name] = f"{f.label}：格式不正确"
            return []
        out = [clean_text(v) for v in value]
        out = [v for v in out if v]
        if len(out) > MAX_LIST_ITEMS:
            errors[f.name] = f"{f.label}：最多 {MAX_LIST_ITEMS} 条"
        elif f.max_len and any(len(v) > f.max_len for v in out):
            errors[f.name] = f"{f.label}：每条不能超过 {f.max_len} 字"
        return out
    if k == "int":
        if value is None or (isinstance(value, str) and not value.strip()):
            return f.empty()
        try:
            n = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            errors[f.name] = f"{f.label}：请填写整数"
            return value
        if abs(n) > MAX_INT:  # the file cannot hold it (and no count or year is this large)
            errors[f.name] = f"{f.label}：数值过大"
            return f.empty()
        if (f.min is not None and n < f.min) or (f.max is not None and n > f.max):
            lo = "" if f.min is None else f.min
            hi = "" if f.max is None else f.max
            errors[f.name] = f"{f.label}：应在 {lo}–{hi} 之间"
        return n
    if k == "bool":
        return bool(value)
    if k == "progress":
        out = []
        for note in value or []:
            if not isinstance(note, dict):
                errors[f.name] = f"{f.label}：格式不正确"
                break
            text = clean_text(note.get("text"))
            if not text:
                continue
            if len(text) > MAX_TEXT:
                errors[f.name] = f"{f.label}：每条不能超过 {MAX_TEXT} 字"
            try:
                d = iso(parse_date(note.get("date"))) or ""
            except DateError as e:
                errors[f.name] = f"{f.label}：{e}"
                d = ""
            out.append({"date": d, "text": text, "by": clean_text(note.get("by"), multiline=False)})
        return out
    if k == "dimensions":
        return _dimensions(value, errors)
    if k == "docstyle":
        return _docstyle(value, errors)
    return value


def _docstyle(value: Any, errors: dict[str, str]) -> dict[str, Any]:
    """A campaign's document style (see STYLE_DEFAULTS); None or "" is {} (all defaults)."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        errors["style"] = "文稿格式：格式不正确"
        return {}
    out = {k: scrub(v) for k, v in value.items()}
    for key, choices in (("numbering", STYLE_NUMBERING), ("heading", STYLE_HEADING)):
        if key in out:
            allowed = [v for v, _ in choices]
            if out[key] not in allowed:
                labels = "、".join(f"{v}（{label}）" for v, label in choices)
                shown = str(out[key])[:20]
                errors["style"] = f"文稿格式：“{shown}”不是可选值，可选：{labels}"
    if "dimension_heading" in out:
        t = clean_text(out["dimension_heading"], multiline=False) if isinstance(out["dimension_heading"], str) else ""
        rest = t.replace("{title}", "").replace("{short}", "")
        if not t or len(t) > 50 or rest == t or "{" in rest or "}" in rest:
            errors["style"] = "文稿格式：维度标题须含 {title}（维度全称）或 {short}（简称），不超过 50 字"
        out["dimension_heading"] = t
    return out


def _dimensions(value: Any, errors: dict[str, str]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    keys: set[str] = set()
    for d in value or []:
        if not isinstance(d, dict):
            errors["dimensions"] = "整改维度：格式不正确"
            return out
        key = clean_text(d.get("key"), multiline=False)
        title = clean_text(d.get("title"), multiline=False)
        short = clean_text(d.get("short"), multiline=False)
        if not key or key in keys:
            errors["dimensions"] = "整改维度：每个维度须有唯一的键"
        if not title:
            errors["dimensions"] = "整改维度：维度标题不能为空"
        if len(title) > MAX_LINE or len(short) > 20:
            errors["dimensions"] = "整改维度：标题不超过 500 字，简称不超过 20 字"
        keys.add(key)
        out.append({"key": key, "title": title, "short": short or title[:6]})
    return out


def coerce_fields(fields: Iterable[FieldSpec], data: Mapping[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The cleaned value of each field; problems go into ``errors`` (field -> Chinese message)."""
    out: dict[str, Any] = {}
    for f in fields:
        val = _coerce(f, data.get(f.name, f.empty()), errors)
        out[f.name] = val
        if f.required and f.name not in errors and val in ("", None, []):
            errors[f.name] = f"{f.label}：不能为空"
    return out


def normalize(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """Validate and clean a whole record; raise :class:`ValidationError`.

    Returns a new dict. System fields and unknown fields pass through untouched.
    """
    errors: dict[str, str] = {}
    known = {f.name for f in SPECS[table]}
    # Fields the specs do not know pass through, minus what no file can hold.
    out = {k: (v if k in known or k in SYSTEM_FIELDS else scrub(v)) for k, v in data.items()}
    out.update(coerce_fields(SPECS[table], data, errors))
    _cross_rules(table, out, errors)
    if errors:
        raise ValidationError(errors)
    return out


def _cross_rules(table: str, r: dict[str, Any], errors: dict[str, str]) -> None:
    if table == "items" and r.get("status") == ST_DONE:
        if not r.get("evidence"):
            errors.setdefault("evidence", "佐证材料：销号前须至少登记一项佐证材料")
        if not r.get("closed_by"):
            errors.setdefault("closed_by", "销号审核人：销号须填写审核人")
        if not r.get("closed_on"):
            errors.setdefault("closed_on", "销号日期：销号须填写日期")
    if table == "links":
        tier = r.get("tier")
        if tier in ("1", "2") and not r.get("to_person"):
            errors.setdefault("to_person", "联系对象：第一、二层须选择联系对象")
        if tier == "3" and not r.get("to_group"):
            errors.setdefault("to_group", "界别群众：第三层须填写联系的界别群众")
        if r.get("since") and r.get("until") and r["until"] < r["since"]:
            errors.setdefault("until", "结束日期：不能早于开始日期")
    if table == "campaigns" and not r.get("dimensions"):
        errors.setdefault("dimensions", "整改维度：至少需要一个维度")
