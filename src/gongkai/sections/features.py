"""Paragraph features for the section classifier.

A paragraph is given to the model as a dict: ``text``, ``pos`` (relative index
in the document), ``cpos`` (relative character offset), ``heading`` (the reader
flagged it), ``after`` (the label of the last detected heading above, or
``none``); in training, ``generated`` marks a generated report's paragraph, whose position features are
left at zero so that their weights are learned from real reports alone (the generator's sections
are shorter and end earlier than real ones).  ``layout_matrix`` turns the non-text part into a dense matrix; the
text goes to the word and character TF-IDF vectorisers.  This module needs numpy only
(scikit-learn is for training).
"""
from __future__ import annotations

import math
import re

import numpy as np

from . import LABELS

AFTER = ["none"] + LABELS
_DIGITS = re.compile(r"\d")
_ORD = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")


HEAD_CHARS = 160  # the n-gram features read a paragraph's first characters; length is a layout feature


def text_of(rows) -> list[str]:
    """The text the n-gram vectorisers read: the head of each paragraph (bounded cost per paragraph)."""
    return [r["text"][:HEAD_CHARS] for r in rows]



def layout_matrix(rows) -> np.ndarray:
    """Position, length, digit share, heading flags and the section of the heading above."""
    out = np.zeros((len(rows), 9 + len(AFTER)), dtype=np.float32)
    for i, r in enumerate(rows):
        t = r["text"]
        n = max(len(t), 1)
        pos, cpos = r.get("pos", 0.0), r.get("cpos", 0.0)
        if not r.get("generated"):  # a generated report's positions are not a real one's: real text carries them
            # by characters, not by paragraph index: cutting a paragraph into units (or a reader joining
            # lines) moves the index of every later paragraph, not its character offset
            out[i, 0] = cpos
            out[i, 1] = cpos * cpos
            out[i, 2] = 1.0 if pos == 0 else 0.0
            out[i, 3] = 1.0 if pos >= 0.999 else 0.0
        out[i, 4] = math.log1p(n) / 8
        out[i, 5] = len(_DIGITS.findall(t)) / n
        out[i, 6] = 1.0 if r.get("heading") else 0.0
        out[i, 7] = 1.0 if _ORD.match(t) else 0.0
        out[i, 8] = 1.0 if t.endswith(("。", "；")) else 0.0
        out[i, 9 + AFTER.index(r.get("after", "none"))] = 1.0
    return out


def in_label_order(P: np.ndarray, classes: list[str]) -> np.ndarray:
    """Class probabilities reordered to :data:`LABELS` (a label the model never saw gets a floor of 1e-6)."""
    out = np.full((P.shape[0], len(LABELS)), 1e-6)
    for j, c in enumerate(classes):
        out[:, LABELS.index(c)] = P[:, j]
    return out / out.sum(axis=1, keepdims=True)


def rows_for(texts: list[str], heading_flags: list[bool], heading_labels: list[str | None]) -> list[dict]:
    n = len(texts)
    total = sum(len(t) for t in texts) or 1
    rows = []
    acc = 0
    after = "none"
    for i, (t, h, hl) in enumerate(zip(texts, heading_flags, heading_labels)):
        if hl is not None:
            after = hl
        rows.append({"text": t, "pos": i / (n - 1) if n > 1 else 0.0, "cpos": acc / total, "heading": bool(h), "after": after})
        acc += len(t)
    return rows
