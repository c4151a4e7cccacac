"""Batch throughput against the floor, start-up time and worker memory.  Prints figures.

* PDF: `gongkai batch --workers 1` on PDFs (the real ones in ../shared/realdocs when present,
  and generated ones) against the pdfplumber floor: `extract_text()` + `extract_tables()`
  over the same pages in one process.
* Text/HTML: reports/s with 1 and 2 workers on a generated corpus.
* Start-up: wall time of `gongkai --help`.
"""
from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from gongkai.batch import run_batch  # noqa: E402
from gongkai.synth.writer import write_corpus  # noqa: E402


def floor(pdfs: list[Path]) -> tuple[float, int]:
    import pdfplumber

    t = time.perf_counter()
    pages = 0
    for p in pdfs:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.extract_tables()
                pages += 1
    return time.perf_counter() - t, pages


def timed_batch(inputs, workers) -> tuple[float, int]:
    out = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    s = run_batch([str(x) for x in inputs], out, workers=workers, timeout=600, progress=False)
    dt = time.perf_counter() - t
    shutil.rmtree(out)
    return dt, s.done


def main() -> None:
    work = Path(tempfile.mkdtemp())
    # start-up
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gongkai.cli", "--help"], capture_output=True, check=True)
    print(f"start-up: gongkai --help {time.perf_counter() - t:.3f} s")
    # PDFs
    real = sorted((ROOT.parent / "shared" / "realdocs").rglob("*.pdf"))
    write_corpus(work / "pdf", 20, 31, formats=("pdf",))
    gen = sorted((work / "pdf").glob("*.pdf"))
    for name, pdfs in (("real PDFs", real), ("generated PDFs", gen)):
        if not pdfs:
            continue
        d = work / name.replace(" ", "_")
        d.mkdir()
        copies = max(1, 100 // max(1, len(pdfs)))  # an archive large enough for start-up to amortise
        for p in pdfs:
            data = p.read_bytes()
            for k in range(copies):  # a trailing comment changes the hash, not the pages
                (d / f"{k:03d}-{p.name}").write_bytes(data + f"\n%copy {k}\n".encode())
        pdfs = sorted(d.glob("*.pdf"))
        f, pages = floor(pdfs)
        from gongkai.readers import read

        for p in pdfs:
            read(p)
        t = time.perf_counter()
        for p in pdfs:
            read(p)
        r = time.perf_counter() - t
        print(f"{name}: reader in one process {1000 * r / pages:.1f} ms/page vs floor {1000 * f / pages:.1f} ms/page: ratio {r / f:.2f}")
        timed_batch([d], 1)  # warm the OS cache
        b, n = timed_batch([d], 1)
        print(f"{name}: {len(pdfs)} files, {pages} pages; floor {1000 * f / pages:.1f} ms/page; "
              f"batch 1 worker {1000 * b / pages:.1f} ms/page (includes start-up); ratio {b / f:.2f}")
    # text and HTML
    write_corpus(work / "text", 400, 41, formats=("txt", "html"))
    for w in (1, 2):
        dt, n = timed_batch([work / "text"], w)
        print(f"text/HTML: {n} reports, {w} worker(s): {n / dt:.1f} reports/s")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory of a worker process: {peak:.0f} MB")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
