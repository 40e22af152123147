"""Chinese numerals for headings and ordinals: 一、（一）、一是 …, correct past ten."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_UNITS = ((1000, "千"), (100, "百"), (10, "十"))


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 99 → 九十九, 100 → 一百, 101 → 一百零一,
    110 → 一百一十, 1000 → 一千, 10000 → 一万. Negative numbers and 0 are written too."""
    n = int(n)
    if n < 0:
        return "负" + cn_number(-n)
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        head = cn_number(high) + "万"
        if low == 0:
            return head
        return head + ("零" if low < 1000 else "") + _below_10000(low, leading=False)
    return _below_10000(n, leading=True)


def _below_10000(n: int, *, leading: bool) -> str:
    out = []
    zero = False
    started = False
    for value, unit in _UNITS:
        d, n = divmod(n, value)
        if d:
            if zero:
                out.append("零")
                zero = False
            # 十一, not 一十一 — but 一百一十 and 一千零一十.
            if not (unit == "十" and d == 1 and not started and leading):
                out.append(_DIGITS[d])
            out.append(unit)
            started = True
        elif started:
            zero = True
    if n:
        if zero:
            out.append("零")
        out.append(_DIGITS[n])
    return "".join(out)


def level1(n: int) -> str:
    """一、"""
    return f"{cn_number(n)}、"


def level2(n: int) -> str:
    """（一）"""
    return f"（{cn_number(n)}）"


def level3(n: int) -> str:
    """1."""
    return f"{n}."


def level4(n: int) -> str:
    """（1）"""
    return f"（{n}）"


def ordinal(n: int) -> str:
    """一是、二是 … 十一是"""
    return f"{cn_number(n)}是"
