"""The section model as plain arrays: what ships inside the package and runs without scikit-learn.

Training fits a scikit-learn ``Pipeline`` (:mod:`gongkai.sections.classifier`); :func:`pack` turns the
fitted pipeline into named numpy arrays (vocabularies, IDF weights, coefficients) and the segmenter's
dictionary, saved with ``numpy.savez_compressed``.  :class:`PackedModel` loads them with
``allow_pickle=False`` (a model file cannot run code) and predicts with numpy alone, the same
probabilities as the pipeline (a test holds them equal), in a fraction of the start-up time.

The word features need the segmenter the model was trained with: jieba over a dictionary of the words
the training text used (``seg_words``/``seg_freqs``), which loads in milliseconds where jieba's full
dictionary takes a second.
"""
from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from scipy.sparse import csr_matrix

from . import LABELS
from .features import HEAD_CHARS, in_label_order, layout_matrix, rows_for

_WHITE = re.compile(r"\s\s+")
_ENG = re.compile("[a-zA-Z0-9]", re.U)  # jieba's re_eng: single letters and digits are run together


class PackedModel:
    """Section probabilities from the arrays :func:`pack` wrote."""

    def __init__(self, arrays: dict[str, np.ndarray], card: dict | None = None):
        self.card = card or {}
        self.classes = [str(c) for c in arrays["classes"]]
        self.word_index = {str(w): i for i, w in enumerate(arrays["word_vocab"])}
        self.word_idf = arrays["word_idf"].astype(np.float64)
        self.char_index = {str(w): i for i, w in enumerate(arrays["char_vocab"])}
        self.char_idf = arrays["char_idf"].astype(np.float64)
        self.weights = np.ascontiguousarray(arrays["coef"].astype(np.float64).T)  # features × classes
        self.intercept = arrays["intercept"].astype(np.float64)
        self.char_range = (int(arrays["char_ngram_range"][0]), int(arrays["char_ngram_range"][1]))
        self.seg_words = [str(w) for w in arrays["seg_words"]]
        self.seg_freqs = [int(f) for f in arrays["seg_freqs"]]
        self._tokenizer: Any = None
        self._logp: dict[str, float] | None = None
        self._prefixes: dict[str, int] = {}
        self._floor = 0.0
        self.segmenter = "jieba"
        # the sequence model learned from labelled documents (older models: the hand-set one)
        self.transitions = arrays["transitions"].astype(np.float64) if "transitions" in arrays else None
        self.start = arrays["start"].astype(np.float64) if "start" in arrays else None

    @classmethod
    def load(cls, path: str | Path | BinaryIO, card: dict | None = None) -> PackedModel:
        with np.load(path, allow_pickle=False) as z:
            return cls({k: z[k] for k in z.files}, card)

    # -- features --------------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """Word unigrams and bigrams, numbers folded to ``0`` (as :class:`~.analyzers.bigrams_of`).

        jieba cuts a text block by block (runs of Chinese, letters and digits between punctuation), each
        on its own; clauses recur across paragraphs and reports, so each block's cut is cached: the same
        words as cutting the whole text, at a fraction of the cost."""
        if self._tokenizer is None:
            import jieba

            from ..segment import tokenizer_from_words

            self._tokenizer = tokenizer_from_words(self.seg_words, self.seg_freqs)
            self._blocks = jieba.re_han_default
            self._cut = lru_cache(maxsize=1 << 16)(self._cut_block)
        cut = self._cut
        toks = ["0" if w.isdigit() else w for b in self._blocks.split(text) if b for w in cut(b) if w.strip()]
        return toks + [a + " " + b for a, b in zip(toks, toks[1:])]

    def _cut_block(self, block: str) -> tuple[str, ...]:
        """jieba's cut of one block without its HMM (the same words as ``lcut(block, HMM=False)``): the most
        probable path through the dictionary words, with the log-probabilities computed once, not per call."""
        if not self._blocks.fullmatch(block):
            return tuple(self._tokenizer.lcut(block, HMM=False))  # punctuation and spaces: jieba's own rules
        if self._logp is None:
            tok = self._tokenizer
            floor = -math.log(tok.total)  # a word jieba does not know counts as frequency 1
            self._logp = {w: math.log(f) + floor for w, f in tok.FREQ.items() if f}
            self._prefixes = tok.FREQ
            self._floor = floor
        logp, prefixes, floor = self._logp, self._prefixes, self._floor
        n = len(block)
        best = [(0.0, 0)] * (n + 1)
        for k in range(n - 1, -1, -1):
            cands = []
            i = k + 1
            frag = block[k]
            while frag in prefixes:
                if frag in logp:
                    cands.append((logp[frag] + best[i][0], i - 1))
                if i >= n:
                    break
                i += 1
                frag = block[k:i]
            best[k] = max(cands) if cands else (logp.get(block[k], floor) + best[k + 1][0], k)
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = best[x][1] + 1
            w = block[x:y]
            if len(w) == 1 and _ENG.match(w):
                buf += w
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(w)
            x = y
        if buf:
            words.append(buf)
        return tuple(words)

    def clear_cache(self) -> None:
        """Forget the cached cuts of text blocks (a benchmark times a cold start)."""
        if self._tokenizer is not None:
            self._cut.cache_clear()

    def chars(self, text: str) -> list[str]:
        """Character n-grams as scikit-learn's ``analyzer="char"`` makes them (lower-cased, spaces folded)."""
        t = _WHITE.sub(" ", text.lower())
        lo, hi = self.char_range
        return [t[i:i + n] for n in range(lo, hi + 1) for i in range(len(t) - n + 1)]

    @staticmethod
    def _block(texts: list[list[str]], index: dict[str, int], offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One TF-IDF block's non-zeros for every row: (row, column, count), counted with numpy."""
        get = index.get
        lengths: list[int] = []
        cols: list[int] = []
        for grams in texts:
            ids = [j for j in map(get, grams) if j is not None]
            cols.extend(ids)
            lengths.append(len(ids))
        if not cols:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        width = len(index) + 1
        rows = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        keys, counts = np.unique(rows * width + np.array(cols, np.int64), return_counts=True)
        return keys // width, keys % width + offset, counts

    def scores(self, rows: Sequence[dict]) -> np.ndarray:
        """The linear scores (rows × classes): the sparse TF-IDF blocks (sublinear tf, l2-normalised per block)
        times the weights, plus the layout part; one vectorised pass for all rows."""
        nw, nc = len(self.word_idf), len(self.char_idf)
        heads = [r["text"][:HEAD_CHARS] for r in rows]
        z = layout_matrix(rows).astype(np.float64) @ self.weights[nw + nc:]
        idf = np.concatenate([self.word_idf, self.char_idf])
        for grams, index, offset in (([self.words(h) for h in heads], self.word_index, 0),
                                     ([self.chars(h) for h in heads], self.char_index, nw)):
            r, c, n = self._block(grams, index, offset)
            if not len(r):
                continue
            v = (1.0 + np.log(n.astype(np.float64))) * idf[c]
            norms = np.sqrt(np.bincount(r, weights=v * v, minlength=len(rows)))
            v /= norms[r]
            x = csr_matrix((v, (r, c)), shape=(len(rows), len(idf)))
            z += x @ self.weights[: len(idf)]
        return z + self.intercept

    # -- prediction ------------------------------------------------------------------------------

    def predict_proba_rows(self, rows: Sequence[dict]) -> np.ndarray:
        if not rows:
            return np.zeros((0, len(LABELS)))
        z = self.scores(rows)
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        return in_label_order(p, self.classes)

    def predict_proba_paragraphs(self, paras, heading_labels) -> np.ndarray:
        rows = rows_for([p.text for p in paras], [p.heading for p in paras], heading_labels)
        return self.predict_proba_rows(rows)


def pack(model, seg_words: list[str], seg_freqs: list[int]) -> dict[str, np.ndarray]:
    """The arrays of a fitted :class:`~.classifier.SectionModel` (see :class:`PackedModel`)."""
    feats = model.pipeline.named_steps["features"]
    clf = model.pipeline.named_steps["clf"]
    named = dict(feats.transformer_list)
    wv = named["words"].named_steps["tfidf"]
    cv = named["chars"].named_steps["tfidf"]

    def vocab(vec) -> tuple[np.ndarray, np.ndarray]:
        terms = sorted(vec.vocabulary_, key=vec.vocabulary_.__getitem__)
        return np.array(terms, dtype=str), vec.idf_.astype(np.float32)

    wvocab, widf = vocab(wv)
    cvocab, cidf = vocab(cv)
    coef = clf.coef_
    if coef.shape[0] != len(clf.classes_):
        raise ValueError("a section model needs three labels or more")
    return {
        "classes": np.array(clf.classes_, dtype=str),
        "word_vocab": wvocab, "word_idf": widf, "char_vocab": cvocab, "char_idf": cidf,
        "char_ngram_range": np.array(cv.ngram_range, dtype=np.int32),
        "coef": coef.astype(np.float32), "intercept": clf.intercept_.astype(np.float32),
        "seg_words": np.array(seg_words, dtype=str), "seg_freqs": np.array(seg_freqs, dtype=np.int64),
        **({"transitions": model.transitions.astype(np.float64), "start": model.start.astype(np.float64)}
           if getattr(model, "transitions", None) is not None else {}),
    }
