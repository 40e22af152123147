"""Crash safety: a child writes in a loop and is SIGKILLed at 50 random moments.

The child reports "pre N" before each commit and "ok N" after it through a pipe.
After every kill the file parses and holds the last reported commit, or the one
that was in flight.
"""

from __future__ import annotations

import os
import random
import signal
import time

from storage import Database, files

KILLS = 50


def _child(path: str, uid: str, wfd: int) -> None:
    """Runs in the forked child; never returns."""
    code = 1
    try:
        db = Database.open(path, create=False, user="child")
        n = int(db.require("campaigns", uid)["organ"] or 0)
        while True:
            n += 1
            os.write(wfd, f"pre {n}\n".encode())
            db.update("campaigns", uid, {"organ": str(n), "report_title": "第" + "改" * (n % 7) + "稿"})
            # The other shard too, so both files see kills at every step.
            db.update("persons", "p1", {"note": f"记录{n}"})
            os.write(wfd, f"ok {n}\n".encode())
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def _read_lines(rfd: int, buf: bytearray, until: str | None) -> list[str]:
    """Read lines from the pipe until a line equals ``until`` (or EOF when None)."""
    lines = []
    while True:
        while b"\n" in buf:
            line, _, rest = bytes(buf).partition(b"\n")
            buf[:] = rest
            lines.append(line.decode())
            if until is not None and lines[-1] == until:
                return lines
        chunk = os.read(rfd, 4096)
        if not chunk:
            return lines
        buf += chunk


def test_sigkill_at_random_moments_leaves_old_or_new(db, db_path):
    from storage.items import create_campaign

    camp = create_campaign(db, "崩溃测试", "dsh2024", organ="0")
    db.insert("persons", {"uid": "p1", "name": "测试人", "role": "党员委员"})
    rng = random.Random(20261121)
    committed = 0
    for _ in range(KILLS):
        rfd, wfd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - child
            os.close(rfd)
            _child(str(db_path), camp["uid"], wfd)
        os.close(wfd)
        buf = bytearray()
        target = committed + rng.randint(1, 3)
        got = _read_lines(rfd, buf, f"ok {target}")
        assert got and got[-1] == f"ok {target}", got  # the child is writing normally
        # A random moment inside the following commits (no waiting on this: any moment is fine).
        time.sleep(rng.uniform(0, 0.004))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        got += _read_lines(rfd, buf, None)
        os.close(rfd)
        oks = [int(x.split()[1]) for x in got if x.startswith("ok ")]
        pres = [int(x.split()[1]) for x in got if x.startswith("pre ")]
        last_ok = oks[-1]
        in_flight = pres[-1] if pres[-1] > last_ok else None

        data, _ = files.read_json(str(db_path))  # parses, right shape
        organ = int(data["campaigns"][camp["uid"]]["organ"])
        assert organ == last_ok or organ == in_flight, (organ, last_ok, in_flight)
        cdata, _ = files.read_json(str(db_path).replace(".json", ".contacts.json"))
        note = int(cdata["persons"]["p1"]["note"].removeprefix("记录"))
        allowed = {(last_ok, last_ok)}
        if in_flight is not None:  # main shard first, then contacts: each old or new
            allowed |= {(in_flight, last_ok), (in_flight, in_flight)}
        assert (organ, note) in allowed, (organ, note, last_ok, in_flight)
        committed = organ

    # After 50 kills the database is sound; leftover temp files are not taken for it.
    db2 = Database.open(str(db_path), create=False)
    assert db2.check() == []
    assert int(db2.require("campaigns", camp["uid"])["organ"]) == committed
    leftovers = [n for n in os.listdir(db_path.parent) if n.endswith(".tmp")]
    assert all(n.startswith(".") for n in leftovers)
    for b in db2.backups():
        assert os.path.isdir(b)
    db2.update("campaigns", camp["uid"], {"organ": str(committed + 1)})
    db2.update("persons", "p1", {"note": "完"})
    assert files.read_json(str(db_path))[0]["campaigns"][camp["uid"]]["organ"] == str(committed + 1)
    # The next saves (under the lock) sweep temp files of killed writers away.
    assert [n for n in os.listdir(db_path.parent) if n.endswith(".tmp")] == []
    # History lines cut by a kill are skipped, never fatal.
    assert db2.history(limit=10_000)
