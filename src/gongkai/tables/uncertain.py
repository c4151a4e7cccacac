"""Table cells the OCR was unsure of: null with a warning, unless the rules pick one reading.

A cell read by OCR whose least certain character has a probability below :data:`MIN_CONFIDENCE`
is never taken as read.  Its readings (the OCR's own, the reading restricted to digits, the
reading with its weakest character replaced by the runner-up) are tried one at a time against the
table's consistency rules (勾稽关系), the other cells as read: a reading is kept when the rules it
decides all hold, and a cell gets a value only where exactly one reading is kept.  Otherwise it
stays null with a ``table.ocr_uncertain`` warning: a gap, never a guess.  Resolving one cell may
decide a rule for another, so the pass repeats until nothing changes.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..numbers import parse_cell
from .checks import table_rules
from .model import Table, Value
from .spec import TableSpec

MIN_CONFIDENCE = 0.9


@dataclass
class Uncertain:
    text: str  # the OCR's reading
    confidence: float
    readings: list[Value]  # the numbers its readings give


def candidates(texts: list[str], decimal: bool) -> list[Value]:
    """The distinct numbers the readings give (readings that are not numbers dropped)."""
    out: list[Value] = []
    for t in texts:
        v, status = parse_cell(t, amount=decimal)
        if status == "ok" and v not in out:
            out.append(v)
    return out


def _passes(spec: TableSpec, t: Table, row: str, col: str, value: Value, undecided: set[str]) -> bool:
    """Whether ``value`` in the cell decides at least one rule and every rule it decides holds."""
    t.rows[row][col] = value
    try:
        decided = [c for c in table_rules(spec, t) if c["id"] in undecided and c["ok"] is not None]
    finally:
        t.rows[row][col] = None
    return bool(decided) and all(c["ok"] for c in decided)


def resolve(spec: TableSpec, t: Table, cells: dict[str, Uncertain]) -> list[dict]:
    """Fill the cells of ``t`` that exactly one reading satisfies; warn about the rest."""
    todo = {k: u for k, u in cells.items() if k.split(".", 1)[0] in t.rows}
    picked: dict[str, Value] = {}
    changed = True
    while changed and todo:
        changed = False
        undecided = {c["id"] for c in table_rules(spec, t) if c["ok"] is None}
        for key, u in list(todo.items()):
            row, col = key.rsplit(".", 1)
            kept = [v for v in u.readings if _passes(spec, t, row, col, v, undecided)]
            if len(kept) == 1:
                t.rows[row][col] = picked[key] = kept[0]
                del todo[key]
                changed = True
                break  # the undecided rules changed
    warnings = []
    for key, v in picked.items():
        u = cells[key]
        warnings.append({"code": "table.ocr_resolved", "message": f"{spec.name}.{key}: OCR read {u.text!r} at confidence "
                         f"{u.confidence:.2f}; {v} is the one reading the rules allow", "cell": f"{spec.name}.{key}"})
    for key, u in todo.items():
        warnings.append({"code": "table.ocr_uncertain", "message": f"{spec.name}.{key}: OCR read {u.text!r} at confidence "
                         f"{u.confidence:.2f}; left null", "cell": f"{spec.name}.{key}", "raw": u.text})
    return warnings
