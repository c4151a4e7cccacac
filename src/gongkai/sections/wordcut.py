"""jieba's dictionary cut (``lcut(text, HMM=False)``) of many text blocks at once, vectorised with numpy.

jieba cuts a block of Chinese, Latin letters and digits by building a DAG of the dictionary words that
start at each character and taking the most probable path through it, right to left, one character at a
time, in Python.  For the section model that loop was three quarters of the prediction time.  Here every
block of a batch is laid end to end in one array and the same dynamic programme runs over all of them at
once: a character's best path depends only on characters to its right in its own block, so all the
characters at the same distance from their block's end are decided in one numpy step.

The result is the same words jieba gives (a test holds them equal), ties included: of two paths with the
same log-probability jieba keeps the one whose first word is longer, and so does :meth:`DagCutter.cut`.

Words are found by integer keys: each character of the dictionary gets a small id, a word of up to
:attr:`DagCutter.exact` characters is its ids packed into one int64, looked up in a hash table
(:class:`~.intmap.IntMap`) of the dictionary's words of that length.  Longer words (rare) are found by
their packed prefix and then checked as strings.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .intmap import IntMap

_NO_WORD = -np.inf


class DagCutter:
    """The no-HMM jieba cut over the dictionary ``words`` (with their frequencies) of many blocks at once.

    A block is a run that jieba's ``re_han_default`` matches whole (Chinese characters, Latin letters,
    digits and ``+#&._%-``); other text (punctuation, spaces) follows jieba's own rules and is not cut here."""

    def __init__(self, words: Sequence[str], freqs: Sequence[int]):
        total = sum(max(int(f), 1) for f in freqs)
        floor = -math.log(total)  # jieba: a character no word starts with counts as frequency 1
        self.floor = floor
        self.logp = {w: math.log(max(int(f), 1)) + floor for w, f in zip(words, freqs) if w}
        chars = sorted({c for w in self.logp for c in w})
        self._cps = np.array([ord(c) for c in chars], dtype=np.int64)
        self._id_of = np.zeros(int(self._cps.max(initial=0)) + 2, dtype=np.int64)  # code point → id (0: none)
        self._id_of[self._cps] = np.arange(1, len(chars) + 1)
        self.bits = max(1, len(chars).bit_length())  # ids 1..len(chars); 0 = no dictionary word has it
        self.exact = max(1, 63 // self.bits)  # words this long or shorter have an exact int64 key
        self.longest = max((len(w) for w in self.logp), default=1)
        by_length: dict[int, dict[int, float]] = {}
        long: dict[int, set[int]] = {}  # length > exact: the keys of the words' first `exact` characters
        for w, lp in self.logp.items():
            if len(w) <= self.exact:
                by_length.setdefault(len(w), {})[self._key(w)] = lp
            else:
                long.setdefault(len(w), set()).add(self._key(w[: self.exact]))
        self._keys: dict[int, tuple[IntMap, np.ndarray]] = {}
        for n, table in by_length.items():
            self._keys[n] = (IntMap(np.array(list(table), dtype=np.int64)), np.array(list(table.values()), dtype=np.float64))
        self._long_keys = {n: IntMap(np.array(sorted(s), dtype=np.int64)) for n, s in long.items()}

    def _key(self, word: str) -> int:
        ids = np.searchsorted(self._cps, [ord(c) for c in word]) + 1
        return sum(int(i) << (self.bits * j) for j, i in enumerate(ids))

    def cut(self, blocks: Sequence[str]) -> list[tuple[str, ...]]:
        """The words of each block, as ``jieba.lcut(block, HMM=False)`` gives them."""
        words, bounds = self.cut_flat(blocks)
        return [tuple(words[a:b]) for a, b in zip(bounds, bounds[1:])]

    def cut_flat(self, blocks: Sequence[str]) -> tuple[list[str], list[int]]:
        """The words of all the blocks in one list, and where each block's words begin in it (one bound more
        than there are blocks: block ``k`` has ``words[bounds[k]:bounds[k + 1]]``)."""
        if not blocks:
            return [], [0]
        flat, starts, ends = self._lay_out(list(blocks))
        return self._words(flat, starts, ends, self._best_paths(flat, starts, ends))

    # -- steps -----------------------------------------------------------------------------------

    def _lay_out(self, blocks: list[str]) -> tuple[str, np.ndarray, np.ndarray]:
        """The blocks end to end, one separator after each (no word runs over it); each block's start and end."""
        flat = "\x00".join(blocks) + "\x00"
        lengths = np.array([len(b) for b in blocks], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]]).astype(np.int64)
        return flat, starts, starts + lengths

    def _word_scores(self, flat: str) -> np.ndarray:
        """``lp[p, n-1]``: the log-probability of the dictionary word of ``n`` characters at ``p`` (else -inf);
        a character where no word starts gets jieba's one-character fallback."""
        cps = np.frombuffer(flat.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        ids = self._id_of[np.minimum(cps, len(self._id_of) - 1)]
        size = len(cps)
        ids = np.concatenate([ids, np.zeros(self.longest, dtype=np.int64)])
        lp = np.full((size, self.longest), _NO_WORD)
        key = np.zeros(size, dtype=np.int64)
        known = np.ones(size, dtype=bool)
        for n in range(1, min(self.exact, self.longest) + 1):
            part = ids[n - 1: n - 1 + size]
            known &= part != 0
            key |= part << (self.bits * (n - 1))
            if n in self._keys:
                table, values = self._keys[n]
                at = np.flatnonzero(known)
                found = table.get(key[at])
                lp[at[found >= 0], n - 1] = values[found[found >= 0]]
        for n, prefixes in self._long_keys.items():
            at = np.flatnonzero(known)
            at = at[prefixes.get(key[at]) >= 0]
            for p in at.tolist():
                word = flat[p: p + n]
                if len(word) == n and word in self.logp:
                    lp[p, n - 1] = self.logp[word]
        none = ~np.isfinite(lp).any(axis=1)
        lp[none, 0] = self.floor
        return lp

    def _best_paths(self, flat: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """jieba's ``calc``: each character's best path to its block's end, all characters at the same distance
        from their end in one step; ``end_of[p]`` is where the best path's first word from ``p`` ends (exclusive)."""
        lp = self._word_scores(flat)
        size, width = lp.shape
        lengths = ends - starts
        block_of = np.repeat(np.arange(len(starts)), lengths + 1)[:size]
        distance = ends[block_of] - np.arange(size)  # 0 at the separator after each block
        order = np.argsort(distance, kind="stable")
        bounds = np.searchsorted(distance[order], np.arange(int(lengths.max(initial=0)) + 2))
        score = np.zeros(size + width)
        end_of = np.arange(size) + 1
        span = np.arange(width)
        for d in range(1, len(bounds) - 1):
            at = order[bounds[d]: bounds[d + 1]]
            cand = lp[at] + score[at[:, None] + span + 1]
            back = cand[:, ::-1]  # of equal scores jieba keeps the longer word: the last maximum
            best = width - 1 - back.argmax(axis=1)
            score[at] = cand[np.arange(len(at)), best]
            end_of[at] = at + best + 1
        return end_of

    def _words(self, flat: str, starts: np.ndarray, ends: np.ndarray, end_of: np.ndarray) -> tuple[list[str], list[int]]:
        """Follow every block's best path from its start, all blocks a word at a time; then run single Latin
        letters and digits in a row together, as jieba does."""
        at, stop = starts[ends > starts], ends[ends > starts]
        firsts = []
        while at.size:
            firsts.append(at)
            at = end_of[at]
            more = at < stop
            at, stop = at[more], stop[more]
        if not firsts:
            return [], [0] * (len(starts) + 1)
        first = np.sort(np.concatenate(firsts))
        last = end_of[first]
        block = np.searchsorted(starts, first, side="right") - 1
        single = last - first == 1
        if single.any():
            cps = np.frombuffer(flat.encode("utf-32-le"), dtype=np.uint32)[first]
            latin = single & (((cps | 32) >= 97) & ((cps | 32) <= 122) | ((cps >= 48) & (cps <= 57)))
            joined = np.zeros(len(first), dtype=bool)
            joined[1:] = latin[1:] & latin[:-1] & (block[1:] == block[:-1])
            if joined.any():
                keep = ~joined
                tail = np.flatnonzero(np.r_[keep[1:], True])  # each run's last word
                first, last, block = first[keep], last[tail], block[keep]
        words = [flat[a:b] for a, b in zip(first.tolist(), last.tolist())]
        return words, np.searchsorted(block, np.arange(len(starts) + 1)).tolist()
