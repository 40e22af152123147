"""When a written file says it was made (document properties), with no document library loaded."""

from __future__ import annotations

import datetime as _dt
import os


def doc_now() -> _dt.datetime:
    """Now in UTC; with ZHENGGAI_TODAY set (tests, demos) the frozen day at 00:00 UTC."""
    frozen = os.environ.get("ZHENGGAI_TODAY")
    if frozen:
        try:
            d = _dt.date.fromisoformat(frozen)
            return _dt.datetime(d.year, d.month, d.day, tzinfo=_dt.timezone.utc)
        except ValueError:
            pass
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
