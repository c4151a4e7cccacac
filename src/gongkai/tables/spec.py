"""The template spec: what the standard statistical tables are, read from ``templates.json``.

Every table consumer reads the tables through this module: extraction (row and column
labels, template markers, where a table starts), checks (the consistency rules), export
and scoring (the cells of a table), the review pages and the generator (the official
printed layout), the gold writer and the tests.  Nothing else defines a row, a column or
a rule.  A new template year, or a changed row, is an edit of the data file.

``current()`` is the spec in use; ``use(spec)`` swaps in another one for a block (tests
register a modified spec this way), and ``GONGKAI_TEMPLATES=FILE`` points a process at
another data file.
"""
from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

Cell = tuple[str, int, int]  # (text, rowspan, colspan) of an origin cell of a printed grid


@dataclass(frozen=True)
class Column:
    key: str
    match: re.Pattern[str]
    signed: bool = False  # may be negative (本年增/减): exempt from the non-negativity check
    decimal: bool = False  # an amount: decimals allowed, a cell in 元 is read as 万元


@dataclass(frozen=True)
class Rule:
    """A consistency rule: ``column_sums`` adds rows per column, ``row_sums`` adds columns per row."""
    id: str  # with {column} or {row} standing for where it is applied
    kind: str
    left: tuple[str, ...] | str  # keys, or the name of a set (only the members the report has)
    right: tuple[str, ...]
    highlight: str = "right"  # which operands a review page marks when the rule fails: right or both


@dataclass
class TableSpec:
    name: str
    section: str  # the report section the table is printed in
    title: str
    output: str  # "rows": {"rows": {row: {col: v}}}; "groups": {row: {col: v}} at the top level
    enter: re.Pattern[str]
    enter_from: dict[str, re.Pattern[str]]
    markers: dict[str, re.Pattern[str] | None]  # template → what in a header shows it
    rows: dict[str, re.Pattern[str]]
    columns: dict[str, Column]
    sets: dict[str, tuple[str, ...]]
    rules: list[Rule]
    layout: dict[str, Any]

    @property
    def templates(self) -> list[str]:
        return list(self.markers)

    # -- rows and columns by template ---------------------------------------------------------
    def _in(self, item: dict, template: str) -> bool:
        return template in item.get("only", self.templates)

    def __post_init__(self) -> None:
        # rows and columns by template, worked out once from the layout
        self._rows = {t: self._layout_rows(t) for t in self.templates}
        self._cols = {(t, r): self._layout_columns(t, r) for t in self.templates for r in self.rows}

    def row_keys(self, template: str) -> list[str]:
        """The rows of ``template``, in printed order."""
        return list(self._rows[template]) if template in self._rows else self._layout_rows(template)

    def columns_for(self, template: str, row: str) -> list[str] | None:
        """The columns of ``row`` in ``template`` (None: the template has no such row)."""
        if (template, row) in self._cols:
            cols = self._cols[(template, row)]
            return None if cols is None else list(cols)
        return self._layout_columns(template, row)

    def _layout_rows(self, template: str) -> list[str]:
        kind = self.layout["kind"]
        if kind == "blocks":
            return [r["key"] for b in self.layout["blocks"] if self._in(b, template) for r in b["rows"]]
        if kind == "tree":
            return [r["key"] for r in self.layout["rows"] if self._in(r, template)]
        return list(self.rows)

    def _layout_columns(self, template: str, row: str) -> list[str] | None:
        if self.layout["kind"] == "blocks":
            for b in self.layout["blocks"]:
                if self._in(b, template) and any(r["key"] == row for r in b["rows"]):
                    return list(b["columns"])
            return None
        return list(self.columns) if row in self._layout_rows(template) else None

    def order(self) -> list[str]:
        """Every row key in the order of the spec (printed order, then the rest)."""
        seen: list[str] = []
        for t in self.templates:
            seen += [k for k in self.row_keys(t) if k not in seen]
        return seen + [k for k in self.rows if k not in seen]

    def set_rows(self, name_or_keys: tuple[str, ...] | str, present) -> tuple[list[str], bool]:
        """Rows an operand list names and whether all must be present (a key list) or some (a set)."""
        if isinstance(name_or_keys, str):
            return [k for k in self.sets[name_or_keys] if k in present], False
        return list(name_or_keys), True

    @property
    def flat_size(self) -> int:
        """Cells of a ``flat`` table (all of them printed in one row)."""
        return len(self.rows) * len(self.columns)

    # -- labels -------------------------------------------------------------------------------
    def classify_row(self, label: str) -> str | None:
        """The row whose pattern match ends last in ``label`` (ties: the longer match)."""
        return _classify(label, self.rows.items())

    def header_columns(self, label: str) -> list[str]:
        """The columns a header label names, in the order it names them."""
        found = []
        for key, col in self.columns.items():
            m = col.match.search(label)
            if m:
                found.append((m.start(), key))
        return list(dict.fromkeys(k for _, k in sorted(found)))

    def marked_template(self, label: str) -> str | None:
        return next((t for t, m in self.markers.items() if m is not None and m.search(label)), None)

    def row_rule(self) -> Rule | None:
        """The ``row_sums`` rule that holds for every row (it constrains how glued digits split)."""
        return next((r for r in self.rules if r.kind == "row_sums"), None)

    # -- the printed form ---------------------------------------------------------------------
    def grid(self, template: str, value: Callable[[str, str], str]) -> list[list[Cell]]:
        """The official printed layout of ``template``: rows of origin cells ``(text, rowspan,
        colspan)`` in reading order; ``value(row, column)`` writes a value cell."""
        kind = self.layout["kind"]
        if kind == "blocks":
            return self._grid_blocks(template, value)
        if kind == "tree":
            return self._grid_tree(template, value)
        return self._grid_flat(value)

    def _grid_blocks(self, template: str, value) -> list[list[Cell]]:
        width = int(self.layout["width"])
        g: list[list[Cell]] = []
        for b in self.layout["blocks"]:
            if not self._in(b, template):
                continue
            g.append([(b["title"], 1, width)])
            g.append(_fill([(h, 1, 1) for h in b["header"]], width))
            for r in b["rows"]:
                g.append(_fill([(r["label"], 1, 1)] + [(value(r["key"], c), 1, 1) for c in b["columns"]], width))
        return g

    def _grid_tree(self, template: str, value) -> list[list[Cell]]:
        depth = int(self.layout["label_width"])
        rows = [r for r in self.layout["rows"] if self._in(r, template)]
        g: list[list[Cell]] = [[(t, rs, cs) for t, rs, cs in row] for row in self.layout["header"]]
        for n, r in enumerate(rows):
            path = r["path"]
            cells: list[Cell] = []
            for i, text in enumerate(path):
                if i < len(path) - 1:
                    if n and rows[n - 1]["path"][: i + 1] == path[: i + 1]:
                        continue  # merged into the cell above
                    span = sum(1 for _ in _run(rows[n:], path[: i + 1]))
                    cells.append((text, span, 1))
                else:
                    cells.append((text, 1, depth - i))
            g.append(cells + [(value(r["key"], c), 1, 1) for c in self.columns])
        return g

    def _grid_flat(self, value) -> list[list[Cell]]:
        g: list[list[Cell]] = [[(t, rs, cs) for t, rs, cs in row] for row in self.layout["header"]]
        g.append([(value(r, c), 1, 1) for r in self.rows for c in self.columns])
        return g

    # -- rules ----------------------------------------------------------------------------------
    def check_cells(self, check_id: str) -> list[str] | None:
        """The cells ``row.column`` a review page marks when check ``check_id`` of this table fails."""
        for rule in self.rules:
            pat = re.escape(rule.id).replace(r"\{column\}", "(?P<column>.+)").replace(r"\{row\}", "(?P<row>.+)")
            m = re.fullmatch(pat, check_id)
            if not m:
                continue
            if rule.kind == "column_sums":
                col = m.group("column")
                rows = list(rule.right) + (list(rule.left) if rule.highlight == "both" and not isinstance(rule.left, str) else [])
                return [f"{r}.{col}" for r in rows]
            row = m.group("row")
            cols = list(rule.right) + (list(rule.left) if rule.highlight == "both" and not isinstance(rule.left, str) else [])
            return [f"{row}.{c}" for c in cols]
        return None


def _run(rows: list[dict], prefix: list[str]) -> Iterator[dict]:
    for r in rows:
        if r["path"][: len(prefix)] != prefix:
            return
        yield r


def _fill(cells: list[Cell], width: int) -> list[Cell]:
    """Widen the last cell to the table's width (a block with fewer columns)."""
    used = sum(c[2] for c in cells)
    if cells and used < width:
        text, rs, cs = cells[-1]
        cells[-1] = (text, rs, cs + width - used)
    return cells


def _classify(label: str, patterns) -> str | None:
    best, best_key = None, (-1, -1)
    for key, pat in patterns:
        for m in pat.finditer(label):
            k = (m.end(), m.end() - m.start())
            if k > best_key:
                best_key, best = k, key
    return best


@dataclass(frozen=True)
class ProseFigure:
    """A figure the prose states that table cell ``cell`` (``table.row.column``) holds."""
    cell: str
    subject: re.Pattern[str]  # what the quantity counts, as the prose names it
    units: tuple[str, ...]
    or_plus: str | None = None  # a cell the prose may have added in (受理 = new + carried over)
    note: str | None = None


@dataclass
class LegacySpec:
    """The statistics tables of pre-2019 reports: header words, value columns, units, indicators, rules."""
    title: str
    section: str
    header_label: re.Pattern[str]
    header_unit: re.Pattern[str]
    column: re.Pattern[str]  # a value column's header (2012年度, 历年累计, 年末统计 …)
    cumulative: re.Pattern[str]  # a column that accumulates over the years
    units: tuple[str, ...]  # longest first
    indicators: dict[str, re.Pattern[str]]
    rules: list[Rule]
    hints: list[ProseFigure]
    layouts: dict[str, dict]  # printed forms the generator draws (columns, unit column, rows)

    def column_roles(self, columns: list[str]) -> tuple[int | None, int | None]:
        """The index of the current-year column (the first that does not accumulate) and of the cumulative one."""
        cum = [bool(self.cumulative.search(c)) for c in columns]
        return next((i for i, x in enumerate(cum) if not x), None), next((i for i, x in enumerate(cum) if x), None)

    def key(self, label: str) -> str | None:
        """The indicator key of a printed label (null when none is recognised)."""
        return _classify(label, self.indicators.items())

    def rows_named(self, left: tuple[str, ...] | str, keys) -> list[str]:
        """The keys an operand names: listed keys, or every key with the given prefix."""
        if isinstance(left, str):
            return [k for k in keys if k and k.startswith(left)]
        return list(left)


def _legacy(d: dict) -> LegacySpec:
    hints = [ProseFigure(h["cell"], re.compile(h["subject"]), ("条", "件", "个")) for h in d.get("prose_hints") or []]
    return LegacySpec(
        d["title"], d["section"], re.compile(d["header_label"]), re.compile(d["header_unit"]), re.compile(d["column"]),
        re.compile(d["cumulative"]), tuple(sorted(d["units"], key=len, reverse=True)),
        {k: re.compile(v) for k, v in d["indicators"].items()}, [_rule(r) for r in d["rules"]], hints,
        {k: v for k, v in (d.get("layouts") or {}).items() if not k.startswith("_")})


@dataclass(frozen=True)
class Term:
    """One signed cell of a cross-year rule: of this year's or last year's report, a row or a column fixed."""
    year: str  # "this" | "last"
    row: str | None = None
    column: str | None = None
    sign: int = 1


@dataclass(frozen=True)
class CrossYearRule:
    """``this`` compared with the sum of ``expected``, for each column of ``rows`` or each of ``rows``."""
    id: str
    table: str
    templates: tuple[str, ...]
    over: str  # "columns" | "rows"
    rows: tuple[str, ...]
    this: Term
    expected: tuple[Term, ...]
    enforced: bool
    note: str = ""

    def cells(self, spec: TemplateSpec, template: str) -> Iterator[tuple[str, dict[Term, tuple[str, str]]]]:
        """``(label, {term: (row, column)})`` for each comparison the rule makes in ``template``."""
        t = spec[self.table]
        terms = (self.this, *self.expected)
        if self.over == "columns":
            for col in t.columns_for(template, self.rows[0]) or []:
                yield col, {x: (x.row or self.rows[0], col) for x in terms}
        else:
            for row in self.rows:
                yield row, {x: (row, x.column or "") for x in terms}


def _term(d: dict) -> Term:
    return Term(d.get("year", "this"), d.get("row"), d.get("column"), int(d.get("sign", 1)))


def _cross_year(d: dict) -> list[CrossYearRule]:
    return [CrossYearRule(r["id"], r["table"], tuple(r["templates"]), r["over"], tuple(r["rows"]), _term(r["this"]),
                          tuple(_term(x) for x in r["expected"]), bool(r.get("enforced", True)), r.get("note", ""))
            for r in d.get("rules") or []]


@dataclass
class TemplateSpec:
    tables: dict[str, TableSpec] = field(default_factory=dict)
    context_order: list[str] = field(default_factory=list)
    source: str = ""
    hints: list[ProseFigure] = field(default_factory=list)  # choose among splits of glued digits
    prose_checks: list[ProseFigure] = field(default_factory=list)  # text.<cell> checks
    table_start: re.Pattern[str] = re.compile(r"(?!)")  # where a table starts in a crawler copy's running text
    legacy_table_start: re.Pattern[str] = re.compile(r"(?!)")
    ordinal_rows: tuple[str, ...] = ()  # how printed row labels that open with 一、… start (一、本年)
    table_sections: frozenset[str] = frozenset()  # sections in which a crawler copy's table may start
    legacy: LegacySpec | None = None
    cross_year: list[CrossYearRule] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: dict, source: str = "") -> TemplateSpec:
        tables = {name: _table(name, t) for name, t in data["tables"].items()}
        prose = data.get("prose") or {}
        units = tuple(prose.get("hint_units") or ())
        hints = [ProseFigure(h["cell"], re.compile(h["subject"]), units) for h in prose.get("hints") or []]
        checks = [ProseFigure(c["cell"], re.compile(c["subject"]), tuple(c["units"]), c.get("or_plus"), c.get("note"))
                  for c in prose.get("checks") or []]
        marks = data.get("text_markers") or {}
        return cls(tables, list(data.get("context_order") or tables), source, hints, checks,
                   re.compile(marks.get("table_start") or r"(?!)"), re.compile(marks.get("legacy_table_start") or r"(?!)"),
                   _ordinal_rows(tables.values()), frozenset(marks.get("sections") or ()),
                   _legacy(data["legacy"]) if data.get("legacy") else None, _cross_year(data.get("cross_year") or {}))

    def is_row_label(self, text: str) -> bool:
        """Whether ``text`` starts as a printed row label that opens with a section ordinal (一、本年新收…):
        a table row, not a section heading."""
        return bool(self.ordinal_rows) and text.lstrip().startswith(self.ordinal_rows)

    @classmethod
    def load(cls, path: str | Path | None = None) -> TemplateSpec:
        if path is None:
            text = resources.files(__package__).joinpath("templates.json").read_text("utf-8")
            return cls.from_dict(json.loads(text), "gongkai/tables/templates.json")
        return cls.from_dict(json.loads(Path(path).read_text("utf-8")), str(path))

    def cell(self, tables: dict, key: str) -> tuple[bool, int | float | None]:
        """Whether the output ``tables`` have the row of cell ``table.row.column``, and its value."""
        from .model import Table

        name, _, rest = key.partition(".")
        if name == "legacy":
            return self._legacy_cell(tables, rest)
        row, _, col = rest.rpartition(".")
        if name not in self.tables or not isinstance(tables.get(name), dict):
            return False, None
        t = Table.from_json(name, tables[name], self)
        if row not in t.rows:
            return False, None
        return True, t.rows[row].get(col)

    def _legacy_cell(self, tables: dict, key: str) -> tuple[bool, int | float | None]:
        """The current-year value of indicator ``key`` in a legacy statistics table."""
        t = tables.get("legacy")
        if self.legacy is None or not t:
            return False, None
        for table in t if isinstance(t, list) else [t]:
            cols = table.get("columns") or []
            cur = self.legacy.column_roles(cols)[0]
            for r in table.get("rows") or []:
                if r.get("key") == key and cur is not None:
                    vals = r.get("values") or []
                    return True, vals[cur] if cur < len(vals) else None
        return False, None

    def raw(self) -> dict:
        """The data file as loaded (a test edits a copy and registers it)."""
        if self.source.startswith("gongkai/"):
            return json.loads(resources.files(__package__).joinpath("templates.json").read_text("utf-8"))
        return json.loads(Path(self.source).read_text("utf-8"))

    def __getitem__(self, name: str) -> TableSpec:
        return self.tables[name]

    def check_cells(self, check_id: str) -> list[str]:
        """Cells ``table.row.column`` that a failed check names (for the review pages)."""
        table, _, rest = check_id.partition(".")
        if table in ("nonnegative", "text"):
            return [rest]
        t = self.tables.get(table)
        cells = t.check_cells(check_id) if t else None
        return [f"{table}.{c}" for c in cells or []]


def _ordinal_rows(tables) -> tuple[str, ...]:
    labels = []
    for t in tables:
        labels += [r["path"][0] for r in t.layout.get("rows", [])]
        labels += [r["label"] for b in t.layout.get("blocks", []) for r in b["rows"]]
    return tuple(sorted({lab[:4] for lab in labels if re.match(r"[一二三四五六七八九十]、", lab)}))


def _rule(d: dict) -> Rule:
    left = d["left"] if isinstance(d["left"], str) else tuple(d["left"])
    return Rule(d["id"], d["kind"], left, tuple(d["right"]), d.get("highlight", "right"))


def _table(name: str, t: dict) -> TableSpec:
    return TableSpec(
        name=name, section=t["section"], title=t["title"], output=t.get("output", "rows"), enter=re.compile(t["enter"]),
        enter_from={k: re.compile(v) for k, v in (t.get("enter_from") or {}).items()},
        markers={k: re.compile(v["marker"]) if v.get("marker") else None for k, v in t["templates"].items()},
        rows={k: re.compile(v["match"]) for k, v in t["rows"].items()},
        columns={k: Column(k, re.compile(v["match"]), bool(v.get("signed")), bool(v.get("decimal"))) for k, v in t["columns"].items()},
        sets={k: tuple(v) for k, v in (t.get("sets") or {}).items()},
        rules=[_rule(r) for r in t.get("rules") or []],
        layout=t["layout"],
    )


_CURRENT: list[TemplateSpec] = []


def current() -> TemplateSpec:
    """The spec in use: the one ``use`` set, else ``$GONGKAI_TEMPLATES``, else the shipped one."""
    if not _CURRENT:
        _CURRENT.append(TemplateSpec.load(os.environ.get("GONGKAI_TEMPLATES") or None))
    return _CURRENT[-1]


@contextmanager
def use(spec: TemplateSpec) -> Iterator[TemplateSpec]:
    """Use ``spec`` for the duration of a ``with`` block."""
    current()
    _CURRENT.append(spec)
    try:
        yield spec
    finally:
        _CURRENT.remove(spec)
