"""Picklable analyzers for the word TF-IDF (module-level, so a saved model can find them)."""
from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _rjieba_cut():
    try:
        import rjieba

        return rjieba.cut
    except ImportError:  # the same words from jieba when the Rust port is missing
        from ..segment import _jieba

        tok = _jieba()
        return lambda s: tok.lcut(s, HMM=False)


def rjieba_tokens(text: str) -> list[str]:
    out = []
    for w in _rjieba_cut()(text):
        if not w.strip():
            continue
        out.append("0" if w.isdigit() else w)
    return out


def jieba_tokens(text: str) -> list[str]:
    from ..segment import tokens_for_tfidf

    return tokens_for_tfidf(text)


class bigrams_of:
    """Word unigrams and bigrams from the named segmenter (a picklable callable)."""

    def __init__(self, segmenter: str = "rjieba"):
        self.segmenter = segmenter

    def __call__(self, text: str) -> list[str]:
        toks = rjieba_tokens(text) if self.segmenter == "rjieba" else jieba_tokens(text)
        return toks + [a + " " + b for a, b in zip(toks, toks[1:])]
