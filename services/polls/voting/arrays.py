"""numpy arrays of integer weights that stay exact (the ranked reader and the profile share them;
a module of its own so that neither imports the other)."""

from __future__ import annotations

import numpy as np

# Below this, float64 sums of integers are exact, so numpy's fast bincount/matmul can be used.
EXACT_FLOAT_LIMIT = 2**53


def integer_array(values: list[int]) -> np.ndarray:
    """int64 when all sums of these values are exact in float64, else an object array."""
    if sum(values) < EXACT_FLOAT_LIMIT:
        return np.array(values, dtype=np.int64)
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array
