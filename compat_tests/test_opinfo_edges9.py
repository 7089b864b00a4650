"""Edge cases from torch's OpInfo database, deep run of round 9 (every sample and reference input in every dtype):
one differential test per class of failure, on several calls of the class."""
from __future__ import annotations

import numpy as np
import pytest

from compat_tests.harness import check

_RNG = np.random.default_rng(9)


# ---- tensors assembled from operands of several dtypes: each operand converted as c10 converts ----------------
@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # both libraries warn for complex32
@pytest.mark.parametrize("dtypes", [("float32", "complex32"), ("complex32", "float64"), ("int64", "bfloat16"),
                                    ("int64", "float16"), ("complex32", "complex32"), ("bool", "complex32")])
def test_block_diag_mixed_dtypes(dtypes: tuple) -> None:
    # int64 2**24 + 2**16 + 1 is rounded through float32 on its way to bfloat16 (c10), not directly
    values = [np.array([[2 ** 24 + 2 ** 16 + 1, 3]]), np.array([[1.5], [-2.25]])]
    check(lambda T, a, b: T.block_diag(a.to(getattr(T, dtypes[0])), b.to(getattr(T, dtypes[1])), a.to(T.float32)),
          values, grad=False)


# ---- combinations: torch's meshgrid of r copies, masked, so each column's gradient is one rounded sum ---------
@pytest.mark.parametrize("dtype", ["bfloat16", "float16", "float64"])
@pytest.mark.parametrize("n,r,with_replacement", [(2, 4, True), (3, 5, True), (5, 3, False), (4, 2, False),
                                                  (1, 3, True), (0, 2, False)])
def test_combinations_gradient_rounding(dtype: str, n: int, r: int, with_replacement: bool) -> None:
    check(lambda T, x: T.combinations(x.to(getattr(T, dtype)), r, with_replacement=with_replacement),
          [_RNG.standard_normal(n)], second_order=dtype == "float64")


@pytest.mark.parametrize("n,r,with_replacement", [(10, 20, False), (2, 63, True), (0, 5, False), (1, 100, True),
                                                  (1, 100, False), (3, 0, False), (3, -1, False)])
def test_combinations_sizes(n: int, r: int, with_replacement: bool) -> None:
    # the grid of n**r elements: its count overflows int64, or it has more dimensions than NumPy allows
    check(lambda T, x: T.combinations(x, r, with_replacement=with_replacement), [np.arange(n, dtype=np.float64)])
