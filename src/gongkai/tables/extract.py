"""Assemble the standard tables from the records of a document's table blocks, by the spec.

Two stages: a context tracker follows which table the records belong to (a table starts
where a label shows its header, ``enter`` in the spec), and one builder per table turns
its records into a :class:`~gongkai.tables.model.Table`.  Rows are matched by their labels,
never by counting numbers: a row the report lacks is absent, an unknown row is kept under
``extra_rows``.  Each table carries the template its own labels show.  Digits glued
together are split only where the spec's rules force one split (:mod:`.glued`).
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..document import Block
from ..numbers import parse_cell
from . import glued, legacy, uncertain
from .model import Table
from .records import Record, records_from_block
from .spec import Rule, TableSpec, TemplateSpec, current

MAX_COMBINATIONS = 200_000  # joint splits of ambiguous glued rows tried against the column rules


@dataclass
class TablesResult:
    tables: dict = field(default_factory=dict)  # output JSON, by table name
    warnings: list[dict] = field(default_factory=list)
    template: str | None = None

    def warn(self, code: str, message: str, **extra) -> None:
        self.warnings.append({"code": code, "message": message, **extra})


def _has_values(rec: Record) -> bool:
    return rec.glued is not None or any(v.strip() for v in rec.values) or bool(rec.values and rec.label)


def _digit_count(rec: Record) -> int:
    return len(re.findall(r"\d+", rec.glued)) if rec.glued is not None else len(rec.values)


class Context:
    """Which table the records belong to, from the labels that start a table."""

    def __init__(self, spec: TemplateSpec):
        self.spec = spec
        self.current: str | None = None

    def step(self, label: str) -> str | None:
        for name in self.spec.context_order:
            t = self.spec[name]
            if t.enter.search(label):
                guard = t.enter_from.get(self.current or "")
                if guard is None or guard.search(label):
                    self.current = name
                    break
        return self.current


class Builder:
    """The records of one table, turned into a :class:`Table` by :meth:`finish`."""

    def __init__(self, spec: TableSpec, res: TablesResult, hints: dict):
        self.spec = spec
        self.res = res
        self.hints = {k[len(spec.name) + 1:]: v for k, v in hints.items() if k.startswith(spec.name + ".")}
        self.pages: set[int] = set()
        self.blanks: list[str] = []
        self.uncertain: dict[str, uncertain.Uncertain] = {}  # "row.col" → an OCR reading too unsure to take
        self.ocr_confidence: dict[str, float] = {}  # "row.col" → OCR confidence of every OCR'd cell

    def header(self, rec: Record) -> None:
        """Note what a record in this table's context says about its header (template, columns)."""

    def add(self, rec: Record) -> None:
        raise NotImplementedError

    def finish(self, default_template: str | None) -> Table | None:
        raise NotImplementedError

    def warn_blanks(self) -> None:
        if self.blanks:
            cells = self.blanks
            self.res.warn("table.blank_cell", f"{self.spec.name}: blank cells read as null: {', '.join(cells[:20])}"
                          + (" …" if len(cells) > 20 else ""), table=self.spec.name, cells=cells)

    def read_cell(self, text: str, row: str, col: str, ocr: tuple[float, list[str]] | None = None):
        """One printed cell as a number (blank → null, listed; unreadable → null, warned; an OCR reading below
        :data:`uncertain.MIN_CONFIDENCE` → null, its readings kept for the rules to choose from)."""
        decimal = self.spec.columns[col].decimal
        if ocr is not None:
            self.ocr_confidence[f"{row}.{col}"] = round(ocr[0], 4)
        if ocr is not None and ocr[0] < uncertain.MIN_CONFIDENCE:
            self.uncertain[f"{row}.{col}"] = uncertain.Uncertain(text, ocr[0], uncertain.candidates([text, *ocr[1]], decimal))
            return None
        val, status = parse_cell(text, amount=decimal)
        if status == "blank":
            self.blanks.append(f"{row}.{col}")
        elif status == "unreadable":
            self.res.warn("table.unreadable_cell", f"{self.spec.name}.{row}.{col}: cannot read {text!r}", raw=text)
        return val

    def split(self, raw: str, n: int, rule: Rule | None, cols: list[str], hint_row: str | None):
        """The splits of a glued digit run into ``n`` cells that ``rule`` (row sums) allows."""
        dec = frozenset(i for i, c in enumerate(cols) if self.spec.columns[c].decimal)
        sols = glued.candidates(raw, n, rule=_row_rule(rule, cols, n), decimal_cols=dec)
        return _with_hints(sols, cols, hint_row, self.hints) if hint_row else sols

    def warn_split(self, where: str, raw: str, sols: list[tuple], vals: list, n: int, **extra) -> None:
        if len(sols) == 1 and None in sols[0]:
            self.res.warn("table.blank_cell", f"{where}: a cell is blank ({raw.strip()!r})", **extra)
        elif any(v is None for v in vals):
            self.res.warn("table.ambiguous_digits", f"{where}: the glued digits {raw.strip()!r} do not split into {n} cells "
                          "in one way only", raw=raw.strip(), **extra)


class RowsBuilder(Builder):
    """A table printed one row per key (tables 2 and 3)."""

    def __init__(self, spec: TableSpec, res: TablesResult, hints: dict):
        super().__init__(spec, res, hints)
        self.template: str | None = None  # as a header marker shows it
        self.header_cols: list[str] | None = None
        self.rows: dict[str, dict] = {}
        self.glued: dict[str, tuple[str, list[str], list[tuple]]] = {}  # row → raw, columns, splits
        self.extra: list[dict] = []

    def header(self, rec: Record) -> None:
        self.template = self.template or self.spec.marked_template(rec.label)
        cols = self.spec.header_columns(rec.label)
        header_label = self.spec.layout.get("header_label")  # only where each block prints its own columns
        if header_label and cols and (header_label in rec.label or (not rec.values and rec.glued is None)):
            self.header_cols = cols

    def add(self, rec: Record) -> None:
        key = self.spec.classify_row(rec.label)
        cols = self._columns(key, rec) if key else None
        if key is None or cols is None:
            if rec.label and (rec.glued or any(v.strip() for v in rec.values)):
                vals = [parse_cell(v)[0] for v in rec.values] if rec.glued is None else [rec.glued.strip()]
                self.extra.append({"label": rec.label, "values": vals})
            return
        if key in self.rows:
            self.res.warn("table.duplicate_row", f"{self.spec.name}: row {key} appears twice; the first is kept")
            return
        if rec.glued is not None:
            self.rows[key] = self._glued_row(key, rec.glued, cols)
        else:
            self.rows[key] = self._grid_row(key, rec.values, cols, rec.ocr)

    def _columns(self, key: str, rec: Record) -> list[str] | None:
        template = self.template or self._guess(key, rec)
        cols = self.spec.columns_for(template, key) if template else None
        if cols and self.header_cols and sorted(self.header_cols) == sorted(cols):
            return list(self.header_cols)  # the printed order
        return cols

    def _guess(self, key: str, rec: Record) -> str | None:
        """The template of a row before any header marker: the only one that has it, else the one
        with the most columns the row's cells can fill, else the first."""
        cands = [t for t in self.spec.templates if self.spec.columns_for(t, key) is not None]
        if len(cands) <= 1 or rec.glued is not None:
            return cands[0] if cands else None
        fits = [t for t in cands if len(self.spec.columns_for(t, key) or []) <= len(rec.values)]
        return max(fits, key=lambda t: len(self.spec.columns_for(t, key) or [])) if fits else cands[0]

    def _grid_row(self, key: str, values: list[str], cols: list[str], ocr: list | None = None) -> dict:
        n = len(cols)
        a, b = 0, len(values)
        # placeholders of merged cells come first (a colspan right of the label), blanks last
        while b - a > n and values[a] == "":
            a += 1
        while b - a > n and not values[b - 1].strip():
            b -= 1
        if b - a != n:
            self.res.warn("table.column_mismatch", f"{self.spec.name}.{key}: {b - a} cells where {n} were expected: {values[a:b]}", row=key)
            return {c: None for c in cols}
        conf = (ocr or [None] * len(values))[a:b]
        return {c: self.read_cell(v, key, c, o) for c, v, o in zip(cols, values[a:b], conf)}

    def _glued_row(self, key: str, raw: str, cols: list[str]) -> dict:
        if len(cols) == 1:
            val, status = parse_cell(re.sub(r"\s+", "", raw), amount=self.spec.columns[cols[0]].decimal)
            if status == "blank":
                self.res.warn("table.blank_cell", f"{self.spec.name}.{key}: the cell is blank", row=key)
            elif status != "ok":
                self.res.warn("table.unreadable_cell", f"{self.spec.name}.{key}: cannot read {raw!r}", raw=raw)
            return {cols[0]: val}
        self.glued[key] = (raw, cols, self.split(raw, len(cols), self.spec.row_rule(), cols, key))
        return {c: None for c in cols}

    def finish(self, default_template: str | None) -> Table | None:
        if self.glued:
            self._resolve_glued()
        if not self.rows:
            return None
        template = self.template or _template_of(self.spec, self.rows) or default_template or "unknown"
        known = set(self.spec.row_keys(template)) if template in self.spec.templates else set(self.rows)
        for k in [k for k in self.rows if k not in known and all(v is None for v in self.rows[k].values())]:
            del self.rows[k]  # a group row of another template read as a row of blanks
        order = self.spec.order()
        rows = {k: self.rows[k] for k in sorted(self.rows, key=lambda k: order.index(k) if k in order else len(order))}
        self.warn_blanks()
        return Table(self.spec.name, template, rows, self.extra, sorted(self.pages))

    def _resolve_glued(self) -> None:
        """Narrow the splits of glued rows with the column rules, then keep the cells all splits agree on."""
        fixed = {k: tuple(v.get(c) for c in self.spec.columns) for k, v in self.rows.items()
                 if k not in self.glued and all(v.get(c) is not None for c in self.spec.columns)}
        sols = {k: s for k, (_, _, s) in self.glued.items()}
        fixed.update({k: s[0] for k, s in sols.items() if len(s) == 1})
        ambiguous = [k for k, s in sols.items() if len(s) > 1]
        rules = [r for r in self.spec.rules if r.kind == "column_sums"]
        if ambiguous and rules:
            _narrow(self.spec, rules, sols, fixed, ambiguous, set(self.rows))
        for k, (raw, cols, _) in self.glued.items():
            vals = glued.agree(sols[k], len(cols))
            self.warn_split(f"{self.spec.name}.{k}", raw, sols[k], vals, len(cols), row=k)
            self.rows[k] = dict(zip(cols, vals))


class FlatBuilder(Builder):
    """A table printed as one row of every cell (table 4): the first such row is read."""

    def __init__(self, spec: TableSpec, res: TablesResult, hints: dict):
        super().__init__(spec, res, hints)
        self.rows: dict[str, dict] | None = None

    def add(self, rec: Record) -> None:
        if self.rows is not None or (rec.glued is None and not any(v.strip() for v in rec.values)):
            return  # read already, or a header row with empty trailing cells
        keys, cols = list(self.spec.rows), list(self.spec.columns)
        n = len(keys) * len(cols)
        if rec.glued is not None:
            sols = self.split(rec.glued, n, self.spec.row_rule(), cols * len(keys), None)
            vals = glued.agree(sols, n)
            self.warn_split(self.spec.name, rec.glued, sols, vals, n)
        else:
            values = list(rec.values)
            while len(values) > n and not values[-1].strip():
                values.pop()
            if len(values) != n:
                self.res.warn("table.column_mismatch", f"{self.spec.name}: {len(values)} cells where {n} were expected")
                vals = [None] * n
            else:
                ocr = rec.ocr or [None] * n
                vals = [self.read_cell(v, keys[i // len(cols)], cols[i % len(cols)], ocr[i]) for i, v in enumerate(values)]
        self.rows = {k: {c: vals[i * len(cols) + j] for j, c in enumerate(cols)} for i, k in enumerate(keys)}

    def finish(self, default_template: str | None) -> Table | None:
        if self.rows is None:
            return None
        self.warn_blanks()
        return Table(self.spec.name, default_template or "unknown", self.rows, [], sorted(self.pages))


def _row_rule(rule: Rule | None, cols: list[str], n: int):
    """``rule`` (a row sum) as a test of one split of ``n`` cells laid out as ``cols`` (repeated)."""
    if rule is None or not set(rule.left) | set(rule.right) <= set(cols):
        return None
    width = len(dict.fromkeys(cols))
    idx = {c: i for i, c in enumerate(cols[:width])}
    left = [idx[c] for c in rule.left]
    right = [idx[c] for c in rule.right]

    def holds(v: tuple) -> bool:
        return all(sum(v[o + i] for i in left) == sum(v[o + i] for i in right) for o in range(0, n, width))
    return holds


def _holds(left: list, right: list) -> bool:
    """``sum(left) == sum(right)``, taken as holding where a blank cell leaves it unknown."""
    if None in left or None in right:
        return True
    return sum(left) == sum(right)


def _narrow(spec: TableSpec, rules: list[Rule], sols: dict, fixed: dict, ambiguous: list[str], present: set[str]) -> None:
    """Keep the splits of ambiguous rows that some joint choice satisfying every column rule uses."""
    operands = []
    for r in rules:
        left, need_all = spec.set_rows(r.left, present)
        if (need_all and not set(left) <= present) or not set(r.right) <= present or not left:
            return
        operands.append((left, list(r.right)))
    needed = {k for left, right in operands for k in left + right}
    size = 1
    for k in ambiguous:
        size *= len(sols[k])
    if size > MAX_COMBINATIONS or not needed <= set(fixed) | set(ambiguous):
        return
    keep: dict[str, set] = {k: set() for k in ambiguous}
    ncols = len(spec.columns)
    for combo in itertools.product(*(sols[k] for k in ambiguous)):
        cur = dict(fixed)
        cur.update(zip(ambiguous, combo))
        if all(_holds([cur[k][c] for k in left], [cur[k][c] for k in right]) for left, right in operands for c in range(ncols)):
            for k, v in zip(ambiguous, combo):
                keep[k].add(v)
    if all(keep.values()):
        for k in ambiguous:
            sols[k] = sorted(keep[k])


def _template_of(spec: TableSpec, rows: dict[str, dict]) -> str | None:
    """The template whose own rows and cells (those another template lacks) the table shows most."""
    scores = {}
    for t in spec.templates:
        others = [o for o in spec.templates if o != t]
        n = 0
        for r, cols in rows.items():
            mine = spec.columns_for(t, r)
            if mine is None:
                continue
            n += any(spec.columns_for(o, r) is None for o in others)
            n += sum(1 for c in cols if c in mine and any(c not in (spec.columns_for(o, r) or []) for o in others))
        scores[t] = n
    best = max(scores.values(), default=0)
    winners = [t for t, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _with_hints(sols: list[tuple], cols: list[str], key: str, hints: dict) -> list[tuple]:
    """Keep the splits that agree with figures the prose states (a hint the splits contradict is ignored)."""
    idx = [(i, hints[f"{key}.{c}"]) for i, c in enumerate(cols) if f"{key}.{c}" in hints]
    if not idx or len(sols) < 2:
        return sols
    kept = [s for s in sols if all(abs(s[i] - v) < 1e-9 for i, v in idx)]
    return kept or sols


def extract(blocks: list[Block], hints: dict | None = None, spec: TemplateSpec | None = None) -> TablesResult:
    """The standard tables from the table blocks.  ``hints`` maps 'table.row.col' to figures the
    prose states; they only choose among splits of glued digits that the rules already allow."""
    spec = spec or current()
    res = TablesResult()
    builders: dict[str, Builder] = {
        name: (FlatBuilder if t.layout["kind"] == "flat" else RowsBuilder)(t, res, hints or {}) for name, t in spec.tables.items()}
    flat = next((name for name, t in spec.tables.items() if t.layout["kind"] == "flat"), None)
    ctx = Context(spec)
    for b in blocks:
        if legacy.is_legacy(b):
            continue  # a pre-2019 statistics table: read by .legacy
        for rec in records_from_block(b):
            name = ctx.step(rec.label)
            if name and rec.page is not None:
                builders[name].pages.add(rec.page)
            if name:
                builders[name].header(rec)
            if not _has_values(rec):
                continue
            if flat and not rec.label and _digit_count(rec) >= spec[flat].flat_size:
                name = flat  # a lone row of every cell of the flat table, wherever it stands
            if name:
                builders[name].add(rec)
    template: str | None = None
    for name, builder in sorted(builders.items(), key=lambda nb: isinstance(nb[1], FlatBuilder)):  # flat tables take the others' template
        table = builder.finish(template)
        if table is None:
            continue
        if builder.uncertain:
            res.warnings.extend(uncertain.resolve(spec[name], table, builder.uncertain))
        table.ocr_confidence = {k: v for k, v in builder.ocr_confidence.items() if k.rsplit(".", 1)[0] in table.rows}
        if table.template in spec[name].templates and not isinstance(builder, FlatBuilder):
            template = template or table.template
        res.tables[name] = table
    res.template = template
    res.tables = {name: t.to_json(spec) for name, t in res.tables.items()}
    old, warnings = legacy.read(blocks, hints)
    res.warnings.extend(warnings)
    if old:
        res.tables["legacy"] = old[0] if len(old) == 1 else old
        res.template = res.template or "legacy"
    return res
