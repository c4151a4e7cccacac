"""``gongkai archive``: a batch read as series of agencies (see :mod:`gongkai.archive`)."""
from __future__ import annotations


def register(sub) -> None:
    p = sub.add_parser(
        "archive", help="group a batch by agency and year, check each year against the one before, find copied text",
        description="Reads DIR/reports.jsonl (written by gongkai batch) and writes DIR/archive/agencies.jsonl, "
                    "cross_year_checks.jsonl, year_over_year.jsonl and reuse.jsonl; gongkai export writes the same "
                    "four tables in every format. Prints a summary per agency. Exit status: 0 done, 1 an enforced "
                    "cross-year check failed (with --strict), 2 usage.")
    p.add_argument("dir", help="a folder written by gongkai batch")
    p.add_argument("--aliases", metavar="FILE",
                   help='a JSON object {"name as printed": "agency it is"}: variants and renamings gongkai cannot tell')
    p.add_argument("--strict", action="store_true", help="exit 1 when an enforced cross-year check fails")
    p.set_defaults(func=run)


def load_aliases(path: str | None) -> dict[str, str]:
    import json

    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ValueError("not a JSON object of names")
    return data


def run(args) -> int:
    import json
    import sys
    from pathlib import Path

    from ..archive import build, entry_of
    from ..batch import json_line

    try:
        aliases = load_aliases(args.aliases)
    except (OSError, ValueError) as e:
        print(f"error: {args.aliases}: {e}", file=sys.stderr)
        return 2
    src = Path(args.dir) / "reports.jsonl"
    if not src.exists():
        print(f"error: {src}: no such file (run gongkai batch first)", file=sys.stderr)
        return 2
    entries = []
    bad = 0
    with open(src, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                entries.append(entry_of(json.loads(line)))
            except (ValueError, KeyError, TypeError, AttributeError):
                bad += 1
    if bad:
        print(f"warning: {src}: {bad} line(s) are not report records; skipped", file=sys.stderr)
    tables = build(entries, aliases)
    out = Path(args.dir) / "archive"
    out.mkdir(exist_ok=True)
    for name, rows in tables.items():
        tmp = out / f"{name}.jsonl.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.writelines(json_line(r) + "\n" for r in rows)
        tmp.replace(out / f"{name}.jsonl")
    failed = _summary(tables)
    print(f"tables: {out}/{{{','.join(tables)}}}.jsonl")
    return 1 if args.strict and failed else 0


def _summary(tables: dict[str, list[dict]]) -> int:
    """Print one block per agency: its years (formats, the primary first), gaps, failed checks, copied share."""
    from collections import defaultdict

    years: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for r in tables["agencies"]:
        years[r["agency_key"]][r["year"]].append(r["format"] + ("*" if r["primary"] and r["copies"] > 1 else ""))
    notes: dict[str, list[str]] = defaultdict(list)
    failed = 0
    for c in tables["cross_year_checks"]:
        if c["check_id"] == "cross_year.series_gap":
            notes[c["agency_key"]].append(f"  gap  {c['last_year']}→{c['year']}: {c['reason']}")
        elif c["ok"] is False:
            failed += c["enforced"]
            word = "FAIL" if c["enforced"] else "note"
            notes[c["agency_key"]].append(f"  {word} {c['year']} {c['check_id']}: expected {c['expected']} "
                                          f"(from {c['last_year']}), table says {c['actual']}")
    for r in tables["reuse"]:
        if r["share"]:
            notes[r["agency_key"]].append(f"  copy {r['year']}: {r['copied']} of {r['sentences']} sentences "
                                          f"({r['share']:.0%}) as in {r['last_year']}")
    for key in sorted(years, key=str):
        ys = years[key]
        listed = ", ".join(f"{y if y is not None else '?'} ({'/'.join(ys[y])})" for y in sorted(ys, key=lambda y: (y is None, y or 0)))
        print(f"{key}: {listed}")
        for n in notes[key]:
            print(n)
    return failed
