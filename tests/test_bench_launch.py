"""benchmarks/launch.py: a measured process's peak memory is its own, not its parent's.

`make bench` once reported the app at 232 MB on a fresh checkout because the benchmark had
generated the scale database itself and then forked the app: on Linux a child's ru_maxrss
starts from its parent's peak. The launcher, started before the benchmark grows, forks the
measured processes instead.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import ROOT, bench_module

BIG_MB = 300
# A child that allocates nothing of note, exits, and is measured by whoever started it.
SMALL = [sys.executable, "-S", "-c", "pass"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss carried across fork is Linux behaviour")
def test_a_child_of_the_launcher_reports_its_own_peak_not_its_parents():
    """In a fresh process: start the launcher, grow to 300 MB, then run a tiny child both
    through the launcher and directly. The direct one inherits the 300 MB (the old bug, and
    proof that this test can fail); the launched one reports only its own few megabytes."""
    code = f"""
import json, os, sys
sys.path.insert(0, {str(ROOT / "benchmarks")!r})
import launch
launcher = launch.Launcher()
ballast = bytearray({BIG_MB} * 1024 * 1024)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1  # touched: resident
launched = launcher.piped({SMALL!r}, dict(os.environ))["maxrss_kb"]
direct = launch.run_piped({SMALL!r}, dict(os.environ))["maxrss_kb"]
launcher.close()
print(json.dumps({{"launched": launched, "direct": direct}}))
"""
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    import json

    got = json.loads(r.stdout.strip().splitlines()[-1])
    assert got["direct"] > BIG_MB * 1024  # forked from the big process: its peak
    assert got["launched"] < 60 * 1024  # its own: a bare interpreter


def test_the_launcher_answers_what_went_wrong_instead_of_hanging():
    launch = bench_module("launch")
    launcher = launch.Launcher()
    try:
        r = launcher.piped([sys.executable, "-c", "import sys; print('hi'); sys.exit(3)"], dict(os.environ), timeout=60)
        assert r["rc"] == 3 and b"hi" in r["output"] and r["maxrss_kb"] > 0
        with pytest.raises(RuntimeError, match="launcher"):
            launcher.piped(["/nonexistent/program"], dict(os.environ))
    finally:
        launcher.close()
