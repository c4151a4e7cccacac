"""``gongkai view``: review pages (see :mod:`gongkai.view`)."""
from __future__ import annotations

from . import add_budget_options, add_model_option, add_ocr_option


def register(sub) -> None:
    p = sub.add_parser("view", help="render a parsed report (or a batch) as self-contained HTML",
                       description="gongkai view FILE -o OUT.html, or gongkai view DIR/reports.jsonl -o DIR/site/")
    p.add_argument("input", help="a report file, a report JSON, or a batch reports.jsonl")
    p.add_argument("-o", "--out", help="output HTML file (one report) or folder (batch)")
    add_budget_options(p)
    add_model_option(p)
    add_ocr_option(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import json
    import re
    import sys
    from pathlib import Path

    from ..view import render_index, render_report

    inp = Path(args.input)
    if inp.suffix == ".jsonl":
        out = Path(args.out or inp.parent / "site")
        out.mkdir(parents=True, exist_ok=True)
        entries = []
        with open(inp, encoding="utf-8") as f:
            for line in f:
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                stem = re.sub(r"[^\w\u3400-\u9fff.-]+", "_", Path(d["source"]["path"]).stem)[:80]
                name = f"{stem}-{d['source']['sha256'][:8]}.html"  # a safe file name whatever the report was called
                (out / name).write_text(render_report(d), "utf-8", errors="backslashreplace")
                entries.append((name, d))
        failures = []
        err = inp.parent / "errors.jsonl"
        if err.exists():
            for line in err.read_text("utf-8", errors="replace").splitlines():
                try:
                    failures.append(json.loads(line))
                except ValueError:
                    continue
        (out / "index.html").write_text(render_index(entries, failures), "utf-8", errors="backslashreplace")
        from ..archive import build, entry_of
        from ..view.timeline import render_agencies

        archive = build(entry_of(d) for _, d in entries)
        href_of = {d["source"]["sha256"]: name for name, d in entries}
        (out / "agencies.html").write_text(render_agencies(archive, href_of), "utf-8", errors="backslashreplace")
        print(out / "index.html")
        return 0
    if inp.suffix == ".json":
        d = json.loads(inp.read_text("utf-8"))
    else:
        from ..budget import parse_files

        ((_, rep, reason),) = parse_files([str(inp)], args.timeout, args.memory_mb)
        if rep is None:
            print(f"error: {inp}: {reason}", file=sys.stderr)
            return 2
        d = rep
    out = Path(args.out or inp.with_suffix(".review.html").name)
    out.write_text(render_report(d), "utf-8", errors="backslashreplace")
    print(out)
    return 0
