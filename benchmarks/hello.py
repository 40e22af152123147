"""The reference for "open to first interactive screen": a bare Textual hello-world.

Started the same way as the app (``python benchmarks/hello.py`` in a pseudo-terminal)
and, with ZHENGGAI_EXIT_ON_READY=1, it exits as soon as its first screen has been
painted, exactly as tui/screens/main.py does; with ZHENGGAI_READY_FILE it first writes
that moment there (CLOCK_MONOTONIC and its CPU time), as the app does.
"""

import os
import time

from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("你好，Textual")

    def on_mount(self) -> None:
        if os.environ.get("ZHENGGAI_EXIT_ON_READY") == "1":
            self.call_after_refresh(self.exit_when_painted)

    def exit_when_painted(self) -> None:
        # The same as ZhenggaiApp.exit_when_painted: note the moment, then quit.
        stamp = os.environ.get("ZHENGGAI_READY_FILE")
        if stamp:
            with open(stamp, "w", encoding="ascii") as fh:
                fh.write(f"{time.monotonic()} {time.process_time()}\n")
        self.exit()


if __name__ == "__main__":
    Hello().run()
