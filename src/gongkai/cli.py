"""The ``gongkai`` command line.

Every command that reads files prints one line ``error: FILE: reason`` on
stderr and exits non-zero for a file it cannot read; no traceback reaches the
user.  Heavy libraries are imported inside the commands so ``--help`` is fast.
"""
from __future__ import annotations

import argparse
import json
import os
import sys

from . import __version__
from .commands import (
    add_budget_options,
    add_model_option,
    add_ocr_option,
    add_policy_options,
    apply_model_option,
    apply_ocr_option,
    apply_policy_options,
)

EPILOG = """examples:
  gongkai parse report.pdf                 print the report JSON
  gongkai parse report.html --out r.json   write it to a file
  gongkai check report.pdf                 a readable summary of failed checks
  gongkai synth --n 20 --seed 1 --out corpora/generated/demo
  gongkai batch archive/ --out results/ --workers 2
  gongkai export results/ --format duckdb
  gongkai view report.pdf -o report.html
  gongkai train corpora/generated/train --out models/sections-default
  gongkai evaluate corpora/generated/test --model models/sections-default
"""


def _fail(line: str, code: int = 2) -> int:
    print(line, file=sys.stderr)
    return code


def cmd_parse(args) -> int:
    from .batch import OCR_NOTICE, OCR_NOTICE_ENV, json_line
    from .budget import parse_files
    from .sections.model import load_default

    load_default()  # start-up is not parse time: --timeout counts the parse alone
    if os.environ.get(OCR_NOTICE_ENV):  # a watching parent (a Dask task) extends its timeout for OCR'd pages
        from .readers import ocr

        ocr.on_ocr_pages = lambda n: print(f"{OCR_NOTICE} {n}", file=sys.stderr, flush=True)
    one = len(args.files) == 1
    texts, status = [], 0
    for path, rep, reason in parse_files(args.files, args.timeout, args.memory_mb):
        if rep is None:
            status = _fail(f"error: {path}: {reason}", 1)
            continue
        # one report: its JSON (indented unless --compact); several: one line each (JSON Lines)
        texts.append(json_line(rep, indent=None if args.compact or not one else 1))
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.writelines(t + "\n" for t in texts)
        except OSError as e:
            return _fail(f"error: {args.out}: cannot write ({e.strerror or e})", 2)
    else:
        sys.stdout.writelines(t + "\n" for t in texts)
    return status


def cmd_check(args) -> int:
    from .errors import ReadError
    status = 0
    for path in args.files:
        try:
            reports = _reports_of(path, args.timeout, args.memory_mb)
        except ReadError as e:
            print(e.line(), file=sys.stderr)
            status = max(status, 1)
            continue
        for label, d in reports:
            status = max(status, _print_checks(label, d, args.strict))
    return status


def _reports_of(path: str, timeout: float = 0, mem_mb: int = 0) -> list[tuple[str, dict]]:
    """The reports a file holds: parsed from a report file (within the budget), or read from gongkai's own
    JSON output (a report JSON, or a batch's reports.jsonl)."""
    from pathlib import Path

    from .budget import parse_files
    from .errors import ReadError
    from .readers import is_gongkai_output

    p = Path(path)
    if p.is_file() and p.suffix.lower() in (".json", ".jsonl"):
        data = p.read_bytes()
        if is_gongkai_output(data):
            out = []
            for n, line in enumerate(data.decode("utf-8", "replace").splitlines() if p.suffix.lower() == ".jsonl"
                                     else [data.decode("utf-8", "replace")], start=1):
                if not line.strip():
                    continue
                try:
                    d = json.loads(line)
                except ValueError:
                    raise ReadError(path, f"line {n} is not JSON") from None
                out.append((d.get("source", {}).get("path") or f"{path}:{n}", d))
            return out
    ((_, rep, reason),) = parse_files([path], timeout, mem_mb)
    if rep is None:
        raise ReadError(path, reason or "unreadable")
    return [(path, rep)]


def _print_checks(path: str, d: dict, strict: bool) -> int:
    """One report's checks in plain words; 1 when one failed and ``strict``."""
    checks = d["checks"]
    failed = [c for c in checks if c["ok"] is False]
    unknown = [c for c in checks if c["ok"] is None]
    m = d["meta"]
    print(f"{path}: {m.get('agency') or '?'} {m.get('year') or '?'} template {m['template']}; "
          f"tables: {', '.join(d['tables']) or 'none'}; {len(checks)} checks, {len(failed)} failed, {len(unknown)} undecided")
    for c in failed:
        print(f"  FAIL {c['id']}: expected {c['expected']}, table says {c['actual']}")
    for c in unknown:
        print(f"  ???  {c['id']}: {c.get('reason', '')}")
    for w in d["warnings"]:
        if w["code"].startswith("table."):
            print(f"  warn {w['code']}: {w['message']}")
    return 1 if failed and strict else 0


def cmd_schema(args) -> int:
    from .schema import json_schema

    text = json.dumps(json_schema(), ensure_ascii=False, indent=1)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gongkai",
        description="Read Chinese government information disclosure annual reports (政府信息公开工作年度报告) into structured JSON.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND")

    sp = sub.add_parser("parse", help="parse reports and print their JSON",
                        description="One file: its report JSON. Several: one JSON line per report (JSON Lines). "
                                    "Exit status: 0 all parsed, 1 some file could not be read (one error line each), 2 usage.")
    sp.add_argument("files", nargs="+", metavar="FILE")
    sp.add_argument("-o", "--out", help="write the JSON here instead of stdout")
    sp.add_argument("--compact", action="store_true", help="one line of JSON")
    add_budget_options(sp)
    add_model_option(sp)
    add_policy_options(sp)
    add_ocr_option(sp)
    sp.set_defaults(func=cmd_parse)

    sp = sub.add_parser("check", help="print a readable summary of the consistency checks",
                        description="FILES: reports, or gongkai's own output (a report JSON, a batch's reports.jsonl). "
                                    "Exit status: 0 done, 1 a file could not be read or (with --strict) a check failed, 2 usage.")
    sp.add_argument("files", nargs="+")
    sp.add_argument("--strict", action="store_true", help="exit 1 when a check fails")
    add_budget_options(sp)
    add_model_option(sp)
    add_policy_options(sp)
    add_ocr_option(sp)
    sp.set_defaults(func=cmd_check)

    sp = sub.add_parser("schema", help="print the JSON Schema of the report output")
    sp.add_argument("--out")
    sp.set_defaults(func=cmd_schema)

    for mod in ("synth", "batch", "export", "archive", "view", "train", "evaluate"):
        try:
            m = __import__(f"gongkai.commands.{mod}", fromlist=["register"])
        except ImportError:
            continue
        m.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        apply_policy_options(args)
        apply_ocr_option(args)
        bad_model = apply_model_option(args)
        if bad_model:
            return _fail(bad_model)
        return args.func(args)
    except KeyboardInterrupt:
        return _fail("error: interrupted", 130)
    except BrokenPipeError:
        return 0
    except Exception as e:  # never a traceback for the user; GONGKAI_DEBUG=1 shows it
        import os

        if os.environ.get("GONGKAI_DEBUG"):
            raise
        return _fail(f"error: internal error: {type(e).__name__}: {e}", 1)


if __name__ == "__main__":
    sys.exit(main())
