"""Following other users' saves without stopping the screen: read in a thread, swap in after.

``prepare(db)`` runs in any thread: for each shard whose file changed since the state in
memory (its commit id, not only its stamp), it reads the new state — the whole shard when
it is loaded (every record proved again), else the index the first screen was served from
— without touching the state in memory. ``apply(db, prepared)`` then swaps each new state
in under the database's lock, in a moment, on the thread that owns the screen; a state is
dropped when the shard moved on meanwhile (a save of ours, a transaction that re-read it),
so an older state never replaces a newer one. ``Database.refresh`` is the two in a row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import ZhenggaiError
from .index import ShardIndex

if TYPE_CHECKING:
    from .database import Database
    from .shard import Loaded, Shard

# shard name -> ("load", head id and stamp it replaces, Loaded | None) or ("index", ..., ShardIndex)
Prepared = dict[str, tuple[str, tuple[Any, Any], Any]]


def prepare(db: "Database") -> Prepared:
    """What changed; a shard that cannot be read (damaged) is there as ("error", ..., the
    error), so that the other one still follows (``apply`` raises it after swapping)."""
    out: Prepared = {}
    for name, shard in db._shards.items():
        basis = (shard.head_id, shard.stamp) if shard.data is not None else (shard.index.commit, shard.index.stamp)
        try:
            _prepare(shard, name, basis, out)
        except ZhenggaiError as e:
            out[name] = ("error", basis, e)
    return out


def _prepare(shard: "Shard", name: str, basis: tuple[Any, Any], out: Prepared) -> None:
    if shard.data is not None:
        if shard.changed():
            # (Not healing its index here: the colleague who saved writes it right after the
            # rename; a stale one is rebuilt at the next load, commit or check.)
            out[name] = ("load", basis, shard.read(reuse=True))
    elif shard.index.tables is not None:
        p = shard.probe()
        if p is not None and (p[1], p[0]) == (shard.index.commit, shard.index.stamp):
            return
        idx = ShardIndex(shard, shard.index.name)
        if p is not None and idx.load(*p, bump=False) is not None:
            out[name] = ("index", basis, idx)
        else:  # changed, and no current index (yet): parse the file
            out[name] = ("load", basis, shard.read(reuse=True))


def apply(db: "Database", prepared: Prepared) -> bool:
    """Swap the prepared states in; True when any was (``db.version`` moved on). A shard
    that could not be read raises its error here, after the others are in."""
    done = False
    error: ZhenggaiError | None = None
    with db._rlock:
        if db._in_tx:
            return False
        for name, (kind, basis, state) in prepared.items():
            shard: Shard = db._shards[name]
            if kind == "error":
                error = error or state
                continue
            if kind == "load":
                now = (shard.head_id, shard.stamp) if shard.data is not None else (shard.index.commit, shard.index.stamp)
                if now != basis:
                    continue  # moved on meanwhile: the newer state stays
                loaded: Loaded | None = state
                shard.adopt(loaded, heal=False)  # (healed in the reading thread)
            else:
                if shard.data is not None or (shard.index.commit, shard.index.stamp) != basis:
                    continue
                shard.index = state
                shard.bump()
            done = True
    if error is not None:
        raise error
    return done
