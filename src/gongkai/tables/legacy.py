"""The statistics tables of pre-2019 reports (…政府信息公开情况统计表), by the spec's ``legacy`` part.

Such a table has a header 指标名称 / 计量单位 / value columns (2012年度, 历年累计, 年末统计 …) and one
row per indicator (主动公开信息数, 其中：1.网站公开, 受理依申请公开信息总数 …), in layouts that vary by
province and year.  It is read from a grid (HTML, DOCX, PDF) or from text whose cells run together
with spaces, line breaks or nothing at all.  Each row keeps its label and unit as printed, its values
by column (blank = null) and a canonical ``key`` where the label is recognised.

Digits glued together are split only where the answer is forced: per row a cumulative column is at
least the current one, the prose's own figures choose among splits, and the rules across rows (the
request channels add up to the requests received, the answers to the answered total, a channel is
at most the total) keep only the splits some consistent choice uses.  A cell left undecided is null
with a ``table.ambiguous_digits`` warning, never a guess.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace

from ..document import Block
from ..numbers import parse_cell
from . import glued
from .records import glued_records, norm_label
from .spec import LegacySpec, Rule, current

MAX_COMBINATIONS = 100_000


@dataclass
class Row:
    label: str
    unit: str | None
    sols: list[tuple]  # the splits still possible (one for a grid row)
    raw: str | None = None  # glued digits as printed
    key: str | None = None


@dataclass
class LegacyTable:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    trailing: str = ""  # text after the table's last row (a signature, a date): not a row
    uncertain: list[tuple[str, int, str, float]] = field(default_factory=list)  # OCR'd cells left null: row, column, text, confidence

    def to_json(self) -> dict:
        n = len(self.columns)
        return {"template": "legacy", "columns": self.columns,
                "rows": [{"key": r.key, "label": r.label, "unit": r.unit, "values": glued.agree(r.sols, n) if r.sols else [None] * n}
                         for r in self.rows]}


def is_legacy(block: Block) -> bool:
    """A table block that starts with a legacy header (指标名称 …)."""
    spec = current().legacy
    if spec is None or not block.rows:
        return False
    if block.glued:
        return bool(spec.header_label.search(unicodedata.normalize("NFKC", block.rows[0][0].text)[:80]))
    return any(spec.header_label.search(norm_label(c.text)) for row in block.rows[:3] for c in row)


def read(blocks: list[Block], hints: dict | None = None) -> tuple[list[dict], list[dict]]:
    """Every legacy table of ``blocks`` (output JSON) and the warnings."""
    spec = current().legacy
    if spec is None:
        return [], []
    tables, warnings = [], []
    for b in blocks:
        if not is_legacy(b):
            continue
        t = _from_text(spec, b.rows[0][0].text) if b.glued else _from_grid(spec, b)
        if t is None or not t.rows:
            continue
        for r in t.rows:
            r.key = spec.key(r.label)
        _apply_hints(spec, t, hints or {})
        _narrow(spec, t)
        out = t.to_json()
        for r, row in zip(t.rows, out["rows"]):
            if r.raw is not None and any(v is None for v in row["values"]) and not (len(r.sols) == 1 and None in r.sols[0]):
                warnings.append({"code": "table.ambiguous_digits", "raw": r.raw.strip(),
                                 "message": f"legacy.{r.label}: the glued digits {r.raw.strip()!r} do not split into "
                                            f"{len(t.columns)} cells in one way only"})
        for label, k, text, conf in t.uncertain:
            warnings.append({"code": "table.ocr_uncertain", "raw": text, "cell": f"legacy.{label}.{t.columns[k]}",
                             "message": f"legacy.{label}.{t.columns[k]}: OCR read {text!r} at confidence {conf:.2f}; left null"})
        if t.trailing.strip():
            warnings.append({"code": "table.trailing_text", "text": t.trailing.strip(),
                             "message": f"text after the statistics table's last row: {t.trailing.strip()[:80]!r}"})
        tables.append(out)
    return tables, warnings


def split_trailing_text(blocks: list[Block]) -> list[Block]:
    """``blocks`` with the text around a glued legacy table taken out of the table block into paragraphs
    of its own: a caption run on before its header (附表：…统计表), and what follows its last row (a
    signature, a date)."""
    spec = current().legacy
    out: list[Block] = []
    for b in blocks:
        raw = b.rows[0][0].text if b.glued and b.rows and b.rows[0] else ""
        text = unicodedata.normalize("NFKC", raw)
        t = _from_text(spec, raw, values=False) if spec is not None and raw and is_legacy(b) else None
        head = spec.header_label.search(text) if spec is not None and t is not None else None
        if t is None or head is None or len(text) != len(raw):
            out.append(b)
            continue
        begin, cut = head.start(), len(raw) - len(t.trailing)
        base = b.start
        if raw[:begin].strip():
            out.append(_paragraph(raw, 0, begin, b))
        out.append(replace(b, rows=[[replace(b.rows[0][0], text=raw[begin:cut].strip())]],
                           start=None if base is None else base + begin, end=None if base is None else base + cut))
        if raw[cut:].strip():
            out.append(_paragraph(raw, cut, len(raw), b))
    return out


def _paragraph(raw: str, a: int, b: int, block: Block) -> Block:
    seg = raw[a:b]
    lead = len(seg) - len(seg.lstrip())
    start = None if block.start is None else block.start + a + lead
    return Block("paragraph", text=seg.strip(), page=block.page, start=start,
                 end=None if start is None else start + len(seg.strip()))


# ---- reading ---------------------------------------------------------------------------------

def _header(spec: LegacySpec, text: str) -> tuple[int, bool, list[str]] | None:
    """End of the header, whether it has a unit column, and the value columns it names."""
    m = spec.header_label.search(text)
    if not m:
        return None
    pos = m.end()
    sp = re.compile(r"\s*")
    pos = sp.match(text, pos).end()  # type: ignore[union-attr]
    um = spec.header_unit.match(text, pos)
    if um:
        pos = sp.match(text, um.end()).end()  # type: ignore[union-attr]
    columns = []
    while True:
        cm = spec.column.match(text, pos)
        if not cm:
            break
        columns.append(re.sub(r"\s+", "", cm.group()))
        pos = sp.match(text, cm.end()).end()  # type: ignore[union-attr]
    return pos, um is not None, columns


def _split_unit(spec: LegacySpec, label: str) -> tuple[str, str | None]:
    unit = next((u for u in spec.units if label.endswith(u) and len(label) > len(u)), None)
    return (label[: -len(unit)], unit) if unit else (label, None)


def _cum_rule(columns: list[str], spec: LegacySpec):
    a, b = spec.column_roles(columns)
    if a is None or b is None:
        return None

    def holds(v: tuple) -> bool:
        return v[a] is None or v[b] is None or v[b] >= v[a]
    return holds


def _from_text(spec: LegacySpec, raw: str, values: bool = True) -> LegacyTable | None:
    """The table in ``raw`` (a glued block's text); ``values=False`` finds only its rows and where it ends."""
    text = unicodedata.normalize("NFKC", raw)
    head = _header(spec, text)
    if head is None:
        return None
    pos, has_unit, columns = head
    records = glued_records(text[pos:])
    if not columns:  # no value-column header: as many columns as the first row has numbers
        first = next((r.glued for r in records if r.glued), "") or ""
        columns = [f"列{i + 1}" for i in range(max(1, len(first.split())))]
    rule = _cum_rule(columns, spec)
    t = LegacyTable(columns)
    for rec in records:
        label, unit = _split_unit(spec, rec.label) if has_unit else (rec.label, None)
        if (has_unit and unit is None) or (not has_unit and rec.glued is None) or not label:
            t.trailing = text[pos + rec.start:]
            break
        sols = glued.candidates(rec.glued, len(columns), rule=rule) if rec.glued is not None and values else [tuple([None] * len(columns))]
        t.rows.append(Row(label, unit, sols, rec.glued))
    return t


def _from_grid(spec: LegacySpec, block: Block) -> LegacyTable | None:
    from .uncertain import MIN_CONFIDENCE

    cells_of = [[c for c in row if not c.covered] for row in block.rows]
    rows = [[norm_label(c.text) for c in row] for row in cells_of]
    h = next((i for i, r in enumerate(rows) if any(spec.header_label.search(c) for c in r)), None)
    if h is None:
        return None
    header = rows[h]
    unit_col = next((i for i, c in enumerate(header) if spec.header_unit.fullmatch(c)), None)
    value_cols = [i for i, c in enumerate(header) if spec.column.fullmatch(c) and i != unit_col]
    n = len(value_cols) or 1
    t = LegacyTable([header[i] for i in value_cols] or ["列1"])
    for cells, raw in zip(rows[h + 1:], cells_of[h + 1:]):
        if not any(cells):
            continue
        for k, c in enumerate(raw[-n:]):
            if c.confidence is not None and c.confidence < MIN_CONFIDENCE and len(cells) > n:
                t.uncertain.append((cells[0], k, c.text, c.confidence))
                cells[len(cells) - n + k] = ""  # never a guess: blank, warned
        short = len(cells) <= n  # fewer cells than a label and its values: which value is which is unknown
        values = cells[-n:]
        rest = cells[:1] if short else cells[: len(cells) - n]
        unit = rest.pop() if unit_col is not None and len(rest) > 1 else None
        label = "".join(rest)
        if not label:
            continue
        parsed = tuple([None] * n) if short else tuple(parse_cell(v)[0] for v in values)
        t.rows.append(Row(label, unit or None, [parsed]))
    return t


# ---- deciding glued digits -------------------------------------------------------------------

def _apply_hints(spec: LegacySpec, t: LegacyTable, hints: dict) -> None:
    """Keep the splits that agree with a figure the prose states for the current column."""
    cur = spec.column_roles(t.columns)[0]
    if cur is None:
        return
    for r in t.rows:
        v = hints.get(f"legacy.{r.key}")
        if v is None or len(r.sols) < 2:
            continue
        kept = [s for s in r.sols if s[cur] is not None and abs(s[cur] - v) < 1e-9]
        r.sols = kept or r.sols


def _holds(rule: Rule, combo: tuple, n: int) -> bool:
    """Whether one choice of splits (the whole row first, then its parts) keeps ``rule`` in every column."""
    whole, parts = combo[0], combo[1:]
    for c in range(n):
        if whole[c] is None or any(p[c] is None for p in parts):
            continue
        if rule.kind == "column_sums" and sum(p[c] for p in parts) != whole[c]:
            return False
        if rule.kind == "column_parts" and any(p[c] > whole[c] for p in parts):
            return False
    return True


def _groups(spec: LegacySpec, t: LegacyTable):
    keys = [r.key for r in t.rows]
    for rule in spec.rules:
        if rule.kind not in ("column_sums", "column_parts"):
            continue
        right = next((r for r in t.rows if r.key in rule.right), None)
        names = set(spec.rows_named(rule.left, keys)) - set(rule.right)
        left = [r for r in t.rows if r.key in names]
        if right is not None and left:
            yield rule, right, left


def _narrow(spec: LegacySpec, t: LegacyTable) -> None:
    """Keep the splits of each row that some choice satisfying every rule across rows uses (to a fixpoint)."""
    n = len(t.columns)
    changed = True
    while changed:
        changed = False
        for rule, right, left in _groups(spec, t):
            group = [right] + left
            size = 1
            for r in group:
                size *= len(r.sols)
            if size == 1 or size > MAX_COMBINATIONS:
                continue
            keep: list[set] = [set() for _ in group]
            for combo in itertools.product(*(r.sols for r in group)):
                if _holds(rule, combo, n):
                    for i, s in enumerate(combo):
                        keep[i].add(s)
            if all(keep):
                for r, k in zip(group, keep):
                    if len(k) < len(r.sols):
                        r.sols = sorted(k, key=lambda s: tuple(-1 if x is None else x for x in s))
                        changed = True


# ---- checks ----------------------------------------------------------------------------------

def checks(tables: dict) -> list[dict]:
    """The legacy rules over the output's ``tables.legacy`` (one table or a list)."""
    spec = current().legacy
    t = (tables or {}).get("legacy")
    if spec is None or not t:
        return []
    out: list[dict] = []
    for table in t if isinstance(t, list) else [t]:
        out.extend(_table_checks(spec, table))
    return out


def _table_checks(spec: LegacySpec, table: dict) -> list[dict]:
    rows = [r for r in table.get("rows") or [] if r.get("key")]
    columns = table.get("columns") or []
    by_key: dict[str, dict] = {}
    for r in rows:
        by_key.setdefault(r["key"], r)
    out: list[dict] = []
    for rule in spec.rules:
        if rule.kind == "cumulative":
            out.extend(_cumulative(spec, rule, table))
            continue
        whole = next((by_key[k] for k in rule.right if k in by_key), None)
        parts = [by_key[k] for k in spec.rows_named(rule.left, list(by_key)) if k not in rule.right]
        if whole is None or not parts:
            continue
        for c, col in enumerate(columns):
            w = whole["values"][c] if c < len(whole["values"]) else None
            vals = [p["values"][c] if c < len(p["values"]) else None for p in parts]
            if rule.kind == "column_sums":
                known = [float(v) for v in vals if v is not None]
                if w is None or len(known) < len(vals):
                    out.append({"id": rule.id.format(column=col), "ok": None, "expected": None, "actual": w,
                                "reason": "an operand is blank or unreadable"})
                else:
                    out.append({"id": rule.id.format(column=col), "ok": abs(sum(known) - w) < 1e-6,
                                "expected": sum(known), "actual": w})
            else:
                for p, v in zip(parts, vals):
                    if w is not None and v is not None and v > w:
                        out.append({"id": rule.id.format(row=p["key"], column=col), "ok": False, "expected": f"<= {w}", "actual": v})
    return out


def _cumulative(spec: LegacySpec, rule: Rule, table: dict) -> list[dict]:
    columns = table.get("columns") or []
    cur, cum = spec.column_roles(columns)
    if cum is None or cur is None:
        return []
    out = []
    for r in table.get("rows") or []:
        v = r.get("values") or []
        a, b = (v[cur] if cur < len(v) else None), (v[cum] if cum < len(v) else None)
        if a is not None and b is not None and b < a:
            out.append({"id": rule.id.format(row=r.get("key") or r.get("label")), "ok": False, "expected": f">= {a}", "actual": b})
    return out
