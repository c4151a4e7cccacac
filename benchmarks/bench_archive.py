"""Issue 21's speed target: 10,000 generated reports grouped and cross-checked in at most 60 s.

Writes a generated archive (AGENCIES agencies × 5 years, text and HTML, planted breaks and copies), parses
it with ``gongkai batch``, then multiplies its records into 10,000 reports of distinct agencies (each copy
renamed, its hash changed) and times ``gongkai archive`` over them: reading ``reports.jsonl``, agency keys
and groups, cross-year checks, year over year and copied text, writing the four tables.  Prints figures.

    python benchmarks/bench_archive.py [REPORTS] [AGENCIES]
"""
from __future__ import annotations

import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.synth.series import write_archive  # noqa: E402

CN = "甲乙丙丁戊己庚辛壬癸"


def _tag(k: int) -> str:
    """A distinct place-like prefix for copy ``k`` (no digits: they would read as figures)."""
    out = ""
    while True:
        out = CN[k % 10] + out
        k //= 10
        if not k:
            return out + "片区"


def main(n: int = 10_000, agencies: int = 40) -> None:
    gk = [sys.executable, "-m", "gongkai.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        t = time.perf_counter()
        write_archive(d / "in", agencies, 5, 2026, formats=("txt", "html"))
        subprocess.run(gk + ["batch", str(d / "in"), "--out", str(d / "base"), "--workers", "2", "--quiet"], check=True,
                       capture_output=True)
        base = [json.loads(x) for x in (d / "base" / "reports.jsonl").read_text("utf-8").splitlines()]
        print(f"base archive: {len(base)} parsed reports of {agencies} agencies in {time.perf_counter() - t:.1f} s")
        big = d / "big"
        big.mkdir()
        written = 0
        with open(big / "reports.jsonl", "w", encoding="utf-8") as f:
            k = 0
            while written < n:
                for rep in base:
                    if written >= n:
                        break
                    r = dict(rep, meta=dict(rep["meta"], agency=_tag(k) + (rep["meta"]["agency"] or "")),
                             source=dict(rep["source"], sha256=hashlib.sha256(f"{k}-{rep['source']['sha256']}".encode()).hexdigest()))
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
                    written += 1
                k += 1
        size = (big / "reports.jsonl").stat().st_size / 2**20
        t = time.perf_counter()
        res = subprocess.run(gk + ["archive", str(big)], capture_output=True, text=True, check=True)
        seconds = time.perf_counter() - t
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        rows = {p.stem: sum(1 for _ in open(p, encoding="utf-8")) for p in sorted((big / "archive").glob("*.jsonl"))}
        print(f"gongkai archive: {written} reports ({size:.0f} MB of JSON Lines), {res.stdout.count(chr(10))} summary lines, "
              f"in {seconds:.1f} s (target 60 s), peak resident {peak:.0f} MB")
        print("rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))


if __name__ == "__main__":
    main(*(int(x) for x in sys.argv[1:3]))
