"""The word features of the section model: unigrams and bigrams from a jieba tokenizer.

One definition, used by the scikit-learn pipeline at training time and by the packed model at run
time, so that both see the same words.  Numbers are folded to ``0``.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any


def word_grams(tokenizer: Any, text: str) -> list[str]:
    toks = ["0" if w.isdigit() else w for w in tokenizer.lcut(text, HMM=False) if w.strip()]
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


class WordGrams:
    """``word_grams`` bound to one tokenizer (the vectoriser's ``analyzer``)."""

    def __init__(self, tokenizer: Any):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> list[str]:
        return word_grams(self.tokenizer, text)


def model_dictionary(texts: Iterable[str], min_count: int = 2) -> tuple[list[str], list[int]]:
    """The segmenter dictionary a model ships: every word of two characters or more that jieba's full
    dictionary (with the domain words) finds in ``texts`` at least ``min_count`` times, with its frequency."""
    from ..segment import cut, full_dictionary_freq

    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(w for w in cut(t) if len(w) > 1 and not w.isascii())
    words = sorted(w for w, n in counts.items() if n >= min_count)
    return words, [full_dictionary_freq(w) or counts[w] for w in words]
