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

import copy
import os
import threading
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from . import faults
from .backups import BACKUP_KEEP, Backups
from .dates import now_iso
from .errors import DamagedDatabaseError, NotFoundError, StorageError, UnsafePathError, ZhenggaiError
from .files import os_error_message
from .history import History, lines_backwards, real_user
from .index import GROUPED, LIGHT_FIELDS, expand, read_index
from .lines import LazyTable
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


class Database(RecordWrites):
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

    def _shard(self, table: str) -> Shard:
        try:
            return self._shards[TABLE_SHARD[table]]
        except KeyError:
            raise KeyError(f"unknown table {table!r}") from None

    def _main_view(self) -> dict[str, Any]:
        main = self._shards["main"]
        if main.data is None:
            idx = main.from_index()
            if idx is not None:
                return idx
        return main.fresh()

    def _heads(self) -> dict[str, str | None]:
        """Each shard's commit id as it is on disk now."""
        out = {}
        for name, shard in self._shards.items():
            p = shard.probe()
            out[name] = p[1] if p else None
        return out

    def table_dict(self, table: str) -> dict[str, dict[str, Any]]:
        """uid -> record, live. Treat as read-only; write through insert/update."""
        with self._rlock:
            shard = self._shard(table)
            if shard.data is None and table not in LIGHT_FIELDS and not self._in_tx:
                idx = shard.from_index()  # small tables are whole in the index
                if idx is not None:
                    return idx.get(table, {})
            return shard.fresh().get(table, {})

    def light(self, table: str, campaign: str | None = None) -> dict[str, dict[str, Any]]:
        """uid -> a record with at least the fields of LIGHT_FIELDS[table] (read-only);
        with ``campaign``, only the records of that campaign.

        Served from the index while the shard is not parsed, so lists and
        counts need not parse the whole file (nor, for one campaign, the
        whole index); once parsed, from the rows kept beside the records.
        """
        with self._rlock:
            shard = self._shard(table)
            if shard.data is None and not self._in_tx and shard.from_index() is not None:
                group = campaign if GROUPED.get(table) == "campaign" else None
                rows = shard.index.rows(table, group)
                if rows is not None:
                    if "@columns" in rows:  # expand once, then keep the rows
                        rows = shard.index.tables[table] = expand(rows)  # type: ignore[index]
                    if campaign is not None and group is None:
                        rows = {u: r for u, r in rows.items() if r.get("campaign") == campaign}
                    return rows
            docs = shard.fresh().get(table, {})
            # A LazyTable keeps its light rows beside it; plain records carry every light field.
            rows = shard.light(table) if isinstance(docs, LazyTable) else docs
            if campaign is not None:
                rows = {u: r for u, r in rows.items() if r.get("campaign") == campaign}
            return rows

    def columns(self, table: str, *fields: str) -> tuple[list[Any], ...]:
        """Parallel lists of some LIGHT_FIELDS of every record of a big table.

        The cheapest read there is: straight from a column-wise index.
        """
        with self._rlock:
            shard = self._shard(table)
            if shard.data is None and not self._in_tx:
                idx = shard.from_index()
                cols = (idx or {}).get(table, {}).get("@columns") if idx is not None else None
                if cols is not None:
                    return tuple(cols[f] for f in fields)
            rows = self.light(table).values()
            return tuple([r.get(f) for r in rows] for f in fields)

    def loaded(self, table: str) -> bool:
        """Whether the full records of ``table`` are parsed (reading them costs nothing)."""
        return self._shard(table).data is not None

    def all(self, table: str) -> list[dict[str, Any]]:
        """Every record of ``table`` (live objects: do not mutate)."""
        return list(self.table_dict(table).values())

    def get(self, table: str, uid: str) -> dict[str, Any] | None:
        """A private copy of one record, or None."""
        rec = self.table_dict(table).get(uid)
        return copy.deepcopy(rec) if rec is not None else None

    def require(self, table: str, uid: str) -> dict[str, Any]:
        rec = self.get(table, uid)
        if rec is None:
            raise NotFoundError(table, uid)
        return rec

    def refresh(self) -> bool:
        """Re-read shards whose file changed on disk (by their commit id, not only their
        stamp). True when anything did."""
        before = self.version
        with self._rlock:
            for shard in self._shards.values():
                if shard.data is not None:
                    if shard.changed():
                        shard.load()
                elif shard.index.tables is not None and shard.from_index(strict=True) is None:
                    shard.load()  # changed, and no current index: parse the file
        return self.version != before

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
        self._daily_backup()
        now, mode = now_iso(), self.mode
        records = {s.name: s.next_commit(self.user, now) for s in dirty}
        groups = [(s.name, records[s.name], [e for e in self._history if TABLE_SHARD.get(e["table"]) == s.name])
                  for s in dirty]
        append = self.hist.begin(mode)
        try:
            payload, tips = append.render(groups, {"time": now, "user": self.user, "action": "commit"})
            encoded = []
            for s in dirty:
                records[s.name]["history"] = tips[s.name]
                encoded.append((s, *s.encode(records[s.name], self._meta_doc()), s.mode(mode)))
            append.write(payload)  # the history is durable before any shard is renamed
        finally:
            append.close()
        for s, raw, offsets, smode in encoded:
            s.write(raw, offsets, records[s.name], smode)
            s.write_index()
        faults.point("committed")
        self.version += 1
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
        """Copy the current files into a new backup folder (atomically; see backups.py)."""
        with self.transaction():  # under the lock: both shards as one consistent state
            path = self.store.make(reason, self.user)
            if path:
                self.store.rotate(reason)
            return path

    def backups(self) -> list[str]:
        return self.store.list()

    def _daily_backup(self) -> None:
        if self._shards["main"].stat_stamp() is None:
            return
        try:
            self.store.daily(self.user)
        except UnsafePathError:
            raise
        except StorageError:
            pass  # a failed backup must not block the user's save

    def check(self) -> list[str]:
        """Deep verification; the problems found (empty when sound). See check.py."""
        from .check import check_report

        return check_report(self)["problems"]

    def check_report(self) -> dict[str, Any]:
        """Everything `zhenggai check` reports: records, history chain, index, backups."""
        from .check import check_report

        return check_report(self)
