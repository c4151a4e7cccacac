"""Year over year: every canonical table cell and numeric item of an agency's report next to the same
cell of its report of the year before (primaries of consecutive years only; no change across a gap)."""
from __future__ import annotations

from .identity import Series, number


def year_over_year(s: Series) -> list[dict]:
    out: list[dict] = []
    for last_year, year, last, this in s.pairs():
        if year - last_year > 1:
            continue
        for kind, now, before in (("cell", this.cells, last.cells), ("item", this.items, last.items)):
            for key, value in now.items():
                if key not in before:
                    continue
                prev = before[key]
                change = None if value is None or prev is None else number(value - prev)
                out.append({"agency_key": s.key, "year": year, "report": this.report, "last_report": last.report,
                            "kind": kind, "key": key, "value": value, "last_value": prev, "change": change})
    return out
