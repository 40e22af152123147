"""Storage figures, each measured in a process of its own (started by benchmarks/run.py).

    python benchmarks/storage_bench.py save|search|backup DB.json [--repeat N]

Prints one JSON object: the timings (seconds) and what else the figure needs. ``save`` and
``backup`` work on a copy of the database in a temp folder beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from typing import Any

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


def copy_db(path: str) -> tuple[str, str]:
    """A copy of the two shards (no indexes, history or backups) in a temp folder: (folder, path)."""
    work = tempfile.mkdtemp(prefix="copy-", dir=os.path.dirname(path))
    stem = path[:-5]
    for src, name in ((path, "zhenggai.json"), (stem + ".contacts.json", "zhenggai.contacts.json")):
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(work, name))
    return work, os.path.join(work, "zhenggai.json")


def save(path: str, repeat: int) -> dict[str, Any]:
    """``db.update`` of one item's title against dumping the same data by hand (orjson,
    write, fsync, replace); today's backup exists, as on any working day after the first save."""
    import orjson

    from storage import Database

    work, copy = copy_db(path)
    try:
        db = Database.open(copy, user="bench", create=False)
        db.backup("daily")
        items = db.table_dict("items")
        uid = sorted(items)[len(items) // 2]
        base = db.get("items", uid)["title"]

        def one(n: int) -> float:
            t0 = time.perf_counter()
            rec = db.get("items", uid)
            db.update("items", uid, {"title": f"{base}（修改{n}）"}, expected_rev=rec["rev"])
            return time.perf_counter() - t0

        with open(copy, "rb") as fh:
            data = orjson.loads(fh.read())  # the same data structure as the database holds

        def by_hand() -> float:
            t0 = time.perf_counter()
            payload = orjson.dumps(data)
            fd, tmp = tempfile.mkstemp(dir=work, suffix=".tmp")
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
            os.close(fd)
            os.replace(tmp, os.path.join(work, "by-hand.json"))
            return time.perf_counter() - t0

        one(0), by_hand()  # warm the page cache and the allocator
        saves, hands = [], []
        for n in range(1, repeat + 1):
            if n % 2:  # alternate the order so that neither pays for the other's writeback
                saves.append(one(n))
                hands.append(by_hand())
            else:
                hands.append(by_hand())
                saves.append(one(n))
        return {"save": saves, "hand": hands}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def search(path: str, repeat: int) -> dict[str, Any]:
    from storage import Database
    from storage.queries import search_items

    db = Database.open(path, create=False)
    t0 = time.perf_counter()
    search_items(db, "理")
    first = time.perf_counter() - t0
    typed = ["理", "理论", "理论学", "理论学习", "担", "担当", "担当作", "担当作为", "纪律 执行", "舆情", "三会一课", "回头看"]
    times = []
    for _ in range(max(1, repeat // 2)):
        for q in typed:
            t0 = time.perf_counter()
            search_items(db, q)
            times.append(time.perf_counter() - t0)
    return {"key": times, "first": first, "items": len(db.table_dict("items"))}


def backup(path: str, repeat: int) -> dict[str, Any]:
    """One daily backup of the database as a save of the day makes it: its size on disk,
    the time it takes (in the thread, after the save), and the size of the two shards."""
    from storage import Database

    work, copy = copy_db(path)
    try:
        db = Database.open(copy, user="bench", create=False)
        shards = sum(os.path.getsize(os.path.join(work, n)) for n in ("zhenggai.json", "zhenggai.contacts.json"))
        times, sizes = [], []
        for _ in range(max(1, repeat // 2)):
            t0 = time.perf_counter()
            made = db.backup("daily")
            times.append(time.perf_counter() - t0)
            sizes.append(sum(os.path.getsize(os.path.join(made, f)) for f in os.listdir(made)))
        return {"seconds": times, "size": sizes, "shards": shards}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["save", "search", "backup"])
    ap.add_argument("db")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    out = {"save": save, "search": search, "backup": backup}[a.what](a.db, a.repeat)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
