"""Put headings, the classifier and the smoothing together: one label per paragraph.

``tag(paragraphs)`` takes the paragraph texts with their heading flags and
returns ``(label, confidence, by)`` for each.  Without a model, headings alone
decide and paragraphs inherit the section of the heading above them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import LABELS
from .headings import TOP_ORDINAL, is_heading_line
from .smoothing import decode, step_kinds

IDX = {l: i for i, l in enumerate(LABELS)}
HEADING_WEIGHT = 0.97
UNDER_HEADING = 8.0  # how much more likely a paragraph is to belong to the section its heading opened


@dataclass
class Para:
    text: str
    heading: bool = False
    cont: bool = False  # a unit that continues the paragraph of the one before (:mod:`.units`)


def heading_labels(paras: list[Para]) -> list[str | None]:
    """The label each paragraph's own heading gives (top-level headings only)."""
    out: list[str | None] = []
    for p in paras:
        lab = None
        h = is_heading_line(p.text) if (p.heading or len(p.text) <= 40) else None
        if h is not None and h.level == 1 and h.label is not None:
            lab = h.label
        out.append(lab)
    return out


def tag(paras: list[Para], model=None) -> list[tuple[str, float, str]]:
    n = len(paras)
    if n == 0:
        return []
    hl = heading_labels(paras)
    text = None  # what the paragraphs' words alone say (a model's text view)
    if model is not None:
        probs, text = model.predict_views(paras, hl)
    else:
        probs = _heading_prior(hl)
    E = np.array(probs, dtype=float)
    under: str | None = None
    for i, lab in enumerate(hl):
        under = lab or under
        if lab is None and under is not None:
            E[i, IDX[under]] *= UNDER_HEADING  # the section the heading above opened: strong, not absolute
    for i, lab in enumerate(hl):
        if lab is not None:
            row = np.full(len(LABELS), (1 - HEADING_WEIGHT) / (len(LABELS) - 1))
            row[IDX[lab]] = HEADING_WEIGHT
            E[i] = row
    # a numbered top-level heading may open any section (legacy orders); a bare title keeps the usual order
    free = [lab is not None and TOP_ORDINAL.match(p.text) is not None for lab, p in zip(hl, paras)]
    path, post = decode(E, free, getattr(model, "transitions", None), getattr(model, "start", None), [p.cont for p in paras],
                        step_kinds([p.text for p in paras]), getattr(model, "transitions_by_step", None))
    conf = confidence(post, E / E.sum(axis=1, keepdims=True), path, getattr(model, "calibration", None), text)
    out = []
    current_heading: str | None = None
    for i, k in enumerate(path):
        label = LABELS[k]
        if hl[i] is not None:
            current_heading = hl[i]
        by = "heading" if (current_heading == label or (current_heading is None and label == "preamble" and model is None)) else "classifier"
        out.append((label, conf[i], by))
    return out


def confidence(post: np.ndarray, own: np.ndarray, path: list[int], calibration: np.ndarray | None = None,
               text: np.ndarray | None = None) -> list[float]:
    """How sure the tagger is of each paragraph's label: the geometric mean of the sequence model's
    posterior, the paragraph's own evidence for the label (classifier, heading) and, from a model, the
    evidence of the paragraph's words alone (``text``: the classifier's score without its layout part).

    The posterior alone is overconfident where a run of neighbours carries a label the paragraph's own
    evidence does not support; the classifier alone where its layout features (length, position) carry a
    label its words do not support: on held-out real reports a legacy report's numbered key-area items
    (long, early: the overview, by layout) were read as the overview with posterior 1.0 and own evidence
    0.46-0.95, while their words gave that label 0.004-0.08.  The three together flag such errors (measured
    leave-one-report-out on real reports: see the model card).  A model trained with real reports held out
    carries ``calibration`` ``(a, b)``, fitted on those held-out predictions (Platt scaling): the confidence
    is then ``σ(a·logit(c) + b)``, the observed share of correct labels at that score."""
    k = np.asarray(path)
    rows = np.arange(len(path))
    parts = [post[rows, k], own[rows, k]] + ([text[rows, k]] if text is not None else [])
    c = np.prod([np.clip(p, 1e-9, 1.0) for p in parts], axis=0) ** (1.0 / len(parts))
    if calibration is not None:
        c = np.clip(c, 1e-6, 1 - 1e-6)
        c = 1.0 / (1.0 + np.exp(-(calibration[0] * np.log(c / (1 - c)) + calibration[1])))
    return [float(round(x, 4)) for x in c]


def _heading_prior(hl: list[str | None]) -> list[np.ndarray]:
    """Without a model: a paragraph belongs to the section of the last heading above it."""
    out = []
    cur = "preamble"
    for lab in hl:
        if lab is not None:
            cur = lab
        row = np.full(len(LABELS), 0.02)
        row[IDX[cur]] = 0.86
        out.append(row / row.sum())
    return out
