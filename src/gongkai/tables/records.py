"""Turn table blocks into labelled records: ``(label, values)``.

A grid row becomes one record: its label is the text of the cells up to the
last cell that is not a value, its values the uncovered cells after it (blank
cells kept, so that a blank stays a blank).  A glued table (crawler text with the
cells run together) is cut into alternating label text and digit runs; the digit
run is kept raw for :mod:`gongkai.tables.glued` to split.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..document import Block, Cell
from ..numbers import BLANK

_HAN = re.compile(r"[\u3400-\u9fff]")
_VALUE = re.compile(r"^[+\-＋－]?\s*[\d０-９][\d０-９\s,，.．]*\s*(万元|元|件|条|个|项|%)?$")


@dataclass
class Record:
    label: str
    values: list[str] = field(default_factory=list)
    glued: str | None = None  # raw digit run of a glued table
    page: int | None = None
    cells: list[str] = field(default_factory=list)  # the label cells, for diagnostics
    start: int = 0  # where a glued record starts in its text (after NFKC)
    ocr: list[tuple[float, list[str]] | None] = field(default_factory=list)  # per value: OCR confidence, alternatives


def norm_label(s: str) -> str:
    s = unicodedata.normalize("NFKC", s or "")
    return re.sub(r"\s+", "", s)


def is_value_like(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text or "").strip()
    return t in BLANK or bool(_VALUE.match(t))


def _ocr_value(cell: Cell) -> bool:
    """An OCR'd cell without Chinese characters whose other reading is a number (``o`` for ``0``): a value
    cell (read as uncertain), not label text."""
    return (cell.confidence is not None and not _HAN.search(cell.text) and len(cell.text.strip()) <= 12
            and any(is_value_like(a) for a in cell.alternatives))


def records_from_block(block: Block) -> list[Record]:
    if block.glued:
        return glued_records(block.rows[0][0].text if block.rows and block.rows[0] else "", block.page)
    out = []
    for row in block.rows:
        cells = [c for c in row]
        last_label = -1
        for i, c in enumerate(cells):
            if not c.covered and c.text.strip() and not is_value_like(c.text) and not _ocr_value(c):
                last_label = i
        label_cells = [c.text for c in cells[: last_label + 1] if c.text.strip()]
        value_cells = [c for c in cells[last_label + 1:] if not c.covered]
        page = next((c.page for c in cells if c.page is not None), block.page)
        ocr = [None if c.confidence is None else (c.confidence, c.alternatives) for c in value_cells]
        out.append(Record(norm_label("".join(label_cells)), [c.text for c in value_cells], page=page, cells=label_cells,
                          ocr=ocr if any(ocr) else []))
    return out


# A digit that starts an ordinal label ("2.其他法律…", "3、其他") is label text, not a value.
_ORD = r"\d{1,2}\s*[.．、][ \t]*(?=[^\d\s.．])"  # also with a space after it ("4. 网上申请数")
_GLUED = re.compile(
    rf"(?P<label>(?:[(（]\d{{1,2}}[)）]|{_ORD}|[^\d+\-—,.．/]|(?<!\n)[/,](?=[^\d\n])|,(?=\n)|[.．](?=\D))*)"  # "/" alone on a line: a blank cell
    r"(?P<value>(?:\d(?!\s*[.．、][ \t]*[^\d\s])|[\s,+\-—/]|[.．](?=\d))*)"
)


def glued_records(text: str, page: int | None = None) -> list[Record]:
    """Alternating label text and digit runs of a glued table (the digit run kept raw)."""
    text = unicodedata.normalize("NFKC", text)
    out: list[Record] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _GLUED.match(text, pos)
        if not m or m.end() == pos:
            pos += 1
            continue
        label = norm_label(m.group("label"))
        value = m.group("value")
        if label or value.strip():
            # a value of blank marks only (a blank cell printed "/" one cell per line) is still the row's value
            rec = Record(label, [], glued=value if re.search(r"\d|(?:^|\n)\s*[/—－]\s*(?:\n|$)", value) else None, page=page,
                         start=pos)
            out.append(rec)
        pos = m.end()
    return out
