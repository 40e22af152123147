"""Text helpers of the importers: numerals, punctuation, sentences, web debris.

Pure string work, no files: the recognisers in this package are fed paragraph
strings (from .txt, or from .docx by writers/) and table cells.
"""

from __future__ import annotations

import re
import unicodedata

CN_DIGITS = "零一二三四五六七八九"
CN_NUM = "一二三四五六七八九十"
CN_NUM_RE = f"[{CN_NUM}]{{1,3}}"


def cn_to_int(s: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (up to 九十九); None if not a numeral."""
    if not s or any(c not in CN_NUM for c in s):
        return None
    if s == "十":
        return 10
    if "十" in s:
        tens, _, ones = s.partition("十")
        if "十" in ones:
            return None
        t = CN_DIGITS.index(tens) if tens else 1
        o = CN_DIGITS.index(ones) if ones else 0
        return t * 10 + o
    if len(s) != 1:
        return None
    return CN_DIGITS.index(s)


def cn_number(n: int) -> str:
    """1 → 一 … 10 → 十, 12 → 十二, 23 → 二十三 (up to 99)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "“”‘’、。，；：？！（）《》—…"


_HALF = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}


def cjk_punct(text: str) -> tuple[str, int]:
    """Half-width , ; : ? ! ( ) and straight quotes next to Chinese text become full-width
    (web copies and some editors turn them half-width; a 公文 never has them).

    Returns the new text and how many characters changed. Digits and Latin text
    keep their own punctuation (2025.6, 3:00, (a)).
    """
    out = list(text)
    n = 0
    for i, ch in enumerate(text):
        if ch in _HALF:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            near = (before and is_cjk(before)) or (after and is_cjk(after))
            if ch in "()":
                near = near or (ch == "(" and _closing_cjk(text, i))
            if ch in ":" and before.isdigit() and after.isdigit():
                near = False
            if near:
                out[i] = _HALF[ch]
                n += 1
    s = "".join(out)
    if '"' in s:
        parts = s.split('"')
        if len(parts) % 2 == 1:  # balanced: open, close, open, close …
            s = "".join(p + ("“" if k % 2 == 0 else "”") for k, p in enumerate(parts[:-1])) + parts[-1]
            n += len(parts) - 1
    return s, n


def _closing_cjk(text: str, i: int) -> bool:
    j = text.find(")", i)
    return j > i and any(is_cjk(c) for c in text[i + 1 : j])


def squash(text: str) -> str:
    """Comparison key: no spaces, no punctuation, full-width folded (NFKC)."""
    t = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in t if not (ch.isspace() or unicodedata.category(ch).startswith(("P", "S"))))


_SENT = re.compile(r"[^。！？]*[。！？]+[”’」』）)]*|[^。！？]+$")


def sentences(text: str) -> list[str]:
    """Split after 。！？ (keeping closing quotes with their sentence)."""
    return [s for s in (m.group(0) for m in _SENT.finditer(text or "")) if s.strip()]


_EXAMPLE = re.compile(
    r"^\s*(?:(?:再|又)?比如|例如|譬如|(?:又|再)如|如(?![何果此实期今同下若意数常愿其])|以[^，。,]{1,24}为例)"
)


def is_example(sentence: str) -> bool:
    return bool(_EXAMPLE.match(sentence))


def split_problem(text: str) -> tuple[str, str, str]:
    """A problem's text (its numbering removed) → (title, manifestation, example).

    The title is the clause up to the first 。; from the first sentence that
    opens with 如/比如/例如/以…为例 on, the text is the 典型事例; what lies
    between is the 问题表现.
    """
    text = text.strip()
    parts = sentences(text)
    if not parts:
        return "", "", ""
    first = parts[0].strip()
    if first.endswith(("。", "！", "？")) or len(first) <= 60:
        title = first.rstrip("。！？").strip()
        rest = parts[1:]
    else:  # one long sentence without a full stop: its first clause
        head, sep, tail = first.partition("，")
        title, rest = head.strip(), ([tail] if tail.strip() else []) + parts[1:]
    title = title.rstrip("：:；;，, ")
    manifest: list[str] = []
    example: list[str] = []
    for s in rest:
        (example if example or is_example(s) else manifest).append(s.strip())
    return title, "".join(manifest), "".join(example)


# ------------------------------------------------------------------ debris

# Lines that web copies of materials carry around the text (site names, share
# buttons, page counters, view counts) and hidden-text markers.
_DEBRIS = re.compile(
    r"(分享\s*时间|加入收藏|阅读时长|扫码|领取福利|欢迎您|文库|浏览量|发布时间|点赞|^\s*收藏\s*\d*\s*$|"
    r"记住我|来上我|免费下载|下载文档|上一篇|下一篇|相关范文|版权所有|^\W*$|^[\d\s\W]+$)"
)
_HIDDEN = re.compile(r"此处隐藏|下载后查看|剩余.{0,6}字|展开全文|余下全文")
_PAGE = re.compile(r"[（(]\s*第\s*\d+\s*/\s*\d+\s*页\s*[）)]")


def debris_reason(line: str) -> str | None:
    """Why a short line is not part of the material, or None."""
    s = line.strip().lstrip("•·●▪◆■□-*→ ")
    if _HIDDEN.search(s):
        return "网页删节标记：原文此处有缺失"
    if len(s) <= 40 and _DEBRIS.search(s):
        return "网页杂项（非材料正文）"
    if re.search(r"以下是.{0,20}(整理|分享)|供您参考|为您整理", s) and len(s) <= 400:
        return "网页杂项（非材料正文）"
    return None


def is_hidden_marker(line: str) -> bool:
    return bool(_HIDDEN.search(line))


def strip_page_marker(title: str) -> str:
    return _PAGE.sub("", title).strip()


def short_label(title: str, limit: int = 6) -> str:
    """A sidebar label from a dimension title: 在…方面 and 带头 dropped, up to the first
    punctuation, at most ``limit`` characters."""
    t = unwrap_heading(title)
    if t.startswith("带头") and len(t) > 4:
        t = t[2:]
    t = re.split(r"[，,、；;。：:（(]", t)[0] or t
    return t[:limit]


def unwrap_heading(heading: str) -> str:
    """“在带头……方面” → “带头……” (the wording a dimension title holds)."""
    t = (heading or "").strip().rstrip("。.:：；;， ")
    if t.startswith("在") and t.endswith("方面") and len(t) > 3:
        t = t[1:-2]
    elif t.endswith("方面") and len(t) > 4:
        t = t[:-2]
    elif t.endswith("方面的问题") and len(t) > 6:
        t = t[:-5]
    return t.strip().rstrip("，, ")


def heading_key(heading: str) -> str:
    """Matching key of a dimension heading or title: unwrapped, leading 在 dropped, squashed."""
    t = unwrap_heading(heading)
    if t.startswith("在"):
        t = t[1:]
    return squash(t)
