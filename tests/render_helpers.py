"""Documents as LibreOffice renders them: convert .docx to PDF and measure the pages.

Measurements come from ``pdftotext -bbox`` (one box per run of characters, in points from the
page's top left) and, for the page number's dash, from the pixels of ``pdftoppm``. Fonts are
the GB/T 9704 names mapped by writers/fonts/zhenggai-fonts.conf (FONTCONFIG_FILE), so the
result does not depend on what the machine's own fontconfig would guess.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from docx.oxml.ns import qn

ROOT = Path(__file__).resolve().parents[1]
FONTS_SNIPPET = ROOT / "writers" / "fonts" / "zhenggai-fonts.conf"
PT_PER_MM = 72 / 25.4
PITCH = 28.95  # the body line
BODY = 16.0
CHAR = 15.75  # a condensed body character
BOX = 1.3  # pdftotext's box height per point of font size

TOOLS = ("soffice", "pdftotext", "pdftoppm")


def missing_tools() -> list[str]:
    return [t for t in TOOLS if not (shutil.which(t) or (t == "soffice" and shutil.which("libreoffice")))]


def fontconfig_file(tmp: Path) -> Path:
    """A fonts.conf: the system's configuration, then the project's aliases."""
    conf = tmp / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <include>{html.escape(str(FONTS_SNIPPET))}</include>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def convert(docs: Sequence[Path], outdir: Path, tmp: Path) -> list[Path]:
    """Every .docx to PDF in one LibreOffice run (a fresh profile in ``tmp``)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    outdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FONTCONFIG_FILE=str(fontconfig_file(tmp)), HOME=str(tmp))
    subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docs)],
        check=True, capture_output=True, timeout=300, env=env,
    )
    pdfs = [outdir / (Path(d).stem + ".pdf") for d in docs]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return pdfs


# ------------------------------------------------------------------ words and lines


@dataclass
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str

    @property
    def size(self) -> float:
        return round((self.y1 - self.y0) / BOX, 1)


@dataclass
class Line:
    words: list[Word] = field(default_factory=list)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def size(self) -> float:
        return max(w.size for w in self.words)

    @property
    def text(self) -> str:
        return "".join(w.text for w in sorted(self.words, key=lambda w: w.x0))


@dataclass
class Page:
    number: int
    width: float
    height: float
    words: list[Word]

    def lines(self, *, x_range: tuple[float, float] | None = None) -> list[Line]:
        """Words grouped into lines by their bottom edge (same size, same baseline)."""
        out: list[Line] = []
        for w in sorted(self.words, key=lambda w: (round(w.y1, 0), w.x0)):
            if x_range and not (x_range[0] - 1 <= w.x0 <= x_range[1]):
                continue
            if out and abs(out[-1].y1 - w.y1) < 2.0:
                out[-1].words.append(w)
            else:
                out.append(Line([w]))
        return out


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def pages(pdf: Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    result = []
    for n, m in enumerate(_PAGE.finditer(out), 1):
        words = [Word(float(a), float(b), float(c), float(d), html.unescape(t)) for a, b, c, d, t in _WORD.findall(m.group(3))]
        result.append(Page(n, float(m.group(1)), float(m.group(2)), words))
    return result


# ------------------------------------------------------------------ the page's geometry


@dataclass(frozen=True)
class Block:
    """The text block in points: left, top, right, bottom."""

    left: float
    top: float
    right: float
    bottom: float

    @classmethod
    def of(cls, page: Page, margins_mm: tuple[float, float, float, float]) -> "Block":
        top, bottom, left, right = (m * PT_PER_MM for m in margins_mm)
        return cls(left, top, page.width - right, page.height - bottom)


def is_cjk_line(text: str) -> bool:
    import unicodedata

    return all(unicodedata.east_asian_width(c) in ("W", "F") for c in text)


# ------------------------------------------------------------------ what the .docx says


def docx_paragraphs(path: Path) -> list[tuple[str, list[str]]]:
    """(style id, lines split at manual breaks) of every body paragraph with text."""
    import docx

    doc = docx.Document(str(path))
    out = []
    for p in doc.element.body.iter(qn("w:p")):
        if p.getparent().tag != qn("w:body"):
            continue
        ppr = p.find(qn("w:pPr"))
        st = ppr.find(qn("w:pStyle")) if ppr is not None else None
        sid = st.get(qn("w:val")) if st is not None else "Normal"
        parts, cur = [], ""
        for el in p.iter(qn("w:t"), qn("w:br")):
            if el.tag == qn("w:br"):
                parts.append(cur)
                cur = ""
            else:
                cur += el.text or ""
        parts.append(cur)
        if any(x.strip() for x in parts):
            out.append((sid, parts))
    return out


def docx_text(path: Path) -> str:
    """Every character the body of a .docx holds (paragraphs and tables, in order)."""
    import docx

    body = docx.Document(str(path)).element.body
    return "".join(t.text or "" for t in body.iter(qn("w:t")))


# ------------------------------------------------------------------ the page number's dash


def dash_center_mm_below(pdf: Path, page: Page, block: Block, dpi: int = 288) -> float:
    """How far below the text block the page number's dash is drawn (its stroke's middle), in mm."""
    dash = next(w for w in page.words if w.text == "—" and w.y0 > block.bottom)
    scale = dpi / 72
    x, y = int(dash.x0 * scale), int(dash.y0 * scale) - 4
    wpx, hpx = max(int((dash.x1 - dash.x0) * scale), 1), int((dash.y1 - dash.y0) * scale) + 8
    raw = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page.number), "-l", str(page.number),
         "-x", str(x), "-y", str(y), "-W", str(wpx), "-H", str(hpx), str(pdf)],
        check=True, capture_output=True,
    ).stdout
    width, height, pixels = _pgm(raw)
    dark = [r for r in range(height) if sum(1 for c in range(width) if pixels[r * width + c] < 128) > width // 2]
    assert dark, "no dash drawn on the page-number line"
    mid = (dark[0] + dark[-1] + 1) / 2
    return ((y + mid) / scale - block.bottom) / PT_PER_MM


def _pgm(raw: bytes) -> tuple[int, int, bytes]:
    """Width, height and pixels of a binary PGM (P5 <w> <h> <max> and one byte a pixel)."""
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", raw)
    assert m, raw[:20]
    return int(m.group(1)), int(m.group(2)), raw[m.end():]


def flatten(xs: Iterable[Iterable[str]]) -> list[str]:
    return [x for xs_ in xs for x in xs_]
