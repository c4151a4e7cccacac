"""Evaluation of section tagging: accuracy, macro-F1, per-label scores, confusion, CV.

Two kinds of gold are read:

* labelled paragraphs (generated gold, JSONL): the tagger runs on the gold
  paragraphs; accuracy is per paragraph and per character;
* document gold in the format of ``../shared/tools/score.py`` (``gold.json`` beside
  the report file, with section anchors): the full parse runs and accuracy is
  per character against the anchors.

Each is also measured with every section heading removed.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from . import LABELS
from .classifier import doc_rows
from .corpus import read_json
from .tagger import Para, tag


def _tag_texts(texts, heads, model, drop_headings):
    keep, _ = doc_rows(texts, heads, drop_headings)
    paras = [Para(t, h) for t, h in keep]
    return keep, [lab for lab, _, _ in tag(paras, model=model)]


def evaluate_docs(docs: dict, model, drop_headings: bool = False) -> dict:
    y_true, y_pred, w = [], [], []
    for paras in docs.values():
        texts = [t for t, _, _ in paras]
        heads = [h for _, _, h in paras]
        gold = {i: lab for i, (_, lab, _) in enumerate(paras)}
        keep, pred = _tag_texts(texts, heads, model, drop_headings)
        j = 0
        for i, t in enumerate(texts):
            if j < len(keep) and keep[j][0] == t:
                y_true.append(gold[i])
                y_pred.append(pred[j])
                w.append(len(t))
                j += 1
    return scores(y_true, y_pred, w)


def scores(y_true, y_pred, weights) -> dict:
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    labels = [l for l in LABELS if l in set(y_true) | set(y_pred)]
    acc = float(np.mean([a == b for a, b in zip(y_true, y_pred)])) if y_true else 0.0
    wacc = float(sum(wt for a, b, wt in zip(y_true, y_pred, weights) if a == b) / max(1, sum(weights)))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    return {
        "paragraphs": len(y_true), "accuracy": round(acc, 4), "char_accuracy": round(wacc, 4),
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=labels, average="macro", zero_division=0)), 4),
        "per_label": {l: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4), "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, l in enumerate(labels)},
        "labels": labels, "confusion": confusion_matrix(y_true, y_pred, labels=labels).tolist(),
    }


def anchors_to_paragraphs(gold: dict) -> list[tuple[str, str]]:
    """Score-format gold (text + section anchors) → [(label, text segment)]."""
    from ..evaluation import _norm

    text = _norm(gold.get("text", ""))
    bounds, pos = [], 0
    for label, anchor in gold.get("sections", []):
        i = text.find(_norm(anchor), pos)
        if i < 0:
            continue
        bounds.append((i, label))
        pos = i + 1
    out = []
    for k, (i, label) in enumerate(bounds):
        j = bounds[k + 1][0] if k + 1 < len(bounds) else len(text)
        out.append((label, text[i:j]))
    if bounds and bounds[0][0] > 0:
        out.insert(0, (bounds[0][1], text[: bounds[0][0]]))
    return out


def evaluate_real(gold_files: list[Path], model, drop_headings: bool = False) -> dict:
    """Character accuracy of the full parse against score-format gold files."""
    from ..evaluation import char_accuracy
    from ..readers import read

    per_doc = {}
    C = L = T = 0
    for g in gold_files:
        gold = read_json(g, g.read_text("utf-8"))
        src = g.parent / gold["source"]
        doc = read(src)
        texts = [b.text for b in doc.paragraphs]
        heads = [b.kind == "heading" for b in doc.paragraphs]
        keep, pred = _tag_texts(texts, heads, model, drop_headings)
        c, loc, tot = char_accuracy(anchors_to_paragraphs(gold), [(lab, t) for (t, _), lab in zip(keep, pred)])
        per_doc[f"{src.parent.name}/{src.name}"] = round(c / tot, 4) if tot else 0.0
        C, L, T = C + c, L + loc, T + tot
    return {"char_accuracy": round(C / T, 4) if T else 0.0, "located": round(L / T, 4) if T else 0.0, "per_doc": per_doc}


def cross_validate(docs: dict, folds: int = 5, **model_params) -> dict:
    from sklearn.model_selection import GroupKFold

    from .classifier import SectionModel

    keys = list(docs)
    folds = max(2, min(folds, len(keys)))
    res: dict[str, list] = {"with_headings": [], "headings_removed": []}
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(keys, groups=keys):
        m = SectionModel(**model_params).fit([docs[keys[i]] for i in train_idx])
        test = {keys[i]: docs[keys[i]] for i in test_idx}
        res["with_headings"].append(evaluate_docs(test, m)["char_accuracy"])
        res["headings_removed"].append(evaluate_docs(test, m, drop_headings=True)["char_accuracy"])
    return {k: {"mean": round(float(np.mean(v)), 4), "folds": v} for k, v in res.items()}
