"""Issue 10's linalg edges (session 18), differential against torch: nearly and exactly singular matrices, whose
zero pivots depend on the factorisation's rounding."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check

SINGULAR = np.arange(1.0, 10.0).reshape(3, 3)  # [[1..9]]: exactly singular; its rounded LU may not be


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_lu_factors_of_the_singular_matrix_bit_for_bit(dtype: str) -> None:
    # complex64's multipliers were an ulp off (NumPy's complex-by-real division multiplies by a reciprocal): its last
    # pivot was -6e-8 where torch's is exactly 0
    check(lambda T, a: T.linalg.lu_factor_ex(a), [SINGULAR.astype(dtype)], grad=False, rtol=0, atol=0)
    check(lambda T, a: T.linalg.det(a), [SINGULAR.astype(dtype)], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_inverse_and_solve_of_the_singular_matrix(dtype: str) -> None:
    # float32/complex64: torch's LU has a zero pivot (its error); float64/complex128: it has none, and torch returns
    # 1e16 values where NumPy's LAPACK (complex128) found a zero pivot and minitorch raised
    b = np.array([[1.0], [0.0], [2.0]]).astype(dtype)
    check(lambda T, a: T.linalg.inv(a), [SINGULAR.astype(dtype)], grad=False, rtol=1e-12, atol=0)
    check(lambda T, a: T.inverse(a), [SINGULAR.astype(dtype)], grad=False, rtol=1e-12, atol=0)
    check(lambda T, a, b: T.linalg.solve(a, b), [SINGULAR.astype(dtype), b], grad=False, rtol=1e-12, atol=0)
    check(lambda T, a, b: T.linalg.solve(a, b, left=False), [SINGULAR.astype(dtype), b.T], grad=False, rtol=1e-12,
          atol=0)
    check(lambda T, a: T.linalg.inv_ex(a), [SINGULAR.astype(dtype)], grad=False, rtol=1e-12, atol=0)


def test_singular_matrix_in_a_batch_is_named() -> None:
    batch = np.stack([np.eye(3), SINGULAR, SINGULAR]).astype(np.complex64)
    check(lambda T, a: T.linalg.inv(a), [batch], grad=False)
    check(lambda T, a: T.linalg.solve(a, a), [batch], grad=False)


def test_inverse_with_a_subnormal_pivot() -> None:
    # torch's getrs scales by the pivot's reciprocal (inf): NaN everywhere; NumPy's inverse kept the second row
    a = np.array([[1e-310, 0], [0, 1]])
    for dtype in ("float64", "complex128"):
        check(lambda T, a: T.linalg.inv(a), [a.astype(dtype)], grad=False)
