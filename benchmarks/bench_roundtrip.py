"""Round trip on generated reports: tables exact and section labels, per format.  Prints figures.

    python benchmarks/bench_roundtrip.py [N]      (default 240 reports, all formats and templates)
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    from gongkai.evaluation import char_accuracy
    from gongkai.report import parse
    from gongkai.scoring import legacy_cells, same, table_cells
    from gongkai.script import simplified
    from gongkai.synth.writer import write_corpus

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 240
    work = Path(tempfile.mkdtemp())
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2024
    write_corpus(work, n, seed)
    stats = defaultdict(lambda: [0, 0, 0, 0, 0, 0.0])  # docs, cells, exact, wrong, null, seconds
    chars = defaultdict(lambda: [0, 0])
    for g in sorted(work.glob("*.gold.json")):
        gold = json.loads(g.read_text("utf-8"))
        key = gold["format"] + ("-glued" if gold["glued"] else "")
        t = time.perf_counter()
        rep = parse(work / gold["source"]).to_dict()
        st = stats[key]
        st[0] += 1
        st[5] += time.perf_counter() - t
        pairs = [(v, table_cells(rep, table).get(k)) for table, cells in gold["tables"].items() for k, v in cells.items()]
        pairs += [(v, gv) for _, v, gv in legacy_cells(rep, gold)]
        for v, gv in pairs:
            st[1] += 1
            if same(gv, v):
                st[2] += 1
            elif gv is None:
                st[4] += 1
            else:
                st[3] += 1
        conv = simplified if gold["hazards"].get("traditional") and gold["format"] == "html" else (lambda x: x)
        c, _, tot = char_accuracy([tuple(x) for x in gold["paragraphs"]], [(p["section"], conv(p["text"])) for p in rep["paragraphs"]])
        chars[key][0] += c
        chars[key][1] += tot
    print(f"{n} generated reports (seed {seed}), hazards on")
    print(f"{'format':12s} {'docs':>5s} {'cells':>7s} {'exact':>7s} {'wrong':>6s} {'null':>5s} {'label acc':>9s} {'ms/doc':>7s}")
    for key in sorted(stats):
        d, cells, ex, wr, nu, sec = stats[key]
        print(f"{key:12s} {d:5d} {cells:7d} {ex / max(cells, 1):7.4f} {wr:6d} {nu:5d} {chars[key][0] / max(chars[key][1], 1):9.4f} {1000 * sec / d:7.1f}")


if __name__ == "__main__":
    main()
