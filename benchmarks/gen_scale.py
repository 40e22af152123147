"""Write the scale database of DESIGN §10 through the public storage API.

    python benchmarks/gen_scale.py OUT.json [--scale 1.0] [--seed 1] [--force]

At scale 1.0: 20 campaigns, 10 000 items, 2 000 people, 5 000 links (valid
under the tier rules), 50 000 contacts. Every count is multiplied by
``--scale`` (at least one campaign). Records go in through the bulk path
(``db.insert_many`` inside transactions), so every record is validated by
``storage.models.normalize`` exactly as a user's would be.

Text lengths follow real 对照检查材料: titles of 15–30 characters, problem
manifestation and typical example of 100–200, 2–4 measures of 30–60, a few
progress notes; contact summaries of 30–80.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import shutil
import sys
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from storage import Database  # noqa: E402
from storage.dates import today as _today  # noqa: E402
from storage.dimensions import BUILTIN_SETS  # noqa: E402
from storage.models import (  # noqa: E402
    CONTACT_MODES,
    ITEM_KINDS,
    PARTIES,
    ROLE_CPC_MEMBER,
    ROLE_LEADER,
    ROLE_NONCPC_MEMBER,
    ROLE_STAFF,
    ST_DOING,
    ST_DONE,
    ST_REVIEW,
    ST_TODO,
    SUBJECT_GROUP,
    blank,
)

FULL = {"campaigns": 20, "items": 10_000, "persons": 2_000, "links": 5_000, "contacts": 50_000}

# Clauses in the register of the seeds; texts are stitched from them to length.
CLAUSES = (
    "对党的创新理论学习不够深入系统", "学用结合不够紧密", "理论联系实际不够", "调查研究不够深入",
    "满足于完成规定动作", "对上级决策部署落实有时打折扣", "抓落实的闭环机制不健全",
    "面对难题存在畏难情绪", "创新意识不强", "协商形式不够丰富", "民主监督放不开手脚",
    "落实全面从严治党主体责任存在上热中温下冷现象", "“一岗双责”落实不到位", "纪律执行不够严格",
    "对“小节”背后的风险警惕不足", "廉洁自律意识需要加强", "联系界别群众不够经常",
    "对委员履职的服务保障不够精准", "提案办理质量有待提高", "调研成果转化运用不够",
    "机关作风建设还有差距", "工作标准不够高", "统筹协调能力需要提升", "制度执行刚性不足",
    "党支部“三会一课”记录不够完整", "主题党日形式比较单一", "功能型党支部作用发挥有限",
    "对意识形态领域风险洞察不够", "网络舆情引导不够及时", "整改“回头看”不够经常",
)
EXAMPLE_OPENERS = ("如", "比如", "例如", "如在")
EXAMPLE_CLAUSES = (
    "在推动专委会协同开展年度重点工作时，部分事项未按计划完成",
    "年度内赴县区调研多次，均为当天往返，未形成有分量的调研报告",
    "审核个别预算调整申请时，未严格按财务制度把关",
    "对网络上个别涉及政协工作的不实信息，未能及时察觉并引导",
    "部分委员联系界别群众的次数未达到每季度一次的要求",
    "公务用车管理制度修订超过原定时限仍未印发",
    "监督调研报告中提出的建议多、意见少，直面问题不多",
    "个别同志迟到早退，分管领导未及时发现并严肃处理",
)
MEASURE_VERBS = ("建立", "完善", "落实", "健全", "制定", "开展", "推行", "严格执行")
MEASURE_OBJECTS = (
    "重点工作台账制度，每月通报进度，确保各项任务按期完成",
    "党组会议“第一议题”制度，每月开展一次专题研讨交流",
    "班子成员廉政谈话台账，每半年至少开展一次谈心谈话",
    "委员履职档案，将三联系工作纳入年度履职考核",
    "涉政协舆情日报制度，及时发现和妥善处置网络舆情",
    "难点问题领导领办制度，每半年向党组汇报一次推进情况",
    "整改落实“回头看”，对已销号事项逐项复核，防止问题反弹",
    "机关预算调整审批办法，重大支出一律提交党组会议研究",
)
PROGRESS = (
    "已制定整改方案，明确责任分工和完成时限。",
    "已召开专题会议研究部署，相关制度正在起草。",
    "制度已印发执行，正在开展落实情况检查。",
    "已完成阶段性任务，下一步将建立长效机制。",
    "整改措施已落实，提交销号申请，附佐证材料。",
)
SUMMARIES = (
    "了解委员履职情况，听取对机关服务保障工作的意见建议",
    "听取对年度协商计划的意见，交流界别群众普遍关切的热点问题",
    "通报机关近期重点工作，征集社情民意信息并商定跟进事项",
    "围绕年度重点调研课题交换意见，约定下次联系的时间和方式",
)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国秀兰海峰立群文涛志强丽华明辉晓燕庆玉梅振宇红霞春生静怡德林思远雪永刚慧敏子涵浩然欣轩梓萱俊杰雨桐嘉"
SECTORS = ("经济界", "教育界", "科技界", "医药卫生界", "文化艺术界", "农业界", "社会福利界", "民主党派", "工商联", "少数民族界")
COMMITTEES = ("提案委员会", "经济委员会", "教科卫体委员会", "社会和法制委员会", "文化文史委员会")
GROUPS = ("经济界别企业职工", "教育界别一线教师", "医药卫生界别基层医务人员", "农业界别种植大户", "科技界别青年科技人员", "社会福利界别社区工作者")
DEPTS = ("办公室", "研究室", "机关党委", "机关纪委", "人事科", "机关事务科", "提案委员会", "委员工作室")


def _text(rng: random.Random, lo: int, hi: int, pool: tuple[str, ...] = CLAUSES, sep: str = "，", end: str = "。") -> str:
    """Chinese prose of lo..hi characters stitched from clauses."""
    target = rng.randint(lo, hi)
    out = ""
    while len(out) < target:
        out += (sep if out else "") + rng.choice(pool)
    body = out[: target - len(end)]
    if body[-1] in "，、“”":
        body = body[:-1] + "等"
    return body + end


def counts(scale: float) -> dict[str, int]:
    c = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    c["persons"] = max(c["persons"], 8)  # every role must exist for the tier rules
    return c


def _names(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct names: a surname and one or two given characters (about 360 000
    combinations, so every scale up to 10× and beyond finds its names at once)."""
    if n > len(SURNAMES) * (len(GIVEN) + len(GIVEN) ** 2):
        raise SystemExit(f"无法生成 {n} 个互不相同的姓名")
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < n:
        k = 2 if rng.random() < 0.85 else 1
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(k))
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def campaign_years(n: int, this_year: int) -> list[int]:
    """The year of each of ``n`` campaigns, newest first: four a year for one office (1×);
    a bigger database is a city's whole system (its 县区 offices too), so the campaigns of
    a scale keep to the same five years, more of them each year, and never before 2000
    (the database refuses a year before it)."""
    per_year = max(4, -(-n // 5))
    return [max(2000, this_year - 1 - k // per_year) for k in range(n)]


def _campaigns(n: int, today: _dt.date) -> list[dict[str, Any]]:
    sets = list(BUILTIN_SETS)
    out = []
    for k, year in enumerate(campaign_years(n, today.year)):
        dset = sets[k % len(sets)] if k % 3 else sets[0]
        meeting = min(today, _dt.date(year + 1, 1, 10) + _dt.timedelta(days=k % 50))  # early the next year
        out.append(
            blank(
                "campaigns", name=f"{year}年度{'民主生活会' if dset.kind == '民主生活会' else '专项整治'}（第{k + 1}批）",
                kind=dset.kind, year=year, organ="中共云海市政协党组", signature="中共云海市政协党组",
                dimensions=dset.copy(), dimension_set=dset.key, meeting_date=meeting.isoformat(),
            )
        )
    return out


def _people(rng: random.Random, n: int) -> list[dict[str, Any]]:
    n_leader = max(1, round(n * 0.02))
    n_cpc = max(2, round(n * 0.28))
    n_staff = max(1, round(n * 0.10))
    n_non = max(2, n - n_leader - n_cpc - n_staff)
    plan = [(ROLE_LEADER, n_leader), (ROLE_CPC_MEMBER, n_cpc), (ROLE_NONCPC_MEMBER, n_non), (ROLE_STAFF, n_staff)]
    names = _names(rng, sum(k for _, k in plan))
    non_parties = tuple(p for p in PARTIES if p not in ("中共", "群众"))
    people, k = [], 0
    for role, m in plan:
        for _ in range(m):
            people.append(
                blank(
                    "persons", name=names[k], role=role,
                    party="中共" if role != ROLE_NONCPC_MEMBER else rng.choice(non_parties),
                    sector=rng.choice(SECTORS), committee=rng.choice(COMMITTEES),
                    unit_title={ROLE_LEADER: "市政协副主席", ROLE_STAFF: "办公室干部"}.get(role, "市政协委员"),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                )
            )
            k += 1
    return people[:n] if len(people) > n else people


def _links(rng: random.Random, people: list[dict[str, Any]], n: int, since: str) -> list[dict[str, Any]]:
    by_role: dict[str, list[str]] = {}
    for p in people:
        by_role.setdefault(p["role"], []).append(p["uid"])
    leaders, cpc, non = by_role[ROLE_LEADER], by_role[ROLE_CPC_MEMBER], by_role[ROLE_NONCPC_MEMBER]
    members = cpc + non
    n1 = min(round(n * 0.12), len(leaders) * len(cpc))
    n2 = min(round(n * 0.24), len(cpc) * len(non))
    n3 = n - n1 - n2
    links = []
    for k in range(n1):  # distinct (leader, cpc) pairs: walk cpc first, then shift the leader
        links.append(blank("links", tier="1", from_person=leaders[(k // len(cpc) + k) % len(leaders)], to_person=cpc[k % len(cpc)], since=since))
    for k in range(n2):
        links.append(blank("links", tier="2", from_person=cpc[(k // len(non) + k) % len(cpc)], to_person=non[k % len(non)], since=since))
    for k in range(n3):
        links.append(
            blank("links", tier="3", from_person=members[k % len(members)],
                  to_group=GROUPS[(k // len(members)) % len(GROUPS)] + ("" if k < len(members) * len(GROUPS) else f"（{k}）"),
                  since=since)
        )
    rng.shuffle(links)
    return links


def _items(rng: random.Random, camps: list[dict[str, Any]], n: int, leaders: list[str], today: _dt.date) -> list[dict[str, Any]]:
    statuses = (ST_TODO, ST_DOING, ST_DOING, ST_REVIEW, ST_DONE, ST_DONE)
    items = []
    seqs: dict[tuple[str, str, str], int] = {}
    for k in range(n):
        camp = camps[k % len(camps)]
        dim = rng.choice(camp["dimensions"])["key"]
        subject = SUBJECT_GROUP if rng.random() < 0.6 else rng.choice(leaders)
        key = (camp["uid"], dim, subject)
        seqs[key] = seqs.get(key, 0) + 1
        status = rng.choice(statuses)
        kind = rng.choice(ITEM_KINDS)
        rec = blank(
            "items",
            campaign=camp["uid"], dimension=dim, subject=subject, seq=seqs[key],
            title=_text(rng, 15, 30, end=""),
            manifestation=_text(rng, 100, 200),
            example=rng.choice(EXAMPLE_OPENERS) + _text(rng, 100, 200, EXAMPLE_CLAUSES),
            cause=_text(rng, 60, 120),
            measures=[rng.choice(MEASURE_VERBS) + _text(rng, 30, 60, MEASURE_OBJECTS, "，") for _ in range(rng.randint(2, 4))],
            leader=rng.choice(leaders), owner_dept=rng.choice(DEPTS), kind=kind, status=status,
            deadline=(today + _dt.timedelta(days=rng.randint(-120, 240))).isoformat() if rng.random() < 0.9 else "",
        )
        if kind == "长期坚持":
            rec["deadline_text"] = f"{today.year}年底前，并长期坚持"
        if status != ST_TODO:
            days = sorted(rng.sample(range(5, 200), rng.randint(1, 4)), reverse=True)
            rec["progress"] = [
                {"date": (today - _dt.timedelta(days=d)).isoformat(), "text": rng.choice(PROGRESS), "by": "bench"} for d in days
            ]
        if status in (ST_REVIEW, ST_DONE):
            rec["evidence"] = [f"〔{today.year}〕{rng.randint(3, 90)}号文件", "整改情况说明"]
        if status == ST_DONE:
            rec["closed_by"] = rng.choice(leaders)
            rec["closed_on"] = (today - _dt.timedelta(days=rng.randint(1, 90))).isoformat()
        items.append(rec)
    return items


def _contacts(rng: random.Random, link_uids: list[str], n: int, today: _dt.date) -> list[dict[str, Any]]:
    out = []
    for k in range(n):
        raised = rng.random() < 0.3
        out.append(
            blank(
                "contacts", link=link_uids[k % len(link_uids)],
                date=(today - _dt.timedelta(days=rng.randint(0, 720))).isoformat(),
                mode=rng.choice(CONTACT_MODES), summary=_text(rng, 30, 80, SUMMARIES), by="bench",
                raised_kind=rng.choice(("意见建议", "社情民意")) if raised else "",
                raised=_text(rng, 20, 60) if raised else "",
            )
        )
    return out


def remove_db(path: str) -> None:
    stem = path[:-5] if path.endswith(".json") else path
    for p in (path, stem + ".contacts.json", stem + ".index.json", stem + ".contacts.index.json", path + ".lock",
              stem + ".history.jsonl"):
        if os.path.exists(p):
            os.remove(p)
    shutil.rmtree(stem + ".backups", ignore_errors=True)


def generate(path: str, scale: float = 1.0, seed: int = 1, force: bool = False, sample: int | None = None) -> dict[str, int]:
    """Write the database of ``scale``. With ``sample`` (the test suite), only the items,
    links and contacts are cut down to that many each: the campaigns (their years) and the
    people (their names and roles) keep the scale's shape."""
    path = os.path.abspath(path)
    if os.path.exists(path):
        if not force:
            raise SystemExit(f"文件已存在：{path}（加 --force 覆盖）")
        remove_db(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    c = counts(scale)
    if sample is not None:
        c.update({k: min(c[k], max(sample, c["campaigns"] if k == "items" else 1)) for k in ("items", "links", "contacts")})
    rng = random.Random(seed)
    today = _today()
    db = Database.open(path, user="bench")

    camps = _campaigns(c["campaigns"], today)
    people = _people(rng, c["persons"])
    leaders = [p["name"] for p in people if p["role"] == ROLE_LEADER]
    since = (today - _dt.timedelta(days=800)).isoformat()
    with db.transaction():
        uids = db.insert_many("campaigns", camps)
        for rec, uid in zip(camps, uids):
            rec["uid"] = uid
        db.insert_many("items", _items(rng, camps, c["items"], leaders, today))
    with db.transaction():
        puids = db.insert_many("persons", people)
        for rec, uid in zip(people, puids):
            rec["uid"] = uid
        luids = db.insert_many("links", _links(rng, people, c["links"], since))
        db.insert_many("contacts", _contacts(rng, luids, c["contacts"], today))
    return {t: len(db.table_dict(t)) for t in ("campaigns", "items", "persons", "links", "contacts")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="生成 DESIGN §10 规模的基准测试数据库")
    p.add_argument("out", metavar="OUT.json")
    p.add_argument("--scale", type=float, default=1.0, help="规模系数（1.0 = 1 万事项、5 万联系记录）")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--force", action="store_true", help="覆盖已存在的数据库")
    p.add_argument("--sample", type=int, help="（测试用）事项、联系关系、联系记录各只生成这么多条，活动和人员保持该规模")
    a = p.parse_args(argv)
    t = time.perf_counter()
    got = generate(a.out, a.scale, a.seed, a.force, a.sample)
    size = sum(os.path.getsize(f) for f in (a.out, (a.out[:-5] if a.out.endswith(".json") else a.out) + ".contacts.json") if os.path.exists(f))
    print(f"已生成 {a.out}：" + "，".join(f"{k} {v}" for k, v in got.items()) + f"；{size / 1e6:.1f} MB，用时 {time.perf_counter() - t:.1f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
