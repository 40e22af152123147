"""8 real processes x 100 updates through the public storage API, with a watcher
that parses the file the whole time.

* own records: each process appends tokens to its own item; every token must be there.
* one shared item: read-modify-write with expected_rev; each attempt ends applied
  or as a ConflictError, and the final list holds exactly the applied tokens.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[1]
N_PROC = 8
N_UPDATES = 100
OWN_EVERY = (0, 1, 2)  # k % 5 in OWN_EVERY -> own record (60), else shared (40)

WORKER = r"""
import json, sys
from storage import Database, ConflictError, StorageError
path, me, own, shared, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
db = Database.open(path, create=False, user=f"w{me}")
print("ready", flush=True)
sys.stdin.readline()  # start barrier
applied, conflicts, lock_retries = [], [], 0
for k in range(n):
    token = f"w{me}-{k}"
    if k % 5 in (0, 1, 2):
        while True:  # own record: nobody else writes it, so it must always apply
            rec = db.get("items", own)
            try:
                db.update("items", own, {"evidence": rec["evidence"] + [token]}, expected_rev=rec["rev"])
                break
            except StorageError:  # lock wait too long on a loaded machine: reported, retried
                lock_retries += 1
        continue
    while True:
        rec = db.get("items", shared)
        if k % 5 == 3:  # collision round: every process holds the same rev before anyone writes
            print("read", k, flush=True)
            sys.stdin.readline()
        try:
            db.update("items", shared, {"evidence": rec["evidence"] + [token]}, expected_rev=rec["rev"])
            applied.append(token)
            break
        except ConflictError as e:
            assert e.current is not None and e.current["rev"] != rec["rev"], e.current
            assert token not in e.current["evidence"]
            conflicts.append(token)
            break
        except StorageError:
            lock_retries += 1
print(json.dumps({"applied": applied, "conflicts": conflicts, "lock_retries": lock_retries}), flush=True)
"""

WATCHER = r"""
import os, sys, orjson
from storage import files, Database
path, stop = sys.argv[1], sys.argv[2]
db = Database.open(path, create=False, user="watcher")
parses, stamps, bad = 0, set(), []
print("ready", flush=True)
while True:
    done = os.path.exists(stop)
    try:
        data, st = files.read_json(path)
        if not data["meta"]["schema"]["schema_version"]:
            bad.append("no schema")
        for it in data.get("items", {}).values():
            if not isinstance(it.get("evidence"), list):
                bad.append("evidence not a list")
        parses += 1
        stamps.add(st)
        db.refresh()
        db.all("items")
    except Exception as e:  # any failure to parse is what this test hunts
        bad.append(f"{type(e).__name__}: {e}")
    if done:
        break
print(orjson.dumps({"parses": parses, "versions": len(stamps), "bad": bad[:5]}).decode(), flush=True)
"""


def _spawn(code: str, *args: str, stdin=None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def test_eight_processes_hundred_updates(db, db_path, tmp_path):
    from storage.items import create_campaign
    from storage.models import blank

    camp = create_campaign(db, "并发测试", "dsh2024")
    own = [db.insert("items", blank("items", campaign=camp["uid"], dimension="d1", title=f"进程{i}"))["uid"]
           for i in range(N_PROC)]
    shared = db.insert("items", blank("items", campaign=camp["uid"], dimension="d2", title="共享事项"))["uid"]
    stop = tmp_path / "stop"

    watcher = _spawn(WATCHER, str(db_path), str(stop))
    workers = [_spawn(WORKER, str(db_path), str(i), own[i], shared, str(N_UPDATES), stdin=subprocess.PIPE)
               for i in range(N_PROC)]
    results = []
    try:
        assert watcher.stdout.readline().strip() == "ready", watcher.stderr.read()
        for w in workers:
            assert w.stdout.readline().strip() == "ready", w.stderr.read()
        for k in [None] + [k for k in range(N_UPDATES) if k % 5 == 3]:
            if k is not None:  # collision round: wait until all have read the shared record
                for w in workers:
                    line = w.stdout.readline().strip()
                    assert line == f"read {k}", (line, w.stderr.read() if not line else "")
            for w in workers:
                w.stdin.write("go\n")
                w.stdin.flush()
        for w in workers:
            out, err = w.communicate(timeout=180)
            assert w.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        stop.write_text("stop")
        wout, werr = watcher.communicate(timeout=60)
        for p in workers + [watcher]:
            if p.poll() is None:
                p.kill()
                p.wait()
    seen = orjson.loads(wout.strip().splitlines()[-1])
    assert watcher.returncode == 0, werr
    assert seen["bad"] == [], seen
    assert seen["parses"] > 0

    db.refresh()
    n_own = sum(1 for k in range(N_UPDATES) if k % 5 in OWN_EVERY)
    for i, uid in enumerate(own):
        rec = db.require("items", uid)
        assert rec["evidence"] == [f"w{i}-{k}" for k in range(N_UPDATES) if k % 5 in OWN_EVERY]
        assert rec["rev"] == 1 + n_own

    applied = [t for r in results for t in r["applied"]]
    conflicts = [t for r in results for t in r["conflicts"]]
    attempts = N_PROC * (N_UPDATES - n_own)
    assert len(applied) + len(conflicts) == attempts
    # In each collision round all processes read the same rev before anyone wrote:
    # at most one of them can win, the others must get a ConflictError.
    for k in (k for k in range(N_UPDATES) if k % 5 == 3):
        won = sum(1 for t in applied if t.endswith(f"-{k}"))
        lost = sum(1 for t in conflicts if t.endswith(f"-{k}"))
        assert won <= 1 and won + lost == N_PROC, (k, won, lost)
    final = db.require("items", shared)
    assert sorted(final["evidence"]) == sorted(applied)  # nothing silently lost, nothing invented
    assert len(set(final["evidence"])) == len(final["evidence"])
    assert final["rev"] == 1 + len(applied)

    # One history line per applied update, under the lock, none torn.
    hist = db.history(uid=shared, limit=10_000)
    assert sum(1 for h in hist if h["action"] == "update") == len(applied)
    for uid in own:
        assert sum(1 for h in db.history(uid=uid, limit=10_000) if h["action"] == "update") == n_own
    assert db.check() == []
