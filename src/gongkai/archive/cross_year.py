"""Checks across years: the spec's ``cross_year`` rules between an agency's report and its report of the
year before (the primary of each year).

Each result is shaped like a report's check (``id``, ``ok``, ``expected``, ``actual``, ``reason``) with the
agency, both years and both reports; ``enforced`` is false for a rule reported but never counted as a
failure.  A year missing from a series gives one ``cross_year.series_gap`` row (``ok`` null) and nothing is
compared across the gap.
"""
from __future__ import annotations

from ..tables.spec import CrossYearRule, TemplateSpec, current
from .identity import Entry, Series, number


def cross_year_checks(s: Series, spec: TemplateSpec | None = None) -> list[dict]:
    spec = spec or current()
    out: list[dict] = []
    for last_year, year, last, this in s.pairs():
        if year - last_year > 1:
            missing = ", ".join(str(y) for y in range(last_year + 1, year))
            out.append(_row(s, this, last, "cross_year.series_gap", None, None, None, True,
                            f"no report for {missing}: nothing compared across the gap"))
            continue
        for rule in spec.cross_year:
            out += _apply(rule, spec, s, this, last)
    return out


def _apply(rule: CrossYearRule, spec: TemplateSpec, s: Series, this: Entry, last: Entry) -> list[dict]:
    if this.template not in rule.templates or last.template not in rule.templates:
        return []
    out = []
    for label, cells in rule.cells(spec, this.template):
        vals = {}
        for term, (row, col) in cells.items():
            e = this if term.year == "this" else last
            vals[term] = e.cells.get(f"{rule.table}.{row}.{col}")
        check_id = f"cross_year.{rule.id}.{label}"
        if any(f"{rule.table}.{r}.{c}" not in (this if t.year == "this" else last).cells for t, (r, c) in cells.items()):
            continue  # a row or column the report's table does not have
        actual = vals[rule.this]
        parts = [vals[t] for t in rule.expected]
        if actual is None or any(v is None for v in parts):
            out.append(_row(s, this, last, check_id, None, None, actual, rule.enforced, "an operand is blank or unreadable"))
            continue
        expected = sum(t.sign * (v or 0) for t, v in zip(rule.expected, parts))
        ok = abs(expected - actual) < 1e-6
        out.append(_row(s, this, last, check_id, ok, number(expected), actual, rule.enforced,
                        None if ok or rule.enforced else "reported, not enforced: " + rule.note))
    return out


def _row(s: Series, this: Entry, last: Entry, check_id: str, ok: bool | None, expected, actual, enforced: bool,
         reason: str | None) -> dict:
    return {"agency_key": s.key, "year": this.year, "last_year": last.year, "report": this.report,
            "last_report": last.report, "check_id": check_id, "ok": ok, "expected": expected, "actual": actual,
            "enforced": enforced, "reason": reason}
