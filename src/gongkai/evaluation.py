"""Character-weighted section accuracy of predicted paragraphs against gold paragraphs.

Paragraph boundaries may differ (crawler text glues paragraphs; PDF rejoining may
split differently), so accuracy is counted per character: each predicted
paragraph is located in the gold text, and each of its characters counts as right
when the gold label at that position equals the predicted label.
"""
from __future__ import annotations

import re
import unicodedata


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def char_accuracy(gold: list[tuple[str, str]], pred: list[tuple[str, str]]) -> tuple[int, int, int]:
    """Return ``(correct_chars, located_chars, total_pred_chars)``."""
    text = ""
    labels: list[str] = []
    for lab, t in gold:
        n = _norm(t)
        text += n
        labels.extend([lab] * len(n))
    pos = 0
    correct = located = total = 0
    for lab, t in pred:
        n = _norm(t)
        if not n:
            continue
        total += len(n)
        i = text.find(n, pos)
        if i < 0:
            i = text.find(n)
        if i < 0:
            # locate by the first 12 characters, else by the last 12 (as score.py does: a reader may drop
            # markup the gold text kept at a paragraph's start), and score the overlap
            i = text.find(n[:12], pos)
            if i < 0 and len(n) > 12:
                j = text.find(n[-12:], pos)
                i = j - (len(n) - 12) if j >= 0 else -1
            if i < 0:
                continue
        pos = i + len(n)
        seg = labels[i:i + len(n)]
        located += len(seg)
        correct += sum(1 for g in seg if g == lab)
    return correct, located, total
