"""The shared database: TinyDB behind a storage class of our own.

Layout for ``--db /srv/zg/zhenggai.json``::

    zhenggai.json            main shard: meta, campaigns, items, outlines
    zhenggai.contacts.json   三联系 shard: persons, links, contacts
    zhenggai.index.json      derived index of the main shard (index.py)
    zhenggai.contacts.index.json
    zhenggai.json.lock       flock target for writers
    zhenggai.history.jsonl   留痕: history, part of every commit (history.py)
    zhenggai.backups/        backups, one folder each (backups.py)

The 三联系 tables live in their own file so that opening the workspace never
parses 50 000 contacts. Everything in the folder is reached through one
checked directory descriptor, never through a symlink (safedir.py).

A write (``transaction``): take the lock; prove each loaded shard current by
the commit id in its first line (a stat stamp is only a hint), re-reading it
otherwise; apply the changes in memory (records.py: rev checks, validation);
then commit: the daily backup if today has none, the history lines written
and fsynced, each changed shard written to a temp file, fsynced and renamed
(its new commit record first), the folder fsynced, the index rewritten.
"""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from . import faults
from .backups import BACKUP_KEEP, Backups
from .dates import now_iso
from .errors import DamagedDatabaseError, StorageError, UnsafePathError, ZhenggaiError
from .files import os_error_message
from .history import History, lines_backwards, real_user
from .index import LIGHT_FIELDS, read_index
from .reads import RecordReads
from .records import REFERENCES, RecordWrites
from .lock import FileLock
from .safedir import SafeDir, make_dirs
from .shard import SHARD_TABLES, TABLE_SHARD, Shard

SCHEMA_VERSION = 1

# Migrations: from_version -> function(db) run inside a transaction.
MIGRATIONS: dict[int, Callable[["Database"], None]] = {}

__all__ = ["BACKUP_KEEP", "LIGHT_FIELDS", "REFERENCES", "SCHEMA_VERSION", "SHARD_TABLES", "Database",
           "lines_backwards", "os_user", "read_index"]


def os_user() -> str:
    """The account running the app (the real uid; see history.real_user)."""
    return real_user()


class Database(RecordReads, RecordWrites):
    """One shared zhenggai database. Thread-safe within a process.

    ``user`` names the author of changes; it defaults to the account running the
    process and is meant for tests and benchmarks only.
    """

    def __init__(self, path: str, *, shared: bool | None = None, user: str | None = None):
        self.path = os.path.abspath(os.path.expanduser(path))
        self.folder = os.path.dirname(self.path)
        stem = self.path[:-5] if self.path.endswith(".json") else self.path
        self.lock_path = self.path + ".lock"
        self.history_path = stem + ".history.jsonl"
        self.backups_dir = stem + ".backups"
        self.user = user or real_user()
        if shared is None:
            shared = os.environ.get("ZHENGGAI_SHARED", "") not in ("", "0")
        self._new_mode = 0o660 if shared else 0o600
        self.version = 0  # bumps on every reload or commit: cheap change detection
        # Reads outside a transaction re-read a shard whose file changed (a command, a test).
        # The TUI sets it False: it follows other users' saves in a thread (refresh.py), and a
        # read on the screen's thread never parses a file a colleague just rewrote.
        self.follow = True
        self.fs = SafeDir(self.folder)
        self._shards = {
            "main": Shard(self, "main", self.fs, os.path.basename(self.path)),
            "contacts": Shard(self, "contacts", self.fs, os.path.basename(stem) + ".contacts.json"),
        }
        self.hist = History(self.fs, os.path.basename(self.history_path), self._heads)
        self.store = Backups(self.fs, os.path.basename(self.backups_dir),
                             lambda: [s.file for s in self._shards.values()], lambda: self.mode)
        self._rlock = threading.RLock()
        self._in_tx = False
        self._tx_depth = 0
        self._tx_serial = 0
        self._history: list[dict[str, Any]] = []

    @property
    def schema_version(self) -> int:
        return SCHEMA_VERSION

    # ------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: str, *, create: bool = True, shared: bool | None = None, user: str | None = None, lazy: bool = False
    ) -> "Database":
        """Open (or create) the database; raise DamagedDatabaseError / StorageError.

        ``lazy``: when the index is current, parse nothing else yet (the first
        screen and `review`); the shard is parsed on first use of a big table.
        """
        db = cls(path, shared=shared, user=user)
        main = db._shards["main"]
        if main.stat_stamp() is None:
            if not create:
                raise ZhenggaiError(f"数据库不存在：{db.path}")
            db._create()
        if not (lazy and main.from_index(strict=True) is not None):
            main.load()
        db._check_schema()
        return db

    def _create(self) -> None:
        try:
            make_dirs(self.folder, 0o770 if self._new_mode == 0o660 else 0o700)
        except OSError as e:
            raise StorageError(os_error_message(e, "创建数据库文件夹", self.folder)) from None
        with self.transaction():
            main = self._shards["main"]
            main.fresh()
            if not main.data:  # nobody created it while we waited for the lock
                main.data = {"meta": {"schema": self._meta_doc()}}
                main.dirty = True

    def _meta_doc(self) -> dict[str, Any]:
        return {"uid": "schema", "schema_version": SCHEMA_VERSION, "app": "zhenggai", "created": now_iso()}

    def _check_schema(self) -> None:
        meta = self._main_view().get("meta", {}).get("schema")
        if not meta:
            raise DamagedDatabaseError(self.path, "缺少 meta.schema（不是 zhenggai 数据库？）", self.backups_dir)
        version = meta.get("schema_version")
        if not isinstance(version, int):
            raise DamagedDatabaseError(self.path, "meta.schema.schema_version 不是整数", self.backups_dir)
        if version > SCHEMA_VERSION:
            raise DamagedDatabaseError(
                self.path,
                f"该数据库由更新版本的 zhenggai 创建（结构版本 {version}，本程序支持 {SCHEMA_VERSION}），请升级程序",
                self.backups_dir,
            )
        if version < SCHEMA_VERSION:
            self.migrate(version)

    def migrate(self, version: int) -> None:
        """Run migrations from ``version`` up, after a backup."""
        with self.transaction():
            main = self._shards["main"]
            main.fresh()
            current = main.data["meta"]["schema"]["schema_version"]  # type: ignore[index]
            if current >= SCHEMA_VERSION:
                return
            self.backup("migrate")
            while current < SCHEMA_VERSION:
                step = MIGRATIONS.get(current)
                if step is None:
                    raise DamagedDatabaseError(self.path, f"没有从结构版本 {current} 升级的方法", self.backups_dir)
                step(self)
                current += 1
            main.data["meta"]["schema"]["schema_version"] = current  # type: ignore[index]
            main.dirty = True

    @property
    def mode(self) -> int:
        return self._shards["main"].mode(self._new_mode)

    # ------------------------------------------------------------ reading

    def refresh(self) -> bool:
        """Re-read shards whose file changed on disk (by their commit id, not only their
        stamp). True when anything did. See refresh.py for doing it in a thread."""
        return self.apply_refresh(self.prepare_refresh())

    def prepare_refresh(self) -> Any:
        """What changed on disk, read (in any thread) without touching the state in memory."""
        from .refresh import prepare

        return prepare(self)

    def apply_refresh(self, prepared: Any) -> bool:
        """Swap what ``prepare_refresh`` read in; True when the data in memory changed."""
        from .refresh import apply

        return apply(self, prepared)

    def preload(self, table: str) -> Any:
        """Read the shard holding ``table`` if it is not loaded, without holding the database's
        lock (run it in a thread); hand the result to ``adopt_preloaded`` on the thread that
        owns the screen, which swaps it in in a moment."""
        shard = self._shard(table)
        if shard.data is not None:
            return None
        state = shard.read()
        shard.heal_index(state)
        return shard.name, state

    def adopt_preloaded(self, got: Any) -> bool:
        """Swap in what ``preload`` read, unless the shard was loaded meanwhile. When it is the
        very commit the index already served, ``version`` stays: nothing shown has changed."""
        if got is None:
            return False
        name, state = got
        shard = self._shards[name]
        with self._rlock:
            if shard.data is not None or self._in_tx:
                return False
            same = state is not None and state.head_id is not None and (state.head_id, state.stamp) == (
                shard.index.commit, shard.index.stamp)
            before = self.version, shard.version
            shard.adopt(state, heal=False)  # (healed in the reading thread)
            if same:
                self.version, shard.version = before
            return True

    def version_of(self, table: str) -> int:
        """Counts the changes readers see in the file holding ``table`` (a screen that shows
        only that file redraws when this moves, not for a save of the other file)."""
        return self._shard(table).version

    def stamps(self) -> tuple[Any, ...]:
        return tuple(s.stat_stamp() for s in self._shards.values())

    def is_empty(self) -> bool:
        return not self.table_dict("campaigns") and not self.table_dict("persons")

    # ------------------------------------------------------------ writing

    @contextmanager
    def transaction(self) -> Iterator["Database"]:
        """Group writes: one lock, proven-fresh state, one commit.

        Nested calls join the outer transaction. On any exception nothing is
        written and the in-memory state is re-read from disk.
        """
        with self._rlock:
            if self._tx_depth:
                self._tx_depth += 1
                try:
                    yield self
                finally:
                    self._tx_depth -= 1
                return
            lock = FileLock(self.lock_path, self.mode, folder=self.fs)
            lock.acquire()
            faults.point("lock")
            self._tx_depth = 1
            self._in_tx = True
            self._tx_serial += 1
            self._history = []
            try:
                for shard in self._shards.values():
                    if shard.data is not None:
                        shard.fresh()  # another process may have written meanwhile
                yield self
                self._commit()
            except BaseException:
                for shard in self._shards.values():
                    if shard.dirty:
                        shard.data, shard.stamp, shard.commit, shard.dirty = None, None, None, False
                        shard.head_id = None
                        shard._light = {}
                raise
            finally:
                self._in_tx = False
                self._tx_depth = 0
                lock.release()

    def _commit(self) -> None:
        dirty = [s for s in self._shards.values() if s.dirty]
        if not dirty:
            return
        names = [n for s in self._shards.values() for n in (s.file, s.index.name)]
        for name in (*names, self.hist.name, self.store.name):  # a planted link: refused before any write
            self.fs.refuse_odd(name)
        self.fs.remove_stale_temps(*names)
        self.store.sweep()
        snap = self._daily_snapshot()  # the files before this commit, for the day's first backup
        try:
            self._write_commit(dirty)
        except BaseException:
            if snap is not None:
                snap.close()
            raise
        if snap is not None:  # compressed in a thread: the save does not wait for it
            self.store.start(snap, "daily", self.user, self._backup_lock)

    def _write_commit(self, dirty: list[Shard]) -> None:
        now, mode = now_iso(), self.mode
        records = {s.name: s.next_commit(self.user, now) for s in dirty}
        groups = [(s.name, records[s.name], [e for e in self._history if TABLE_SHARD.get(e["table"]) == s.name])
                  for s in dirty]
        append = self.hist.begin(mode)
        try:
            payload, tips = append.render(groups, {"time": now, "user": self.user, "action": "commit"})
            modes = []
            for s in dirty:
                records[s.name]["history"] = tips[s.name]
                s.encode(records[s.name], self._meta_doc())
                modes.append((s, s.mode(mode)))
            append.write(payload)  # the history is durable before any shard is renamed
        finally:
            append.close()
        for s, smode in modes:
            s.write(records[s.name], smode)
            s.write_index()
        faults.point("committed")
        for s, _ in modes:
            s.bump()
        self._history = []

    def _require_tx(self) -> None:
        if not self._in_tx:
            raise RuntimeError("use db.transaction() or the write helpers")

    # ------------------------------------------------------------ history, backups, check

    def history(self, uid: str | None = None, table: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """Committed changes, newest first (see history.py). Reads the file backwards and
        stops at ``limit`` entries: the history grows for years."""
        return self.hist.entries(uid, table, limit)

    def backup(self, reason: str = "manual") -> str | None:
        """A backup of the files now, made before this returns (atomically; see backups.py)."""
        with self.transaction():  # under the lock: both shards as one consistent state
            return self.store.make(reason, self.user)

    def backups(self) -> list[str]:
        """Every backup, oldest first (a daily one this process is making is waited for)."""
        self.store.wait()
        return self.store.list()

    def _daily_snapshot(self) -> Any:
        """Under the lock, before the day's first commit: the shard files as they are (a
        failed backup must never block the user's save)."""
        if self._shards["main"].stat_stamp() is None:
            return None
        try:
            return self.store.snapshot() if self.store.daily_due() else None
        except UnsafePathError:
            raise
        except StorageError:
            return None

    def _backup_lock(self) -> FileLock:
        lock = FileLock(self.lock_path, self.mode, folder=self.fs)
        lock.acquire()
        return lock

    def check(self) -> list[str]:
        """Deep verification; the problems found (empty when sound). See check.py."""
        from .check import check_report

        return check_report(self)["problems"]

    def check_report(self, parallel: bool | None = None) -> dict[str, Any]:
        """Everything `zhenggai check` reports: records, history chain, index, backups."""
        from .check import check_report

        return check_report(self, parallel)
