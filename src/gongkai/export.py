"""Export a batch (``DIR/reports.jsonl``) to Parquet, CSV, Excel or DuckDB.

CSV files are UTF-8 with a byte-order mark (Excel on a Chinese Windows reads them without
mojibake); ``xlsx`` is one workbook with a sheet per table; every column has one type.

Tables (long format, one row per fact), and ``reports_wide``:

* ``reports``: report, path, sha256, format, pages, title, agency, year, template,
  province, city, county, n_paragraphs, checks_failed, checks_undecided, warnings,
  producer_version, producer_model, producer_model_sha256, producer_segmenter (what made the record)
* ``paragraphs``: report, idx, id, section, confidence, by, heading, page, text
* ``table_cells``: report, table_name, row_key, column_key, value, template (a legacy statistics
  table as ``legacy``: row_key its indicator key or ``label:…``, column_key ``current``/``cumulative``)
* ``checks``: report, check_id, ok, expected, actual, reason
* ``items``: report, item, value (a number), text (names, or the item as JSON where it is not one
  figure: accounts, leading group), unit, approx, paragraph, start, end
* ``quantities``: report, subject, value, unit, approx, paragraph, start, end

* ``reports_wide``: one row per report: producer, meta, check and warning counts, every table
  cell as a ``table.row.column`` column (``requests.new.total``) and the named items as typed
  columns (``website_posts``, ``wechat_posts``, ``processing_fee_yuan`` …).

``report`` is the file's SHA-256, the key that joins them.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from .archive import SCHEMAS as ARCHIVE_SCHEMAS
from .tables.model import legacy_table_cells, tables_from_json

SCHEMAS = {
    "reports": [("report", "string"), ("path", "string"), ("sha256", "string"), ("format", "string"), ("pages", "int64"),
                ("title", "string"), ("agency", "string"), ("year", "int64"), ("template", "string"), ("province", "string"),
                ("city", "string"), ("county", "string"), ("n_paragraphs", "int64"), ("checks_failed", "int64"),
                ("checks_undecided", "int64"), ("warnings", "int64"), ("producer_version", "string"), ("producer_model", "string"),
                ("producer_model_sha256", "string"), ("producer_segmenter", "string"), ("published", "string"),
                ("ocr_pages", "int64")],
    "paragraphs": [("report", "string"), ("idx", "int64"), ("id", "string"), ("section", "string"), ("confidence", "float64"),
                   ("by", "string"), ("heading", "bool"), ("page", "int64"), ("text", "string"), ("ocr_confidence", "float64")],
    "table_cells": [("report", "string"), ("table_name", "string"), ("row_key", "string"), ("column_key", "string"),
                    ("value", "float64"), ("template", "string"), ("ocr_confidence", "float64")],
    "checks": [("report", "string"), ("check_id", "string"), ("ok", "bool"), ("expected", "string"), ("actual", "string"),
               ("reason", "string")],
    "items": [("report", "string"), ("item", "string"), ("value", "float64"), ("text", "string"), ("unit", "string"), ("approx", "bool"),
              ("paragraph", "string"), ("start", "int64"), ("end", "int64")],
    "quantities": [("report", "string"), ("subject", "string"), ("value", "float64"), ("unit", "string"), ("approx", "bool"),
                   ("paragraph", "string"), ("start", "int64"), ("end", "int64")],
}


def rows_of(rep: dict) -> dict[str, list[dict]]:
    key = rep["source"]["sha256"]
    m = rep["meta"]
    reg = m.get("region") or {}
    checks = rep.get("checks") or []
    prod = rep.get("producer") or {}  # records written before 0.2 have none
    out: dict[str, list[dict]] = {k: [] for k in SCHEMAS}
    out["reports"].append({
        "report": key, "path": rep["source"]["path"], "sha256": key, "format": rep["source"]["format"],
        "pages": rep["source"].get("pages"), "title": m.get("title"), "agency": m.get("agency"), "year": m.get("year"),
        "template": m.get("template"), "province": reg.get("province"), "city": reg.get("city"), "county": reg.get("county"),
        "n_paragraphs": len(rep.get("paragraphs") or []), "checks_failed": sum(1 for c in checks if c.get("ok") is False),
        "checks_undecided": sum(1 for c in checks if c.get("ok") is None), "warnings": len(rep.get("warnings") or []),
        **{f"producer_{k}": prod.get(k) for k in ("version", "model", "model_sha256", "segmenter")},
        "published": m.get("published"), "ocr_pages": len(rep["source"].get("ocr_pages") or []),
    })
    for i, p in enumerate(rep.get("paragraphs") or []):
        out["paragraphs"].append({"report": key, "idx": i, "id": p["id"], "section": p["section"], "confidence": p["confidence"],
                                  "by": p["by"], "heading": p["heading"], "page": p.get("page"), "text": p["text"],
                                  "ocr_confidence": p.get("ocr_confidence")})
    for tname, t in tables_from_json(rep.get("tables") or {}).items():
        for r, c, v in t.cells():
            out["table_cells"].append({"report": key, "table_name": tname, "row_key": r, "column_key": c,
                                       "value": None if v is None else float(v), "template": t.template,
                                       "ocr_confidence": t.ocr_confidence.get(f"{r}.{c}")})
    for r, c, v in legacy_table_cells(rep.get("tables") or {}):
        out["table_cells"].append({"report": key, "table_name": "legacy", "row_key": r, "column_key": c,
                                   "value": None if v is None else float(v), "template": "legacy", "ocr_confidence": None})
    for c in checks:
        out["checks"].append({"report": key, "check_id": c["id"], "ok": c.get("ok"), "expected": _s(c.get("expected")),
                              "actual": _s(c.get("actual")), "reason": c.get("reason")})
    for name, it in (rep.get("items") or {}).items():
        if name == "leading_groups":
            continue  # the first is `leading_group`; the list is kept in the JSON
        if name == "quantities":
            for q in it:
                out["quantities"].append({"report": key, **{k: q.get(k) for k in ("subject", "value", "unit", "approx", "paragraph", "start", "end")}})
                out["quantities"][-1]["value"] = float(q["value"])
            continue
        ev = it.get("evidence") or {}
        val: float | None = None
        text: str | None = None
        unit = approx = None
        if "value" in it:
            val = None if it["value"] is None else float(it["value"])
            unit, approx = it.get("unit"), it.get("approx")
        elif name in ("wechat", "weibo"):
            val = None if it.get("posts") is None else float(it["posts"])
            unit = "条" if val is not None else None
            text = json.dumps({k: it.get(k) for k in ("accounts", "account_count", "posts", "followers")}, ensure_ascii=False)
        else:
            text = json.dumps({k: v for k, v in it.items() if k != "evidence"}, ensure_ascii=False)
        out["items"].append({"report": key, "item": name, "value": val, "text": text, "unit": unit, "approx": approx,
                             "paragraph": ev.get("paragraph"), "start": ev.get("start"), "end": ev.get("end")})
    return out


# the named items as typed columns of reports_wide: column, dotted path in ``items``, type
WIDE_ITEMS = [
    ("website_posts", "website_posts.value", "float64"), ("press_conferences", "press_conferences.value", "float64"),
    ("policy_interpretations", "policy_interpretations.value", "float64"),
    ("processing_fee_yuan", "processing_fee_yuan.value", "float64"),
    ("new_media_accounts", "new_media_accounts.value", "float64"), ("new_media_closed", "new_media_accounts.closed", "float64"),
    ("wechat_account_count", "wechat.account_count", "float64"), ("wechat_posts", "wechat.posts", "float64"),
    ("wechat_followers", "wechat.followers", "float64"), ("weibo_account_count", "weibo.account_count", "float64"),
    ("weibo_posts", "weibo.posts", "float64"), ("leading_group_leader", "leading_group.leader.name", "string"),
    ("leading_group_leader_title", "leading_group.leader.title", "string"),
]
WIDE_FIXED = [c for c, _ in SCHEMAS["reports"] if c not in ("report",)]


def _path(obj, dotted: str):
    for part in dotted.split("."):
        obj = obj.get(part) if isinstance(obj, dict) else None
    return obj


def wide_row(rep: dict, long_rows: dict[str, list[dict]]) -> dict:
    """One report as one row: the ``reports`` columns, every table cell, the named items."""
    row = dict(long_rows["reports"][0])
    for c in long_rows["table_cells"]:
        row[f"{c['table_name']}.{c['row_key']}.{c['column_key']}"] = c["value"]
    for col, path, typ in WIDE_ITEMS:
        v = _path(rep.get("items") or {}, path)
        row[col] = (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None) if typ == "float64" else v
    return row


def _s(v) -> str | None:
    return None if v is None else (v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))


def load(batch_dir: str | Path, aliases: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """Every table of a batch: the reports' own, ``reports_wide`` and the archive's (:mod:`gongkai.archive`)."""
    from . import archive

    path = Path(batch_dir) / "reports.jsonl"
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file (run gongkai batch first)")
    tables: dict[str, list[dict]] = {k: [] for k in SCHEMAS}
    tables["reports_wide"] = []
    entries = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                rep = json.loads(line)
            except ValueError:
                continue
            long_rows = rows_of(rep)
            for k, rows in long_rows.items():
                tables[k].extend(rows)
            tables["reports_wide"].append(wide_row(rep, long_rows))
            entries.append(archive.entry_of(rep))
    tables.update(archive.build(entries, aliases))
    return tables


def wide_schema(rows: list[dict]) -> list[tuple[str, str]]:
    """The columns of reports_wide: the reports columns, the cells seen in the batch (in the order first
    seen), the typed items."""
    fixed = list(SCHEMAS["reports"])
    items = [(c, t) for c, _, t in WIDE_ITEMS]
    named = {c for c, _ in fixed} | {c for c, _ in items}
    cells: dict[str, None] = {}
    for r in rows:
        for k in r:
            if k not in named:
                cells.setdefault(k, None)
    return fixed + [(c, "float64") for c in cells] + items


def to_arrow(tables: dict[str, list[dict]]):
    import pyarrow as pa

    out = {}
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    for name, rows in tables.items():
        columns = wide_schema(rows) if name == "reports_wide" else SCHEMAS.get(name) or ARCHIVE_SCHEMAS[name]
        schema = pa.schema([(c, types[t]) for c, t in columns])
        cols = {c: [r.get(c) for r in rows] for c, _ in columns}
        out[name] = pa.table(cols, schema=schema)
    return out


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralised(table):
    """Text cells that Excel would run as a formula (starting with = + - @) prefixed with ``'``: report text
    is data, never code, in a spreadsheet."""
    import pyarrow as pa

    cols = []
    for col in table.columns:
        if pa.types.is_string(col.type):
            col = pa.array([("'" + v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in col.to_pylist()],
                           type=pa.string())
        cols.append(col)
    return pa.table(cols, names=table.column_names)


def _write_csv(table, path: Path) -> None:
    """CSV in UTF-8 with a byte-order mark, which Excel needs to read Chinese text."""
    import io

    import pyarrow.csv as pcsv

    buf = io.BytesIO()
    pcsv.write_csv(table, buf)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue())


def _write_xlsx(arrow: dict, path: Path) -> None:
    """One sheet per table, typed cells (numbers stay numbers), the header frozen."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, t in arrow.items():
        ws = wb.create_sheet(title=name[:31])
        ws.freeze_panes = "A2"
        ws.append(t.column_names)
        for row in t.to_pylist():
            ws.append([row[c] for c in t.column_names])
    wb.save(str(path))


def export(batch_dir: str | Path, fmt: str, raw_cells: bool = False, aliases: dict[str, str] | None = None) -> list[Path]:
    """Write the tables in ``fmt``; for CSV and xlsx, cells that would be spreadsheet formulas are
    neutralised unless ``raw_cells``."""
    batch_dir = Path(batch_dir)
    arrow = to_arrow(load(batch_dir, aliases))
    if fmt in ("csv", "xlsx") and not raw_cells:
        arrow = {name: neutralised(t) for name, t in arrow.items()}
    written: list[Path] = []
    if fmt == "xlsx":
        path = batch_dir / "gongkai.xlsx"
        _write_xlsx(arrow, path)
        written.append(path)
    elif fmt in ("parquet", "csv"):
        if fmt == "parquet":
            import pyarrow.parquet as pq

            write = pq.write_table
        else:
            write = _write_csv
        d = batch_dir / fmt
        d.mkdir(exist_ok=True)
        for name, t in arrow.items():
            path = d / f"{name}.{fmt}"
            write(t, path)
            written.append(path)
    elif fmt == "duckdb":
        import duckdb

        path = batch_dir / "gongkai.duckdb"
        tmp = batch_dir / "gongkai.duckdb.tmp"  # written aside, then renamed: a reader never sees half a database
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        for name, t in arrow.items():
            con.register("_t", t)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM _t")
            con.unregister("_t")
        con.close()
        os.replace(tmp, path)
        written.append(path)
    else:
        raise ValueError(f"unknown format {fmt!r}: parquet, csv, xlsx or duckdb")
    return written
