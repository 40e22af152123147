"""One shard file of the database and its in-memory copy.

Each shard file holds one record per line (storage/lines.py). The small tables
are parsed whole; the big ones (LAZY: items, contacts) are kept as a LazyTable,
the file's bytes with the offset of each record, parsed one record at a time
when asked for. Loading parses every record once anyway, to prove it whole
and its values undamaged (storage/sanity.py), and keeps the few LIGHT_FIELDS
of each big-table record beside the bytes for lists, counts and the index.

The commit record and the generation. The first line of every shard written by
this version is its ``meta.commit`` record::

    {"uid":"commit","generation":7,"id":"7-3f9a2c1b","parent":"6-88aa0e41","history":"…"}

``generation`` counts the shard's commits; ``id`` adds a random part so that a
commit that died before its rename can never share an id with the one that
replaced it; ``parent`` is the id it replaced; ``history`` is the hash of the
last history line of this commit (history.py). A stat stamp (inode, mtime_ns,
size) is only a hint that the file may have changed: ext4 reuses inodes and old
kernels tick mtime every few ms. Under the lock, the commit id read from the
file's first bytes is what proves it unchanged.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from . import faults, lines
from .index import LAZY, LIGHT_FIELDS, ShardIndex, Stamp, project
from .index_build import build, grouped
from .lines import LazyTable
from .safedir import SafeDir
from .retire import retire
from .shardfile import CountSink, FdSink, FdSource

if TYPE_CHECKING:
    from .database import Database

SHARD_TABLES: dict[str, tuple[str, ...]] = {
    "main": ("meta", "campaigns", "items", "outlines", "opinions"),
    "contacts": ("meta", "persons", "links", "contacts"),
}
TABLE_SHARD = {t: s for s, ts in SHARD_TABLES.items() for t in ts if t != "meta"}
VIEWS = ("items", "contacts")  # big tables whose grouped view is worked out while reading (Shard.view)

_COMMIT_HEAD = re.compile(rb'\{\n  "meta": \{\n    "commit": (\{[^\n]*\})')


def commit_problem(rec: Any) -> str | None:
    if not isinstance(rec, dict):
        return "meta.commit 应为对象"
    if type(rec.get("generation")) is not int or rec["generation"] < 1:
        return "meta.commit.generation 应为正整数"
    if not isinstance(rec.get("id"), str) or not isinstance(rec.get("parent", ""), str):
        return "meta.commit.id / parent 应为文本"
    return None


def commit_of_head(head: bytes) -> dict[str, Any] | None:
    """The commit record at the start of a shard file, or None (an older file, a hand edit)."""
    m = _COMMIT_HEAD.match(head)
    if not m:
        return None
    try:
        rec = orjson.loads(m.group(1))
    except orjson.JSONDecodeError:
        return None
    return rec if commit_problem(rec) is None else None


class Loaded(NamedTuple):
    """A shard file as read: what ``Shard.adopt`` makes the data in memory."""

    data: dict[str, Any]
    light: dict[str, dict[str, dict[str, Any]]]
    stamp: Stamp
    commit: dict[str, Any] | None
    head_id: str | None
    derived: dict[str, Any]  # views worked out while reading (in the reading thread): contacts by quarter


class _UidTable(Table):
    """Records are keyed by their string uid instead of TinyDB's int ids."""

    document_id_class = str  # type: ignore[assignment]


class _TinyDB(TinyDB):
    table_class = _UidTable


class _ShardStorage(Storage):
    """TinyDB storage that keeps the shard in memory; the Database writes it out."""

    def __init__(self, shard: "Shard"):
        self.shard = shard

    def read(self) -> dict[str, Any]:
        return self.shard.data  # type: ignore[return-value]

    def write(self, data: dict[str, Any]) -> None:
        if not self.shard.owner._in_tx:
            raise RuntimeError("write outside a transaction")
        self.shard.data = data
        self.shard.dirty = True
        self.shard.changes += 1
        self.shard._light = {}  # rebuilt from data when next needed

    def close(self) -> None:
        pass


class Shard:
    def __init__(self, owner: "Database", name: str, folder: SafeDir, file: str):
        self.owner, self.name, self.folder, self.file = owner, name, folder, file
        self.path = folder.join(file)
        self.data: dict[str, Any] | None = None
        self.stamp: Stamp | None = None  # of the file the data was read from (or written to)
        self.commit: dict[str, Any] | None = None  # its commit record (the chain goes on from it)
        self.head_id: str | None = None  # the commit id in the file's first line (None: an older layout)
        self.dirty = False
        self.checked = -1  # the transaction in which the file was last proven current
        self.tiny = _TinyDB(storage=_ShardStorage, shard=self)
        self.index = ShardIndex(self, (file[:-5] if file.endswith(".json") else file) + ".index.json")
        self._light: dict[str, dict[str, dict[str, Any]]] = {}  # light rows derived from data
        self.changes = 0  # counts every new state of the data in memory (a load, a change, a commit)
        self.version = 0  # counts what readers see change: a new commit read or made (db.version_of)
        self.derived: dict[str, tuple[int, Any]] = {}  # table -> (changes, a view of it: see ``view``)

    @property
    def commit_id(self) -> str | None:
        return (self.commit or {}).get("id")

    @property
    def source(self) -> tuple[str, str | None]:
        return self.path, self.owner.backups_dir

    # ------------------------------------------------------------ what is on disk

    def stat_stamp(self) -> Stamp | None:
        """The file's (inode, mtime_ns, size): a hint only, see the module docstring."""
        st = self.folder.lstat(self.file)
        return None if st is None else (st.st_ino, st.st_mtime_ns, st.st_size)

    def probe(self) -> tuple[Stamp, str | None] | None:
        """The file's stamp and the commit id in its first bytes, from one open file."""
        got = self.folder.head(self.file)
        if got is None:
            return None
        head, st = got
        return (st.st_ino, st.st_mtime_ns, st.st_size), (commit_of_head(head) or {}).get("id")

    def current(self) -> bool:
        """Whether the data in memory is the file's as it is now: proven by its commit id
        (a file without one, from an older version, counts as changed)."""
        if self.data is None:
            return False
        p = self.probe()
        if p is None:
            return self.stamp is None
        return p[0] == self.stamp and p[1] is not None and p[1] == self.head_id

    def changed(self) -> bool:
        """For a refresh outside the lock: whether the file differs from the data in memory
        (its commit id, or for an older file without one, its stamp)."""
        p = self.probe()
        if p is None:
            return self.stamp is not None
        return p[0] != self.stamp or p[1] != self.head_id

    def fresh(self) -> dict[str, Any]:
        owner = self.owner
        if owner._in_tx:
            if self.checked != owner._tx_serial:  # once per transaction, under the lock
                self.checked = owner._tx_serial
                if not self.current():
                    self.load()
            elif self.data is None:
                self.load()
        elif self.data is None or (owner.follow and self.stat_stamp() != self.stamp):
            self.load()
        return self.data  # type: ignore[return-value]

    # ------------------------------------------------------------ loading

    def load(self) -> None:
        # Drop derived copies first: the peak of a parse is what they would add to.
        self._light, self.data = {}, None
        self.index.drop()
        self.adopt(self.read())

    def read(self, opened: Any = None, check: Any = None, views: bool = True, reuse: bool = False) -> "Loaded | None":
        """The file as it is now (or the one ``opened``), every record proved whole and
        undamaged; None when there is no file. Touches nothing of the state in memory: a
        refresh runs it in a thread and swaps the result in afterwards (``adopt``). See
        shard_read.py (``check``: `zhenggai check`'s look at each record on the way;
        ``reuse``: keep the light rows in memory that did not change, so that swapping the
        new state in frees only what changed)."""
        from .shard_read import read

        return read(self, opened, check, views, self._reusable() if reuse else None)

    def _reusable(self) -> dict[str, dict[str, Any]]:
        """What a new read may keep of the state in memory when it is equal: the small tables'
        records (from the index too, as 三联系 shows them before its file is loaded) and the
        big tables' light rows."""
        out: dict[str, dict[str, Any]] = {}
        for src in ((self.index.tables or {}), (self.data or {})):
            out.update((t, docs) for t, docs in src.items() if t not in LAZY and isinstance(docs, dict))
        out.update(self._light)
        out["@tables"] = {t: docs for t, docs in (self.data or {}).items() if isinstance(docs, LazyTable)}
        return out

    def heal_index(self, state: "Loaded | None") -> None:
        """Write the index of a state just read (in the reading thread) when the file's
        index does not describe it: its writer died between the renames, or it is damaged."""
        if state is None or not state.stamp:
            return
        schema = (state.data.get("meta") or {}).get("schema") or {}
        if schema.get("schema_version") == self.owner.schema_version and not self.index.describes(state.stamp, state.head_id):
            payload = build(state.data, lambda t: state.light.get(t) or {}, state.stamp, state.head_id)
            self.index.write(payload, self.mode(0o600))

    def adopt(self, state: "Loaded | None", heal: bool = True) -> None:
        """Make ``state`` (from ``read``) the data in memory. ``heal``: and rewrite the index
        when it does not describe it (a state read in a thread had that done there)."""
        self.changes += 1
        # The state replaced is freed in the background (at 10×, freeing it here took 150 ms:
        # a key pressed meanwhile would have waited): its views taken apart, its tables
        # (which a caller may still hold) dropped one by one, its file closed there.
        retire({t: v for t, (_, v) in self.derived.items()})
        retire(dict(self.data or {}))
        retire(dict(self._light))
        self.derived = {}
        if state is None:
            self.data, self._light, self.stamp, self.commit, self.head_id = {}, {}, None, None, None
            self._drop_index()
        else:
            self.data, self._light, self.stamp, self.commit, self.head_id, derived = state
            self.derived = {t: (self.changes, v) for t, v in derived.items()}
            if self.index.stamp != self.stamp:
                self._drop_index()
        for t in self.tiny._tables.values():
            t.clear_cache()
        self.bump()
        schema = (self.data.get("meta") or {}).get("schema") or {}
        if heal and schema.get("schema_version") == self.owner.schema_version \
                and (self.index.rejected or not self.index.describes(self.stamp, self.head_id)):
            self.write_index()  # a writer died between the renames, or the index was damaged
        self.index.rejected = False

    # ------------------------------------------------------------ light rows and the index

    def light(self, table: str) -> dict[str, dict[str, Any]]:
        """uid -> uid and the LIGHT_FIELDS of each record of the loaded data."""
        rows = self._light.get(table)
        if rows is None:
            share = lines.share
            docs = (self.data or {}).get(table, {})
            rows = {uid: project(table, uid, r, share) for uid, r in docs.items()}
            self._light[table] = rows
        return rows

    def put_light(self, table: str, uid: str, rec: dict[str, Any] | None) -> None:
        rows = self._light.get(table)
        if rows is None:
            return  # not built yet: built from data when needed
        if rec is None:
            self._light[table] = {k: v for k, v in rows.items() if k != uid}
        else:
            row = project(table, uid, rec, lines.share)
            if uid in rows:
                rows[uid] = row
            else:  # a new dict: a caller iterating the old one is unharmed
                self._light[table] = {**rows, uid: row}

    def from_index(self, strict: bool = False) -> dict[str, Any] | None:
        """The index's tables when it describes the shard file as it is now, else None.
        Once parsed, the stamp is enough of a hint outside a write; ``strict`` (a write, a
        refresh) reads the commit id again."""
        idx = self.index
        if not strict and idx.tables is not None and (not self.owner.follow or self.stat_stamp() == idx.stamp):
            return idx.tables
        p = self.probe()
        if p is None:
            idx.drop()
            return None
        return idx.load(*p)

    def index_payload(self) -> bytes | None:
        if self.stamp is None or self.data is None:
            return None
        return build(self.data, self.light, self.stamp, self.head_id)

    def write_index(self) -> None:
        payload = self.index_payload()
        if payload is not None:
            self.index.write(payload, self.mode(0o600))

    # ------------------------------------------------------------ committing

    def mode(self, default: int) -> int:
        st = self.folder.lstat(self.file)
        return default if st is None else st.st_mode & 0o777

    def next_commit(self, user: str, now: str) -> dict[str, Any]:
        old = self.commit or {}
        gen = int(old.get("generation") or 0) + 1
        return {"uid": "commit", "generation": gen, "id": f"{gen}-{secrets.token_hex(4)}",
                "parent": old.get("id") or "", "history": "", "time": now, "user": user}

    def encode(self, record: dict[str, Any], schema: dict[str, Any]) -> None:
        """Put ``record`` in as the first line of meta (the file is written by ``write``)."""
        data = self.data if self.data is not None else {}
        meta = data.get("meta") or {"schema": schema}
        data["meta"] = {"commit": record, **{k: v for k, v in meta.items() if k != "commit"}}
        self.data = data

    def write(self, record: dict[str, Any], mode: int) -> None:
        """Write the data to a temp file (unchanged runs of records copied from the old file by
        the kernel), fsync, rename; from then on the big tables read from the new file."""
        data = self.data or {}
        total = 0
        if faults.armed("shard-write"):  # a torn-write test: know where half the file is
            sink = CountSink()
            lines.write(sink, data)
            total = sink.pos
        layouts: dict[str, lines.Layout] = {}

        def fill(fd: int) -> None:
            sink = FdSink(fd, total, "shard-write")
            layouts.update(lines.write(sink, data))
            sink.flush()

        st, fd = self.folder.replace(self.file, fill, mode, where=self.path, step="shard", keep_open=True)
        src = FdSource(fd, st.st_size, self.path)
        self.changes += 1
        self.stamp, self.commit, self.dirty = (st.st_ino, st.st_mtime_ns, st.st_size), record, False
        self.head_id = record["id"]
        for t in LAZY & data.keys():  # from now on, the records are the bytes just written
            self.light(t)
            data[t] = LazyTable(src, layouts[t], None, self.source)
        for t in self.tiny._tables.values():
            t.clear_cache()

    def _drop_index(self) -> None:
        idx = self.index
        retire(idx.group_rows)
        retire(dict(idx.tables or {}))
        idx.drop()

    def bump(self) -> None:
        """What readers see of this shard changed (and so of the database)."""
        self.version += 1
        self.owner.version += 1

    def view(self, table: str) -> dict[str, dict[str, Any]]:
        """The loaded table's light rows grouped as in the index (group -> {"rows", "stats"}):
        worked out once per state of the data, in the reading thread when a refresh read it."""
        got = self.derived.get(table)
        if got is None or got[0] != self.changes:
            got = self.derived[table] = (self.changes, grouped(table, self.light(table)))
        return got[1]

    def table(self, name: str) -> Table:
        return self.tiny.table(name)


__all__ = ["LIGHT_FIELDS", "SHARD_TABLES", "TABLE_SHARD", "Shard", "commit_of_head"]
