"""Parse time on 1, 10 and 100 copies of a report concatenated: it must grow linearly."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    from gongkai.report import parse
    from gongkai.synth.writer import write_corpus

    work = Path(tempfile.mkdtemp())
    for mode_seed in (3, 5):
        write_corpus(work / str(mode_seed), 3, mode_seed, templates=("2021",), formats=("txt",))
    samples = sorted(work.rglob("*.txt"))
    for src in samples[:2]:
        base = src.read_text("utf-8")
        times = []
        for k in (1, 10, 100):
            p = work / f"x{k}.txt"
            p.write_text(base * k, "utf-8")
            parse(p)
            t = time.perf_counter()
            parse(p)
            times.append(time.perf_counter() - t)
        per = [t / k for t, k in zip(times, (1, 10, 100))]
        print(f"{src.name}: {len(base)} chars; 1x {times[0]:.3f} s, 10x {times[1]:.3f} s, 100x {times[2]:.3f} s; "
              f"per copy {per[0] * 1000:.1f} / {per[1] * 1000:.1f} / {per[2] * 1000:.1f} ms (linear if flat)")


if __name__ == "__main__":
    main()
