"""Validation of what people type: accepted cleanly or refused with a Chinese message, never a crash.
Also: the file keeps Chinese literally (no \\uXXXX escapes) and stays valid UTF-8."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import Database, ValidationError, ZhenggaiError
from storage.dates import DateError, parse_date
from storage.models import blank

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def camp(db):
    from storage.items import create_campaign

    return create_campaign(db, "验证测试", "dsh2024")


def _item(db, camp, **fields):
    return db.insert("items", blank("items", campaign=camp["uid"], dimension="d1", **{"title": "标题", **fields}))


def _refused(db, camp, field: str, **fields) -> str:
    with pytest.raises(ValidationError) as exc:
        _item(db, camp, **fields)
    msg = exc.value.errors[field]
    assert CJK.search(msg), msg
    assert str(exc.value)  # ready to show
    return msg


def _file_ok(db) -> dict:
    raw = Path(db.path).read_bytes()
    raw.decode("utf-8")  # strict: no surrogates, no junk
    return orjson.loads(raw)


@pytest.mark.parametrize("text, words", [
    ("2025-13-40", "月份应在 1 到 12 之间"),
    ("明天", "无法识别日期"),
    ("2025-02-30", "2025年2月没有30日"),
    ("2025-6-31", "没有31日"),
    ("30/06/2025", "无法识别日期"),
    ("9" * 100_000, "无法识别日期"),
    ("0000-01-01", "年份应在"),
], ids=["month", "tomorrow", "feb30", "jun31", "dmy", "long", "year0"])
def test_bad_dates_are_refused(db, camp, text, words):
    msg = _refused(db, camp, "deadline", deadline=text)
    assert msg.startswith("整改时限：") and words in msg
    assert len(msg) < 200  # a 100 000-character input does not make a 100 000-character message
    with pytest.raises(DateError):
        parse_date(text)
    assert db.all("items") == []


@pytest.mark.parametrize("text", ["2025-06-30", "2025.6.30", "2025年6月30日", "2025/6/30", " 2025年6月30号 ",
                                  "２０２５－０６－３０", "20250630"])
def test_good_dates_are_accepted(db, camp, text):
    assert _item(db, camp, deadline=text)["deadline"] == "2025-06-30"


@pytest.mark.parametrize("title", ["", "   ", "\x00\x01\x7f", "\ud800", "\n\t"])
def test_empty_title_is_refused(db, camp, title):
    assert _refused(db, camp, "title", title=title) == "问题概述：不能为空"


def test_empty_title_on_update_keeps_the_record(db, camp):
    it = _item(db, camp, title="原标题")
    with pytest.raises(ValidationError):
        db.update("items", it["uid"], {"title": " "}, expected_rev=it["rev"])
    assert db.get("items", it["uid"])["title"] == "原标题"
    assert _file_ok(db)["items"][it["uid"]]["title"] == "原标题"


def test_hundred_thousand_characters(db, camp):
    long = ("整改" * 50_000)[:100_000]
    it = _item(db, camp, manifestation=long, measures=[long], example="例" * 100_000)
    assert len(it["manifestation"]) == 100_000 and it["measures"] == [long]
    assert _file_ok(db)["items"][it["uid"]]["manifestation"] == long
    msg = _refused(db, camp, "title", title=long)
    assert msg == "问题概述：不能超过 500 字（现有 100000 字）"
    assert "请填写整数" in _refused(db, camp, "seq", seq="9" * 100_000)
    assert len(Database.open(db.path).all("items")) == 1


def test_huge_numbers_are_refused_not_crashing_the_save(db, camp):
    msg = _refused(db, camp, "seq", seq=10**20)
    assert msg.startswith("序号：")
    it = _item(db, camp)
    with pytest.raises(ValidationError):
        db.update("items", it["uid"], {"seq": -(10**30)})
    assert db.get("items", it["uid"])["seq"] == it["seq"]
    _file_ok(db)


def test_control_characters_are_stripped(db, camp):
    it = _item(db, camp, title="理论\x00学习\x1b[31m深度\x7f不足\u0085", manifestation="第一行\r\n第二行\x0b\t缩进\x0c",
               measures=["措施\x08一", "\x00"])
    assert it["title"] == "理论学习[31m深度不足"
    assert it["manifestation"] == "第一行\n第二行\t缩进"
    assert it["measures"] == ["措施一"]
    raw = Path(db.path).read_bytes()
    assert b"\\u00" not in raw and b"\x1b" not in raw


def test_single_line_fields_fold_newlines(db, camp):
    it = _item(db, camp, title="第一行\n第二行\t第三行", leader="张\r\n三")
    assert it["title"] == "第一行 第二行 第三行" and it["leader"] == "张 三"


def test_emoji_is_kept(db, camp):
    text = "整改到位👍，家庭👨‍👩‍👧、旗帜🇨🇳"
    it = _item(db, camp, title=text, manifestation=text)
    assert it["title"] == text and it["manifestation"] == text
    again = Database.open(db.path).get("items", it["uid"])
    assert again["title"] == text
    assert text.encode() in Path(db.path).read_bytes()


def test_lone_surrogates_are_stripped(db, camp):
    it = _item(db, camp, title="问题\ud800概述\udfff", manifestation="表现\ud83d", measures=["措施\udc80"])
    assert it["title"] == "问题概述" and it["manifestation"] == "表现" and it["measures"] == ["措施"]
    _file_ok(db)


def test_lone_surrogates_in_fields_outside_the_specs(db, camp):
    """Fields the specs do not know pass through normalize: they must not break the save."""
    it = _item(db, camp, extra="附加\ud800信息", extra_list=["a\udfff", {"k\ud800": "v\ud800"}])
    assert it["extra"] == "附加信息" and it["extra_list"] == ["a", {"k": "v"}]
    db.update("campaigns", camp["uid"], {"custom": "自定义\udc00"})
    assert _file_ok(db)["campaigns"][camp["uid"]]["custom"] == "自定义"


def test_unsaveable_values_are_refused_cleanly(db, camp):
    it = _item(db, camp)
    with pytest.raises(ZhenggaiError) as exc:
        db.update("items", it["uid"], {"extra": {1, 2}})
    assert CJK.search(str(exc.value))
    assert db.get("items", it["uid"]) == it  # memory rolled back
    db.update("items", it["uid"], {"title": "仍可保存"})
    assert _file_ok(db)["items"][it["uid"]]["title"] == "仍可保存"


def test_chinese_is_stored_literally(db, camp):
    _item(db, camp, title="理论学习深度不足", manifestation="“引号”、《书名号》——破折号…")
    raw = Path(db.path).read_text(encoding="utf-8")
    assert "理论学习深度不足" in raw and "“引号”、《书名号》——破折号…" in raw and "验证测试" in raw
    assert not re.search(r"\\u[0-9a-fA-F]{4}", raw)
    db.insert("persons", {"name": "欧阳明", "role": "党外委员", "party": "九三学社"})
    shard = Path(db.path.replace(".json", ".contacts.json")).read_text(encoding="utf-8")
    assert "欧阳明" in shard and "九三学社" in shard and not re.search(r"\\u[0-9a-fA-F]{4}", shard)
    hist = Path(db.history_path).read_text(encoding="utf-8")
    assert "理论学习深度不足" in hist and not re.search(r"\\u[0-9a-fA-F]{4}", hist)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(max_size=600), text=st.text(max_size=2000), date=st.text(max_size=20))
def test_any_text_is_accepted_or_refused_with_a_message(title, text, date):
    with tempfile.TemporaryDirectory() as d:
        db = Database.open(str(Path(d) / "zg.json"), user="fuzz")
        from storage.items import create_campaign

        camp = create_campaign(db, "模糊测试", "dsh2024")
        try:
            it = _item(db, camp, title=title, manifestation=text, deadline=date, leader=text[:50])
        except ValidationError as e:
            assert e.errors and all(CJK.search(m) for m in e.errors.values())
            assert db.all("items") == []
        else:
            assert it["title"] and len(it["title"]) <= 500
            stored = _file_ok(db)["items"][it["uid"]]
            assert stored["manifestation"] == it["manifestation"]
        db.backups()  # the day's first backup is made in a thread: done before the folder goes
