"""Year over year: every canonical table cell and numeric item of an agency's report next to the same
cell of its report of the year before (primaries of consecutive years only; no change across a gap)."""
from __future__ import annotations

from .identity import Series


def year_over_year(s: Series) -> list[dict]:
    out: list[dict] = []
    years = s.sorted_years()
    for last_year, year in zip(years, years[1:]):
        if year - last_year > 1:
            continue
        this, last = s.primary(year), s.primary(last_year)
        assert this is not None and last is not None
        for kind, now, before in (("cell", this.cells, last.cells), ("item", this.items, last.items)):
            for key, value in now.items():
                if key not in before:
                    continue
                prev = before[key]
                change = None if value is None or prev is None else _num(value - prev)
                out.append({"agency_key": s.key, "year": year, "report": this.report, "last_report": last.report,
                            "kind": kind, "key": key, "value": value, "last_value": prev, "change": change})
    return out


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else round(v, 6)
