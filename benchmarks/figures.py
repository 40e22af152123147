"""The figures of `make bench`, each measured in a process of its own (launch.py starts them).

Every function takes the run's context and one scale's database and puts its rows into the
table (run.py): the median of several runs and, in brackets, the lowest and highest.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LEFT_SCREEN = b"\x1b[?1049l"  # Textual leaves the alternate screen when the app has stopped


def med(xs: list[float]) -> float:
    return statistics.median(xs)


def ms(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"


def spread(xs: list[float], fmt: Callable[[float], str] = ms) -> str:
    """The median, and the lowest and highest of the runs."""
    if len(xs) < 2:
        return fmt(xs[0])
    return f"{fmt(med(xs))} ({fmt(min(xs))}–{fmt(max(xs))})"


def mb(kb: float) -> str:
    return f"{kb / 1024:.0f} MB"


class Context:
    def __init__(self, launcher: Any, table: Any, out: str, py: str, repeat: int) -> None:
        self.launcher, self.table, self.out, self.py, self.repeat = launcher, table, out, py, repeat

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        # An installed app runs from compiled .pyc files, as Textual itself does here.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.update(extra)
        return env

    def piped(self, args: list[str], **env: str) -> dict[str, Any]:
        r = self.launcher.piped([self.py, *args], self.env(**env))
        if r["rc"] != 0:
            raise RuntimeError(f"{args} exited {r['rc']}: {r['output'][-2000:].decode(errors='replace')}")
        return r

    def json(self, args: list[str], **env: str) -> dict[str, Any]:
        return json.loads(self.piped(args, **env)["output"].decode().strip().splitlines()[-1])


def working_copy(ctx: Context, db: str, tag: str) -> str:
    """A copy of the two shards in a folder of its own, opened once (in a child) so that its
    indexes are written, as any database that has been saved has them."""
    work = tempfile.mkdtemp(prefix=f"{tag}-", dir=ctx.out)
    stem = db[:-5]
    shutil.copyfile(db, os.path.join(work, "zhenggai.json"))
    shutil.copyfile(stem + ".contacts.json", os.path.join(work, "zhenggai.contacts.json"))
    path = os.path.join(work, "zhenggai.json")
    ctx.piped(["-c", f"import sys; sys.path.insert(0, {ROOT!r}); from storage import Database; "
                     f"db = Database.open({path!r}, create=False); db.table_dict('contacts')"])
    return path


# ------------------------------------------------------------------ start-up and memory


def startup(ctx: Context, scale: float, db: str, demo: str, first: bool) -> None:
    env = ctx.env(ZHENGGAI_EXIT_ON_READY="1")
    cmds = {"scale": [ctx.py, "-m", "tui", "--db", db], "demo": [ctx.py, "-m", "tui", "--db", demo],
            "hello": [ctx.py, os.path.join(HERE, "hello.py")]}
    if not first:
        del cmds["demo"]
    for cmd in cmds.values():  # warm-up: .pyc files, page cache
        r = ctx.launcher.pty(cmd, env)
        if r["rc"] != 0:
            raise RuntimeError(f"{cmd} exited {r['rc']}: {r['output'][-2000:].decode(errors='replace')}")
    times: dict[str, list[float]] = {k: [] for k in cmds}
    ready: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    stamp = os.path.join(tempfile.mkdtemp(prefix="ready-", dir=ctx.out), "ready")
    import time

    for _ in range(ctx.repeat):  # interleaved, so that all see the same load
        for name, cmd in cmds.items():
            if os.path.exists(stamp):
                os.remove(stamp)
            started = time.monotonic()
            r = ctx.launcher.pty(cmd, {**env, "ZHENGGAI_READY_FILE": stamp}, marker=LEFT_SCREEN)
            times[name].append(r["seconds"])
            with open(stamp, encoding="ascii") as fh:
                at, cpu_s = (float(x) for x in fh.read().split())
            ready[name].append(at - started)
            cpu[name].append(cpu_s)
    shutil.rmtree(os.path.dirname(stamp), ignore_errors=True)
    h = med(times["hello"])
    ratios = [t / h for t in times["scale"]]
    t = ctx.table
    t.put("open", scale, f"{med(ratios):.2f} × ({ms(med(times['scale']))} vs {ms(h)}; {min(ratios):.2f}–{max(ratios):.2f} ×)",
          _open_ok(scale, med(ratios), med(times["scale"])))
    rh = med(ready["hello"])
    t.put("open-ready", scale, f"{med(ready['scale']) / rh:.2f} × ({ms(med(ready['scale']))} vs {ms(rh)})",
          _open_ok(scale, med(ready["scale"]) / rh, med(ready["scale"])))
    ch = med(cpu["hello"])
    t.put("open-cpu", scale, f"{med(cpu['scale']) / ch:.2f} × ({ms(med(cpu['scale']))} vs {ms(ch)})", None)
    if first:
        d = med(times["demo"])
        t.put("open-demo", scale, f"{d / h:.2f} × ({ms(d)} vs {ms(h)})", d / h <= 1.5)


def _open_ok(scale: float, ratio: float, seconds: float) -> bool:
    """Issue 14: the first screen within 1.5 × hello-world up to 3×; at 10× it is one of the
    interactive actions, none of which may take over 3 s."""
    return ratio <= 1.5 if scale <= 3 else seconds <= 3.0


MEMORY_TARGET = {1.0: 200, 3.0: 300, 10.0: 1000}


def memory(ctx: Context, scale: float, db: str) -> None:
    limit = MEMORY_TARGET.get(scale)
    for mode, key in (("full", "mem-workspace"), ("liaison", "mem-liaison")):
        runs = [ctx.launcher.pty([ctx.py, "-m", "tui", "--db", db], ctx.env(ZHENGGAI_EXIT_ON_READY=mode), timeout=600)
                for _ in range(max(2, ctx.repeat // 2))]
        bad = [r for r in runs if r["rc"] != 0]
        if bad:
            raise RuntimeError(f"{mode}: exited {bad[0]['rc']}: {bad[0]['output'][-2000:].decode(errors='replace')}")
        peak = max(r["maxrss_kb"] for r in runs) / 1024
        ctx.table.put(key, scale, f"{peak:.0f} MB", None if limit is None else peak <= limit)


# ------------------------------------------------------------------ storage


def save(ctx: Context, scale: float, db: str) -> None:
    got = ctx.json([os.path.join(HERE, "storage_bench.py"), "save", db, "--repeat", str(max(11, 2 * ctx.repeat + 1))])
    s, h = med(got["save"]), med(got["hand"])
    ratios = [a / b for a, b in zip(got["save"], got["hand"])]
    ctx.table.put("save", scale, f"{s / h:.2f} × ({ms(s)} vs {ms(h)}; {min(ratios):.2f}–{max(ratios):.2f} ×)", s / h <= 1.3)


SEARCH_TARGET = {1.0: 0.030, 3.0: 1.0, 10.0: 3.0}


def search(ctx: Context, scale: float, db: str) -> None:
    got = ctx.json([os.path.join(HERE, "storage_bench.py"), "search", db, "--repeat", str(ctx.repeat)])
    m = med(got["key"])
    limit = SEARCH_TARGET.get(scale)
    ctx.table.put("search", scale, f"{ms(m)} (max {ms(max(got['key']))}; first {ms(got['first'])})",
                  None if limit is None else m <= limit)


def backups(ctx: Context, scale: float, db: str) -> None:
    got = ctx.json([os.path.join(HERE, "storage_bench.py"), "backup", db, "--repeat", str(ctx.repeat)])
    size = med(got["size"]) * 14 / 1e6
    ctx.table.put("backups", scale, f"{size:.0f} MB (one: {med(got['size']) / 1e6:.1f} MB of {got['shards'] / 1e6:.0f} MB; "
                  f"made in {spread(got['seconds'])})", size <= 150 if scale == 1.0 else None)


def check(ctx: Context, scale: float, db: str) -> None:
    ctx.piped(["-m", "tui", "check", "--db", db])  # warm: the page cache, a stale index rebuilt
    runs = [ctx.piped(["-m", "tui", "check", "--db", db]) for _ in range(max(3, ctx.repeat // 2))]
    secs = [r["seconds"] for r in runs]
    peak = max(r["maxrss_kb"] for r in runs)
    ctx.table.put("check", scale, f"{spread(secs)}, {mb(peak)}", med(secs) <= 10)


REVIEW_TARGET = {1.0: 0.3, 3.0: 1.0, 10.0: 3.0}


def review(ctx: Context, scale: float, db: str, demo: str, first: bool) -> None:
    limit = REVIEW_TARGET.get(scale)
    if first:
        ctx.piped(["-m", "tui", "review", "--db", demo])
        secs = [ctx.piped(["-m", "tui", "review", "--db", demo])["seconds"] for _ in range(ctx.repeat + 2)]
        ctx.table.put("review-demo", scale, spread(secs), med(secs) <= 0.3)
    ctx.piped(["-m", "tui", "review", "--db", db])
    runs = [ctx.piped(["-m", "tui", "review", "--db", db]) for _ in range(ctx.repeat + 2)]
    secs = [r["seconds"] for r in runs]
    ctx.table.put("review", scale, f"{spread(secs)}, {mb(max(r['maxrss_kb'] for r in runs))}",
                  None if limit is None else med(secs) <= limit)
    copy = working_copy(ctx, db, "review")
    try:
        code = ("import sys; sys.path.insert(0, {root!r}); from storage import Database\n"
                "db = Database.open({path!r}, user='colleague', create=False, lazy=True)\n"
                "camp = max(db.all('campaigns'), key=lambda c: (c.get('year') or 0, c.get('created') or '', c.get('name') or ''))\n"
                "uid = next(u for u, r in db.light('items', camp['uid']).items())\n"
                "db.update('items', uid, {{'title': 'benchmark {n}'}})\n")
        secs = []
        for n in range(ctx.repeat + 2):
            ctx.piped(["-c", code.format(root=ROOT, path=copy, n=n)])
            secs.append(ctx.piped(["-m", "tui", "review", "--db", copy])["seconds"])
        ctx.table.put("review-after-save", scale, spread(secs), None if limit is None else med(secs) <= limit)
    finally:
        shutil.rmtree(os.path.dirname(copy), ignore_errors=True)


def export_campaign(ctx: Context, scale: float, db: str) -> None:
    """A 对照检查材料 of the newest campaign of the scale file: the others are not parsed."""
    code = ("import sys; sys.path.insert(0, {root!r}); from storage import Database\n"
            "db = Database.open({path!r}, create=False, lazy=True)\n"
            "print(max(db.all('campaigns'), key=lambda c: (c.get('year') or 0, c.get('name') or ''))['name'])\n")
    name = ctx.piped(["-c", code.format(root=ROOT, path=db)])["output"].decode().strip().splitlines()[-1]
    out = tempfile.mkdtemp(prefix="export-", dir=ctx.out)
    try:
        cmd = ["-m", "tui", "export", "report", "--db", db, "--campaign", name, "--subject", "党组班子",
               "-o", os.path.join(out, "report.docx"), "--force"]
        ctx.piped(cmd)
        runs = [ctx.piped(cmd) for _ in range(max(3, ctx.repeat // 2))]
        secs = [r["seconds"] for r in runs]
        ctx.table.put("export-campaign", scale, f"{spread(secs)}, {mb(max(r['maxrss_kb'] for r in runs))}", None)
    finally:
        shutil.rmtree(out, ignore_errors=True)
