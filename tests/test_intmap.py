"""The hash table the packed section model looks n-grams and words up in."""
from __future__ import annotations

import numpy as np
import pytest

from gongkai.sections.intmap import IntMap


@pytest.mark.parametrize("keys", [
    np.random.default_rng(1).choice(np.arange(-2**62, 2**62, 2**40), 5000, replace=False),  # spread over int64
    np.arange(0, 7 * 3000, 7),  # regular: neighbours hash close together, so probing is exercised
    np.array([0, -1, 5]),  # 0 is a key like any other (an empty slot is marked by its index, not its key)
    np.array([], dtype=np.int64),
])
def test_intmap_gives_each_keys_index_and_minus_one_for_the_rest(keys):
    m = IntMap(keys)
    rng = np.random.default_rng(2)
    queries = np.concatenate([keys, rng.integers(-2**62, 2**62, 5000), np.arange(-10, 25000)])
    where = {int(k): i for i, k in enumerate(keys)}
    assert m.get(queries).tolist() == [where.get(int(q), -1) for q in queries]


def test_intmap_refuses_repeated_keys():
    with pytest.raises(ValueError):
        IntMap(np.array([3, 4, 3]))
