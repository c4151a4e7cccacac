"""The section model as plain arrays: what ships inside the package and runs without scikit-learn.

Training fits a scikit-learn ``Pipeline`` (:mod:`gongkai.sections.classifier`); :func:`pack` turns the
fitted pipeline into named numpy arrays (vocabularies, IDF weights, coefficients) and the segmenter's
dictionary, saved with ``numpy.savez_compressed``.  :class:`PackedModel` loads them with
``allow_pickle=False`` (a model file cannot run code) and predicts with numpy alone, the same
probabilities as the pipeline (a test holds them equal), in a fraction of the start-up time.

The word features need the segmenter the model was trained with: jieba's dictionary cut over the words
the training text used (``seg_words``/``seg_freqs``).  The packed model does that cut itself, for all its
paragraphs at once (:class:`~.wordcut.DagCutter`, the same words as jieba), and does not import jieba.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import BinaryIO

import numpy as np

from . import LABELS
from .features import in_label_order, layout_matrix, rows_for, text_of
from .intmap import IntMap
from .wordcut import DagCutter

_WHITE = re.compile(r"\s\s+")
_HAN = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)", re.U)  # jieba's re_han_default: what its dictionary cuts
CACHED_BLOCKS = 1 << 16


class PackedModel:
    """Section probabilities from the arrays :func:`pack` wrote."""

    def __init__(self, arrays: dict[str, np.ndarray], card: dict | None = None):
        self.card = card or {}
        self.classes = [str(c) for c in arrays["classes"]]
        self._ids: dict[str, int] = {}  # a word's token id (the vocabulary's words first, then words met later)
        self._tokens: list[str] = []  # a token id's word
        self._known = 0  # the ids below this are the vocabulary's
        self._index_words(arrays["word_vocab"])
        self.word_idf = arrays["word_idf"].astype(np.float64)
        self.char_idf = arrays["char_idf"].astype(np.float64)
        self.weights = np.ascontiguousarray(arrays["coef"].astype(np.float64).T)  # features × classes
        self.intercept = arrays["intercept"].astype(np.float64)
        self.char_range = (int(arrays["char_ngram_range"][0]), int(arrays["char_ngram_range"][1]))
        if self.char_range[1] > 3:
            raise ValueError("character n-grams of more than three characters")
        # the character n-grams as integer keys (see _gram_keys), for a vectorised lookup
        self._char_map = IntMap(_gram_keys(arrays["char_vocab"]))
        self.seg_words = [str(w) for w in arrays["seg_words"]]
        self.seg_freqs = [int(f) for f in arrays["seg_freqs"]]
        self._cutter: DagCutter | None = None  # built on the first call
        self._cut_cache: dict[str, tuple[int, ...]] = {}
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
        """The word unigrams and bigrams of ``text`` that the model counts, as strings (as
        :func:`~.analyzers.word_grams` gives them: numbers folded to ``0``)."""
        toks = [self._tokens[i] for i in self._token_ids([text])[0]]
        return toks + [a + " " + b for a, b in zip(toks, toks[1:])]

    def _token_ids(self, texts: Sequence[str]) -> list[tuple[int, ...]]:
        """Each text's words as token ids, numbers folded to ``0`` and whitespace dropped.

        jieba cuts a text block by block (runs of Chinese, letters and digits between punctuation), each on its
        own; the blocks of all the texts not met before are cut in one vectorised pass
        (:class:`~.wordcut.DagCutter`, the same words as jieba's ``lcut(text, HMM=False)``); the text between
        them jieba gives character by character, whitespace apart.  Clauses recur across paragraphs and reports,
        so each block's ids are kept for the next call (up to :data:`CACHED_BLOCKS` blocks)."""
        if self._cutter is None:
            self._cutter = DagCutter(self.seg_words, self.seg_freqs)
        parts = [[b for b in _HAN.split(t) if b] for t in texts]
        cache = self._cut_cache
        todo = list({b: None for ps in parts for b in ps if b not in cache})
        if len(cache) + len(todo) > CACHED_BLOCKS:  # full: start again, and cut every block of this call
            self.clear_cache()
            todo = list({b: None for ps in parts for b in ps})
        runs = [b for b in todo if _HAN.fullmatch(b)]
        words, bounds = self._cutter.cut_flat(runs)
        ids = self._ids_of(words)
        cache.update((b, tuple(ids[x:y])) for b, x, y in zip(runs, bounds, bounds[1:]))
        for b in todo:
            if b not in cache:  # punctuation and spaces: one word a character, whitespace dropped (as jieba)
                cache[b] = tuple(self._ids_of([c for c in b if not c.isspace()]))
        return [tuple(chain.from_iterable(cache[b] for b in ps)) for ps in parts]

    def _ids_of(self, words: list[str]) -> list[int]:
        """Each word's token id, numbers folded to ``0`` (a word met for the first time gets a new id)."""
        known = list(map(self._ids.get, words))  # most words are known: one C-level pass
        return [self._new_id(w) if i is None else i for w, i in zip(words, known)]

    def _new_id(self, word: str) -> int:
        folded = "0" if word.isdigit() else word
        i = self._ids.get(folded)
        if i is None:
            i = self._ids[folded] = len(self._tokens)
            self._tokens.append(folded)
        self._ids[word] = i
        return i

    def clear_cache(self) -> None:
        """Forget the words of text blocks cut before, and the words outside the vocabulary met in them (a
        benchmark times a cold start; a long run keeps its memory bounded)."""
        self._cut_cache.clear()
        del self._tokens[self._known:]
        self._ids = {w: i for i, w in enumerate(self._tokens)}

    def _index_words(self, vocab: np.ndarray) -> None:
        """Token ids for the vocabulary's words (a unigram is one word, a bigram two joined by a space); the
        unigram columns by token id, the bigrams by the key ``first id << 32 | second id``.  Vectorised: this
        is most of a model's load time."""
        vocab = np.asarray(vocab, dtype=str)
        first, space, second = np.strings.partition(vocab, " ")
        pair = space == " "
        tokens, ids = np.unique(np.concatenate([first, second[pair]]), return_inverse=True)
        self._tokens = tokens.tolist()
        self._ids = dict(zip(self._tokens, range(len(self._tokens))))
        self._known = len(self._tokens)
        self._uni_col = np.full(self._known + 1, -1, dtype=np.int64)
        self._uni_col[ids[: len(vocab)][~pair]] = np.flatnonzero(~pair)
        self._pair_map = IntMap(ids[: len(vocab)][pair] << 32 | ids[len(vocab):])
        self._pair_cols = np.flatnonzero(pair)

    def _word_block(self, heads: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of a vocabulary word gram: (row, column) arrays, a pair repeated as often as the gram
        occurs; unigrams found by token id, bigrams by the key of their two ids."""
        seqs = self._token_ids(heads)
        lengths = np.array([len(q) for q in seqs], dtype=np.int64)
        ids = np.fromiter(chain.from_iterable(seqs), dtype=np.int64, count=int(lengths.sum()))
        row = np.repeat(np.arange(len(seqs), dtype=np.int64), lengths)
        cols = self._uni_col[np.minimum(ids, self._known)]
        same = row[1:] == row[:-1]
        keys = (ids[:-1] << 32 | ids[1:])[same]
        pair = self._pair_map.get(keys)
        hit = pair >= 0
        rows = np.concatenate([row[cols >= 0], row[:-1][same][hit]])
        cols = np.concatenate([cols[cols >= 0], self._pair_cols[pair[hit]]])
        return rows, cols

    def _char_block(self, heads: list[str], offset: int) -> tuple[np.ndarray, np.ndarray]:
        """Every occurrence of a vocabulary character n-gram (as :meth:`_word_block`; columns after ``offset``),
        the n-grams made as scikit-learn's ``analyzer="char"`` makes them (lower-cased, runs of spaces folded),
        vectorised: every text's code points in one array, each n-gram an integer key, looked up in a hash table."""
        texts = [_WHITE.sub(" ", h.lower()) for h in heads]
        lengths = np.array([len(t) for t in texts], dtype=np.int64)
        if not lengths.sum():
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
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
        cols = self._char_map.get(keys)
        hit = cols >= 0
        return rows[hit], cols[hit] + offset

    def scores(self, rows: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
        """The linear scores (rows × classes) in two parts: the text's (the sparse TF-IDF blocks, sublinear tf,
        l2-normalised per block, times their weights, plus the intercept) and the layout's; one vectorised pass
        for all rows.  The model's score is their sum."""
        nw, nc = len(self.word_idf), len(self.char_idf)
        heads = text_of(rows)
        layout = layout_matrix(rows).astype(np.float64) @ self.weights[nw + nc:]
        z = np.zeros_like(layout) + self.intercept
        idf = np.concatenate([self.word_idf, self.char_idf])
        for r, c in (self._word_block(heads), self._char_block(heads, nw)):
            if not len(r):
                continue
            # a (row, column) pair repeated n times is a term counted n times; pairs sorted by row
            key, n = np.unique(r * len(idf) + c, return_counts=True)
            r, c = key // len(idf), key % len(idf)
            v = (1.0 + np.log(n)) * idf[c]
            v /= np.sqrt(np.bincount(r, weights=v * v, minlength=len(rows)))[r]
            first = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])  # where each row's terms begin
            z[r[first]] += np.add.reduceat(self.weights[c] * v[:, None], first)  # the sparse product, row by row
        return z, layout

    # -- prediction ------------------------------------------------------------------------------

    def predict_proba_rows(self, rows: Sequence[dict]) -> np.ndarray:
        return self.predict_views_rows(rows)[0]

    def predict_views_rows(self, rows: Sequence[dict]) -> tuple[np.ndarray, np.ndarray]:
        """The label probabilities (rows × :data:`LABELS`), and the text view's: the same model with the layout
        part of the score left out, what the paragraph's words alone say (:func:`~.tagger.confidence`)."""
        if not rows:
            return np.zeros((0, len(LABELS))), np.zeros((0, len(LABELS)))
        text, layout = self.scores(rows)
        return in_label_order(_softmax(text + layout), self.classes), in_label_order(_softmax(text), self.classes)

    def predict_views(self, paras, heading_labels) -> tuple[np.ndarray, np.ndarray]:
        rows = rows_for([p.text for p in paras], [p.heading for p in paras], heading_labels)
        return self.predict_views_rows(rows)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


_NONE = (1 << 21) - 1  # above every code point: marks the missing characters of a shorter n-gram


def _gram_keys(grams: np.ndarray) -> np.ndarray:
    """N-grams of up to three characters as integers: 21 bits a character, :data:`_NONE` for absent ones (the
    keys :meth:`PackedModel._char_block` makes of a text's n-grams)."""
    cps = np.asarray(grams, dtype="<U3").view(np.uint32).reshape(-1, 3).astype(np.int64)  # absent: 0
    cps[cps == 0] = _NONE
    return cps[:, 0] | cps[:, 1] << 21 | cps[:, 2] << 42


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
