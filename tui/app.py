"""Placeholder app until the workspace lands (issue #3)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class ZhenggaiApp(App[None]):
    TITLE = "整改"

    def __init__(self, db) -> None:
        super().__init__()
        self.db = db

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"数据库：{self.db.path}")
        yield Footer()


def run(db_path: str, shared: bool = False) -> int:
    from storage import Database

    db = Database.open(db_path, shared=shared or None)
    ZhenggaiApp(db).run()
    return 0
