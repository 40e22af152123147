"""Reading exported .docx files back: effective formatting resolved through the style chain."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.oxml.ns import qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W_NS}


def open_doc(path: Path):
    return docx.Document(str(path))


def style_el(doc, style_id: str):
    for s in doc.styles.element.iterchildren(qn("w:style")):
        if s.get(qn("w:styleId")) == style_id:
            return s
    raise KeyError(style_id)


def _chain(doc, style_id: str | None):
    """Style elements from the paragraph's style up to its root (basedOn)."""
    out = []
    seen = set()
    sid = style_id or "Normal"
    while sid and sid not in seen:
        seen.add(sid)
        try:
            s = style_el(doc, sid)
        except KeyError:
            break
        out.append(s)
        b = s.find(qn("w:basedOn"))
        sid = b.get(qn("w:val")) if b is not None else None
    return out


def _defaults(doc, kind: str):
    dd = doc.styles.element.find(qn("w:docDefaults"))
    if kind == "rPr":
        return dd.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    return dd.find(qn("w:pPrDefault")).find(qn("w:pPr"))


def p_style_id(p_el) -> str:
    ps = p_el.find(qn("w:pPr"))
    st = ps.find(qn("w:pStyle")) if ps is not None else None
    return st.get(qn("w:val")) if st is not None else "Normal"


def run_prop(doc, p_el, r_el, tag: str, attr: str):
    """The effective w:<tag>/@w:<attr> of a run: run rPr, paragraph style chain, docDefaults."""
    candidates = []
    if r_el is not None and r_el.find(qn("w:rPr")) is not None:
        candidates.append(r_el.find(qn("w:rPr")))
    for s in _chain(doc, p_style_id(p_el)):
        if s.find(qn("w:rPr")) is not None:
            candidates.append(s.find(qn("w:rPr")))
    candidates.append(_defaults(doc, "rPr"))
    for rpr in candidates:
        el = rpr.find(qn(f"w:{tag}"))
        if el is not None and el.get(qn(f"w:{attr}")) is not None:
            return el.get(qn(f"w:{attr}"))
        if el is not None and attr == "val" and tag in ("b", "bCs"):
            return "1"
    return None


def par_prop(doc, p_el, tag: str, attr: str):
    """The effective w:pPr/w:<tag>/@w:<attr> of a paragraph."""
    candidates = []
    if p_el.find(qn("w:pPr")) is not None:
        candidates.append(p_el.find(qn("w:pPr")))
    for s in _chain(doc, p_style_id(p_el)):
        if s.find(qn("w:pPr")) is not None:
            candidates.append(s.find(qn("w:pPr")))
    candidates.append(_defaults(doc, "pPr"))
    for ppr in candidates:
        el = ppr.find(qn(f"w:{tag}"))
        if el is not None and el.get(qn(f"w:{attr}")) is not None:
            return el.get(qn(f"w:{attr}"))
    return None


def fmt(doc, paragraph) -> dict:
    """Effective formatting of a python-docx Paragraph (its first run)."""
    p = paragraph._p
    r = p.find(qn("w:r"))
    return {
        "east": run_prop(doc, p, r, "rFonts", "eastAsia"),
        "sz": run_prop(doc, p, r, "sz", "val"),
        "bold": run_prop(doc, p, r, "b", "val") not in (None, "0", "false"),
        "hint": run_prop(doc, p, r, "rFonts", "hint"),
        "line": par_prop(doc, p, "spacing", "line"),
        "rule": par_prop(doc, p, "spacing", "lineRule"),
        "firstLineChars": par_prop(doc, p, "ind", "firstLineChars"),
        "firstLine": par_prop(doc, p, "ind", "firstLine"),
        "jc": par_prop(doc, p, "jc", "val"),
    }


def body_paragraphs(doc):
    return [p for p in doc.paragraphs if p.text.strip()]


def footer_xml(footer) -> str:
    from lxml import etree

    return etree.tostring(footer._element, encoding="unicode")


def item_rows(table):
    """The rows of a ledger table that hold an item: not the header, not a group row (one cell
    spanning the table)."""
    return [r for r in table.rows[1:] if len(r._tr.findall(qn("w:tc"))) > 1]


def group_rows(table):
    """The spanning rows that head each dimension's items."""
    return [r for r in table.rows[1:] if len(r._tr.findall(qn("w:tc"))) == 1]


def column(label: str) -> int:
    from writers.ledger import COLUMNS

    return [c[0] for c in COLUMNS].index(label)


def style_campaign(db, *, numbering: str, heading: str):
    """The demo data with its campaign in a given document style, and the first cause's points
    typed with numbers of their own (the writer must replace them, never add to them)."""
    from storage.demo import load_demo

    if db.is_empty():
        load_demo(db)
    camp = db.all("campaigns")[0]
    camp = db.update("campaigns", camp["uid"], {"style": {"numbering": numbering, "heading": heading}})
    causes = sorted((o for o in db.all("outlines") if o["part"] == "causes"), key=lambda o: o["seq"])
    db.update("outlines", causes[0]["uid"], {"points": ["一是学习的系统性不够。", "2.以学促干的成效不够明显。"]})
    return camp
