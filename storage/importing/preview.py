"""The preview of an import, as Chinese lines (the CLI prints them, the TUI shows them)."""

from __future__ import annotations

from ..dates import cn_date
from ..models import OUTLINE_PARTS
from .fill import labels as filled_labels
from .plan import Plan

TITLE_WIDTH = 44
STYLE_WORDS = {
    "numbering": {"yishi": "问题编号“一是、二是”", "digits": "问题编号“1.、2.”"},
    "heading": {"alone": "维度标题单独成行", "run_in": "维度标题与正文同段"},
}


def _cut(text: str, n: int = TITLE_WIDTH) -> str:
    t = " ".join((text or "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def style_text(style: dict[str, str]) -> str:
    return "，".join(STYLE_WORDS[k][v] for k, v in style.items() if k in STYLE_WORDS and v in STYLE_WORDS[k])


def preview_lines(plan: Plan, *, add_unmatched: bool = False, max_items: int = 50) -> list[str]:
    doc = plan.doc
    what = "对照检查材料" if doc.kind == "material" else "整改台账"
    out = [f"文件：{plan.source}（按{what}识别）"]
    if doc.title:
        out.append(f"标题：{doc.title}")
    if doc.kind == "material" and doc.title and "检查" not in doc.title and "剖析" not in doc.title:
        out.append("注意：标题中没有“对照检查”字样，请确认这是对照检查材料。")
    out += doc.notes
    if plan.new_campaign is not None:
        c = plan.new_campaign
        facts = [c.get("kind", ""), f"{c['year']}年度" if c.get("year") else "", c.get("organ", "")]
        facts = "，".join(f for f in facts if f)
        out.append(f"将新建整改活动：“{c['name']}”" + (f"（{facts}）" if facts else ""))
        if plan.set_name:
            out.append(f"  维度方案：{plan.set_name}（各标题均与之对应）")
        if not doc.title:
            out.append("  原文没有标题：活动以文件名命名，可在界面中改名。")
    else:
        out.append(f"导入到整改活动：“{plan.target_name}”")
    out.append(f"材料主体：{plan.subject}" + (f"（{plan.subject_note}）" if plan.subject_note else ""))
    style = (plan.new_campaign or {}).get("style") or plan.campaign_changes.get("style")
    if doc.style and style:
        out.append(f"文风：{style_text(doc.style)}（记在活动上，导出时沿用）")
    n_items = len(plan.items)
    out.append(f"维度与问题（共 {n_items} 项）：")
    shown = 0
    for pos, d in enumerate(plan.dims, 1):
        items = [(f, w) for k, f, w in plan.items if k == d.key]
        if not items and not d.new and not d.source:
            continue
        mark = "＋新增 " if d.new else ""
        line = f"  {pos}. {mark}{d.short}｜{_cut(d.title, 36)}：{len(items)} 项"
        if d.source and not squash_eq(d.source, d.title):
            line += f"（原文：{_cut(d.source, 24)}）"
        out.append(line)
        if d.note:
            out.append(f"     ！{d.note}")
        for n, (f, _) in enumerate(items, 1):
            if shown >= max_items:
                break
            shown += 1
            extra = []
            if f.get("example"):
                extra.append("含典型事例")
            if f.get("measures"):
                extra.append(f"措施 {len(f['measures'])} 条")
            if f.get("deadline") or f.get("deadline_text"):
                extra.append(f"时限 {f.get('deadline_text') or f.get('deadline')}")
            out.append(f"     {n}) {_cut(f.get('title', ''))}" + (f"  〔{'，'.join(extra)}〕" if extra else ""))
    if shown < n_items:
        out.append(f"     ……另有 {n_items - shown} 项未列出")
    if plan.unmatched:
        how = "将新增为维度" if add_unmatched else "加 --yes 时新增为维度"
        out.append(f"未对应到该活动维度的标题（{how}）：" + "；".join(_cut(u, 30) for u in plan.unmatched))
    if plan.outlines:
        labels = dict(OUTLINE_PARTS)
        out.append("材料段落：")
        for o in plan.outlines:
            head = _cut(o["heading"], 30) if o["heading"] else "（无标题）"
            out.append(f"  {labels.get(o['part'], o['part'])}：{head}，{len(o['points'])} 段")
    if doc.signature or doc.date:
        out.append(f"署名：{doc.signature or '（无）'}　日期：{cn_date(doc.date) if doc.date else '（无）'}")
    if plan.fills:
        out.append(f"已存在、将补充其空白内容 {len(plan.fills)} 项（已填写的内容不变）：")
        out += [f"  {w}：{_cut(t, 24)}　补充 {filled_labels(c)}" for _, c, w, t in plan.fills[:20]]
        if len(plan.fills) > 20:
            out.append(f"  ……另有 {len(plan.fills) - 20} 项")
    if plan.duplicates:
        out.append(f"已存在、将跳过 {len(plan.duplicates)} 项（可能已导入过）：")
        out += [f"  {w}：{_cut(t, 36)}" for w, t in plan.duplicates[:20]]
    if doc.warnings:
        out.append("请核对：")
        out += [f"  {w}" for w in doc.warnings[:30]]
        if len(doc.warnings) > 30:
            out.append(f"  ……另有 {len(doc.warnings) - 30} 条")
    if doc.skipped:
        out.append("未导入的内容：")
        out += [f"  {w}{('“' + _cut(t, 24) + '”') if t else ''}：{r}" for w, t, r in doc.skipped[:40]]
        if len(doc.skipped) > 40:
            out.append(f"  ……另有 {len(doc.skipped) - 40} 处")
    return out


def squash_eq(a: str, b: str) -> bool:
    from .text import heading_key

    return heading_key(a) == heading_key(b)
