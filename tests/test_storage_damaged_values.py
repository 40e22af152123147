"""Damage inside well-formed JSON: a copied record line, a value of the wrong type.

Either is refused when the shard is read, like any other damage: a message naming
the record (and the lines), exit 2 from review, export and check, never a
traceback, and the file untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
import pytest

from conftest import run_cli
from storage import DamagedDatabaseError, Database
from storage.shard import commit_of_head

COMMANDS = (["check"], ["review"], ["export", "ledger", "-o", "{out}"])


def _cli_refuses(db_path: Path, tmp_path: Path, *words: str) -> None:
    raw = db_path.read_bytes()
    for cmd in COMMANDS:
        out = tmp_path / "台账.docx"
        r = run_cli(*[c.format(out=out) for c in cmd], "--db", str(db_path))
        assert r.returncode == 2, (cmd, r.stdout, r.stderr)
        assert "Traceback" not in r.stderr and "已损坏" in r.stderr, r.stderr
        for w in words:
            assert w in r.stderr, (w, r.stderr)
        assert not out.exists()
    assert db_path.read_bytes() == raw


def _record_line(raw: bytes, uid: str) -> tuple[int, int]:
    start = raw.index(b'    "' + uid.encode() + b'": {')
    return start, raw.index(b"\n", start)


# ---------------------------------------------------------------- a copied line


@pytest.mark.parametrize("table", ["items", "campaigns"])
def test_a_duplicated_record_key_is_refused_with_both_lines(demo_db, db_path, tmp_path, table):
    uid = next(iter(demo_db.table_dict(table)))
    raw = db_path.read_bytes()
    start, end = _record_line(raw, uid)
    line = raw[start:end].rstrip(b",")
    copied = line.replace(b'"title":"', b'"title":"(copy)', 1).replace(b'"name":"', b'"name":"(copy)', 1)
    copy = raw[:start] + copied + b",\n" + raw[start:]  # a copy of the line, just above it
    db_path.write_bytes(copy)
    first = raw.count(b"\n", 0, start) + 1
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path)).table_dict(table)
    msg = str(exc.value)
    assert uid in msg and f"第 {first} 行和第 {first + 1} 行" in msg and "两次" in msg
    _cli_refuses(db_path, tmp_path, uid, f"第 {first} 行")


def test_a_duplicated_key_in_a_file_of_another_layout(demo_db, db_path):
    data = orjson.loads(db_path.read_bytes())
    uid = next(iter(data["items"]))
    text = orjson.dumps(data, option=orjson.OPT_INDENT_2).decode()
    one = re.search(r'\n    "' + uid + r'": \{.*?\n    \}', text, re.S).group(0)
    db_path.write_text(text.replace(one, one + "," + one, 1), encoding="utf-8")
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path))
    assert uid in str(exc.value) and "两次" in str(exc.value)


# ---------------------------------------------------------------- a value of the wrong type


CASES = {  # field -> (a damaged value, words of the message)
    "seq": ('"abc"', "序号"),
    "deadline": ("12345", "整改时限"),
    "rev": ('"x"', "版本号"),
    "status": ('"完成了"', "状态"),
    "measures": ('"一条措施"', "整改措施"),
    "title": ("null", "问题概述"),
}


@pytest.mark.parametrize("field", list(CASES))
def test_a_damaged_item_value_is_named(demo_db, db_path, tmp_path, field):
    value, words = CASES[field]
    uid = next(iter(demo_db.table_dict("items")))
    raw = db_path.read_bytes()
    start, end = _record_line(raw, uid)
    rec = orjson.loads(raw[start:end].rstrip(b",").split(b": ", 1)[1])
    rec[field] = orjson.loads(value)
    line = b'    "' + uid.encode() + b'": ' + orjson.dumps(rec)
    db_path.write_bytes(raw[:start] + line + raw[end:])
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path)).table_dict("items")
    msg = str(exc.value)
    lineno = raw.count(b"\n", 0, start) + 1
    assert f"第 {lineno} 行" in msg and uid in msg and words in msg and field in msg, msg
    _cli_refuses(db_path, tmp_path, uid, words)


def test_a_damaged_contact_is_named_by_review_and_export(demo_db, db_path, tmp_path):
    shard = db_path.with_name("zhenggai.contacts.json")
    raw = shard.read_bytes()
    at = raw.index(b'"date":"', raw.index(b'  "contacts": {'))
    start = raw.rindex(b"\n", 0, at) + 1
    uid = orjson.loads(raw[start:raw.index(b": {", start)].strip())
    shard.write_bytes(raw[:at] + b'"date":"2025-13-45"' + raw[at + 19:])
    for cmd in (["review"], ["export", "contacts", "-o", str(tmp_path / "c.docx")], ["check"]):
        r = run_cli(*cmd, "--db", str(db_path))
        assert r.returncode == 2 and uid in r.stderr and "日期" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_an_index_with_a_damaged_value_is_not_used(demo_db, db_path):
    index = db_path.with_name("zhenggai.index.json")
    raw = index.read_bytes()
    at = raw.index(b'"seq":1,', raw.index(b"\nitems\t"))  # in an item's row
    index.write_bytes(raw[:at] + '"seq":"一",'.encode() + raw[at + 8:])  # stamp and commit still match
    lazy = Database.open(str(db_path), lazy=True)
    assert all(type(r.get("seq")) is int for r in lazy.light("items").values())
    r = run_cli("review", "--db", str(db_path))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr


def test_a_damaged_commit_record_is_named(demo_db, db_path):
    raw = db_path.read_bytes()
    head = commit_of_head(raw[:4096])
    db_path.write_bytes(raw.replace(b'"generation":%d' % head["generation"], b'"generation":"x"', 1))
    with pytest.raises(DamagedDatabaseError) as exc:
        Database.open(str(db_path))
    assert "meta.commit" in str(exc.value)
