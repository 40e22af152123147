"""`zhenggai serve`: the TUI in a browser, bound to the loopback address by default."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_on_loopback_with_the_app_command(tmp_path):
    port = free_port()
    db = tmp_path / "zg.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT, env=os.environ, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        page = None
        while time.monotonic() < deadline and page is None:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read().decode(errors="replace"))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    page = r.read().decode()
            except OSError:
                time.sleep(0.1)  # the server is still starting: poll, bounded by the deadline
        assert page is not None, "serve did not answer within 30 s"
        assert "textual" in page.lower()
        # Nothing listens on the machine's other addresses: only loopback was bound.
        with socket.socket() as s:
            s.settimeout(1)
            other = socket.gethostbyname(socket.gethostname())
            if not other.startswith("127."):
                assert s.connect_ex((other, port)) != 0
    finally:
        proc.terminate()
        proc.wait(timeout=10)
