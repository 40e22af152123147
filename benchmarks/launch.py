"""Start measured processes from a small process, so that their peak memory is their own.

On Linux a child's ``ru_maxrss`` starts from the peak of the process it was forked from,
and keeps it across exec (the kernel copies the parent's high-water mark into the child at
fork and folds the old memory's mark into the new program's at exec). A benchmark that
generated a 3× database, or parsed one to measure a save, and then forked the app to
measure it, reported its own peak as the app's. So every measured process is started by a
launcher: this module run as a process of its own, started before the benchmark has done
anything (about 10 MB), which only forks, execs and waits. A child's ``ru_maxrss`` is then
the larger of the launcher's few megabytes and its own peak, i.e. its own.

    launcher = Launcher()                 # first thing in benchmarks/run.py
    r = launcher.pty([...], env)          # 80x24 pseudo-terminal: seconds, rc, maxrss_kb, output
    r = launcher.piped([...], env)        # pipes: seconds, rc, maxrss_kb, output

Run as ``python launch.py`` it serves one JSON request per line on stdin and answers one
JSON line on stdout.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
import time
from typing import Any

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_in_pty(cmd: list[str], env: dict[str, str], timeout: float = 300, marker: bytes | None = None,
               cwd: str = ROOT) -> dict[str, Any]:
    """Run ``cmd`` in an 80x24 pseudo-terminal. ``seconds`` counts until ``marker`` first
    appears in the output (the whole run when it never does)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    out = bytearray()
    t_marker: float | None = None
    deadline = t0 + timeout
    while True:
        r, _, _ = select.select([master], [], [], 0.5)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
            if marker and t_marker is None and marker in out[-len(chunk) - len(marker):]:
                t_marker = time.perf_counter() - t0
        elif p.poll() is not None:
            break
        if time.perf_counter() > deadline:
            p.kill()
            break
    _, status, usage = os.wait4(p.pid, 0)
    elapsed = time.perf_counter() - t0
    os.close(master)
    return {"seconds": t_marker if t_marker is not None else elapsed, "rc": os.waitstatus_to_exitcode(status),
            "maxrss_kb": usage.ru_maxrss, "output": bytes(out[-20000:])}


def run_piped(cmd: list[str], env: dict[str, str], timeout: float = 3600, cwd: str = ROOT) -> dict[str, Any]:
    """Run ``cmd`` with its output piped (stderr into stdout): seconds, rc, its own peak memory."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = bytearray()
    deadline = t0 + timeout
    assert p.stdout is not None
    fd = p.stdout.fileno()
    while True:
        r, _, _ = select.select([fd], [], [], 0.5)
        if r:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
        if time.perf_counter() > deadline:
            p.kill()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return {"seconds": time.perf_counter() - t0, "rc": p.returncode, "maxrss_kb": usage.ru_maxrss,
            "output": bytes(out[-20000:])}


def serve() -> None:
    """One JSON request per line on stdin, one JSON answer per line on stdout."""
    kinds = {"pty": run_in_pty, "piped": run_piped}
    for line in sys.stdin:
        req = json.loads(line)
        kw = {k: v for k, v in req.items() if k not in ("kind", "marker")}
        if req.get("marker"):
            kw["marker"] = base64.b64decode(req["marker"])
        try:
            res = kinds[req["kind"]](**kw)
            res["output"] = base64.b64encode(res["output"]).decode("ascii")
        except Exception as e:  # say what went wrong instead of hanging the benchmark
            res = {"error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(res) + "\n")
        sys.stdout.flush()


class Launcher:
    """The benchmark's side: start the launcher process (do it first), then ask it."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-S", os.path.abspath(__file__)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True, cwd=HERE)

    def _ask(self, kind: str, cmd: list[str], env: dict[str, str], **kw: Any) -> dict[str, Any]:
        if "marker" in kw:
            kw["marker"] = base64.b64encode(kw["marker"]).decode("ascii") if kw["marker"] else None
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps({"kind": kind, "cmd": cmd, "env": env, **kw}) + "\n")
        self.proc.stdin.flush()
        res = json.loads(self.proc.stdout.readline())
        if "error" in res:
            raise RuntimeError(f"launcher: {res['error']} ({cmd})")
        res["output"] = base64.b64decode(res["output"])
        return res

    def pty(self, cmd: list[str], env: dict[str, str], timeout: float = 300, marker: bytes | None = None) -> dict[str, Any]:
        return self._ask("pty", cmd, env, timeout=timeout, marker=marker)

    def piped(self, cmd: list[str], env: dict[str, str], timeout: float = 3600) -> dict[str, Any]:
        return self._ask("piped", cmd, env, timeout=timeout)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=10)


if __name__ == "__main__":
    serve()
