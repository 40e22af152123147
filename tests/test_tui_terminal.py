"""Keys through a real terminal: the app in tmux (80x24), keys sent as the issue sent them.

tmux writes the keys of one ``send-keys`` to the app's pseudo-terminal together, so the
app reads them in one go, as it does over a laggy SSH link.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time

import pytest

from storage import Database
from storage.models import SUBJECT_GROUP
from storage.queries import item_rows
from tests.tui_helpers import ROOT

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, tmp_path, command: str) -> None:
        self.socket = str(tmp_path / "tmux.sock")
        self("new-session", "-d", "-x", "80", "-y", "24", "-c", str(ROOT), command)

    def __call__(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-S", self.socket, *args], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def screen(self) -> str:
        return self("capture-pane", "-p")

    def wait(self, check, what: str, timeout: float = 30) -> str:
        """Poll the screen until ``check(screen)``: the app runs in another process."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen:\n{screen}")
            time.sleep(0.05)

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True, timeout=30)


def _first_item(db):
    camp = sorted(db.all("campaigns"), key=lambda c: (-(c.get("year") or 0), c.get("created", "")))[0]
    return db.get("items", item_rows(db, camp["uid"], camp["dimensions"][0]["key"], SUBJECT_GROUP)[0]["uid"])


def test_backspace_and_tab_sent_together_through_tmux(demo_db, tmp_path):
    """Issue 12, item 1, as reported: e, Tab ×9 (责任领导), Y, then `send-keys BSpace Tab`."""
    item = _first_item(demo_db)
    leader, dept = item["leader"], item["owner_dept"]
    tmux = Tmux(tmp_path, f"{sys.executable} -m tui --db {demo_db.path}")
    try:
        tmux.wait(lambda s: "序号" in s and "e 编辑" in s, "the workspace")
        tmux("send-keys", "e")
        tmux.wait(lambda s: "编辑整改事项" in s, "the item form")
        tmux("send-keys", *["Tab"] * 9, "Y")
        tmux.wait(lambda s: leader + "Y" in s, "the Y in 责任领导")
        tmux("send-keys", "BSpace", "Tab")
        tmux.wait(lambda s: leader + "Y" not in s or dept not in s, "the Backspace")
        tmux("send-keys", "C-s")
        tmux.wait(lambda s: "编辑整改事项" not in s and "e 编辑" in s, "the form saved and closed")
        tmux("send-keys", "C-q")
    finally:
        tmux.close()
    saved = Database.open(str(demo_db.path), user="checker").get("items", item["uid"])
    assert (saved["leader"], saved["owner_dept"]) == (leader, dept)
