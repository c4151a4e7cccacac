"""Who published a report, and which reports are the same agency-year.

The agency key is the name as the report prints it (``meta.agency``), normalised: NFKC, no spaces or
brackets, ``…政府`` read as ``…人民政府``, a zone's ``管理委员会``/``管委会`` dropped.  Two keys that differ
only by a county turned district (``洪泽县…`` → ``淮安市洪泽区…``), one before and one after, in years that
do not overlap, are one agency: the later name is the key and the earlier one is kept as an alias.  A
user's own aliases (``{"alias": "key"}``) come first.

Reports of one agency-year (the same report as PDF and as a crawler's text copy) are grouped; the one
whose tables read best is primary (most cells read, fewest failed checks and table warnings; a grid
format over text whose digits run together), the others are linked to it.
"""
from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..tables.model import legacy_table_cells, tables_from_json

_SPACE_OR_BRACKETS = re.compile(r"\s+|[（(][^）)]*[）)]")
_ZONE_BOARD = re.compile(r"(区)(?:管理委员会|管委会)$")
_GOVERNMENT = re.compile(r"(?<!人民)政府(?=$|办公室|办公厅)")
_PREFECTURE = re.compile(r"^.{2,7}?(?:自治州|地区|盟|市|州)(?=.{1,8}?(?:自治县|县|区|旗))")
_COUNTY = re.compile(r"^(.{1,8}?)(自治县|县|区|旗)")
GRID_FORMATS = {"pdf": 2, "docx": 2, "doc": 2, "html": 1, "txt": 0}


def number(v: float) -> float | int:
    """A computed figure as the tables print it: an integer when it is one."""
    return int(v) if float(v).is_integer() else round(v, 6)


def agency_key(name: str | None) -> str:
    """The normalised agency name ('' when the report names none)."""
    if not name:
        return ""
    s = _SPACE_OR_BRACKETS.sub("", unicodedata.normalize("NFKC", name))
    s = _ZONE_BOARD.sub(r"\1", s)
    return _GOVERNMENT.sub("人民政府", s)


def rename_stem(key: str) -> tuple[str, str] | None:
    """``(stem, kind)`` of a key that names a county or district (``洪泽#人民政府``, ``县``), the prefecture
    dropped: two keys with the same stem and kinds 县 and 区 may be one agency renamed."""
    rest = _PREFECTURE.sub("", key, count=1)
    m = _COUNTY.match(rest)
    if not m or m.group(2) not in ("县", "区"):
        return None
    return m.group(1) + "#" + rest[m.end():], m.group(2)


@dataclass
class Entry:
    """What the archive keeps of one report: who, when, how well its tables read, its cells and sentences."""
    report: str  # the file's SHA-256
    path: str
    format: str
    agency: str  # as printed
    key: str
    year: int | None
    template: str
    region: dict
    cells: dict[str, float | int | None]  # table.row.column → value
    items: dict[str, float | int | None]
    paragraphs: list[tuple[str, str]]  # (id, text) of the prose paragraphs
    quality: tuple[int, int]


def _cells(tables: dict) -> dict[str, float | int | None]:
    out: dict[str, float | int | None] = {}
    for name, t in tables_from_json(tables).items():
        for k, v in t.flat().items():
            out[f"{name}.{k}"] = v
    for row, col, v in legacy_table_cells(tables):  # the export's keys: legacy.<indicator>.current|cumulative
        out.setdefault(f"legacy.{row}.{col}", v)
    return out


def _items(items: dict) -> dict[str, float | int | None]:
    return {k: v["value"] for k, v in items.items()
            if isinstance(v, dict) and isinstance(v.get("value"), (int, float)) and not isinstance(v.get("value"), bool)}


def entry_of(rep: dict) -> Entry:
    meta, src = rep.get("meta") or {}, rep.get("source") or {}
    cells = _cells(rep.get("tables") or {})
    failed = sum(1 for c in rep.get("checks") or [] if c.get("ok") is False)
    table_warnings = sum(1 for w in rep.get("warnings") or [] if str(w.get("code", "")).startswith("table."))
    read = sum(1 for v in cells.values() if v is not None)
    fmt = src.get("format") or ""
    return Entry(
        report=src.get("sha256") or "", path=src.get("path") or "", format=fmt, agency=meta.get("agency") or "",
        key=agency_key(meta.get("agency")), year=meta.get("year"), template=meta.get("template") or "",
        region=meta.get("region") or {}, cells=cells, items=_items(rep.get("items") or {}),
        paragraphs=[(p["id"], p["text"]) for p in rep.get("paragraphs") or [] if not p.get("heading")],
        quality=(read - 5 * failed - 3 * table_warnings, GRID_FORMATS.get(fmt, 0)),
    )


@dataclass
class Series:
    """One agency's reports, year by year: ``years[y]`` the primary report first, then the others."""
    key: str
    aliases: list[str] = field(default_factory=list)
    years: dict[int, list[Entry]] = field(default_factory=dict)
    undated: list[Entry] = field(default_factory=list)

    def sorted_years(self) -> list[int]:
        return sorted(self.years)

    def pairs(self) -> Iterator[tuple[int, int, Entry, Entry]]:
        """``(last_year, year, last, this)``: each year's primary with the primary of the year before it in the
        series (which may be earlier than the calendar year before: the caller decides what a gap means)."""
        years = self.sorted_years()
        for last_year, year in zip(years, years[1:]):
            yield last_year, year, self.years[last_year][0], self.years[year][0]

    def names(self) -> tuple[str, ...]:
        """Every name the agency goes by (key, aliases, as printed), longest first."""
        return tuple(sorted({self.key, *self.aliases, *(e.agency for g in self.years.values() for e in g)},
                            key=len, reverse=True))

    def rows(self) -> list[dict]:
        """The ``agencies`` table rows: one per report."""
        out = []
        for year in self.sorted_years():
            group = self.years[year]
            for e in group:
                out.append(_row(self, e, year, e is group[0], group[0].report, len(group)))
        out += [_row(self, e, None, True, e.report, 1) for e in self.undated]
        return out


def _row(s: Series, e: Entry, year: int | None, primary: bool, primary_report: str, copies: int) -> dict:
    return {"report": e.report, "path": e.path, "format": e.format, "agency": e.agency, "agency_key": s.key,
            "aliases": "、".join(s.aliases) or None, "province": e.region.get("province"), "city": e.region.get("city"),
            "county": e.region.get("county"), "year": year, "template": e.template, "primary": primary,
            "primary_report": primary_report, "copies": copies, "quality": e.quality[0]}


def _renamings(entries: list[Entry]) -> dict[str, str]:
    """Old key → new key for counties turned districts: same stem, 县 years all before 区 years."""
    years: dict[str, set[int]] = defaultdict(set)
    for e in entries:
        if e.year is not None:
            years[e.key].add(e.year)
    by_stem: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for key in years:
        st = rename_stem(key)
        if st:
            by_stem[st[0]][st[1]].append(key)
    out = {}
    for kinds in by_stem.values():
        if len(kinds.get("县", [])) == 1 and len(kinds.get("区", [])) == 1:
            old, new = kinds["县"][0], kinds["区"][0]
            if max(years[old]) < min(years[new]):
                out[old] = new
    return out


def series_of(reports: Iterable[dict | Entry], aliases: dict[str, str]) -> list[Series]:
    """The reports as series, one per agency key, in key order; each agency-year's primary first."""
    entries = [r if isinstance(r, Entry) else entry_of(r) for r in reports]
    user = {agency_key(k): agency_key(v) for k, v in aliases.items()}
    for e in entries:
        e.key = user.get(e.key, e.key)
    renamed = _renamings(entries)
    series: dict[str, Series] = {}
    for e in entries:
        key = renamed.get(e.key, e.key) or f"(agency not named: {e.report[:12]})"  # never one series of strangers
        s = series.setdefault(key, Series(key))
        if e.key != key and e.key not in s.aliases:
            s.aliases.append(e.key)
        if e.year is None:
            s.undated.append(e)
        else:
            s.years.setdefault(e.year, []).append(e)
    for s in series.values():
        for group in s.years.values():
            group.sort(key=lambda e: (-e.quality[0], -e.quality[1], e.path))
    return [series[k] for k in sorted(series)]
