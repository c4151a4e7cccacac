"""Section model: size, load time, prediction speed; segmenter speed.  Prints figures."""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    from gongkai.sections.corpus import load_docs
    from gongkai.sections.features import rows_for
    from gongkai.sections.model import load
    from gongkai.synth.writer import write_corpus

    mdir = ROOT / "models" / "sections-default"
    size = (mdir / "model.npz").stat().st_size
    t = time.perf_counter()
    model = load(mdir)
    print(f"model: {size / 1e6:.2f} MB, load {time.perf_counter() - t:.3f} s")
    work = Path(tempfile.mkdtemp())
    write_corpus(work, 200, 77, formats=("txt",), hazards=False)
    docs = load_docs([str(work)])
    rows = []
    for paras in docs.values():
        rows += rows_for([t for t, _, _ in paras], [h for _, _, h in paras], [None] * len(paras))
    model.predict_proba_rows(rows[:50])
    model.clear_cache()  # cold: no block of these reports cut before
    t = time.perf_counter()
    model.predict_proba_rows(rows)
    dt = time.perf_counter() - t
    chars = sum(len(r["text"]) for r in rows)
    print(f"predict: {len(rows)} paragraphs ({chars / len(rows):.0f} chars each) in {dt:.2f} s = {len(rows) / dt:.0f} paragraphs/s")
    real = sorted((ROOT.parent / "shared" / "realdocs").rglob("*.txt")) + sorted((ROOT.parent / "shared" / "realdocs").rglob("*.pdf"))
    if real:
        from gongkai.readers import read

        rrows = []
        for f in real:
            texts = [b.text for b in read(f).paragraphs]
            rrows += rows_for(texts, [False] * len(texts), [None] * len(texts))
        passes = max(1, 4000 // len(rrows))
        dt = 0.0
        for _ in range(passes):  # each pass cold: the same paragraphs again would be cached cuts
            model.clear_cache()
            t = time.perf_counter()
            model.predict_proba_rows(rrows)
            dt += time.perf_counter() - t
        rrows = rrows * passes
        print(f"predict on real-report paragraphs: {len(rrows)} paragraphs ({sum(len(r['text']) for r in rrows) / len(rrows):.0f} chars each) "
              f"= {len(rrows) / dt:.0f} paragraphs/s")
    text = "".join(r["text"] for r in rows)
    from gongkai.segment import cut

    cut(text[:1000])
    t = time.perf_counter()
    cut(text)
    print(f"jieba (full dictionary + domain words): {len(text) / (time.perf_counter() - t) / 1e6:.2f} M chars/s")
    model.clear_cache()
    t = time.perf_counter()
    model.words(text)
    print(f"jieba (the model's {len(model.seg_words)}-word dictionary, cut as the model does, cold cache): {len(text) / (time.perf_counter() - t) / 1e6:.2f} M chars/s")


if __name__ == "__main__":
    main()
