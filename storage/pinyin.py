"""Pinyin initials of Chinese characters, for finding a person by 拼音首字母 (王建华: wjh).

The readings come from pypinyin's table of single characters (pinyin_dict.json, the data of
its public module ``pypinyin.pinyin_dict``). Importing pypinyin itself would also load its
phrase dictionary (0.2 s and 55 MB, for names that are not phrases), so only the table is
read: about 60 ms and a few MB, once, the first time initials are asked for (in a worker
thread by the screens). Every reading of a character counts (单: d, s, c), so a surname
read the less common way still matches. Without pypinyin, or with a table of another
layout, there are no initials: names, units and the rest are still found as typed.
"""

from __future__ import annotations

import os
import threading
import unicodedata

_lock = threading.Lock()
_table: dict[str, str] | None = None  # character -> its readings' initials, "dsc"


def _load() -> dict[str, str]:
    import importlib.util

    import orjson

    spec = importlib.util.find_spec("pypinyin")  # finds the package without importing it
    folder = spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else None
    if folder is None:
        return {}
    try:
        with open(os.path.join(folder, "pinyin_dict.json"), "rb") as fh:
            raw = orjson.loads(fh.read())
    except (OSError, orjson.JSONDecodeError):
        return {}
    out: dict[str, str] = {}
    for code, readings in raw.items() if isinstance(raw, dict) else ():
        try:
            ch = chr(int(code))
        except (TypeError, ValueError):
            continue
        if not ("\u3400" <= ch <= "\u9fff") or not isinstance(readings, str):
            continue  # CJK ideographs (the common block and extension A): what names use
        letters = {unicodedata.normalize("NFKD", r.strip())[:1].lower() for r in readings.split(",") if r.strip()}
        out[ch] = "".join(sorted(x for x in letters if "a" <= x <= "z"))
    return out


def table() -> dict[str, str]:
    """The initials table (loaded on first use; thread-safe)."""
    global _table
    if _table is None:
        with _lock:
            if _table is None:
                _table = _load()
    return _table


def loaded() -> bool:
    return _table is not None


def initials(text: str) -> list[str]:
    """Per character of ``text``: the initials it may be read with (a latin letter or digit
    stands for itself; anything else for nothing)."""
    t = table()
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch.lower() if ch.isalnum() else "")
        else:
            out.append(t.get(ch, ""))
    return out


def matches(letters: str, text_initials: list[str]) -> bool:
    """Whether ``letters`` (typed, lower case) are the initials of consecutive characters of
    the text whose :func:`initials` are given: "wjh" matches 王建华, "jh" matches too."""
    n = len(letters)
    if not n or n > len(text_initials):
        return False
    for start in range(len(text_initials) - n + 1):
        if all(letters[k] in text_initials[start + k] for k in range(n)):
            return True
    return False
