"""Real reports as labelled data, and leave-one-report-out evaluation on them.

A real report with score-format gold (``gold.json``: text and section anchors, as in
``../shared/realdocs``) is read by the readers and each paragraph takes the gold label of most of its
characters.  Reports of one agency-year (a PDF and its own text copy) are one *unit*: they are held
out together.  :func:`leave_one_out` trains on the generated corpus, weak labels and every other unit
(real text weighted up), then scores the held-out unit three ways:

* ``with_headings``: the parse as read;
* ``headings_removed``: the section headings dropped from the paragraphs read;
* ``reparsed``: the numbered headings deleted from the text file (the way ``score_many.py
  --strip-headings`` does) and the file parsed again, tables included; probes are scored too.

The held-out paragraphs (headings removed) are kept as ``predictions`` — unit, folder, paragraph index,
gold, predicted, confidence, characters; no text — for the confusion matrix and the reliability diagram,
and :func:`platt` fits the confidence calibration on them.  Real reports are read from where they are
at run time (``../shared``), never copied.
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..evaluation import _norm
from .corpus import Doc, read_json
from .evaluate import anchors_to_paragraphs

STRIP_HEADING = re.compile(r"^[\s　]*[一二三四五六七八九十]+、[^\n。]{2,30}$", re.M)
NUMBERED = re.compile(r"^[一二三四五六七八九十]+、")


def _char_labels(gold: dict) -> tuple[str, list[str]]:
    text, labels = "", []
    for lab, seg in anchors_to_paragraphs(gold):
        n = _norm(seg)
        text += n
        labels += [lab] * len(n)
    return text, labels


def labelled(gold_path: Path, gold: dict | None = None) -> tuple[str, Path, Doc]:
    """``(unit, source file, [(text, label, heading)])`` of one report with score-format gold (``gold``: the
    file's content, when the caller has read it already)."""
    from ..readers import read

    if gold is None:
        gold = read_json(gold_path, gold_path.read_text("utf-8"))
    src = gold_path.parent / gold["source"]
    text, labels = _char_labels(gold)
    doc = read(src)
    out: Doc = []
    pos = 0
    for b in doc.paragraphs:
        n = _norm(b.text)
        i = text.find(n, pos) if n else -1
        if i < 0:
            i = text.find(n[:12], pos) if n else -1
        if i < 0:
            continue  # not in the gold text (noise the gold leaves out): not a training example
        seg = labels[i:i + len(n)] or labels[i:i + 1]
        pos = i + len(n)
        out.append((b.text, max(set(seg), key=seg.count), b.kind == "heading"))
    meta = gold.get("meta") or {}
    unit = f"{meta.get('agency')}|{meta.get('year')}" if meta.get("agency") and meta.get("year") else gold_path.parent.name
    return unit, src, out


def stripped_copy(gold_path: Path) -> tuple[Path, dict] | None:
    """A temporary text file with the numbered headings deleted, and the gold without heading probes
    (None for a report that is not a text file)."""
    gold = read_json(gold_path, gold_path.read_text("utf-8"))
    src = gold_path.parent / gold["source"]
    if src.suffix != ".txt":
        return None
    cut = STRIP_HEADING.sub("", src.read_text("utf-8"))
    heads = {a for lab, a in gold.get("sections", []) if lab != "preamble" and NUMBERED.match(a)}
    for a in heads:
        cut = cut.replace(a, "")
    tmp = tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8")
    tmp.write(cut)
    tmp.close()
    probes = [p for p in gold.get("probes", []) if not STRIP_HEADING.fullmatch(p[1].strip()) and p[1] not in heads]
    return Path(tmp.name), dict(gold, probes=probes)


def units_of(gold_files: list[Path]) -> dict[str, list[tuple[Path, Path, Doc]]]:
    """Real reports grouped by unit: ``{unit: [(gold file, source, labelled paragraphs)]}``."""
    units: dict[str, list[tuple[Path, Path, Doc]]] = {}
    for g in sorted(gold_files):
        unit, src, doc = labelled(g)
        if doc:
            units.setdefault(unit, []).append((g, src, doc))
    return units


def _accuracy(doc: Doc, model, drop_headings: bool) -> tuple[float, float, list[tuple[float, bool, str, str, int, int]]]:
    """Correct and total characters of the tagger on labelled paragraphs, and each paragraph's
    ``(confidence, correct, gold, predicted, characters, index in doc)``."""
    from .classifier import doc_rows
    from .tagger import Para, tag

    texts = [t for t, _, _ in doc]
    keep, _ = doc_rows(texts, [h for _, _, h in doc], drop_headings)
    tags = tag([Para(t, h) for t, h in keep], model=model)
    gold = enumerate(doc)
    c = n = 0
    marks = []
    for (t, _), (p, conf, _) in zip(keep, tags):
        for j, (gt, lab, _) in gold:
            if gt == t:
                n += len(t)
                c += len(t) * (lab == p)
                marks.append((conf, lab == p, lab, p, len(t), j))
                break
    return c, n, marks


def errors_caught(marks: list[tuple], share: float = 0.1) -> float | None:
    """The share of the wrong paragraphs that are among the ``share`` least confident ones (``marks``:
    ``(confidence, correct, …)`` per paragraph)."""
    wrong = sum(1 for m in marks if not m[1])
    if not wrong:
        return None
    low = sorted(marks, key=lambda m: m[0])[:max(1, round(share * len(marks)))]
    return round(sum(1 for m in low if not m[1]) / wrong, 4)


def _reparsed(gold_path: Path, model, probe_score: Callable | None) -> dict | None:
    from ..evaluation import char_accuracy
    from ..readers import read
    from ..report import build

    made = stripped_copy(gold_path)
    if made is None:
        return None
    path, gold = made
    try:
        rep = build(read(path), model=model).to_dict()
    finally:
        path.unlink()
    c, _, tot = char_accuracy(anchors_to_paragraphs(gold), [(p["section"], p["text"]) for p in rep["paragraphs"]])
    out = {"correct": c, "chars": tot, "tables": sorted(rep["tables"])}
    if probe_score is not None:
        hit, total = probe_score(rep, gold)
        out.update(probes_hit=hit, probes=total)
    return out


def leave_one_out(units: dict, base: dict[str, Doc], weak: dict[str, Doc], real_weight: float = 10.0,
                  probe_score: Callable | None = None, only: list[str] | None = None, weak_weight: float = 1.0,
                  **params) -> dict:
    """Train without each unit in turn and score it (see the module docstring).  ``probe_score(rep, gold)``
    gives ``(hit, total)`` probes of a re-parsed report (``../shared/tools/score.py`` when present)."""
    from .classifier import SectionModel

    per: dict[str, dict] = {}
    confidences: list[tuple] = []  # held-out paragraphs, headings removed: (confidence, correct, gold, predicted, chars,
    # paragraph index, unit, the report's folder)
    tot: dict[str, list[float]] = {"with_headings": [0.0, 0.0], "headings_removed": [0.0, 0.0], "reparsed": [0.0, 0.0],
                                   "probes": [0.0, 0.0]}
    for unit in only or list(units):
        docs, weights = [], []
        for d in base.values():
            docs.append(d)
            weights.append(1.0)
        for d in weak.values():
            docs.append(d)
            weights.append(weak_weight)
        for other, reports in units.items():
            if other != unit:
                for _, _, d in reports:
                    docs.append(d)
                    weights.append(real_weight)
        model = SectionModel(**params).fit(docs, weights=weights, generated=[i < len(base) for i in range(len(docs))])
        res: dict = {}
        for mode, drop in (("with_headings", False), ("headings_removed", True)):
            c = n = 0.0
            for g, _, d in units[unit]:
                dc, dn, marks = _accuracy(d, model, drop)
                c, n = c + dc, n + dn
                if drop:
                    confidences += [(*m, unit, g.parent.name) for m in marks]
            res[mode] = round(c / n, 4) if n else None
            tot[mode][0] += c
            tot[mode][1] += n
        for g, _, _ in units[unit]:
            r = _reparsed(g, model, probe_score)
            if r is not None:
                res["reparsed"] = round(r["correct"] / r["chars"], 4) if r["chars"] else None
                res["reparsed_tables"] = r["tables"]
                tot["reparsed"][0] += r["correct"]
                tot["reparsed"][1] += r["chars"]
                if "probes" in r:
                    res["probes"] = f"{r['probes_hit']}/{r['probes']}"
                    tot["probes"][0] += r["probes_hit"]
                    tot["probes"][1] += r["probes"]
                break
        per[unit] = res
    summary = {k: round(a / b, 4) if b else None for k, (a, b) in tot.items()}
    return {"units": len(per), "char_accuracy": summary,
            "least_confident_10pct_catch_of_errors": errors_caught(confidences), "paragraphs": len(confidences),
            "per_unit": per,
            # no text: what a reliability diagram and a confusion matrix need, one row per held-out paragraph
            "predictions": {"columns": ["unit", "folder", "paragraph", "gold", "predicted", "confidence", "chars"],
                            "rows": [[u, r, j, g, p, c, n] for c, _, g, p, n, j, u, r in confidences]}}


def platt(predictions: dict) -> list[float] | None:
    """Platt scaling ``(a, b)`` fitted on held-out predictions (``leave_one_out``'s ``predictions``):
    ``σ(a·logit(confidence) + b)`` is the share of correct labels observed at that confidence.  None where
    every held-out paragraph was right or every one wrong (nothing to fit)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    cols = predictions["columns"]
    rows = predictions["rows"]
    c = np.clip(np.array([r[cols.index("confidence")] for r in rows], dtype=float), 1e-6, 1 - 1e-6)
    ok = np.array([r[cols.index("gold")] == r[cols.index("predicted")] for r in rows])
    if ok.all() or not ok.any():
        return None
    lr = LogisticRegression(C=1e4).fit(np.log(c / (1 - c))[:, None], ok)
    return [round(float(lr.coef_[0, 0]), 4), round(float(lr.intercept_[0]), 4)]

