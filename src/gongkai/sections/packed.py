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
        self.char_idf = arrays["char_idf"].astype(np.float64)
        self.weights = np.ascontiguousarray(arrays["coef"].astype(np.float64).T)  # features × classes
        self.intercept = arrays["intercept"].astype(np.float64)
        self.char_range = (int(arrays["char_ngram_range"][0]), int(arrays["char_ngram_range"][1]))
        if self.char_range[1] > 3:
            raise ValueError("character n-grams of more than three characters")
        # the character n-grams as integer keys (see _gram_key), sorted, for a vectorised lookup
        keys = np.array([_gram_key(str(g)) for g in arrays["char_vocab"]], dtype=np.int64)
        self._char_order = np.argsort(keys)
        self._char_keys = keys[self._char_order]
        self.seg_words = [str(w) for w in arrays["seg_words"]]
        self.seg_freqs = [int(f) for f in arrays["seg_freqs"]]
        self._tokenizer: Any = None
        self._logp: dict[str, float] | None = None
        self._trie: dict = {}
        self._floor = 0.0
        self.segmenter = "jieba"
        # the sequence model learned from labelled documents (older models: the hand-set one)
        self.transitions = arrays["transitions"].astype(np.float64) if "transitions" in arrays else None
        self.start = arrays["start"].astype(np.float64) if "start" in arrays else None
        self.transitions_by_step = arrays["transitions_by_step"].astype(np.float64) if "transitions_by_step" in arrays else None
        # confidence calibration fitted on held-out real reports (train --loo); older models: none
        self.calibration = arrays["calibration"].astype(np.float64) if "calibration" in arrays else None

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
            self._trie = {}
            for w, lp in self._logp.items():  # the dictionary's words as a trie: "" holds a word's log-probability
                at = self._trie
                for ch in w:
                    at = at.setdefault(ch, {})
                at[""] = lp
            self._floor = floor
        logp, trie, floor = self._logp, self._trie, self._floor
        n = len(block)
        score = [0.0] * (n + 1)  # the best path's log-probability from each position to the end …
        end = list(range(n + 1))  # … and where its first word ends
        for k in range(n - 1, -1, -1):
            best: float | None = None
            last = k
            node: dict | None = trie.get(block[k])
            i = k
            while node is not None:  # every dictionary word that starts at k (jieba's DAG), shortest first
                word = node.get("")
                if word is not None:
                    s = word + score[i + 1]
                    if best is None or s >= best:  # a tie goes to the longer word, as jieba's max over (score, end)
                        best, last = s, i
                i += 1
                if i >= n:
                    break
                node = node.get(block[i])
            score[k] = best if best is not None else logp.get(block[k], floor) + score[k + 1]
            end[k] = last
        words: list[str] = []
        buf = ""
        x = 0
        while x < n:
            y = end[x] + 1
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

    def _char_block(self, heads: list[str], offset: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The character n-gram block's non-zeros (as :meth:`_block` gives the word block's), the n-grams made
        as scikit-learn's ``analyzer="char"`` makes them (lower-cased, runs of spaces folded), vectorised:
        every text's code points in one array, each n-gram an integer key, looked up in the sorted vocabulary."""
        texts = [_WHITE.sub(" ", h.lower()) for h in heads]
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        if not lengths.sum():
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        cps = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        row_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        ends = np.cumsum(lengths)  # a gram may not run past its own text's end
        end_of = np.repeat(ends, lengths)
        at = np.arange(len(cps), dtype=np.int64)
        lo, hi = self.char_range
        rows_out, keys_out = [], []
        for n in range(lo, hi + 1):
            ok = at + n <= end_of
            key = np.full(int(ok.sum()), 0, dtype=np.int64)
            idx = at[ok]
            for j in range(3):
                part = cps[idx + j] if j < n else np.full(len(idx), _NONE, dtype=np.int64)
                key |= part << (21 * j)
            rows_out.append(row_of[ok])
            keys_out.append(key)
        rows, keys = np.concatenate(rows_out), np.concatenate(keys_out)
        pos = np.searchsorted(self._char_keys, keys)
        pos[pos >= len(self._char_keys)] = 0
        hit = self._char_keys[pos] == keys
        rows, cols = rows[hit], self._char_order[pos[hit]]
        if not len(rows):
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        width = len(self._char_keys) + 1
        uniq, counts = np.unique(rows * width + cols, return_counts=True)
        return uniq // width, uniq % width + offset, counts

    def scores(self, rows: Sequence[dict]) -> np.ndarray:
        """The linear scores (rows × classes): the sparse TF-IDF blocks (sublinear tf, l2-normalised per block)
        times the weights, plus the layout part; one vectorised pass for all rows."""
        nw, nc = len(self.word_idf), len(self.char_idf)
        heads = [r["text"][:HEAD_CHARS] for r in rows]
        z = layout_matrix(rows).astype(np.float64) @ self.weights[nw + nc:]
        idf = np.concatenate([self.word_idf, self.char_idf])
        for r, c, n in (self._block([self.words(h) for h in heads], self.word_index, 0), self._char_block(heads, nw)):
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


_NONE = (1 << 21) - 1  # above every code point: marks the missing characters of a shorter n-gram


def _gram_key(gram: str) -> int:
    """An n-gram of up to three characters as one integer: 21 bits a character, :data:`_NONE` for absent ones."""
    key = 0
    for j in range(3):
        key |= (ord(gram[j]) if j < len(gram) else _NONE) << (21 * j)
    return key


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
        **({"transitions_by_step": model.transitions_by_step.astype(np.float64)}
           if getattr(model, "transitions_by_step", None) is not None else {}),
        **({"calibration": model.calibration.astype(np.float64)} if getattr(model, "calibration", None) is not None else {}),
    }
