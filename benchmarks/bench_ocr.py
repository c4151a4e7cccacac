"""Issue 22's figures: OCR seconds per page and table-cell accuracy of generated scans, by resolution.

For each resolution, writes N generated scans (``gongkai synth --formats scan --scan-dpi DPI``: a stamp,
skew, grain and JPEG artefacts), parses each in this process (the OCR engine and the section model
loaded once, before the clock starts) and scores it against its gold.  Prints, per resolution: pages,
seconds per page (mean and slowest file), table cells exact / wrong / missing, wrong cells that no
failing check or uncertainty warning flags, section character accuracy and meta exactness.  Needs
the extra gongkai[ocr].  The target (issue 22): at most 4 s a page at 200 dpi on a 2-core machine.

    python benchmarks/bench_ocr.py [N] [DPI,DPI,...]
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.evaluation import char_accuracy  # noqa: E402
from gongkai.readers import ocr  # noqa: E402
from gongkai.report import parse  # noqa: E402
from gongkai.scoring import score_report, summarise  # noqa: E402
from gongkai.synth.writer import write_corpus  # noqa: E402


def _sections(report: dict, gold: dict) -> tuple[int, int]:
    right, _, total = char_accuracy([tuple(p) for p in gold["paragraphs"]],
                                    [(p["section"], p["text"]) for p in report["paragraphs"]])
    return right, total


def run(n: int, dpi: int, folder: Path) -> dict:
    files = write_corpus(folder, n, seed=2200 + dpi, formats=("scan",), scan_dpi=dpi)
    seconds, pages, scores = [], 0, []
    right = total = 0
    for f in files:
        t0 = time.perf_counter()
        rep = parse(f).to_dict()
        dt = time.perf_counter() - t0
        gold = json.loads(f.with_name(f.name[: -len(f.suffix)] + ".gold.json").read_text("utf-8"))
        p = rep["source"]["pages"] or 1
        pages += p
        seconds.append((dt, p))
        scores.append(score_report(rep, gold))
        r, t = _sections(rep, gold)
        right, total = right + r, total + t
    s = summarise(scores)
    meta_ok = all(m["accuracy"] == 1.0 for m in s["meta"].values())
    return {"dpi": dpi, "files": len(files), "pages": pages, "s_per_page": sum(d for d, _ in seconds) / pages,
            "slowest_file_s_per_page": max(d / p for d, p in seconds), "cells": s["tables"],
            "sections": right / total if total else None, "meta": {k: v["accuracy"] for k, v in s["meta"].items()},
            "meta_exact": meta_ok}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    dpis = [int(x) for x in (sys.argv[2] if len(sys.argv) > 2 else "150,200,300").split(",")]
    if not ocr.available():
        sys.exit("error: bench_ocr: the OCR extra is not installed (pip install 'gongkai[ocr]')")
    with tempfile.TemporaryDirectory() as tmp:
        warm = write_corpus(Path(tmp) / "warm", 1, seed=1, templates=("2021",), formats=("scan",), scan_dpi=200)
        parse(warm[0])  # engine, model, jieba: loaded before the clock
        print(f"{'dpi':>4} {'files':>5} {'pages':>5} {'s/page':>7} {'worst':>6} {'cells':>7} {'wrong':>5} {'missing':>7} "
              f"{'unflagged':>9} {'sections':>8} meta")
        for dpi in dpis:
            r = run(n, dpi, Path(tmp) / str(dpi))
            c = r["cells"]
            print(f"{r['dpi']:>4} {r['files']:>5} {r['pages']:>5} {r['s_per_page']:>7.2f} {r['slowest_file_s_per_page']:>6.2f} "
                  f"{c['accuracy']:>7.4f} {c['wrong']:>5} {c['missing']:>7} {c['wrong_uncaught']:>9} {r['sections']:>8.4f} "
                  f"{'exact' if r['meta_exact'] else r['meta']}", flush=True)
            if c["uncaught"]:
                print(f"     unflagged wrong cells: {', '.join(c['uncaught'][:8])}")


if __name__ == "__main__":
    main()
