"""``gongkai export``: a batch folder to Parquet, CSV or DuckDB (see :mod:`gongkai.export`)."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser("export", help="export a batch to Parquet, CSV (UTF-8 with BOM), Excel or a DuckDB file",
                       description="Tables reports, reports_wide (one row per report, every cell and item a column), paragraphs, "
                                   "table_cells, checks, items, quantities; written under DIR.")
    p.add_argument("dir", help="a folder written by gongkai batch")
    p.add_argument("--format", choices=["parquet", "csv", "xlsx", "duckdb"], default="parquet")
    p.add_argument("--raw-cells", action="store_true",
                   help="CSV/xlsx: keep text that starts with = + - @ as it is (by default it is prefixed with ' so that "
                        "a spreadsheet never runs it as a formula)")
    p.set_defaults(func=run)


def run(args) -> int:
    import sys

    from ..export import export

    try:
        paths = export(args.dir, args.format, raw_cells=args.raw_cells)
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    for p in paths:
        print(p)
    return 0
