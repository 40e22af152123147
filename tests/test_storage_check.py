"""`check` at scale (issue 14): every record looked at once, on the one read of the file; the
files taken as one state under the lock for a moment only; the cheap validity test never
passes what normalize refuses."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import Database, ZhenggaiError
from storage.models import SPECS, normalize
from storage.validity import surely_valid

values = st.one_of(
    st.text(max_size=30), st.text(alphabet=" \t\r\n\x00\x1f\u00ad\u0301e\u00e9中文", max_size=8),
    st.sampled_from(["", "2025-06-30", "2025.6.30", "2025-13-01", "1899-01-01", "2025-W01-1", "20250630", "  x",
                     "未启动", "已销号", "党组成员", "走访", "1", "2", "3"]),
    st.integers(-3, 3000), st.none(), st.booleans(),
    st.lists(st.text(max_size=6), max_size=3),
    st.lists(st.fixed_dictionaries({"date": st.sampled_from(["", "2025-01-02", "x"]), "text": st.text(max_size=5),
                                    "by": st.text(max_size=3)}), max_size=2),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(table=st.sampled_from(sorted(SPECS)), data=st.data())
def test_the_cheap_test_never_passes_what_normalize_refuses(table, data):
    names = [f.name for f in SPECS[table]]
    rec = data.draw(st.dictionaries(st.sampled_from(names), values, max_size=len(names)))
    if surely_valid(table, rec):
        normalize(table, rec)  # must not raise


def test_records_the_app_wrote_pass_the_cheap_test(demo_db):
    for table in ("items", "persons", "links", "contacts", "outlines"):
        recs = demo_db.all(table)
        assert recs and all(surely_valid(table, r) for r in recs), table


def _bad_item(db: Database) -> str:
    """A record a save could not have written (a title of 600 characters), put in by hand."""
    uid = next(iter(db.table_dict("items")))
    raw = open(db.path, "rb").read()
    start = raw.index(b'    "' + uid.encode() + b'": {')
    title = raw.index(b'"title":"', start) + 9
    open(db.path, "wb").write(raw[:title] + "长".encode() * 600 + raw[title:])
    return uid


@pytest.mark.parametrize("parallel", [False, True])
def test_check_finds_a_record_normalize_refuses(demo_db, parallel):
    from conftest import wait_for_backups

    wait_for_backups()  # a child process is forked: no other thread may be running
    uid = _bad_item(demo_db)
    report = Database.open(demo_db.path, create=False, lazy=True).check_report(parallel=parallel)
    assert any(uid in p and "不能超过" in p for p in report["problems"]), report["problems"]
    assert report["counts"]["items"] == len(demo_db.all("items")) and report["counts"]["contacts"] > 0
    assert report["history"]["ok"]


def test_check_holds_the_lock_only_to_take_the_files(demo_db, monkeypatch):
    """A colleague's save never waits for a check to read 670 000 records: the lock is held
    while the files are opened, then released before any is read."""
    from storage import check as C

    held: list[bool] = []
    real = C._check_shard

    def spy(db, name, snap):
        lock = C.FileLock(db.lock_path, db.mode, folder=db.fs, timeout=0.2)
        try:
            lock.acquire()
            held.append(False)
            lock.release()
        except ZhenggaiError:
            held.append(True)
        return real(db, name, snap)

    monkeypatch.setattr(C, "_check_shard", spy)
    assert demo_db.check_report(parallel=False)["problems"] == []
    assert held == [False, False]


def test_a_save_during_a_check_does_not_disturb_it(demo_db):
    """The check reads the state it took; a save meanwhile renames new files over the names."""
    from storage import check as C

    real = C._check_shard
    done = []

    def meanwhile(db, name, snap):
        if not done:
            other = Database.open(db.path, user="同事")
            it = next(iter(other.table_dict("items")))
            other.update("items", it, {"title": "检查期间的保存"})
            done.append(it)
        return real(db, name, snap)

    C._check_shard = meanwhile
    try:
        report = demo_db.check_report(parallel=False)
    finally:
        C._check_shard = real
    assert report["problems"] == [] and report["history"]["ok"]
    assert Database.open(demo_db.path).get("items", done[0])["title"] == "检查期间的保存"
    assert Database.open(demo_db.path).check() == []
