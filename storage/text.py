"""Cleaning of user text: what XML and JSON cannot hold never reaches the file."""

from __future__ import annotations

import re
import unicodedata

# C0 controls except TAB/LF, DEL, C1 controls, lone surrogates, U+FFFE/U+FFFF.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: object, *, multiline: bool = True) -> str:
    """Return ``value`` as a clean string.

    ``\\r\\n`` and lone ``\\r`` become ``\\n``; characters that XML cannot hold
    are removed; single-line fields turn newlines and tabs into spaces.
    Surrounding white space is stripped.
    """
    if value is None:
        return ""
    s = str(value)
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _BAD.sub("", s)
    if not multiline:
        s = re.sub(r"[\n\t]+", " ", s)
    s = unicodedata.normalize("NFC", s)
    return s.strip()


_SURROGATES = re.compile("[\ud800-\udfff]")


def scrub(value: object) -> object:
    """Remove lone surrogates from every string inside ``value`` (dicts, lists).

    For data that is not a form field: the text is otherwise kept as is, but a
    surrogate cannot be written to a UTF-8 file.
    """
    if isinstance(value, str):
        return _SURROGATES.sub("", value)
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def has_text(value: object) -> bool:
    return bool(clean_text(value))
