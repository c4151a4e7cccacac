"""Assemble tables 2, 3 and 4 from the records of a document's table blocks.

Rows are matched by their labels (``labels.json``), never by counting numbers:
a row the report lacks is absent, an unknown row is kept under ``extra_rows``.
Each table carries the template its own labels show.
"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field
from importlib import resources

from ..document import Block
from . import glued
from .numbers import parse_cell
from .records import Record, records_from_block

LABELS = json.loads(resources.files(__package__).joinpath("labels.json").read_text("utf-8"))
T2 = LABELS["proactive"]
T3 = LABELS["requests"]
T4 = LABELS["appeals"]
T2_ROWS = [(k, re.compile(p)) for k, p in T2["rows"].items()]
T3_ROWS = [(k, re.compile(p)) for k, p in T3["rows"].items()]
T2_COLS = [(k, re.compile(p)) for k, p in T2["column_labels"].items()]
T2_MARK = {t: re.compile(p) for t, p in T2["template_markers"].items()}
T3_COLS: list[str] = T3["columns"]
T4_HEADER = re.compile(T4["header"])
CTX_PROACTIVE = re.compile(r"第二十条|信息内容")
CTX_REQUESTS = re.compile(r"申请人情况|自然人|本年新收|勾稽关系")
AMOUNT_COLS = {"amount_wan_yuan"}


@dataclass
class TablesResult:
    tables: dict = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)
    template: str | None = None

    def warn(self, code: str, message: str, **extra) -> None:
        self.warnings.append({"code": code, "message": message, **extra})


def classify(label: str, patterns) -> str | None:
    best = None
    best_key = (-1, -1)
    for key, pat in patterns:
        for m in pat.finditer(label):
            k = (m.end(), m.end() - m.start())
            if k > best_key:
                best_key, best = k, key
    return best


def _header_columns(label: str) -> list[str]:
    found = []
    for key, pat in T2_COLS:
        for m in pat.finditer(label):
            found.append((m.start(), key))
            break
    found.sort()
    cols = []
    for _, k in found:
        if k not in cols:
            cols.append(k)
    return cols


def _with_hints(sols: list[tuple], cols: list[str], key: str, hints: dict) -> list[tuple]:
    """Keep the splits that agree with figures the prose states (a hint the splits contradict is ignored)."""
    idx = [(i, hints[f"{key}.{c}"]) for i, c in enumerate(cols) if f"{key}.{c}" in hints]
    if not idx or len(sols) < 2:
        return sols
    kept = [s for s in sols if all(abs(s[i] - v) < 1e-9 for i, v in idx)]
    return kept or sols


def extract(blocks: list[Block], hints: dict | None = None) -> TablesResult:
    """Tables 2, 3 and 4 from the table blocks.  ``hints`` maps 'table.row.col' to figures the
    prose states; they only choose among splits of glued digits that the rules already allow."""
    hints = hints or {}
    res = TablesResult()
    records: list[Record] = []
    for b in blocks:
        records.extend(records_from_block(b))
    ctx: str | None = None
    t2_template: str | None = None
    header_cols: list[str] | None = None
    t2_rows: dict[str, dict] = {}
    t3_rows: dict[str, dict] = {}
    t3_glued: dict[str, list[tuple]] = {}
    extra: dict[str, list] = {"proactive": [], "requests": []}
    appeals: dict | None = None
    blanks: dict[str, list[str]] = {"proactive": [], "requests": [], "appeals": []}

    pages: dict[str, set[int]] = {"proactive": set(), "requests": set(), "appeals": set()}
    for rec in records:
        L = rec.label
        if T4_HEADER.search(L) and (ctx != "requests" or "行政复议" in L or "结果维持" in L):
            ctx = "appeals"
        elif CTX_REQUESTS.search(L):
            ctx = "requests"
        elif CTX_PROACTIVE.search(L):
            ctx = "proactive"
        if ctx in pages and rec.page is not None:
            pages[ctx].add(rec.page)
        for t, pat in T2_MARK.items():
            if ctx == "proactive" and pat.search(L):
                t2_template = t2_template or t
        if ctx == "proactive":
            cols = _header_columns(L)
            if cols and ("信息内容" in L or len(cols) >= 1 and not rec.values and rec.glued is None):
                header_cols = cols
        has_values = rec.glued is not None or any(v.strip() for v in rec.values) or (rec.values and L)
        if not has_values:
            continue
        nvals = len(rec.values)
        lone_row = not L and (nvals >= 15 or (rec.glued is not None and len(re.findall(r"\d+", rec.glued)) >= 15))
        if ctx == "appeals" or lone_row:
            if rec.glued is None and not any(v.strip() for v in rec.values):
                continue  # a header row with empty trailing cells
            if appeals is None:
                appeals = _appeals(rec, res, blanks["appeals"])
            continue
        key = None
        table = None
        if ctx is None:
            continue  # no standard-table header seen: a home-made (legacy) table
        if ctx == "requests":
            key = classify(L, T3_ROWS)
            table = "requests" if key else None
        if key is None and ctx == "proactive":
            key = classify(L, T2_ROWS)
            table = "proactive" if key else None
        if key is None:
            if ctx in ("proactive", "requests") and L and (rec.glued or any(v.strip() for v in rec.values)):
                vals = [parse_cell(v)[0] for v in rec.values] if rec.glued is None else [rec.glued.strip()]
                extra[ctx].append({"label": L, "values": vals})
            continue
        if table == "proactive":
            tmpl = t2_template or _guess_t2_template(key, rec)
            cols = T2["columns"].get(tmpl, {}).get(key)
            if cols is None:
                extra["proactive"].append({"label": L, "values": rec.values or [rec.glued]})
                continue
            if header_cols and len(header_cols) == len(cols) and set(header_cols) <= set(sum(T2["columns"][tmpl].values(), [])):
                cols = header_cols if _header_fits(header_cols, key, tmpl) else cols
            if key in t2_rows:
                res.warn("table.duplicate_row", f"proactive: row {key} appears twice; the first is kept")
                continue
            t2_rows[key] = _row_values(rec, cols, "proactive", key, res, blanks["proactive"], rule=None,
                                       hints={k[len("proactive."):]: v for k, v in hints.items() if k.startswith("proactive.")})
        else:
            if key in t3_rows:
                res.warn("table.duplicate_row", f"requests: row {key} appears twice; the first is kept")
                continue
            if rec.glued is not None:
                sols = glued.candidates(rec.glued, 7, rule=lambda v: sum(v[:6]) == v[6])
                sols = _with_hints(sols, T3_COLS, key, {k[len("requests."):]: v for k, v in hints.items() if k.startswith("requests.")})
                t3_glued[key] = sols
                t3_rows[key] = {"__raw__": rec.glued}
            else:
                t3_rows[key] = _row_values(rec, T3_COLS, "requests", key, res, blanks["requests"], rule=None)

    if t3_glued:
        _resolve_t3_glued(t3_rows, t3_glued, res)
    # a 2021 table whose （六）其他处理 group row was read as a row of blanks
    if "other" in t3_rows and any(k.startswith("other.") for k in t3_rows):
        if all(v is None for v in t3_rows["other"].values()):
            del t3_rows["other"]
    if t2_rows:
        t2_tmpl = t2_template or _guess_t2_template_rows(t2_rows)
        res.tables["proactive"] = {"template": t2_tmpl or "unknown", "rows": t2_rows}
        if extra["proactive"]:
            res.tables["proactive"]["extra_rows"] = extra["proactive"]
    if t3_rows:
        if any(k.startswith("other.") for k in t3_rows):
            t3t = "2021"
        elif "other" in t3_rows:
            t3t = "2019"
        else:
            t3t = t2_template or "unknown"
        res.tables["requests"] = {"template": t3t, "rows": {k: t3_rows[k] for k in _t3_order(t3_rows)}}
        if extra["requests"]:
            res.tables["requests"]["extra_rows"] = extra["requests"]
    t2t = res.tables.get("proactive", {}).get("template")
    t3t = res.tables.get("requests", {}).get("template")
    res.template = next((t for t in (t2t, t3t) if t in ("2019", "2021")), None)
    if appeals is not None:
        res.tables["appeals"] = {"template": res.template or "unknown", **appeals}
    for name, t in res.tables.items():
        if pages.get(name):
            t["pages"] = sorted(pages[name])  # the PDF pages the table was read from (review pages show them)
    for table, cells in blanks.items():
        if cells:
            res.warn("table.blank_cell", f"{table}: blank cells read as null: {', '.join(cells[:20])}" + (" …" if len(cells) > 20 else ""), table=table, cells=cells)
    return res


def _t3_order(rows: dict) -> list[str]:
    order = list(T3["rows"].keys())
    return sorted(rows, key=lambda k: order.index(k) if k in order else 999)


def _header_fits(header_cols, key, tmpl) -> bool:
    return set(header_cols) == set(T2["columns"][tmpl][key])


def _guess_t2_template(key: str, rec: Record) -> str:
    if key in ("other_services", "procurement"):
        return "2019"
    if key in ("licensing", "penalty", "coercion"):
        if rec.glued is None:
            return "2019" if len(rec.values) >= 3 else "2021"
    return "2021"


def _guess_t2_template_rows(rows: dict) -> str | None:
    cols = {c for r in rows.values() for c in r}
    if cols & {"published", "total_public", "previous_items", "projects"}:
        return "2019"
    if cols & {"repealed", "in_force"}:
        return "2021"
    return None


def _row_values(rec: Record, cols: list[str], table: str, key: str, res: TablesResult, blanks: list[str], rule, hints=None):
    n = len(cols)
    if rec.glued is not None:
        dec = frozenset(i for i, c in enumerate(cols) if c in AMOUNT_COLS)
        if n == 1:
            raw = re.sub(r"\s+", "", rec.glued)
            val, status = parse_cell(raw, amount=cols[0] in AMOUNT_COLS)
            if status == "blank":
                res.warn("table.blank_cell", f"{table}.{key}: the cell is blank", row=key)
            elif status != "ok":
                res.warn("table.unreadable_cell", f"{table}.{key}: cannot read {rec.glued!r}", raw=rec.glued)
            return {cols[0]: val}
        sols = glued.candidates(rec.glued, n, rule=rule, decimal_cols=dec)
        sols = _with_hints(sols, cols, key, hints or {})
        vals = glued.agree(sols, n)
        if len(sols) == 1 and None in sols[0]:
            res.warn("table.blank_cell", f"{table}.{key}: a cell is blank ({rec.glued.strip()!r})", row=key)
        elif any(v is None for v in vals):
            res.warn("table.ambiguous_digits", f"{table}.{key}: the glued digits {rec.glued.strip()!r} do not split into {n} cells in one way only", raw=rec.glued.strip(), row=key)
        return dict(zip(cols, vals))
    values = list(rec.values)
    # placeholders of merged cells come first (a colspan right of the label), blanks last
    while len(values) > n and values[0] == "":
        values.pop(0)
    while len(values) > n and not values[-1].strip():
        values.pop()
    if len(values) != n:
        res.warn("table.column_mismatch", f"{table}.{key}: {len(values)} cells where {n} were expected: {values}", row=key)
        return {c: None for c in cols}
    out = {}
    for c, v in zip(cols, values):
        val, status = parse_cell(v, amount=c in AMOUNT_COLS)
        if status == "blank":
            blanks.append(f"{key}.{c}")
        elif status == "unreadable":
            res.warn("table.unreadable_cell", f"{table}.{key}.{c}: cannot read {v!r}", raw=v)
        out[c] = val
    return out


def _holds(left: list, right: list) -> bool:
    """``sum(left) == sum(right)``, taken as holding where a blank cell leaves it unknown."""
    if None in left or None in right:
        return True
    return sum(left) == sum(right)


def _resolve_t3_glued(rows: dict, sols: dict[str, list[tuple]], res: TablesResult) -> None:
    """Narrow the per-row splits of glued table-3 rows with the column rules, then keep agreed cells."""
    fixed: dict[str, tuple] = {}
    for k, v in rows.items():
        if k not in sols:
            vals = tuple(v.get(c) for c in T3_COLS)
            if all(x is not None for x in vals):
                fixed[k] = vals
    ambiguous = [k for k, s in sols.items() if len(s) > 1]
    for k, s in sols.items():
        if len(s) == 1:
            fixed[k] = s[0]
    size = 1
    for k in ambiguous:
        size *= len(sols[k])
    present = set(rows)
    outcome = [k for k in T3["outcome_rows"] if k in present]
    if ambiguous and size <= 200000 and {"new", "carried_over", "total", "carried_forward"} <= present:
        keep: dict[str, set] = {k: set() for k in ambiguous}
        found = False
        for combo in itertools.product(*(sols[k] for k in ambiguous)):
            cur = dict(fixed)
            cur.update(zip(ambiguous, combo))
            if not all(k in cur for k in ("new", "carried_over", "total", "carried_forward") + tuple(outcome)):
                break
            ok = all(_holds([cur["new"][c], cur["carried_over"][c]], [cur["total"][c], cur["carried_forward"][c]]) for c in range(7))
            ok = ok and all(_holds([cur[k][c] for k in outcome], [cur["total"][c]]) for c in range(7))
            if ok:
                found = True
                for k, v in zip(ambiguous, combo):
                    keep[k].add(v)
        if found:
            for k in ambiguous:
                sols[k] = sorted(keep[k])
    for k, sol in sols.items():
        raw = rows[k]["__raw__"]
        agreed = glued.agree(sol, 7)
        if len(sol) == 1 and None in sol[0]:
            res.warn("table.blank_cell", f"requests.{k}: a cell is blank ({raw.strip()!r})", row=k)
        elif any(v is None for v in agreed):
            res.warn("table.ambiguous_digits", f"requests.{k}: the glued digits {raw.strip()!r} do not split into 7 cells in one way only", raw=raw.strip(), row=k)
        rows[k] = dict(zip(T3_COLS, agreed))


def _appeals(rec: Record, res: TablesResult, blanks: list[str]) -> dict:
    groups, fields = T4["groups"], T4["fields"]
    if rec.glued is not None:
        def rule(v):
            return all(sum(v[g * 5:g * 5 + 4]) == v[g * 5 + 4] for g in range(3))
        sols = glued.candidates(rec.glued, 15, rule=rule)
        vals = glued.agree(sols, 15)
        if len(sols) == 1 and None in sols[0]:
            res.warn("table.blank_cell", f"appeals: a cell is blank ({rec.glued.strip()!r})")
        elif any(v is None for v in vals):
            res.warn("table.ambiguous_digits", f"appeals: the glued digits {rec.glued.strip()!r} do not split into 15 cells in one way only", raw=rec.glued.strip())
    else:
        values = list(rec.values)
        while len(values) > 15 and not values[-1].strip():
            values.pop()
        if len(values) != 15:
            res.warn("table.column_mismatch", f"appeals: {len(values)} cells where 15 were expected")
            vals = [None] * 15
        else:
            vals = []
            for i, v in enumerate(values):
                val, status = parse_cell(v)
                if status == "blank":
                    blanks.append(f"{groups[i // 5]}.{fields[i % 5]}")
                elif status == "unreadable":
                    res.warn("table.unreadable_cell", f"appeals: cannot read {v!r}", raw=v)
                vals.append(val)
    return {g: {f: vals[gi * 5 + fi] for fi, f in enumerate(fields)} for gi, g in enumerate(groups)}
