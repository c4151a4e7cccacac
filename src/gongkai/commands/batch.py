"""``gongkai batch``: parse an archive in parallel (see :mod:`gongkai.batch`)."""
from __future__ import annotations

from . import add_model_option, add_ocr_option, add_policy_options


def register(sub) -> None:
    p = sub.add_parser("batch", help="parse a whole archive in parallel, with resume and per-file errors",
                       description="Walk folders, parse every report in worker processes, write DIR/reports.jsonl and DIR/errors.jsonl. "
                                   "Run the same command again to resume.")
    p.add_argument("inputs", nargs="+", help="files or folders (walked recursively)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--workers", type=int, default=None, help="worker processes (default: number of cores)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per file before it is given up (default 120; 0: none)")
    p.add_argument("--ocr-page-seconds", type=float, default=None, metavar="SECONDS",
                   help="seconds each page read by OCR adds to a file's --timeout (default 10; a slow or busy machine needs more)")
    p.add_argument("--memory-mb", type=int, default=4096, help="resident memory a parse may add to its worker, in MB: a file past it is recorded as too large (default 4096; 0: none)")
    p.add_argument("--scheduler", default=None, help="'local' for a Dask LocalCluster, or a Dask scheduler address")
    p.add_argument("--retry-errors", action="store_true", help="parse again the files that failed last time")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--follow-symlinks", action="store_true", help="also read files that links lead to outside the input folders")
    add_model_option(p)
    add_ocr_option(p)
    add_policy_options(p)
    p.set_defaults(func=run)


def run(args) -> int:
    import os
    import sys
    from pathlib import Path

    from ..batch import BatchLocked, run_batch

    try:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    except OSError as e:
        print(f"error: {args.out}: cannot create the output folder ({e.strerror or e})", file=sys.stderr)
        return 2
    if args.ocr_page_seconds is not None and args.ocr_page_seconds < 0:
        print(f"error: --ocr-page-seconds {args.ocr_page_seconds:g}: must be 0 or more", file=sys.stderr)
        return 2
    workers = args.workers or os.cpu_count() or 1
    try:
        s = run_batch(args.inputs, args.out, workers=workers, timeout=args.timeout, mem_mb=args.memory_mb,
                      scheduler=args.scheduler, progress=False if args.quiet else None, retry_errors=args.retry_errors,
                      follow_symlinks=args.follow_symlinks,
                      **({} if args.ocr_page_seconds is None else {"ocr_page_seconds": args.ocr_page_seconds}))
    except BatchLocked:
        print(f"error: {args.out}: another batch is writing to this folder (wait for it, or give another --out)", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"error: interrupted; the reports finished so far are in {args.out}/reports.jsonl: "
              "run the same command again to go on", file=sys.stderr)
        return 130
    for line in s.lines():
        print(line, file=sys.stderr)
    print(f"results: {args.out}/reports.jsonl, failures: {args.out}/errors.jsonl", file=sys.stderr)
    return 0
