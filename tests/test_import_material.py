"""Import of a 对照检查材料: the seeds' structures, and documents built here in each structure."""

from __future__ import annotations

import pytest

from storage.importing import ImportOptions, apply_import, build_plan, from_paragraphs, preview_lines
from storage.importing.material import recognise
from storage.queries import find_campaign, items_for, outlines_for
from writers.import_read import read_source

from import_helpers import seed, write_docx

DIMS = [
    "在带头严守政治纪律和政治规矩，维护党的团结统一方面",
    "在带头增强党性、严守纪律、砥砺作风方面",
]
PROBLEMS = [
    [("理论学习不够深入", "参加学习比较认真，但领悟不够深刻。", "如在学习重要论述时，未能结合调研课题深入研究。"),
     ("政治敏锐性有待提高", "对潜在的政治风险洞察不够。", "")],
    [("党性修养不够纯粹", "有时受人情干扰。", "比如审核预算调整时把关不严。"),
     ("纪律执行不够严格", "对迟到早退现象处理不严。", ""),
     ("廉洁自律意识需加强", "", "例如接受过工作餐之外的简单招待。")],
]
CAUSES = ("理想信念有所松懈", ["对理论学习的重要性认识不足。", "满足于完成规定动作。"])
PLANS = ("强化理论武装", ["坚持“第一议题”制度。", "每月开展一次专题研讨。"])
YI = "一二三四五"


def problem_text(n: int, p: tuple[str, str, str], style: str) -> str:
    mark = f"{YI[n]}是" if style == "yishi" else f"{n + 1}." if style == "digits" else f"（{n + 1}）"
    return mark + p[0] + "。" + p[1] + p[2]


def material(style: str, heading: str) -> list[str]:
    """A 对照检查材料 in one of the structures: numbering yishi/digits/paren, heading alone/run_in."""
    out = ["中共某某市政协党组2024年度民主生活会\n对照检查材料", "",
           "按照市委统一部署，党组班子认真查摆问题，现将对照检查情况报告如下。",
           "一、存在的突出问题"]
    for k, (dim, probs) in enumerate(zip(DIMS, PROBLEMS)):
        texts = [problem_text(n, p, style) for n, p in enumerate(probs)]
        if heading == "run_in":
            if style == "yishi":
                out.append(f"（{YI[k]}）{dim}。" + "".join(texts))
            else:
                out.append(f"（{YI[k]}）{dim}。" + texts[0])
                out += texts[1:]
        else:
            out.append(f"（{YI[k]}）{dim}")
            out += texts
    out += ["二、问题产生的原因", f"（一）{CAUSES[0]}", *[f"{YI[n]}是{p}" for n, p in enumerate(CAUSES[1])],
            "三、今后的努力方向和改进措施", f"（一）{PLANS[0]}。" + "".join(f"{YI[n]}是{p}" for n, p in enumerate(PLANS[1])),
            "", "中共某某市政协党组", "2025年1月20日"]
    return out


def check_campaign(db, camp, style: str, heading: str) -> None:
    assert camp["name"] == "中共某某市政协党组2024年度民主生活会"
    assert camp["report_title"] == "中共某某市政协党组2024年度民主生活会对照检查材料"
    assert camp["year"] == 2024 and camp["kind"] == "民主生活会"
    assert camp["organ"] == "中共某某市政协党组"
    assert camp["signature"] == "中共某某市政协党组" and camp["report_date"] == "2025-01-20"
    assert camp["dimension_set"] == "dsh2024"
    assert [d["short"] for d in camp["dimensions"]] == ["政治纪律", "党性作风", "担责创新", "从严治党", "整改落实"]
    assert camp["style"] == {"numbering": "yishi" if style == "yishi" else "digits", "heading": heading}
    items = items_for(db, camp["uid"])
    got = [(i["dimension"], i["seq"], i["title"], i["manifestation"], i["example"]) for i in items]
    want = [(f"d{k + 1}", n + 1, *p) for k, probs in enumerate(PROBLEMS) for n, p in enumerate(probs)]
    assert got == want
    causes = outlines_for(db, camp["uid"], part="causes")
    assert [(o["heading"], o["points"]) for o in causes] == [(CAUSES[0], CAUSES[1])]
    plans = outlines_for(db, camp["uid"], part="commitments")
    assert [(o["heading"], o["points"]) for o in plans] == [(PLANS[0], PLANS[1])]
    preface = outlines_for(db, camp["uid"], part="preface")
    assert [o["points"] for o in preface] == [["按照市委统一部署，党组班子认真查摆问题，现将对照检查情况报告如下。"]]


@pytest.mark.parametrize("style", ["yishi", "digits", "paren"])
@pytest.mark.parametrize("heading", ["alone", "run_in"])
def test_docx_round_trip_each_structure(db, tmp_path, style, heading):
    path = write_docx(tmp_path / "材料.docx", material(style, heading))
    doc = read_source(str(path))
    plan, result = apply_import(db, doc, str(path), ImportOptions())
    assert result["created"] and result["items"] == 5 and result["outlines"] == 3
    check_campaign(db, find_campaign(db, result["campaign"]), style, heading)


def test_txt_material_same_as_docx(db, tmp_path):
    path = tmp_path / "材料.txt"
    path.write_text("\n".join(material("yishi", "run_in")), encoding="gbk")
    _, result = apply_import(db, read_source(str(path)), str(path), ImportOptions())
    check_campaign(db, find_campaign(db, result["campaign"]), "yishi", "run_in")


def test_export_then_import_gives_the_same_items(demo_db, tmp_path, db_path):
    """The app's own 对照检查材料 comes back in as the same problems (title, 问题表现, 典型事例)."""
    from storage import Database
    from writers.export import ExportOptions, export

    camp = demo_db.all("campaigns")[0]
    out = tmp_path / "report.docx"
    export(demo_db, ExportOptions("report", str(out), campaign=camp["uid"]))
    other = Database.open(str(tmp_path / "other" / "z.json"), user="tester")
    _, result = apply_import(other, read_source(str(out)), str(out), ImportOptions())
    mine = [(i["title"], i["manifestation"], i["example"]) for i in items_for(demo_db, camp["uid"], subject="党组班子")]
    theirs = [(i["title"], i["manifestation"], i["example"]) for i in items_for(other, result["campaign"])]
    assert theirs == mine
    new = find_campaign(other, result["campaign"])
    assert [d["title"] for d in new["dimensions"]] == [d["title"] for d in camp["dimensions"]]
    # The parts of the 对照检查材料 (下一步打算 belongs to the 整改落实情况报告).
    outline = [(o["part"], o["heading"], o["points"]) for o in outlines_for(demo_db, camp["uid"]) if o["part"] != "next_steps"]
    assert outline and [(o["part"], o["heading"], o["points"]) for o in outlines_for(other, new["uid"])] == outline
    assert (new["signature"], new["report_date"]) == (camp["signature"], camp["report_date"])


def test_a_heading_broken_by_meaning_comes_back_whole(demo_db, tmp_path):
    """The app breaks a long （一） heading after its comma (a line break in the paragraph); the
    import reads it as one heading, so a campaign of its own titles gets them back whole."""
    from writers.export import ExportOptions, export

    camp = demo_db.all("campaigns")[0]
    import docx

    from storage import Database

    own = [{**d, "short": f"要求{n}", "title": f"带头严守第{n}项要求和政治规矩，维护党的团结统一"}
           for n, d in enumerate(camp["dimensions"], 1)]  # no built-in set has these
    demo_db.update("campaigns", camp["uid"], {"dimensions": own})
    out = tmp_path / "report.docx"
    export(demo_db, ExportOptions("report", str(out), campaign=camp["uid"]))
    assert any("，\n" in p.text for p in docx.Document(str(out)).paragraphs)  # really broken by a line break
    doc = read_source(str(out))
    assert {e.group for e in doc.entries} == {f"在{d['title']}方面" for d in own}
    plan = build_plan(Database.open(str(tmp_path / "o" / "z.json"), user="t"), doc, str(out), ImportOptions())
    assert [d.title for d in plan.dims] == [d["title"] for d in own]


@pytest.mark.parametrize("heading", ["alone", "run_in"])
def test_a_material_with_a_single_dimension_comes_back(demo_db, tmp_path, heading):
    """The app writes no lone “（一）” (nor a lone “一、”): a personal material of one dimension
    reads “一、存在的突出问题 / 在带头增强党性……方面 / ……”, and still comes back in whole."""
    from writers.export import ExportOptions, export

    out = tmp_path / f"p-{heading}.docx"
    export(demo_db, ExportOptions("report", str(out), subject="李秀兰", style={"heading": heading}))
    doc = read_source(str(out))
    assert [(e.group, e.fields["title"]) for e in doc.entries] == [("在带头增强党性、严守纪律、砥砺作风方面", "调查研究不够深入")]
    assert not doc.skipped and doc.subtitle == "李秀兰"
    plan = build_plan(demo_db, doc, str(out), ImportOptions())
    assert plan.subject == "李秀兰"


def test_a_part_that_is_the_only_one_has_no_numeral():
    mat = recognise(["某党组对照检查材料", "存在的突出问题", "（一）在甲方面", "一是问题甲。", "（二）在乙方面", "一是问题乙。"])
    assert [(p.kind, p.heading, [s.heading for s in p.sections]) for p in mat.parts] == [
        ("problems", "存在的突出问题", ["在甲方面", "在乙方面"])]
    assert mat.problem_count() == 2 and not mat.preface


def test_personal_material_subject_from_the_name_line(db, tmp_path):
    paras = ["2024年度民主生活会个人对照检查材料", "李秀兰", "一、存在的突出问题",
             "（一）在带头增强党性、严守纪律、砥砺作风方面", "一是调查研究不够深入。下基层次数少。"]
    path = write_docx(tmp_path / "李.docx", paras)
    plan = build_plan(db, read_source(str(path)), str(path), ImportOptions())
    assert plan.subject == "李秀兰"
    assert build_plan(db, read_source(str(path)), str(path), ImportOptions(subject="张三")).subject == "张三"


# ------------------------------------------------------------------ the seeds


def test_seed_000_personal_material_run_in(db):
    doc = read_source(str(seed("000")))
    plan = build_plan(db, doc, "000.txt", ImportOptions())
    assert plan.set_name.startswith("2024年度民主生活会")  # every heading is one of the default set
    titles = {d.key: [f["title"] for k, f, _ in plan.items if k == d.key] for d in plan.dims}
    assert titles["d1"] == ["理论学习深度不足", "政治敏锐性有待提高", "贯彻落实存在差距"]
    assert titles["d4"] == ["管党治党责任落实不够有力", "纪律教育效果不够理想", "督执纪不够严格"]
    assert len(plan.items) == 12
    first = plan.items[0][1]
    assert first["manifestation"].startswith("虽然积极参与各类政治理论学习，但对")  # half-width commas fixed
    assert first["example"].startswith("如在学习")
    assert doc.style == {"numbering": "yishi", "heading": "run_in"}
    # The text hidden by the web copy: the part after it is recognised as 原因 by its position.
    parts = [(o["part"], o["heading"], len(o["points"])) for o in plan.outlines]
    assert parts == [("causes", "制度执行不够严格", 3), ("commitments", "强化思想引领，提升政治素养", 3),
                     ("commitments", "锤炼过硬本领，增强履职能力", 3), ("commitments", "改进工作作风，树立良好形象", 3)]
    assert any("删节" in w for w in doc.warnings)
    assert any("此处隐藏" in text for _, text, _ in doc.skipped)


def test_seed_001_web_page_of_a_group_material(db):
    doc = read_source(str(seed("001")))
    plan = build_plan(db, doc, "001.txt", ImportOptions())
    assert doc.title == "市政协党组2022年度六个带头民主生活会对照检查材料"  # “(第2/4页)” dropped
    assert plan.new_campaign["name"] == "市政协党组2022年度六个带头民主生活会"
    assert plan.new_campaign["organ"] == "市政协党组" and plan.new_campaign["year"] == 2022
    assert plan.set_name.startswith("2022年度民主生活会「六个带头」")
    counts = {d.key: sum(1 for k, _, _ in plan.items if k == d.key) for d in plan.dims}
    # the three problems above the first heading belong to （三）, before （四）
    assert counts == {"d1": 0, "d2": 0, "d3": 3, "d4": 3, "d5": 3, "d6": 0}
    assert plan.items[0][1]["title"] == "在加强党对政协工作的全面领导上还不到位"
    assert doc.style == {"numbering": "digits", "heading": "alone"}
    debris = [t for _, t, r in doc.skipped if "网页" in r]
    assert "微信扫码分享" in debris and "221381" in debris
    text = "\n".join(preview_lines(plan))
    assert "按其后的编号推定" in text


def test_seed_003_research_report_partly(db):
    doc = read_source(str(seed("003")))
    plan = build_plan(db, doc, "003.txt", ImportOptions())
    assert [f["title"] for _, f, _ in plan.items] == [
        "政治理论学习载体不多，党建示范引领作用发挥不充分", "党建相关制度落实和执行还不够有力",
        "党建和业务融合不够，政协党建品牌特色不突出"]
    assert [d.title for d in plan.dims] == ["存在问题"]
    assert [o["heading"] for o in plan.outlines if o["part"] == "commitments"][0] == "加强党建示范引领，确保正确履职方向"
    assert any("经验做法" in t for _, t, _ in doc.skipped)
    assert "标题中没有“对照检查”字样" in "\n".join(preview_lines(plan))


@pytest.mark.parametrize("prefix", ["002", "004"])
def test_seeds_that_are_not_a_material_are_refused(prefix):
    from storage import ZhenggaiError

    with pytest.raises(ZhenggaiError, match="未能从.*识别出对照检查材料的结构"):
        read_source(str(seed(prefix)))


# ------------------------------------------------------------------ into an existing campaign


def test_headings_match_an_existing_campaign_tolerantly(demo_db, tmp_path):
    camp = demo_db.all("campaigns")[0]
    paras = ["一、存在的突出问题",
             "（一）在带头严守政治纪律和政治规矩,维护党的团结统一方面:一是新问题甲。表现甲。",  # half-width, colon
             "（二）党性作风方面", "1.新问题乙。表现乙。",  # the short label
             "（三）在带头抓好意识形态工作方面", "1.新问题丙。"]  # no such dimension
    path = write_docx(tmp_path / "x.docx", paras)
    doc = read_source(str(path))
    plan = build_plan(demo_db, doc, str(path), ImportOptions(campaign=camp["name"]))
    assert [k for k, _, _ in plan.items] == ["d1", "d2", "d6"]
    assert plan.unmatched == ["在带头抓好意识形态工作方面"]
    assert "加 --yes 时新增为维度" in "\n".join(preview_lines(plan))
    assert plan.blocked(add_unmatched=False)
    before = len(items_for(demo_db, camp["uid"]))
    _, result = apply_import(demo_db, doc, str(path), ImportOptions(campaign=camp["uid"], add_unmatched=True))
    camp2 = find_campaign(demo_db, camp["uid"])
    assert camp2["dimensions"][-1] == {"key": "d6", "title": "带头抓好意识形态工作", "short": "抓好意识形态"}
    assert len(items_for(demo_db, camp["uid"])) == before + 3
    new = [i for i in items_for(demo_db, camp["uid"], dimension="d1") if i["title"] == "新问题甲"][0]
    assert new["seq"] == max(i["seq"] for i in items_for(demo_db, camp["uid"], dimension="d1"))
    # importing the same file again adds nothing
    plan = build_plan(demo_db, doc, str(path), ImportOptions(campaign=camp["uid"]))
    assert not plan.items and len(plan.duplicates) == 3


def test_recogniser_does_not_split_inside_words():
    mat = recognise(["一、存在的突出问题", "（一）在政治方面。一是维护团结统一是根本。二是其他问题。表现。"])
    probs = mat.parts[0].sections[0].problems
    assert [p.title for p in probs] == ["维护团结统一是根本", "其他问题"]


def test_preview_lists_and_writes_nothing(db, db_path, tmp_path):
    path = write_docx(tmp_path / "m.docx", material("yishi", "alone"))
    plan = build_plan(db, from_paragraphs(material("yishi", "alone")), str(path), ImportOptions())
    text = "\n".join(preview_lines(plan))
    assert "将新建整改活动：“中共某某市政协党组2024年度民主生活会”" in text
    assert "1) 理论学习不够深入" in text and "问题产生的原因：理想信念有所松懈，2 段" in text
    assert not db.all("campaigns")


def test_long_text_and_control_characters_are_handled(db):
    from storage import ZhenggaiError

    long = "很长的表现" * 20000  # 100 000 characters in one problem
    doc = from_paragraphs(["一、存在的突出问题", "（一）在政治方面", f"一是标题\x07甲。{long}。", "二是标题\x00乙。"])
    _, result = apply_import(db, doc, "x.txt", ImportOptions())
    items = items_for(db, result["campaign"])
    assert [i["title"] for i in items] == ["标题甲", "标题乙"] and len(items[0]["manifestation"]) == 100001
    with pytest.raises(ZhenggaiError, match="文字太多"):
        from_paragraphs(["一、存在的突出问题"] + ["字" * 1000] * 2001)
