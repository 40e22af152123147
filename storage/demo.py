"""Fictional demo data that fills every screen.

Names, units and figures are invented. The problems follow the shape of real
对照检查材料 (problem, manifestation, a concrete example, cause, measures).
Dates are relative to "today" so overdue / due-soon items always exist.
"""

from __future__ import annotations

import datetime as _dt
import random
from typing import Any

from .database import Database
from .dates import today as _today
from .dimensions import DEFAULT_SET
from .errors import RuleError
from .items import create_campaign
from .models import ST_DOING, ST_DONE, ST_REVIEW, ST_TODO, SUBJECT_GROUP, blank

# (dimension, title, manifestation, example, cause, measures, leader, dept, kind, status, deadline offset days)
ITEMS: list[tuple[str, str, str, str, str, list[str], str, str, str, str, int | None]] = [
    ("d1", "理论学习深度不足",
     "参加各类政治理论学习比较认真，但对一些重要论述领悟不够深刻，学用结合不够紧密。",
     "如在学习关于加强和改进人民政协工作的重要思想时，未能结合调研课题深入研究，调研成果对履职的推动作用不够明显。",
     "理论学习满足于完成规定动作，缺乏钻研精神。",
     ["落实党组会议“第一议题”制度，每月开展一次专题研讨", "围绕年度协商计划确定两个理论联系实际的调研课题"],
     "陈立群", "研究室", "长期坚持", ST_DOING, 45),
    ("d1", "政治敏锐性有待提高",
     "面对复杂舆论环境，对潜在的意识形态风险洞察不够。",
     "例如，对网络上个别涉及政协工作的不实信息，未能及时察觉并引导，影响了政协的社会形象。",
     "对意识形态工作责任制的认识停留在文件层面。",
     ["建立涉政协舆情日报制度", "每季度开展一次意识形态形势分析"],
     "陈立群", "办公室", "限期整改", ST_REVIEW, -3),
    ("d1", "贯彻落实存在差距",
     "将上级决策部署落实到具体工作中时，有时存在打折扣的情况。",
     "如推动专委会协同开展年度重点工作时，部分事项未按计划完成，协调不够顺畅。",
     "抓落实的闭环机制不健全。",
     ["建立重点工作台账，每月通报进度"],
     "周文涛", "办公室", "立行立改", ST_DONE, -40),
    ("d2", "党性修养不够纯粹",
     "工作中有时受人情因素干扰，未能始终坚守党性原则。",
     "如审核个别预算调整申请时，未严格按财务制度把关，个别项目预算管理不够规范。",
     "对党性修养“没有终点”的认识不够到位。",
     ["修订机关预算调整审批办法", "重大支出一律提交党组会议研究"],
     "李秀兰", "机关事务科", "限期整改", ST_DOING, 5),
    ("d2", "纪律执行不够严格",
     "执行党规党纪存在宽松软的情况。",
     "例如，个别同志迟到早退，分管领导未及时发现并严肃处理，工作纪律有所松懈。",
     "管党治党“严”的氛围不浓。",
     ["开展纪律作风专项检查", "将考勤情况纳入年度考核"],
     "李秀兰", "人事科", "立行立改", ST_TODO, 20),
    ("d2", "廉洁自律意识需加强",
     "在一些工作交往中对细节注意不够。",
     "比如在与相关部门协调工作时，接受过工作餐以外的简单招待。",
     "对“小节”背后的风险警惕不足。",
     ["组织观看警示教育片并撰写心得", "严格执行公务接待规定"],
     "李秀兰", "机关纪委", "长期坚持", ST_DONE, -60),
    ("d3", "担当作为不够主动",
     "面对难题有时存在畏难情绪，满足于完成规定任务。",
     "如对基层政协反映强烈的“一人多委”问题，虽开展调研，但推动解决办法不多。",
     "“二线”思想有所滋长，干事创业的劲头减弱。",
     ["建立难点问题领导领办制度", "每半年向党组汇报一次推进情况"],
     "王建国", "委员工作室", "限期整改", ST_DOING, -10),
    ("d3", "创新意识不强",
     "谋划工作习惯用老办法，协商形式不够丰富。",
     "比如在推进网络协商、提案协商方面办法不多，调研报告多依靠机关干部完成。",
     "对新知识、新业务学习放松。",
     ["试点开展网络议政远程协商", "组织委员全程参与调研报告起草"],
     "王建国", "提案委员会", "限期整改", ST_TODO, 90),
    ("d3", "民主监督放不开手脚",
     "开展民主监督时存在顾虑，说多了怕越位，说少了怕不到位。",
     "例如，监督调研报告中提出的建议多、意见少，与有关部门面对面协商时直面问题不多。",
     "对民主监督的定位认识不够清晰。",
     ["制定民主监督工作规程", "每年确定一个民主监督重点课题"],
     "周文涛", "社会和法制委员会", "长期坚持", ST_REVIEW, 3),
    ("d4", "主体责任压得不实",
     "落实全面从严治党主体责任存在上热中温下冷现象。",
     "如部分支部“三会一课”记录不全，主题党日形式单一。",
     "责任传导机制不够健全。",
     ["签订全面从严治党责任书", "每季度检查支部组织生活记录"],
     "赵海峰", "机关党委", "限期整改", ST_DOING, 6),
    ("d4", "“一岗双责”落实不到位",
     "分管领导对分管部门党风廉政建设过问不多。",
     "比如年度内个别分管领导未与分管部门负责人开展廉政谈话。",
     "重业务轻党建的倾向依然存在。",
     ["建立班子成员廉政谈话台账"],
     "赵海峰", "机关纪委", "立行立改", ST_DONE, -30),
    ("d4", "党员委员先锋作用发挥有限",
     "功能型党支部活动不经常，对党员委员的教育管理偏弱。",
     "如各专委会功能型党支部每年仅在全会期间集中学习一次。",
     "针对党员委员特点开展活动研究不深。",
     ["功能型党支部每季度至少开展一次活动", "建立党员委员履职档案"],
     "陈立群", "机关党委", "长期坚持", ST_TODO, None),
    ("d5", "上年度整改措施落实不彻底",
     "个别整改事项满足于阶段性完成，长效机制建立不够。",
     "例如，上年度提出的“联系界别群众”整改措施，部分委员联系次数未达要求。",
     "整改“回头看”不经常。",
     ["开展整改落实“回头看”", "将三联系工作纳入委员履职考核"],
     "周文涛", "办公室", "限期整改", ST_DOING, -2),
    ("d5", "巡察反馈问题整改进度不均衡",
     "巡察反馈的问题中，制度建设类事项推进较慢。",
     "如公务用车管理制度修订超过原定时限仍未印发。",
     "对整改任务的时间节点把控不严。",
     ["倒排工期，明确每项任务完成时间", "整改完成情况在机关内网公示"],
     "李秀兰", "机关事务科", "限期整改", ST_REVIEW, 14),
]

OUTLINES: list[tuple[str, str, list[str]]] = [
    ("preface", "", [
        "根据市委关于召开年度民主生活会的通知要求，党组围绕“四个带头”主题，认真学习规定篇目，广泛征求意见，"
        "深入开展谈心谈话，紧密联系思想和工作实际，查摆问题、剖析根源、明确整改方向。现将有关情况报告如下。",
    ]),
    ("causes", "理论武装有所放松", ["对理论学习的重要性认识不足，学习的系统性、持续性不够，以学促干的成效不够明显。"]),
    ("causes", "党性锤炼有所弱化", ["对照党章党规检视自身不够经常，自我要求有所降低，对“小节”问题的警惕性不高。"]),
    ("causes", "宗旨意识有所淡化", ["深入基层、联系群众不够主动，对界别群众的所思所盼了解不深不透。"]),
    ("commitments", "在强化理论武装上下功夫", ["坚持“第一议题”制度，每年组织不少于12次集中学习研讨。"]),
    ("commitments", "在严守纪律规矩上下功夫", ["严格执行重大事项请示报告制度，以严的基调强化正风肃纪。"]),
    ("commitments", "在推动工作落实上下功夫", ["健全“三联系”工作机制，完善委员联系界别群众制度，推动整改事项落地见效。"]),
    # 下一步打算 of the 整改落实情况报告.
    ("next_steps", "持续巩固整改成果", ["对已销号的问题适时开展“回头看”，防止问题反弹回潮；对持续推进的问题逐项盯办，确保按期见效。"]),
    ("next_steps", "建立健全长效机制", ["把整改中形成的好经验好做法固化为制度，推动整改常态化、长效化。"]),
    ("next_steps", "推动整改成果转化", ["把整改成效体现到协商议政、民主监督和“三联系”工作的实际成效上，以整改实效推动政协工作高质量发展。"]),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN = "建国秀兰海峰立群文涛志强丽华明辉晓燕国庆玉梅振宇红霞春生静怡德林思远雪梅永刚慧敏"
SECTORS = ("经济界", "教育界", "科技界", "医药卫生界", "文化艺术界", "农业界", "社会福利界", "民主党派")
COMMITTEES = ("提案委员会", "经济委员会", "教科卫体委员会", "社会和法制委员会", "文化文史委员会")
PARTIES_NON = ("民革", "民盟", "民建", "民进", "农工党", "九三学社", "无党派")
GROUPS = ("经济界别企业职工", "教育界别一线教师", "医药卫生界别基层医务人员", "农业界别种植大户")


# The 党组成员 of the roster are the leaders the items name (责任领导, 销号审核人).
LEADERS = ("陈立群", "王建国", "周文涛", "李秀兰", "赵海峰")


def _names(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set(LEADERS)
    out = []
    while len(out) < n:
        i = rng.randrange(0, len(GIVEN) - 1, 2)
        name = rng.choice(SURNAMES) + GIVEN[i : i + 2]
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def load_demo(db: Database, *, force: bool = False, seed: int = 7) -> dict[str, int]:
    """Fill ``db`` with demo data. Refuses a non-empty database unless ``force``."""
    if not db.is_empty() and not force:
        raise RuleError("数据库中已有数据，未做任何改动。如确需覆盖，请加 --force（原数据会先备份）。")
    rng = random.Random(seed)
    today = _today()
    with db.transaction():
        if not db.is_empty():
            db.backup("import")
            for table in ("contacts", "links", "persons", "opinions", "outlines", "items", "campaigns"):
                for r in list(db.all(table)):
                    db.delete(table, r["uid"])
        camp = create_campaign(
            db,
            f"{today.year - 1}年度民主生活会",
            DEFAULT_SET.key,
            year=today.year - 1,
            organ="中共云海市政协党组",
            signature="中共云海市政协党组",
            meeting_date=(today - _dt.timedelta(days=300)).isoformat(),
            report_date=(today - _dt.timedelta(days=305)).isoformat(),
        )
        items = []
        seqs: dict[str, int] = {}
        for dim, title, man, ex, cause, measures, leader, dept, kind, status, offset in ITEMS:
            seqs[dim] = seqs.get(dim, 0) + 1
            rec = blank(
                "items",
                campaign=camp["uid"], dimension=dim, subject=SUBJECT_GROUP, seq=seqs[dim],
                title=title, manifestation=man, example=ex, cause=cause, measures=measures,
                leader=leader, owner_dept=dept, kind=kind, status=status,
            )
            if offset is not None:
                d = today + _dt.timedelta(days=offset)
                if kind == "长期坚持":  # “X月底前，并长期坚持”: the deadline is that month's last day
                    d = _month_end(d)
                    when = f"{d.year}年底前" if d.month == 12 else f"{d.year}年{d.month}月底前"
                    rec["deadline_text"] = f"{when}，并长期坚持"
                rec["deadline"] = d.isoformat()
            elif kind == "长期坚持":
                rec["deadline_text"] = "长期坚持"
            if status != ST_TODO:
                rec["progress"] = [
                    {"date": (today - _dt.timedelta(days=50)).isoformat(), "text": "已制定整改方案，明确责任分工。", "by": "demo"},
                ]
            if status in (ST_REVIEW, ST_DONE):
                rec["progress"].append({"date": (today - _dt.timedelta(days=12)).isoformat(), "text": "整改措施已落实，提交销号申请。", "by": "demo"})
                rec["submitted_on"] = (today - _dt.timedelta(days=12)).isoformat()
                rec["evidence"] = [f"〔{today.year}〕{rng.randint(3, 40)}号文件", "整改情况说明"]
            if status == ST_DONE:
                rec["closed_by"] = "陈立群"
                rec["closed_on"] = (today - _dt.timedelta(days=8)).isoformat()
            items.append(rec)
        # A personal item so the subject switcher has something to show.
        items.append(blank(
            "items", campaign=camp["uid"], dimension="d2", subject="李秀兰", seq=1,
            title="调查研究不够深入", manifestation="下基层调研次数不少，但蹲点调研、解剖麻雀少。",
            example="如年度内赴县区调研6次，均为当天往返，未形成有分量的调研报告。",
            measures=["每年蹲点调研不少于2次，形成专题报告"], leader="李秀兰", owner_dept="研究室",
            kind="限期整改", status=ST_DOING, deadline=(today + _dt.timedelta(days=30)).isoformat(),
        ))
        db.insert_many("items", items)
        outlines = []
        oseq: dict[str, int] = {}
        for part, heading, points in OUTLINES:
            oseq[part] = oseq.get(part, 0) + 1
            outlines.append(blank("outlines", campaign=camp["uid"], part=part, heading=heading, points=points, seq=oseq[part]))
        db.insert_many("outlines", outlines)

    people = _people(rng)
    with db.transaction():
        db.insert_many("persons", people)
        links, contacts = _links_and_contacts(rng, people, today)
        db.insert_many("links", links)
        db.insert_many("contacts", contacts)
    return {"campaigns": 1, "items": len(items), "outlines": len(outlines), "persons": len(people), "links": len(links), "contacts": len(contacts)}


def _month_end(d: _dt.date) -> _dt.date:
    first_of_next = (d.replace(day=1) + _dt.timedelta(days=32)).replace(day=1)
    return first_of_next - _dt.timedelta(days=1)


def _people(rng: random.Random) -> list[dict[str, Any]]:
    names = _names(rng, 34)  # drawn as before, so the rest of the roster stays as it was
    names[: len(LEADERS)] = LEADERS
    people = []
    plan = [("党组成员", 5), ("党员委员", 12), ("党外委员", 15), ("机关干部", 2)]
    k = 0
    for role, n in plan:
        for _ in range(n):
            party = "中共" if role in ("党组成员", "党员委员", "机关干部") else rng.choice(PARTIES_NON)
            sector = rng.choice(SECTORS)
            if party == "中共" and sector == "民主党派":  # a 中共 member sits in the party's own 界别
                sector = "中国共产党"
            people.append(blank(
                "persons", uid=f"pdemo{k:03d}", name=names[k], role=role, party=party,
                sector=sector, committee=rng.choice(COMMITTEES),
                unit_title={"党组成员": "市政协副主席", "机关干部": "办公室干部"}.get(role, "委员"),
                phone=f"13{rng.randint(100000000, 999999999)}",
            ))
            k += 1
    return people


def _links_and_contacts(rng: random.Random, people: list[dict[str, Any]], today: _dt.date) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    by_role: dict[str, list[dict[str, Any]]] = {}
    for p in people:
        by_role.setdefault(p["role"], []).append(p)
    leaders, cpc, non = by_role["党组成员"], by_role["党员委员"], by_role["党外委员"]
    since = (today - _dt.timedelta(days=400)).isoformat()
    links = []
    # Tier 1: every 党员委员 but the last has a 党组成员.
    for n, p in enumerate(cpc[:-1]):
        links.append(blank("links", uid=f"ldemo1{n:02d}", tier="1", from_person=leaders[n % len(leaders)]["uid"], to_person=p["uid"], since=since))
    # Tier 2: every 党外委员 but the last two has a 党员委员.
    for n, p in enumerate(non[:-2]):
        links.append(blank("links", uid=f"ldemo2{n:02d}", tier="2", from_person=cpc[n % len(cpc)]["uid"], to_person=p["uid"], since=since))
    # Tier 3: some 委员 with a 界别群众 group.
    for n, p in enumerate((cpc + non)[::3]):
        links.append(blank("links", uid=f"ldemo3{n:02d}", tier="3", from_person=p["uid"], to_group=GROUPS[n % len(GROUPS)], since=since))
    contacts = []
    modes = ("走访", "座谈", "电话", "微信", "调研", "活动")
    topics = ("了解委员履职情况", "听取对年度协商计划的意见", "交流界别群众关切", "通报机关重点工作", "征集社情民意信息")
    for n, l in enumerate(links):
        # About one link in four is behind this quarter: its last contact is old.
        lagging = n % 4 == 3
        days = list(range(360, 100 if lagging else 0, -rng.randint(40, 75)))
        for d in days:
            day = today - _dt.timedelta(days=d)
            raised = rng.random() < 0.4
            contacts.append(blank(
                "contacts", link=l["uid"], date=day.isoformat(), mode=rng.choice(modes),
                summary=rng.choice(topics), by="demo",
                raised_kind=rng.choice(("意见建议", "社情民意")) if raised else "",
                raised=("建议加强基层委员工作室建设" if raised else ""),
            ))
    return links, contacts
