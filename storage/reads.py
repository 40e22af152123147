"""The read API of Database (a mixin): whole tables, light rows, columns, chosen records.

Reads outside a transaction are served from what is cheapest and current: the index files
while a shard is not loaded (small tables whole, the light rows of one campaign or one
quarter, records read where the index says they are), the loaded shard otherwise. Inside a
transaction every read is of the shard proven current under the lock.
"""

from __future__ import annotations

import copy
from typing import Any, Iterator, Mapping

from .errors import NotFoundError
from .index import LIGHT_FIELDS, contact_row, expand
from .lines import LazyTable
from .pick import read_at
from .shard import TABLE_SHARD, Shard



class RecordReads:
    """table_dict / light / columns / records / get for Database."""

    _shards: dict[str, Shard]
    _in_tx: bool

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
                group = campaign if table == "items" else None
                rows = shard.index.rows(table, group)
                if rows is not None:
                    if "@columns" in rows:  # expand once, then keep the rows
                        rows = shard.index.tables[table] = expand(rows)  # type: ignore[index]
                    if campaign is not None and group is None:
                        rows = {u: r for u, r in rows.items() if r.get("campaign") == campaign}
                    return rows
            docs = shard.fresh().get(table, {})
            if campaign is not None and table == "items" and isinstance(docs, LazyTable):
                # One campaign's rows, grouped once per state of the file (in the reading thread
                # when a refresh read it): not a pass over 100 000 rows at 10× for each list.
                return (shard.view(table).get(campaign) or {}).get("rows", {})
            # A LazyTable keeps its light rows beside it; plain records carry every light field.
            rows = shard.light(table) if isinstance(docs, LazyTable) else docs
            if table == "contacts" and isinstance(docs, LazyTable):  # kept as one string each: as rows here
                rows = {uid: dict(zip(("uid", "link", "date"), (uid, *contact_row(r)))) for uid, r in rows.items()}
            if campaign is not None:
                rows = {u: r for u, r in rows.items() if r.get("campaign") == campaign}
            return rows

    def columns(self, table: str, *fields: str) -> tuple[list[Any], ...]:
        """Parallel lists of some LIGHT_FIELDS of every record of a big table.

        The cheapest read there is: straight from a column-wise index.
        """
        with self._rlock:
            shard = self._shard(table)
            if shard.data is None and not self._in_tx and shard.from_index() is not None:
                rows = shard.index.rows(table)
                cols = rows.get("@columns") if rows is not None else None
                if cols is not None:
                    return tuple(cols.get(f) or [None] * len(cols["uid"]) for f in fields)
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

    def records(self, table: str, uids: list[str], group: str | None = None) -> dict[str, dict[str, Any]]:
        """Full records of ``uids`` (those that exist), uid -> record. While the shard is not
        loaded and the index describes its file, the records of ``group`` (a campaign of the
        items, a quarter of the contacts: ``index.GROUPED``) are read where the index says
        they are (pick.py), parsing nothing else; otherwise from the loaded shard."""
        with self._rlock:
            shard = self._shard(table)
            if group is not None and shard.data is None and not self._in_tx and shard.from_index() is not None:
                spans = shard.index.spans(table, group)
                if spans is not None:
                    got = read_at(shard, table, [(u, *spans[u]) for u in uids if u in spans])
                    if got is not None:
                        return {r.get("uid", u): r for u, r in zip((u for u in uids if u in spans), got)}
            docs = shard.fresh().get(table, {})
            return {u: docs[u] for u in uids if u in docs}

    def groups(self, table: str) -> Mapping[str, dict[str, Any]]:
        """A grouped big table (``index.GROUPED``) as group -> {"rows", "stats", …}: from the
        index while the shard is not loaded (each group parsed when asked for), else worked
        out from the loaded shard. A mapping whose values are parsed on access."""
        with self._rlock:
            shard = self._shard(table)
            if shard.data is None and not self._in_tx and shard.from_index() is not None \
                    and table in shard.index.groups:
                return _IndexGroups(shard, table)
            shard.fresh()
            return shard.view(table)


class _IndexGroups(Mapping[str, dict[str, Any]]):
    """group -> group line of an index, each parsed when first asked for. A broken line
    (the index is then dropped) is answered from the shard, loaded for it."""

    def __init__(self, shard: Shard, table: str) -> None:
        self.shard, self.table = shard, table
        self.names = list(shard.index.groups[table])

    def __iter__(self) -> Iterator[str]:
        return iter(self.names)

    def __len__(self) -> int:
        return len(self.names)

    def stats(self, g: str) -> dict[str, Any]:
        """Only the group's "stats" (ShardIndex.stats): its rows are not kept."""
        if g not in self.names:
            return {"n": {}, "last": {}}
        got = self.shard.index.stats(self.table, g) if self.shard.index.tables is not None else None
        return got if got is not None else (self[g].get("stats") or {"n": {}, "last": {}})

    def __getitem__(self, g: str) -> dict[str, Any]:
        if g not in self.names:
            raise KeyError(g)
        got = self.shard.index.group(self.table, g) if self.shard.index.tables is not None else None
        if got is None:
            with self.shard.owner._rlock:
                self.shard.fresh()
                got = self.shard.view(self.table).get(g) or {"rows": {}, "at": None, "stats": {"n": {}, "last": {}}}
        return got
