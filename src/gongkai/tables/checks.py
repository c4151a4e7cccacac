"""The consistency rules (勾稽关系) of REPORTS.md, each as a check with expected and actual.

A check whose operands include a blank (null) cell is ``ok: null`` with a reason; under the
``blank_as_zero`` policy (``--blank-as-zero``) a blank counts as 0 and the check says so
(``assumed``).
Non-negativity is reported only for cells that break it (one check per negative
cell); all other rules are reported whether they pass or fail.
"""
from __future__ import annotations

from .extract import T3, T3_COLS

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


def run(tables: dict, blank_as_zero: bool = False) -> list[dict]:
    """Every rule over ``tables``; with ``blank_as_zero`` a blank cell counts as 0 (and the check says so)."""
    z = blank_as_zero
    out: list[dict] = []
    req = (tables.get("requests") or {}).get("rows") or {}
    if req:
        if all(k in req for k in ("new", "carried_over", "total", "carried_forward")):
            for c in T3_COLS:
                a = [req["new"].get(c), req["carried_over"].get(c)]
                b = [req["total"].get(c), req["carried_forward"].get(c)]
                out.append(_check(f"requests.balance.{c}", _sum(a, z), _sum(b, z), a + b, z))
        outcome = [k for k in T3["outcome_rows"] if k in req]
        if "total" in req and outcome:
            for c in T3_COLS:
                parts = [req[k].get(c) for k in outcome]
                tot = req["total"].get(c)
                out.append(_check(f"requests.total.{c}", _sum(parts, z), tot, parts + [tot], z))
        for key, cols in req.items():
            parts = [cols.get(c) for c in T3_COLS[:6]]
            tot = cols.get("total")
            out.append(_check(f"requests.row_total.{key}", _sum(parts, z), tot, parts + [tot], z))
    app = tables.get("appeals") or {}
    for g in ("review", "litigation_direct", "litigation_after_review"):
        f = app.get(g)
        if not isinstance(f, dict):
            continue
        parts = [f.get(k) for k in ("upheld", "corrected", "other", "pending")]
        out.append(_check(f"appeals.{g}.total", _sum(parts, z), f.get("total"), parts + [f.get("total")], z))
    for name in ("proactive", "requests", "appeals"):
        t = tables.get(name) or {}
        cells = {}
        if name == "appeals":
            cells = {f"{g}.{k}": v for g, fs in t.items() if isinstance(fs, dict) for k, v in fs.items()}
        else:
            cells = {f"{r}.{c}": v for r, cs in (t.get("rows") or {}).items() for c, v in cs.items() if c != "change"}
        for k, v in cells.items():
            if isinstance(v, (int, float)) and v < 0:
                out.append({"id": f"nonnegative.{name}.{k}", "ok": False, "expected": ">= 0", "actual": v})
    return out
