"""What a rendered 公文 page must show (GB/T 9704), as checks that return what is wrong.

Each check returns a list of problems in words (empty: all is well) and fills ``stats`` with
what it measured, so a failing test says where and the README can quote the figures.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from render_helpers import BODY, CHAR, PITCH, PT_PER_MM, Block, Line, Page, is_cjk_line

OPENERS = "“‘（《「『〔【"
CLOSERS = "，。、；：！？”’）》」』〕】…"
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28


@dataclass
class Stats:
    full_lines: Counter = field(default_factory=Counter)  # characters on full pure-CJK lines
    lines_per_page: list[int] = field(default_factory=list)
    kinsoku: int = 0  # full lines one short or one long because of a line-breaking rule
    dash_mm: list[float] = field(default_factory=list)  # the page-number dash below the text block

    def summary(self) -> str:
        out = []
        if self.full_lines:
            # Lines after the two-character indent are counted as if they had 28 places too.
            counts = ", ".join(f"{n} on {k}" for n, k in sorted(self.full_lines.items()))
            out.append(f"characters on full CJK lines: {counts}")
        if self.lines_per_page:
            out.append("lines per page: " + " ".join("table" if n < 0 else str(n) for n in self.lines_per_page))
        if self.dash_mm:
            out.append(f"dash {min(self.dash_mm):.1f}–{max(self.dash_mm):.1f} mm below the text block")
        return "; ".join(out)


def body_lines(page: Page, block: Block) -> list[Line]:
    """Lines of 16 pt text inside the text block (tables are 12 pt, the footer 14 pt)."""
    return [ln for ln in page.lines() if abs(ln.size - BODY) < 0.5 and block.top - 2 < ln.y1 < block.bottom + 2]


def table_top(page: Page, block: Block) -> float | None:
    """Where the first table text (12 pt) on the page begins, if any."""
    return min((w.y0 for w in page.words if abs(w.size - 12) < 0.5 and block.top < w.y1 < block.bottom), default=None)


def grid_slot(line: Line, block: Block) -> float:
    """Which line of the 22 a 16 pt line sits on (0-based; an integer when on the grid)."""
    return (line.y1 + 1.53 - block.top) / PITCH - 1


def check_lines(pages: list[Page], block: Block, *, exempt: set[str], keep_lines: set[str], stats: Stats,
                closing: set[str] = frozenset()) -> list[str]:
    """28 characters on every full body line, no half-empty line inside a paragraph, 22 lines
    on every page but the last: fewer only where a heading moved on with its paragraph, or the
    last lines of the text moved on with the signature (``closing``: its lines), which never
    stands on a page of its own."""
    problems: list[str] = []
    per_page = [body_lines(p, block) for p in pages]
    titles = [ln for p in pages[:1] for ln in p.lines() if ln.size > BODY + 1]
    for n, (page, lines) in enumerate(zip(pages, per_page)):
        nxt = per_page[n + 1][0] if n + 1 < len(per_page) and per_page[n + 1] else None
        for k, ln in enumerate(lines):
            follow = lines[k + 1] if k + 1 < len(lines) else nxt
            indent = ln.x0 - block.left
            continued = follow is not None and abs(follow.x0 - block.left) < 2 and ln.text not in exempt
            full = ln.x1 >= block.right - CHAR
            if continued and not full and abs(indent) < 2 + 2 * BODY:
                problems.append(f"page {page.number}: half-empty line inside a paragraph: {ln.text!r}")
            if ln.text.rstrip("。") in ("方面", "面") and abs(indent) < 2:
                problems.append(f"page {page.number}: “方面” left alone on a line")
            if full and is_cjk_line(ln.text):
                want = CHARS_PER_LINE - (2 if abs(indent - 2 * BODY) < 2 else 0)
                got = len(ln.text)
                stats.full_lines[got + (CHARS_PER_LINE - want)] += 1
                if got == want:
                    continue
                hanging = got == want + 1 and ln.text[-1] in CLOSERS and ln.x1 > block.right + 1
                # No line starts with a closing mark: the character before it goes down too
                # (LibreOffice hangs no mark: gwstyles.py); no line ends with an opening one.
                pushed = got == want - 1 and follow is not None and (follow.text[:1] in OPENERS or
                                                                     follow.text[1:2] in CLOSERS)
                if hanging or pushed or _number_pushed(got, want, follow):
                    stats.kinsoku += 1
                else:
                    problems.append(f"page {page.number}: {got} characters where {want} belong: {ln.text!r}")
        # Below a table the lines follow the table, not the page's grid (in Word too).
        top = table_top(page, block)
        slots = [grid_slot(ln, block) for ln in lines if top is None or ln.y1 < top]
        off = [ln.text for ln in lines if (top is None or ln.y1 < top) and abs(grid_slot(ln, block) % 1 - 0.5) < 0.45]
        if off:
            problems.append(f"page {page.number}: lines off the 28.95 pt grid: {off[:3]}")
        used = round(max(slots)) + 1 if slots else (len(titles) if n == 0 else 0)
        if top is not None or (n + 1 < len(pages) and table_top(pages[n + 1], block) is not None):
            stats.lines_per_page.append(-1)  # a page with a table, or before one: not a body page
            continue
        stats.lines_per_page.append(used)
        if used > LINES_PER_PAGE:
            problems.append(f"page {page.number}: {used} lines")
        if n + 1 < len(pages) and used < LINES_PER_PAGE:
            following = per_page[n + 1]
            lead = round(grid_slot(following[0], block)) if following else 0
            lead += sum(1 for ln in following[:4] if ln.text in keep_lines)
            ends = [ln for ln in following if ln.text in closing]
            if n + 2 == len(pages) and ends:
                lead = max(lead, round(grid_slot(ends[-1], block)) + 1)
            if used + lead < LINES_PER_PAGE:
                problems.append(f"page {page.number}: only {used} lines, and the next page does not begin with a heading")
    return problems


def check_keeps(pages: list[Page], block: Block, *, headings: set[str], closing: set[str]) -> list[str]:
    """A heading never ends a page (unless its table follows it there), and the signature never
    stands on a page without text above it."""
    problems = []
    for page in pages[:-1]:
        lines = body_lines(page, block)
        if lines and lines[-1].text in headings:
            below = [w for w in page.words if abs(w.size - 12) < 0.5 and lines[-1].y1 < w.y0 and w.y1 < block.bottom]
            if not below:
                problems.append(f"page {page.number} ends with the heading {lines[-1].text!r}")
    for page in pages:
        lines = body_lines(page, block)
        signs = [k for k, ln in enumerate(lines) if ln.text.replace(" ", "") in closing]
        if signs and not any(ln.text not in closing for ln in lines[:signs[0]]) and page.number > 1:
            problems.append(f"page {page.number}: the signature stands without text above it")
    return problems


def _number_pushed(got: int, want: int, follow: Line | None) -> bool:
    """A number is never broken: “…整改时限为 / 2026年…” leaves the places at the line's end that
    the number's digits (half an em each, plus the space between CJK and digits) do not fit, and
    what is tied to it (a character and its mark) goes down with it."""
    if follow is None or got >= want:
        return False
    # “…已完成整 / 改，2026年…”: no break between a closing mark and the number after it, so the
    # character before the mark goes down with both.
    m = re.match(rf"(.[{CLOSERS}]+)?([0-9A-Za-z.]*)", follow.text)
    lead, run = len(m.group(1) or ""), len(m.group(2))
    return run > 0 and lead + run * 0.5 + 0.2 > want - got


def check_title(pages: list[Page], designed: list[str]) -> list[str]:
    got = [ln.text for ln in pages[0].lines() if ln.size > BODY + 1]
    return [] if got == designed else [f"title lines {got} where {designed} were designed"]


def check_page_numbers(pages: list[Page], block: Block, dash_mm, stats: Stats | None = None) -> list[str]:
    """“— n —” in 14 pt: odd pages right, even pages left, one character in; its dash 7 mm
    below the text block (``dash_mm(page)`` measures it)."""
    problems = []
    for page in pages:
        foot = [ln for ln in page.lines() if ln.y1 > block.bottom + 2]
        if len(foot) != 1 or foot[0].text.replace(" ", "") != f"—{page.number}—":
            problems.append(f"page {page.number}: footer {[ln.text for ln in foot]}")
            continue
        ln = foot[0]
        if abs(ln.size - 14) > 0.5:
            problems.append(f"page {page.number}: page number in {ln.size} pt")
        one = 14.0
        if page.number % 2:
            if abs(block.right - one - ln.x1) > 1.5:
                problems.append(f"page {page.number}: page number ends {block.right - ln.x1:.1f} pt from the right edge")
        elif abs(ln.x0 - (block.left + one)) > 1.5:
            problems.append(f"page {page.number}: page number starts {ln.x0 - block.left:.1f} pt from the left edge")
        mm = dash_mm(page)
        if stats is not None:
            stats.dash_mm.append(mm)
        if abs(mm - 7) > 0.5:
            problems.append(f"page {page.number}: the dash is {mm:.2f} mm below the text block, not 7")
    return problems


def check_signature(pages: list[Page], block: Block, name: str, date: str) -> list[str]:
    """GB/T 9704 7.3.5.2: signature right-aligned two characters in, the date's first
    character two characters right of the signature's (or the date two in, if longer)."""
    lines = [ln for p in pages[-1:] for ln in p.lines()]
    sig = next((ln for ln in reversed(lines) if ln.text == name), None) if name else None
    dat = next((ln for ln in reversed(lines) if ln.text.replace(" ", "") == date), None)
    if dat is None or (name and sig is None):
        return [f"signature {name!r} / date {date!r} not found on the last page"]
    two = 2 * BODY
    problems = []
    gaps = {"date": block.right - dat.x1}
    if sig is not None:
        gaps["signature"] = block.right - sig.x1
        step = dat.x0 - sig.x0
        if abs(step - two) > 1.5:
            problems.append(f"date starts {step:.1f} pt right of the signature, not two characters (32 pt)")
    # The one further right stands two characters from the edge, neither closer. The date's
    # width is counted as Word sets it; LibreOffice puts 0.8 pt less between its digits and
    # 年月日 (1/5 em instead of 1/4), so a date that is the longer line may end up to 4 pt
    # short of the place.
    if not (two - 1.5 <= min(gaps.values()) <= two + (5 if min(gaps, key=gaps.get) == "date" else 1.5)):
        problems.append(f"right-hand space {gaps}, not two characters (32 pt)")
    return problems


def _ink(text: str) -> str:
    return re.sub(r"\s+", "", text)


def check_text_drawn(text: str, pages: list[Page]) -> list[str]:
    """Every character of the document's text is drawn on some page (what pdftotext reads is
    what the PDF draws): LibreOffice once dropped marks it hung past the line's end. Characters
    drawn more often than written (repeated table headers, page numbers) are no fault."""
    want, drawn = _ink(text), _ink("".join(w.text for p in pages for w in p.words))
    missing = Counter(want) - Counter(drawn)
    if not missing:
        return []
    places = []
    for i, ch in enumerate(want):
        if ch in missing and len(places) < 6:
            before, after = want[max(0, i - 8):i], want[i + 1:i + 9]
            if before + after in drawn:
                places.append(f"{before}[{ch}]{after}")
    return [f"not drawn: {dict(missing)}, e.g. at {places}"]


def check_no_overlap(pages: list[Page]) -> list[str]:
    """No text is drawn over other text: a table row too low for its wrapped text spills into
    the rows above and below it (Calc and Excel never grow a row whose height is set)."""
    problems = []
    for page in pages:
        words = sorted(page.words, key=lambda w: w.y0)
        for k, a in enumerate(words):
            for b in words[k + 1:]:
                if b.y0 >= a.y1:
                    break
                dy = min(a.y1, b.y1) - max(a.y0, b.y0)
                dx = min(a.x1, b.x1) - max(a.x0, b.x0)
                if dx > 1 and dy > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0):
                    problems.append(f"page {page.number}: {a.text[:12]!r} drawn over {b.text[:12]!r}")
    return problems[:6]


def mm(pt: float) -> float:
    return pt / PT_PER_MM


def check_table_rows(pages: list[Page], block: Block, widths_mm: list[float], labels: list[str],
                     rows: list[list[str]], *, table_pt: float = 12.0) -> list[str]:
    """No row breaks across pages: on every page, each column holds exactly the header label
    and the whole cells of the rows whose number (first column) is on that page.

    ``rows``: the cell texts of each numbered row, in order (group rows are recognised as the
    lines that start in the first column with something other than a row number)."""
    problems = []
    total = sum(widths_mm) * PT_PER_MM
    edges = [block.left + (block.right - block.left - total) / 2]
    for w in widths_mm:
        edges.append(edges[-1] + w * PT_PER_MM)
    seen: list[int] = []
    for page in pages:
        words = [w for w in page.words if abs(w.size - table_pt) < 0.5 and block.top < w.y1 < block.bottom + 2]
        if not words:
            continue
        col0 = sorted((w for w in words if edges[0] - 1 <= w.x0 < edges[1]), key=lambda w: w.y0)  # top down
        numbers = [int(w.text) for w in col0 if w.text.isdigit()]
        groups = [w for w in col0 if not w.text.isdigit() and w.text != labels[0]]
        in_group = lambda w, groups=groups: any(abs(w.y1 - g.y1) < 2 for g in groups)  # noqa: E731
        seen += numbers
        for c in range(1, len(widths_mm)):
            got = "".join(w.text for w in sorted(
                (w for w in words if edges[c] - 1 <= w.x0 < edges[c + 1] and not in_group(w)),
                key=lambda w: (round(w.y1), w.x0)))
            want = labels[c] + "".join(rows[n - 1][c] for n in numbers)
            if got.replace(" ", "") != want.replace(" ", ""):
                problems.append(f"page {page.number}, column {labels[c]}: rows {numbers} are not whole on the page")
    if sorted(seen) != list(range(1, len(rows) + 1)):
        problems.append(f"row numbers found {seen}, expected 1–{len(rows)} once each")
    return problems
