"""`zhenggai review`: the figures are the storage queries' figures, plain text when piped, no Textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli

from storage.items import create_campaign
from storage.liaison import coverage, log_contact
from storage.queries import campaign_summary, find_campaign


def review(db, *args, env=None):
    return run_cli("review", "--db", str(db.path), *args, env=env)


def review_json(db, *args, env=None):
    r = review(db, "--json", *args, env=env)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_json_matches_storage_queries(demo_db):
    facts = review_json(demo_db)
    camp = find_campaign(demo_db, None)
    s = campaign_summary(demo_db, camp["uid"])
    cov = coverage(demo_db)
    assert facts["campaign"] == {"uid": camp["uid"], "name": camp["name"]}
    assert facts["today"] == "2026-11-21"
    assert facts["dimensions"] == s["dimensions"]
    assert (facts["total"], facts["done"]) == (s["total"], s["done"])
    assert facts["overdue"] == sum(d["overdue"] for d in s["dimensions"]) > 0
    assert facts["soon"] == sum(d["soon"] for d in s["dimensions"]) > 0
    assert facts["urgent"] == s["urgent"]
    lz = facts["liaison"]
    assert [(t["tier"], t["total"], t["met"]) for t in lz["tiers"]] == [(t["tier"], t["total"], t["met"]) for t in cov["tiers"]]
    assert lz["overdue_links"] == len(cov["overdue"]) > 0
    assert lz["contacts"] == cov["contacts"]
    assert lz["noncpc_without_cpc"] == len(cov["noncpc_without_cpc"])
    assert (lz["year"], lz["quarter"]) == (2026, 4)


def test_text_shows_the_same_figures(demo_db):
    r = review(demo_db)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    camp = find_campaign(demo_db, None)
    s = campaign_summary(demo_db, camp["uid"])
    assert camp["name"] in out
    lines = out.splitlines()
    for d in s["dimensions"]:
        row = next(line for line in lines if line.startswith(d["short"]))
        cells = row.split()
        assert cells[1:3] == [str(d["total"]), f"{d['done']}/{d['total']}"]
        assert cells[4] == str(d["overdue"])
    for u in s["urgent"]:
        row = next(line for line in lines if u["title"] in line)
        assert u["leader"] in row and u["deadline"] in row
    cov = coverage(demo_db)
    for tier, label in zip(cov["tiers"], ("党组成员→党员委员", "党员委员→党外委员", "委员→界别群众")):
        row = next(line for line in lines if line.startswith(label))
        assert row.split()[1:3] == [str(tier["total"]), str(tier["met"])]
    assert f"未达标（逾期）联系关系 {len(cov['overdue'])} 条" in out


def test_piped_and_no_color_output_has_no_escape_codes(demo_db):
    assert "\x1b" not in review(demo_db).stdout  # captured = piped
    assert "\x1b" not in review(demo_db, env={"NO_COLOR": "1"}).stdout


def _in_pty(args: list[str], env: dict[str, str]) -> bytes:
    import pty

    master, slave = pty.openpty()
    e = {**os.environ, **env, "TERM": "xterm-256color", "COLUMNS": "100"}
    e.pop("FORCE_COLOR", None)
    p = subprocess.Popen([sys.executable, "-m", "tui", *args], cwd=ROOT, env=e, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    p.wait(timeout=60)
    os.close(master)
    assert p.returncode == 0, out.decode(errors="replace")
    return out


def test_no_color_in_a_terminal_has_no_escape_codes(demo_db):
    args = ["review", "--db", str(demo_db.path)]
    coloured = _in_pty(args, {})
    assert b"\x1b[" in coloured  # a terminal gets colour: so the check below can fail
    plain = _in_pty(args, {"NO_COLOR": "1"})
    assert b"\x1b" not in plain
    assert "政治纪律" in plain.decode()


def test_review_does_not_import_textual(demo_db):
    for index in ("present", "removed"):  # from the index files, then parsing the shards
        if index == "removed":
            for name in ("zhenggai.index.json", "zhenggai.contacts.index.json"):
                Path(demo_db.folder, name).unlink()
        code = (
            "import sys\n"
            "from tui.cli import main\n"
            f"rc = main(['review', '--db', {str(demo_db.path)!r}])\n"
            "print('\\n'.join(sys.modules), file=sys.stderr)\n"
            "sys.exit(rc)\n"
        )
        r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        mods = set(r.stderr.split())
        assert "tui.review" in mods and "rich.console" in mods  # the check sees real imports
        assert not {m for m in mods if m == "textual" or m.startswith("textual.")}
        assert "docx" not in mods


def test_missing_database_is_a_clear_error_and_not_created(tmp_path):
    path = tmp_path / "none" / "zg.json"
    r = run_cli("review", "--db", str(path))
    assert r.returncode == 1
    assert "数据库不存在" in r.stderr and "Traceback" not in r.stderr
    assert not path.exists() and not path.parent.exists()


def test_no_campaign_says_so_and_still_shows_liaison(db):
    from storage.liaison import add_link, add_person

    a = add_person(db, "甲党组", "党组成员")
    b = add_person(db, "乙委员", "党员委员")
    add_link(db, 1, a["uid"], b["uid"])
    r = review(db)
    assert r.returncode == 0, r.stderr
    assert "还没有整改活动" in r.stdout
    assert "三联系" in r.stdout and "党组成员→党员委员" in r.stdout
    facts = review_json(db)
    assert facts["campaign"] is None and facts["liaison"]["tiers"][0]["total"] == 1
    assert (facts["dimensions"], facts["urgent"], facts["total"]) == ([], [], 0)
    assert facts["liaison"]["overdue_links"] == 1


def test_several_campaigns_newest_shown_and_others_named(demo_db):
    old = find_campaign(demo_db, None)
    new = create_campaign(demo_db, "2026年度专项整治", "szzz4", year=2026)
    facts = review_json(demo_db)
    assert facts["campaign"]["uid"] == new["uid"]
    assert old["name"] in facts["note"] and "--campaign" in facts["note"]
    assert [d["short"] for d in facts["dimensions"]] == ["责任意识", "规矩意识", "集体意识", "担当意识"]
    picked = review_json(demo_db, "--campaign", old["name"])
    assert picked["campaign"]["uid"] == old["uid"] and picked["total"] == 15
    r = review(demo_db, "--campaign", "没有这个活动")
    assert r.returncode == 1 and "找不到整改活动" in r.stderr
    # the message names what can be typed instead: every campaign's name and its 编号
    assert all(c["name"] in r.stderr and c["uid"] in r.stderr for c in (old, new))


def _full_facts(db, campaign_ref=None):
    """The same facts computed from fully parsed shards, in this process."""
    from storage import Database
    from tui.review import collect

    facts = collect(Database.open(str(db.path), user="other"), campaign_ref)
    return json.loads(json.dumps(facts, ensure_ascii=False))


def test_index_follows_every_save(demo_db):
    before = review_json(demo_db)
    assert before == _full_facts(demo_db)  # the index gives exactly the parsed figures
    # An item in the main shard ...
    item = next(i for i in demo_db.all("items") if i["uid"] == before["urgent"][0]["uid"])
    demo_db.update("items", item["uid"], {"deadline": "2027-06-30"})
    after = review_json(demo_db)
    assert after["overdue"] == before["overdue"] - 1
    assert item["uid"] not in [u["uid"] for u in after["urgent"]]
    # ... and a contact in the 三联系 shard.
    link = before["liaison"]["overdue"][0]["link"]
    log_contact(demo_db, link, "走访了解履职情况", on="2026-11-20")
    later = review_json(demo_db)
    assert later["liaison"]["contacts"] == before["liaison"]["contacts"] + 1
    assert link not in [o["link"] for o in later["liaison"]["overdue"]]
    assert later == _full_facts(demo_db)


def test_damaged_database_exit_2_without_traceback(demo_db):
    review_json(demo_db)  # the index is current: a damaged file must not be hidden by it
    with open(demo_db.path, "wb") as fh:
        fh.write(b'{"meta": {"schema": ')
    r = review(demo_db)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and r.stderr.strip()


def test_the_subject_is_named_and_personal_items_are_shown_apart(demo_db):
    """Issue 12, item 11: the totals count 党组班子 and personal items; the TUI shows 党组班子.
    review says so, and gives each 材料主体 its own line (text and --json)."""
    facts = review_json(demo_db)
    assert facts["subject"] == "全部"
    rows = {r["subject"]: r for r in facts["subjects"]}
    assert list(rows) == ["党组班子", "李秀兰"] and rows["李秀兰"]["personal"] is True
    assert rows["党组班子"]["total"] + rows["李秀兰"]["total"] == facts["total"] == 15
    assert sum(r["done"] for r in rows.values()) == facts["done"]
    assert sum(r["overdue"] for r in rows.values()) == facts["overdue"]
    out = review(demo_db).stdout
    assert "党组班子和个人的事项合计（其中个人事项 1 项" in out
    lines = out.splitlines()
    group = next(line for line in lines if line.startswith("党组班子"))
    assert group.split()[1:3] == ["14", f"{rows['党组班子']['done']}/14"]
    assert next(line for line in lines if line.startswith("个人：李秀兰")).split()[1] == "1"
