"""Kill points for crash tests: ``ZHENGGAI_FAULT=step[,step…]`` makes the process
SIGKILL itself when a save reaches that step (tests/test_storage_faults.py).

Steps, in the order a save meets them: ``lock`` (lock taken), ``history-write`` (half
of the history lines written), ``history-synced`` (lines fsynced, no shard renamed yet),
``shard-write`` (half of a shard's temp file), ``shard-synced``, ``shard-renamed``
(renamed, folder not yet fsynced), ``index-write``, ``index-synced``, ``index-renamed``,
``committed``; then, for the first save of a day, the backup of the files as they were
before it, made in a thread: ``backup-write`` (half of a backup file written),
``backup-synced`` (backup files fsynced, folder not yet renamed), ``backup-renamed``.
Unset, each point costs one set lookup.
"""

from __future__ import annotations

import os
import signal

_ARMED = frozenset(s.strip() for s in os.environ.get("ZHENGGAI_FAULT", "").split(",") if s.strip())


def armed(step: str) -> bool:
    return step in _ARMED


def point(step: str) -> None:
    if step in _ARMED:
        os.kill(os.getpid(), signal.SIGKILL)
