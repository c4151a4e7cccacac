"""The archive's review page (``agencies.html``): one timeline per agency, a column per year.

Each year shows its reports (the primary first, linked to its review page, the other formats after it),
the cross-year checks that failed against the year before (enforced ones in red, reported ones in grey),
a gap where a year is missing, and the share of sentences copied from the agency's previous report.
"""
from __future__ import annotations

import json
from collections import defaultdict

from .page import CSS, _e, relative_href

TIMELINE_CSS = """
table.timeline td { vertical-align: top; min-width: 9em; }
table.timeline td.gap { background: repeating-linear-gradient(45deg, #fff, #fff 6px, #eee 6px, #eee 12px); }
.fmt { display: inline-block; padding: 0 .3em; margin: 1px; border: 1px solid #999; border-radius: 3px; font-size: 85%; }
.fmt.primary { border-color: #225; font-weight: bold; }
.xfail { color: #b00; font-size: 85%; } .xnote { color: #777; font-size: 85%; } .copy { color: #a60; font-size: 85%; }
"""


def render_agencies(tables: dict[str, list[dict]], href_of: dict[str, str]) -> str:
    """``tables`` from :func:`gongkai.archive.build`; ``href_of`` maps a report's SHA-256 to its review page."""
    by_agency: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for r in tables["agencies"]:
        by_agency[r["agency_key"]][r["year"]].append(r)
    notes: dict[tuple, list[str]] = defaultdict(list)
    for c in tables["cross_year_checks"]:
        if c["ok"] is False:
            cls = "xfail" if c["enforced"] else "xnote"
            notes[(c["agency_key"], c["year"])].append(
                f"<div class='{cls}' title='{_e(c['reason'] or '')}'>{_e(c['check_id'].removeprefix('cross_year.'))}: "
                f"{_e(c['actual'])} ≠ {_e(c['expected'])}</div>")
    for r in tables["reuse"]:
        if r["share"]:
            spans = "\n".join(sp["text"] for sp in json.loads(r["spans"]))
            notes[(r["agency_key"], r["year"])].append(
                f"<div class='copy' title='{_e(spans)}'>copied {r['share']:.0%} ({r['copied']}/{r['sentences']} sentences) "
                f"from {r['last_year']}</div>")
    blocks = []
    for key in sorted(by_agency, key=str):
        years = by_agency[key]
        dated = sorted(y for y in years if y is not None)
        span = list(range(dated[0], dated[-1] + 1)) if dated else []
        head = "".join(f"<th>{y}</th>" for y in span) + ("<th>no year</th>" if None in years else "")
        cells = []
        for y in span + ([None] if None in years else []):
            if y not in years:
                cells.append("<td class='gap'>no report</td>")
                continue
            reps = "".join(
                f"<a class='fmt{' primary' if r['primary'] else ''}' href='{_e(relative_href(href_of[r['report']]))}' "
                f"title='{_e(r['path'])}'>{_e(r['format'])}</a>" if r["report"] in href_of else
                f"<span class='fmt'>{_e(r['format'])}</span>" for r in years[y])
            cells.append(f"<td>{reps}{''.join(notes[(key, y)])}</td>")
        aliases = years[dated[0]][0]["aliases"] if dated else None
        blocks.append(f"<h2>{_e(key)}</h2>" + (f"<p>also printed as {_e(aliases)}</p>" if aliases else "")
                      + f"<table class='timeline'><thead><tr>{head}</tr></thead><tbody><tr>{''.join(cells)}</tr></tbody></table>")
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>gongkai: agencies</title>"
            f"<style>{CSS}{TIMELINE_CSS}</style></head><body><h1>{len(by_agency)} agencies</h1>"
            "<p><a href='index.html'>all reports</a>. Bold: the primary report of a year; red: a cross-year check "
            "that failed; grey: a reported, unenforced one; orange: text copied from the previous report (hover for it).</p>"
            + "".join(blocks) + "</body></html>")
