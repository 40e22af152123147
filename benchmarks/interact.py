"""The app's interactive actions, timed from inside a process of their own.

    python benchmarks/interact.py DB.json --out RESULT.json [--repeat N] [--colleague N]

Runs the real app (``ZhenggaiApp`` on ``Database.open(lazy=True)``, as `zhenggai` does) under
Textual's own test driver at 80x24: every widget is laid out and every frame composed as in a
terminal; only the final write of escape codes is left out. Each action is timed from the key
until the screen shows its result (the condition below holds and the app has gone idle with
the frame composed). The database given is changed (saves): pass a copy.

An event-loop lag monitor runs in the app's own loop throughout (a 5 ms sleep, its overshoot
recorded): the longest the UI could not take a key. For a colleague's save another process
saves a record the screen shows; ``shown`` is the time from that process's commit until the
screen shows the change, ``blocked`` the longest lag of the loop meanwhile.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from typing import Any, Callable

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


class Lag:
    """The app loop's longest stall since ``reset``."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.task: asyncio.Task[None] | None = None

    async def run(self) -> None:
        while True:
            t = time.perf_counter()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, time.perf_counter() - t - 0.005)

    def reset(self) -> None:
        self.worst = 0.0


async def until(pilot: Any, cond: Callable[[], bool], timeout: float = 120) -> None:
    """Until ``cond`` holds, then until every widget has handled its messages and the frame
    is composed. (Not Pilot.pause(): it also waits for the process to go idle, which a
    thread still reading a file in the background would count against the action.)"""
    deadline = time.perf_counter() + timeout
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError("condition never held")
        await asyncio.sleep(0.002)
    await pilot.pause(0)


def send(app: Any, *keys: str) -> None:
    """Keys as the terminal driver delivers them. (Not Pilot.press: after each key it waits
    for the whole process to go idle, up to a second, which a thread reading a file in the
    background would add to the action's time.)"""
    from textual import events

    for key in keys:
        char = {"enter": "\r", "tab": "\t", "backspace": "\x7f", "space": " ", "slash": "/", "escape": "\x1b"}.get(
            key, key if len(key) == 1 else None)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


async def timed(pilot: Any, keys: list[str], cond: Callable[[], bool]) -> float:
    t = time.perf_counter()
    send(pilot.app, *keys)
    await until(pilot, cond)
    return time.perf_counter() - t


def colleague(db_path: str, code: str) -> tuple[float, str]:
    """Run ``code`` (with ``db`` open) in another process: the CLOCK_MONOTONIC of its commit
    and what the code printed before it."""
    script = ("import time\nfrom storage import Database\n"
              f"db = Database.open({db_path!r}, user='colleague')\n{code}\nprint(time.monotonic())\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(done.stderr)
    *said, at = done.stdout.split()
    return float(at), " ".join(said)


def vm_hwm_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


async def workspace(pilot: Any, out: dict[str, Any], repeat: int) -> None:
    from tui.screens.export_dialog import ExportDialog
    from tui.screens.main import MainScreen

    app = pilot.app
    db = app.db
    main = app.screen
    assert isinstance(main, MainScreen)
    t = time.perf_counter()
    await until(pilot, lambda: db.loaded("items"))
    out["items_parsed_after"] = time.perf_counter() - t
    dims = [d["key"] for d in main.dims()]
    times = []
    for n in range(repeat):
        k = (n + 1) % min(3, len(dims))
        times.append(await timed(pilot, [str(k + 1)], lambda k=k: main.dimension == dims[k] and main.rendered_version == db.version_of("items")))
    out["dimension_switch"] = times
    await timed(pilot, ["slash"], lambda: main.search_text is not None)
    times = []
    typed = ""
    for ch in "理论学习" * max(1, repeat // 4):
        typed += ch
        times.append(await timed(pilot, [ch], lambda typed=typed: main.search_text == typed))
        if len(typed) == 4:
            send(app, *["backspace"] * 4)
            await until(pilot, lambda: main.search_text == "")
            typed = ""
    out["search_key"] = times
    send(app, "escape")
    await until(pilot, lambda: main.search_text is None)
    times = []
    for _ in range(repeat):
        times.append(await timed(pilot, ["x"], lambda: isinstance(app.screen, ExportDialog) and app.screen.is_mounted))
        send(app, "escape")
        await until(pilot, lambda: app.screen is main)
    out["export_dialog"] = times
    times = []
    for _ in range(repeat):
        uid = main.current_uid()
        rev = db.table_dict("items")[uid]["rev"]
        send(app, "e")
        await until(pilot, lambda: app.screen is not main and app.screen.is_mounted)
        send(app, "改")
        await until(pilot, lambda: getattr(app.focused, "value", "").endswith("改"))
        times.append(await timed(pilot, ["ctrl+s"], lambda uid=uid, rev=rev: app.screen is main
                                 and db.table_dict("items")[uid]["rev"] > rev and main.rendered_version == db.version_of("items")))
    out["save_first_of_day"], out["save"] = times[0], times[1:]


async def liaison(pilot: Any, out: dict[str, Any], repeat: int) -> None:
    from tui.screens.liaison import LiaisonScreen

    app = pilot.app
    out["liaison_open"] = await timed(pilot, ["l"], lambda: isinstance(app.screen, LiaisonScreen) and app.screen.ready("people"))
    screen = app.screen
    for tab, key in (("links", "2"), ("contacts", "3"), ("coverage", "4")):
        out[f"liaison_tab_{tab}"] = await timed(pilot, [key], lambda tab=tab: screen.ready(tab))
    await timed(pilot, ["1"], lambda: screen.ready("people"))
    times = []
    for _ in range(repeat):
        before = screen.people.table.cursor_row
        times.append(await timed(pilot, ["j"], lambda before=before: screen.people.table.cursor_row == before + 1
                                 and screen.ready("people")))
    out["liaison_person_move"] = times


async def colleague_saves(pilot: Any, out: dict[str, Any], rounds: int, lag: Lag) -> None:
    """Another process saves an item the workspace shows, then a contact 三联系 shows."""
    from tui.screens.liaison import LiaisonScreen
    from tui.screens.main import MainScreen

    app = pilot.app
    db = app.db
    if not isinstance(app.screen, MainScreen):
        app.pop_screen()
    main = app.screen
    await until(pilot, lambda: isinstance(app.screen, MainScreen) and db.loaded("items"))
    shown, blocked = [], []
    for n in range(rounds):
        uid = main.current_uid()
        title = f"同事修改{n}"
        lag.reset()
        at, _ = await asyncio.to_thread(colleague, db.path, f"db.update('items', {uid!r}, {{'title': {title!r}}})")
        await until(pilot, lambda uid=uid, title=title: any(i.get("uid") == uid and i.get("title") == title
                                                            for i in main.table.items), timeout=600)
        shown.append(time.monotonic() - at)
        await pilot.pause(0.3)
        blocked.append(lag.worst)
    out["colleague_workspace_shown"], out["colleague_workspace_blocked"] = shown, blocked
    send(app, "l")
    await until(pilot, lambda: isinstance(app.screen, LiaisonScreen) and app.screen.ready("people"))
    screen = app.screen
    send(app, "3")
    await until(pilot, lambda: screen.ready("contacts"))
    from storage.dates import today
    from storage.liaison import link_active

    link = next(l["uid"] for l in db.table_dict("links").values() if link_active(l))
    shown, blocked = [], []
    for n in range(rounds):
        summary = f"同事记录的联系{n}"
        lag.reset()
        at, uid = await asyncio.to_thread(colleague, db.path, f"from storage.liaison import log_contact\n"
                                          f"print(log_contact(db, {link!r}, {summary!r}, on={today().isoformat()!r})['uid'])")
        await until(pilot, lambda uid=uid: screen.ready("contacts") and uid in screen.contacts.table.rows, timeout=600)
        shown.append(time.monotonic() - at)
        await pilot.pause(0.3)
        blocked.append(lag.worst)
    out["colleague_liaison_shown"], out["colleague_liaison_blocked"] = shown, blocked


async def main_async(a: argparse.Namespace) -> dict[str, Any]:
    gc.disable()  # as `zhenggai` starts (tui.cli, tui.app.run): what start-up makes is frozen after the first frame
    from storage import Database
    from tui.app import ZhenggaiApp

    out: dict[str, Any] = {}
    t = time.perf_counter()
    db = Database.open(a.db, lazy=True)
    app = ZhenggaiApp(db)
    app.gc_paused = True
    async with app.run_test(size=(80, 24)) as pilot:
        out["mounted_after"] = time.perf_counter() - t
        lag = Lag()
        lag.task = asyncio.get_running_loop().create_task(lag.run())
        if "workspace" in a.parts:
            await workspace(pilot, out, a.repeat)
        if "liaison" in a.parts:
            await liaison(pilot, out, a.repeat)
        out["vm_hwm_kb"] = vm_hwm_kb()
        if "colleague" in a.parts:
            await colleague_saves(pilot, out, a.colleague, lag)
        lag.task.cancel()
        # What a full collection costs after the whole session: it holds the interpreter, so
        # it is what a key may wait for, whenever the collector decides to run one.
        t = time.perf_counter()
        gc.collect()
        out["full_gc"] = time.perf_counter() - t
        out["gc_tracked"] = len(gc.get_objects())
    out["maxrss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("db")
    ap.add_argument("--out", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--colleague", type=int, default=3)
    ap.add_argument("--parts", nargs="*", default=["workspace", "liaison", "colleague"])
    a = ap.parse_args(argv)
    out = asyncio.run(main_async(a))
    with open(a.out, "w", encoding="utf-8") as fh:
        json.dump(out, fh, ensure_ascii=False)
    summary = {k: (round(statistics.median(v), 3) if isinstance(v, list) else v) for k, v in out.items()}
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
