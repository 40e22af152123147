"""benchmarks/gen_scale.py at a tiny scale: a valid database with the proportions of DESIGN §10."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, bench_module

from storage import Database
from storage.rules import link_problem


def test_gen_scale_small(tmp_path):
    out = tmp_path / "scale.json"
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_scale.py"), str(out), "--scale", "0.02"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    db = Database.open(str(out), create=False)
    assert db.check() == []
    n = {t: len(db.table_dict(t)) for t in ("campaigns", "items", "persons", "links", "contacts")}
    assert n == {"campaigns": 1, "items": 200, "persons": 40, "links": 100, "contacts": 1000}
    persons = db.table_dict("persons")
    links = db.all("links")
    assert all(link_problem(persons, l) is None for l in links)
    assert {l["tier"] for l in links} == {"1", "2", "3"}
    # Realistic Chinese text lengths.
    items = db.all("items")
    assert all(15 <= len(i["title"]) <= 30 for i in items)
    assert all(100 <= len(i["manifestation"]) <= 200 for i in items)
    assert all(2 <= len(i["measures"]) <= 4 for i in items)
    assert any(i["progress"] for i in items) and any(i["status"] == "已销号" for i in items)
    camp = db.all("campaigns")[0]
    assert {i["dimension"] for i in items} <= {d["key"] for d in camp["dimensions"]}
    # Contacts spread over several quarters, all pointing at real links.
    assert len({c["date"][:7] for c in db.all("contacts")}) > 12


@pytest.mark.parametrize("scale", [0.1, 0.5, 1, 3, 5.5, 10])
def test_every_scale_generates_in_its_shape(tmp_path, scale):
    """Each scale up to 10× generates (10× hung on names and wrote years before 2000, which
    the database refuses): the campaigns and people at the scale's own count, the big tables
    sampled down so that the suite stays quick."""
    out = tmp_path / "scale.json"
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "gen_scale.py"), str(out), "--scale", str(scale), "--sample", "300"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    want = bench_module("gen_scale").counts(scale)
    db = Database.open(str(out), create=False)
    camps = db.all("campaigns")
    persons = db.all("persons")
    assert len(camps) == want["campaigns"] and len(persons) == want["persons"]
    assert len({p["name"] for p in persons}) == len(persons)  # names stay distinct
    years = sorted({c["year"] for c in camps})
    assert years[0] >= 2000 and len(years) <= 5  # a bigger system has more campaigns a year, not older ones
    assert all(c["meeting_date"] > f"{c['year']}-12-31" for c in camps)
    assert {r["role"] for r in persons} >= {"党组成员", "党员委员", "党外委员"}
    links = db.all("links")
    table = db.table_dict("persons")
    assert all(link_problem(table, l) is None for l in links)
    assert db.check() == []


def test_names_do_not_run_out():
    """50 000 distinct names (2.5 times the people of 10×); in a child with a time limit, as
    the old generator looped for ever past about 16 600."""
    code = ("import random, sys; sys.path.insert(0, 'benchmarks'); import gen_scale; "
            "n = gen_scale._names(random.Random(1), 50_000); "
            "assert len(set(n)) == 50_000 and not any(c.isdigit() for x in n for c in x); print('ok')")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "ok", r.stderr


def test_campaign_years_never_go_before_2000():
    gen = bench_module("gen_scale")
    assert gen.campaign_years(20, 2026) == [2025] * 4 + [2024] * 4 + [2023] * 4 + [2022] * 4 + [2021] * 4
    for n in (2, 60, 200, 2000):
        years = gen.campaign_years(n, 2026)
        assert min(years) >= 2000 and len(years) == n


def test_gen_scale_refuses_to_overwrite(tmp_path):
    out = tmp_path / "s.json"
    cmd = [sys.executable, str(ROOT / "benchmarks" / "gen_scale.py"), str(out), "--scale", "0.002"]
    assert subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True).returncode == 0
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    assert r.returncode != 0 and "已存在" in r.stderr
    assert subprocess.run(cmd + ["--force"], cwd=ROOT, capture_output=True, text=True).returncode == 0


def test_counts_scale_with_the_parameter():
    gen_scale = bench_module("gen_scale")
    assert gen_scale.counts(1.0) == {"campaigns": 20, "items": 10_000, "persons": 2_000, "links": 5_000, "contacts": 50_000}
    assert gen_scale.counts(0.1)["contacts"] == 5_000


def test_benchmark_runner_writes_its_table(tmp_path):
    """The runner end to end at a tiny scale (figures are not judged here, only produced)."""
    results = tmp_path / "RESULTS.md"
    r = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--scale", "0.01", "--repeat", "1",
         "--only", "search", "review", "--work", str(tmp_path / "work"), "--out", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert r.returncode in (0, 1), r.stderr  # 1 = some target missed
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results")
    assert "| figure | target | 0.01× | what it means |" in text  # one column per scale
    assert "search keystroke" in text and text.count("review，") == 3
    assert (tmp_path / "work" / "scale-0.01.json").exists()
    assert not (ROOT / "benchmarks" / "out" / "scale-0.01.json").exists()
