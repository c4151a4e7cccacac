"""``gongkai export``: a batch folder to Parquet, CSV or DuckDB (see :mod:`gongkai.export`)."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("export", help="export a batch to Parquet, CSV (UTF-8 with BOM), Excel or a DuckDB file",
                       description="Tables reports, reports_wide (one row per report, every cell and item a column), paragraphs, "
                                   "table_cells, checks, items, quantities; written under DIR.")
    p.add_argument("dir", help="a folder written by gongkai batch")
    p.add_argument("--format", choices=["parquet", "csv", "xlsx", "duckdb"], default="parquet")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..export import export

    try:
        paths = export(args.dir, args.format)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for p in paths:
        print(p)
    return 0
