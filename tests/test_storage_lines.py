"""The shard file layout (storage/lines.py): one record per line, big tables parsed on demand."""

from __future__ import annotations

import os

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import Database, DamagedDatabaseError
from storage import lines
from storage.lines import LazyTable
from storage.queries import items_for, search_items


def record_lines(path) -> dict[str, bytes]:
    """uid -> its line, for every record line of the file (meta's commit and schema left out)."""
    out = {}
    for line in open(path, "rb").read().split(b"\n"):
        if line.startswith(b'    "') and not line.startswith((b'    "commit": ', b'    "schema": ')):
            key, _, body = line[4:].partition(b": ")
            out[orjson.loads(key)] = body.rstrip(b",")
    return out


def test_one_record_per_line_readable_and_plain_json(demo_db, db_path):
    raw = db_path.read_bytes()
    data = orjson.loads(raw)  # any JSON reader (TinyDB too) reads it
    items = data["items"]
    assert len(items) >= 10
    per_line = record_lines(db_path)
    for uid, rec in items.items():
        assert orjson.loads(per_line[uid]) == rec
    assert "整改".encode() in raw and b"\\u" not in raw  # Chinese stays literal


def test_big_tables_stay_bytes_until_asked(demo_db, db_path):
    db = Database.open(str(db_path))
    docs = db.table_dict("items")
    assert isinstance(docs, LazyTable)
    assert isinstance(db.table_dict("contacts"), LazyTable)
    assert not isinstance(db.table_dict("campaigns"), LazyTable)
    uid = next(iter(docs))
    assert docs[uid] == orjson.loads(record_lines(db_path)[uid])
    assert docs[uid] is not docs[uid]  # parsed per read: nothing kept
    light = db.light("items")[uid]
    assert "measures" not in light and light["uid"] == uid and light["title"] == docs[uid]["title"]


def test_saving_one_record_copies_the_other_lines(demo_db, db_path):
    before = record_lines(db_path)
    it = demo_db.all("items")[3]
    demo_db.update("items", it["uid"], {"title": "新的标题"}, expected_rev=it["rev"])
    after = record_lines(db_path)
    changed = {u for u in before if before[u] != after.get(u)}
    assert changed == {it["uid"]}
    assert orjson.loads(after[it["uid"]])["title"] == "新的标题"
    assert Database.open(str(db_path)).get("items", it["uid"])["title"] == "新的标题"


def test_inserts_updates_deletes_inside_one_transaction(demo_db):
    camp = demo_db.all("campaigns")[0]
    items = demo_db.table_dict("items")
    n = len(items)
    gone, kept = list(items)[:2]
    with demo_db.transaction():
        demo_db.delete("items", gone)
        new = demo_db.insert("items", {"campaign": camp["uid"], "dimension": "d1", "title": "事务中新增"})
        demo_db.update("items", kept, {"title": "事务中修改"})
        docs = demo_db.table_dict("items")
        assert isinstance(docs, LazyTable) and docs.changed
        assert gone not in docs and new["uid"] in docs and len(docs) == n
        assert docs[kept]["title"] == "事务中修改"
        assert [u for u in docs][-1] == new["uid"]
    assert len(items) == n and gone in items  # a caller holding the old table is unharmed
    fresh = Database.open(demo_db.path)
    assert gone not in fresh.table_dict("items")
    assert fresh.get("items", new["uid"])["title"] == "事务中新增"
    assert fresh.get("items", kept)["title"] == "事务中修改"
    assert [r["uid"] for r in items_for(fresh)] == [r["uid"] for r in items_for(demo_db)]


def test_failed_transaction_leaves_the_file_and_memory_as_they_were(demo_db, db_path):
    raw = db_path.read_bytes()
    uid = next(iter(demo_db.table_dict("items")))
    with pytest.raises(RuntimeError):
        with demo_db.transaction():
            demo_db.update("items", uid, {"title": "不会保存"})
            raise RuntimeError("boom")
    assert db_path.read_bytes() == raw
    assert demo_db.get("items", uid)["title"] != "不会保存"


def test_an_indented_file_from_an_older_version_is_read_and_rewritten(demo_db, db_path):
    data = orjson.loads(db_path.read_bytes())
    db_path.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2))
    old = Database.open(str(db_path))
    assert not isinstance(old.table_dict("items"), LazyTable)  # read with a full parse
    assert old.table_dict("items") == data["items"]
    uid = next(iter(data["items"]))
    old.update("items", uid, {"title": "改写"})
    assert set(record_lines(db_path)) >= set(data["items"])  # now one record per line
    again = Database.open(str(db_path))
    assert isinstance(again.table_dict("items"), LazyTable)
    assert again.get("items", uid)["title"] == "改写"


def test_a_broken_record_line_is_named_on_open(demo_db, db_path):
    raw = db_path.read_bytes()
    uid = next(iter(demo_db.table_dict("items")))
    start = raw.index(b'    "' + uid.encode() + b'": {')
    end = raw.index(b"\n", start)
    broken = raw[:start] + raw[start:end].replace(b'"title":', b'"title" ', 1) + raw[end:]
    db_path.write_bytes(broken)  # the index no longer matches: every record is parsed once
    line = raw.count(b"\n", 0, start) + 1
    with pytest.raises(DamagedDatabaseError) as e:
        Database.open(str(db_path)).table_dict("items")
    assert f"第 {line} 行" in str(e.value) and uid in str(e.value)


def test_a_record_broken_behind_a_matching_index_fails_clearly_when_read(demo_db, db_path):
    # A bit flipped on disk after the save: the stamp and the commit id still match, so
    # open trusts the index; the record is refused with a Chinese message when the
    # items are first read (loading proves every record whole).
    raw = db_path.read_bytes()
    uid = list(demo_db.table_dict("items"))[2]
    start = raw.index(b'    "' + uid.encode() + b'": {')
    pos = raw.index(b'"title":', start)
    st = os.stat(db_path)
    with open(db_path, "r+b") as fh:
        fh.seek(pos)
        fh.write(b"#")
    os.utime(db_path, ns=(st.st_atime_ns, st.st_mtime_ns))
    db = Database.open(str(db_path), lazy=True)
    assert db.light("items")[uid]["uid"] == uid  # the index serves the list
    with pytest.raises(DamagedDatabaseError) as e:
        db.table_dict("items")[uid]
    assert "已损坏" in str(e.value) and uid in str(e.value)


def test_hand_edited_layout_falls_back_to_a_full_parse(demo_db, db_path):
    data = orjson.loads(db_path.read_bytes())
    db_path.write_bytes(orjson.dumps(data))  # one long line
    db = Database.open(str(db_path))
    assert db.table_dict("items") == data["items"]


def test_scan_refuses_what_it_does_not_recognise():
    assert lines.scan(b"{}", {"items"}) is None
    assert lines.scan(b'{\n  "items": {\n    "a": {\n      "uid": "a"\n    }\n  }\n}\n', {"items"}) is None
    assert lines.scan(b'{\n  "items": {\n    "a": {"uid":"a"}\n', {"items"}) is None  # cut short


texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.dictionaries(
        texts.filter(bool),
        st.dictionaries(texts, st.one_of(texts, st.integers(-(2**63), 2**63 - 1), st.lists(texts, max_size=3), st.none()), max_size=4),
        max_size=6,
    ),
    small=st.dictionaries(texts.filter(bool), st.dictionaries(texts, texts, max_size=2), max_size=3),
)
def test_dumps_then_scan_round_trips_any_keys_and_text(records, small):
    # Keys and values with quotes, backslashes, newlines, "\n  }" and control characters.
    data = {"items": records, "meta": small, "": {}}
    payload, offsets = lines.dumps(data)
    assert orjson.loads(payload) == data
    back = lines.scan(payload, {"items"})
    assert back is not None
    assert dict(back["items"].items()) == records and back["meta"] == small
    assert set(offsets["items"]) == set(records)
    again, _ = lines.dumps(back)
    assert again == payload


def test_search_and_lists_see_the_same_items_as_full_records(demo_db):
    db = Database.open(demo_db.path, lazy=True)
    hits = search_items(db, "制度")
    assert hits and all("制度" in orjson.dumps(db.get("items", h["uid"])).decode() for h in hits)
    assert [h["uid"] for h in search_items(db, "")] == [i["uid"] for i in items_for(db)]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(1, 12),
    ops=st.lists(st.tuples(st.sampled_from(["update", "delete", "insert"]), st.integers(0, 30), texts), max_size=8),
)
def test_saving_changes_copies_runs_and_matches_a_full_encode(n, ops):
    records = {f"r{k}": {"uid": f"r{k}", "title": f"第{k}条", "seq": k} for k in range(n)}
    payload, _ = lines.dumps({"items": records, "meta": {"schema": {"v": 1}}})
    table = lines.scan(payload, {"items"})["items"]
    for op, k, text in ops:
        uid = f"r{k}"
        if op == "delete" and uid in table:
            table = table.with_change(uid, None)
        elif op in ("update", "insert"):
            table = table.with_change(uid, {"uid": uid, "title": text, "seq": k})
    data = {"items": table, "meta": {"schema": {"v": 1}}}
    fast, at = lines.dumps(data)
    plain, plain_at = lines.dumps({"items": dict(table.items()), "meta": {"schema": {"v": 1}}})
    assert fast == plain and at == plain_at
    back = lines.scan(fast, {"items"})["items"]
    assert dict(back.items()) == dict(table.items())
