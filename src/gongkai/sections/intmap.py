"""A read-only hash table from int64 keys to their positions, looked up for a whole array at once.

The packed section model turns n-grams and words into integer keys (:mod:`gongkai.sections.packed`,
:mod:`gongkai.sections.wordcut`) and needs, for hundreds of thousands of keys per call, each key's index in
a vocabulary of tens of thousands.  ``numpy.searchsorted`` does that in O(log n) scattered reads a key; an
open-addressing table (multiplicative hashing, linear probing, at most a quarter full) does it in about one
read a key, all keys probed together, one numpy step a probe.
"""
from __future__ import annotations

import numpy as np

_MULT = np.uint64(0x9E3779B97F4A7C15)  # Knuth's multiplicative constant (2^64 / golden ratio), odd


class IntMap:
    """``IntMap(keys).get(queries)``: the index in ``keys`` of each query, -1 where it is not a key."""

    def __init__(self, keys: np.ndarray):
        keys = np.asarray(keys, dtype=np.int64)
        if len(np.unique(keys)) != len(keys):
            raise ValueError("IntMap keys must be distinct")
        self.bits = max(4, int(4 * max(len(keys), 1) - 1).bit_length())  # table of 2^bits slots, ≤ 1/4 full
        size = 1 << self.bits
        self._keys = np.zeros(size, dtype=np.int64)
        self._index = np.full(size, -1, dtype=np.int64)  # -1: an empty slot
        todo = np.arange(len(keys))
        slot = self._hash(keys)
        while len(todo):  # each round, every empty slot wanted takes the first key that wants it
            want = slot[todo]
            free = self._index[want] < 0
            first = np.unique(want[free], return_index=True)[1]
            placed = todo[free][first]
            self._keys[slot[placed]] = keys[placed]
            self._index[slot[placed]] = placed
            rest = np.setdiff1d(todo, placed, assume_unique=True)
            slot[rest] = (slot[rest] + 1) & (size - 1)
            todo = rest
        self._mask = size - 1

    def _hash(self, keys: np.ndarray) -> np.ndarray:
        h = np.ascontiguousarray(keys, dtype=np.int64).view(np.uint64) * _MULT
        return (h >> np.uint64(64 - self.bits)).view(np.int64)

    def get(self, queries: np.ndarray) -> np.ndarray:
        queries = np.ascontiguousarray(queries, dtype=np.int64)
        slot = self._hash(queries)
        idx = self._index[slot]
        hit = self._keys[slot] == queries
        out = np.where(hit, idx, -1)  # an empty slot's key is 0 but its index -1: a miss either way
        todo = np.flatnonzero((idx >= 0) & ~hit)  # an occupied slot holding another key: probe the next ones
        while len(todo):
            slot[todo] = (slot[todo] + 1) & self._mask
            s = slot[todo]
            idx = self._index[s]
            hit = self._keys[s] == queries[todo]
            out[todo[hit]] = idx[hit]
            todo = todo[(idx >= 0) & ~hit]
        return out
