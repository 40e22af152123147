"""search_items keeps an index per db.version (a perf change for the benchmark): it must never go stale."""

from __future__ import annotations

from storage import Database
from storage.queries import SEARCH_FIELDS, items_for, search_items


def brute(db, text, campaign=None):
    terms = [t.casefold() for t in text.split()]
    out = []
    for i in items_for(db, campaign):
        hay = "\n".join([str(i.get(f) or "") for f in SEARCH_FIELDS] + i.get("measures", []) + i.get("evidence", [])
                        + [p["text"] for p in i.get("progress", [])]).casefold()
        if all(t in hay for t in terms):
            out.append(i["uid"])
    return out


def uids(items):
    return [i["uid"] for i in items]


def test_typing_narrowing_and_backspace_match_brute_force(demo_db):
    for text in ["理", "理论", "理论学习", "理论", "理", "", "学习 制度", "学习", "学", "不存在的词", "整改"]:
        assert uids(search_items(demo_db, text)) == (uids(items_for(demo_db)) if not text.strip() else brute(demo_db, text)), text
    camp = demo_db.all("campaigns")[0]["uid"]
    assert uids(search_items(demo_db, "制度", camp)) == brute(demo_db, "制度", camp)


def test_results_follow_a_save_in_this_process(demo_db):
    assert search_items(demo_db, "独一无二的词") == []
    item = demo_db.all("items")[0]
    demo_db.update("items", item["uid"], {"title": "独一无二的词出现了"})
    assert uids(search_items(demo_db, "独一无二的词")) == [item["uid"]]
    assert uids(search_items(demo_db, "独一无二的词出现")) == [item["uid"]]  # narrowing keeps it
    demo_db.update("items", item["uid"], {"title": "又改回来了"})
    assert search_items(demo_db, "独一无二的词出现") == []


def test_results_follow_a_save_by_another_process(demo_db):
    assert search_items(demo_db, "别人写的") == []
    other = Database.open(str(demo_db.path), user="other")
    item = other.all("items")[3]
    other.update("items", item["uid"], {"manifestation": "这是别人写的内容"})
    assert uids(search_items(demo_db, "别人写的")) == [item["uid"]]
