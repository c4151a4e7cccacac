"""The archive as a whole: the reports of a batch read as series, one per agency.

* :mod:`.identity`: a normalised agency key (name variants, 县→区 renamings kept as aliases), the
  reports of one agency-year grouped, the one with the best tables chosen as primary.
* :mod:`.cross_year`: the spec's ``cross_year`` rules between an agency's consecutive years
  (``cross_year.*``, shaped like a report's checks); a missing year is reported, never compared across.
* :mod:`.changes`: every canonical cell and numeric item with last year's value and the change.
* :mod:`.reuse`: the share of a report's sentences found in the same agency's previous report, with
  the copied spans; sentences of the template and sentences many agencies print are not counted.

:func:`build` runs them all over report dicts (a batch's ``reports.jsonl``) and returns the four tables
``agencies``, ``cross_year_checks``, ``year_over_year`` and ``reuse`` as lists of rows.
"""
from __future__ import annotations

from collections.abc import Iterable

from .changes import year_over_year
from .cross_year import cross_year_checks
from .identity import Entry, Series, entry_of, series_of
from .reuse import reuse

SCHEMAS = {
    "agencies": [("report", "string"), ("path", "string"), ("format", "string"), ("agency", "string"),
                 ("agency_key", "string"), ("aliases", "string"), ("province", "string"), ("city", "string"),
                 ("county", "string"), ("year", "int64"), ("template", "string"), ("primary", "bool"),
                 ("primary_report", "string"), ("copies", "int64"), ("quality", "int64")],
    "cross_year_checks": [("agency_key", "string"), ("year", "int64"), ("last_year", "int64"), ("report", "string"),
                          ("last_report", "string"), ("check_id", "string"), ("ok", "bool"), ("expected", "float64"),
                          ("actual", "float64"), ("enforced", "bool"), ("reason", "string")],
    "year_over_year": [("agency_key", "string"), ("year", "int64"), ("report", "string"), ("last_report", "string"),
                       ("kind", "string"), ("key", "string"), ("value", "float64"), ("last_value", "float64"),
                       ("change", "float64")],
    "reuse": [("agency_key", "string"), ("year", "int64"), ("report", "string"), ("last_year", "int64"),
              ("last_report", "string"), ("sentences", "int64"), ("copied", "int64"), ("share", "float64"),
              ("spans", "string")],
}
TABLES = tuple(SCHEMAS)


def build(reports: Iterable[dict | Entry], aliases: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """The four archive tables of these reports (a batch's records, or their :class:`Entry`)."""
    series = series_of(reports, aliases or {})
    return {
        "agencies": [row for s in series for row in s.rows()],
        "cross_year_checks": [row for s in series for row in cross_year_checks(s)],
        "year_over_year": [row for s in series for row in year_over_year(s)],
        "reuse": reuse(series),
    }


__all__ = ["SCHEMAS", "TABLES", "Entry", "Series", "build", "entry_of", "series_of"]
