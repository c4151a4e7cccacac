"""The consistency rules (勾稽关系) of the template spec, each as a check with expected and actual.

The rules are data (``rules`` of each table in ``templates.json``): ``column_sums`` adds rows
per column (``requests.balance.*``: new + carried over = total + carried forward),
``row_sums`` adds columns per row (``requests.row_total.*``, ``appeals.*.total``).
A check whose operands include a blank (null) cell is ``ok: null`` with a reason; under the
``blank_as_zero`` policy (``--blank-as-zero``) a blank counts as 0 and the check says so
(``assumed``).  Non-negativity is reported only for cells that break it (one check per negative
cell, columns the spec marks ``signed`` exempt); all other rules are reported whether they
pass or fail.
"""
from __future__ import annotations

from collections.abc import Iterator

from . import legacy
from .model import Table, tables_from_json
from .spec import Rule, TableSpec, TemplateSpec, current

BLANK_AS_ZERO = "blank cells counted as 0 (--blank-as-zero)"


def _check(cid: str, expected, actual, operands, blank_as_zero: bool = False) -> dict:
    if any(v is None for v in operands):
        if not blank_as_zero:
            return {"id": cid, "ok": None, "expected": expected, "actual": actual,
                    "reason": "an operand is blank or unreadable"}
        return {"id": cid, "ok": abs((expected or 0) - (actual or 0)) < 1e-6, "expected": expected or 0,
                "actual": actual or 0, "assumed": BLANK_AS_ZERO}
    return {"id": cid, "ok": abs(expected - actual) < 1e-6, "expected": expected, "actual": actual}


def _sum(vals, blank_as_zero: bool = False):
    if blank_as_zero:
        return sum(v or 0 for v in vals)
    return None if any(v is None for v in vals) else sum(vals)


def _column_sums(spec: TableSpec, rule: Rule, t: Table, z: bool) -> Iterator[dict]:
    left, need_all = spec.set_rows(rule.left, t.rows)
    if not left or (need_all and not set(left) <= set(t.rows)) or not set(rule.right) <= set(t.rows):
        return
    for c in spec.columns:
        a = [t.rows[k].get(c) for k in left]
        b = [t.rows[k].get(c) for k in rule.right]
        yield _check(rule.id.format(column=c), _sum(a, z), _sum(b, z), a + b, z)


def _row_sums(rule: Rule, t: Table, z: bool) -> Iterator[dict]:
    for key, cols in t.rows.items():
        a = [cols.get(c) for c in rule.left]
        b = [cols.get(c) for c in rule.right]
        yield _check(rule.id.format(row=key), _sum(a, z), _sum(b, z), a + b, z)


def _negative(spec: TableSpec, t: Table) -> Iterator[dict]:
    for r, c, v in t.cells():
        signed = c in spec.columns and spec.columns[c].signed
        if not signed and isinstance(v, (int, float)) and v < 0:
            yield {"id": f"nonnegative.{t.name}.{r}.{c}", "ok": False, "expected": ">= 0", "actual": v}


def table_rules(spec: TableSpec, t: Table, blank_as_zero: bool = False) -> list[dict]:
    """The checks of one table's consistency rules (not the sign checks)."""
    out: list[dict] = []
    for rule in spec.rules:
        if rule.kind == "column_sums":
            out.extend(_column_sums(spec, rule, t, blank_as_zero))
        else:
            out.extend(_row_sums(rule, t, blank_as_zero))
    return out


def run(tables: dict, blank_as_zero: bool = False, spec: TemplateSpec | None = None) -> list[dict]:
    """Every rule over ``tables`` (output JSON); with ``blank_as_zero`` a blank cell counts as 0 (and the
    check says so)."""
    spec = spec or current()
    typed = tables_from_json(tables, spec)
    out: list[dict] = []
    for name, t in typed.items():
        out.extend(table_rules(spec[name], t, blank_as_zero))
    for name, t in typed.items():
        out.extend(_negative(spec[name], t))
    return out + legacy.checks(tables)
