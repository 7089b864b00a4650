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


INF, NAN = float("inf"), float("nan")


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_cholesky_of_an_infinite_pivot(dtype: str, upper: bool) -> None:
    # MKL's float32 kernel scales the column by a Newton-refined reciprocal of the pivot: NaN for inf (info 2), where
    # minitorch divided (0, and a finite factor with info 0); float64 divides
    for a in ([[INF, 1.0], [1.0, 2.0]], [[INF, 1.0, 1.0], [1.0, 2.0, 0.0], [1.0, 0.0, 3.0]],
              [[4.0, 1.0, 1.0], [1.0, INF, 0.0], [1.0, 0.0, 3.0]]):
        check(lambda T, a: T.linalg.cholesky_ex(a, upper=upper), [np.array(a, dtype)], grad=False)


@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64", "complex128"])
def test_cholesky_inverse_of_a_non_finite_factor(dtype: str, upper: bool) -> None:
    # LAPACK's potri inverts the triangle (trti2) and sums its Gram product over the triangles only: an infinity or
    # NaN reaches what it does in torch's, where a substitution against the identity made every element NaN
    rng = np.random.default_rng(18)
    for bad in (NAN, INF, -INF):
        for i, j in ((0, 0), (1, 0), (2, 1), (2, 0)):
            L = np.tril(rng.normal(size=(3, 3))) + 2 * np.eye(3)
            L[i, j] = bad
            a = (L.T if upper else L).astype(dtype)
            check(lambda T, a: T.cholesky_inverse(a, upper=upper), [a], grad=False)


def test_cholesky_inverse_of_an_infinite_complex_pivot() -> None:
    # ztrti2's 1 / (inf + 0j) is NaN (unscaled: (c - di) / (c^2 + d^2)), NumPy's 0
    a = np.array([[INF, 0], [-1.3 + 0.6j, 2.9]], np.complex64)
    check(lambda T, a: T.cholesky_inverse(a), [a], grad=False)


def test_hermitian_pinv_of_a_non_square_matrix_is_eighs_error() -> None:
    a = np.ones((1, 3), np.float32)
    check(lambda T, a: T.linalg.pinv(a, hermitian=True), [a])
    check(lambda T, a: T.linalg.pinv(a, hermitian=True, atol=T.zeros(5)), [a])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16", "complex32"])
def test_svd_of_an_empty_half_matrix_records_its_node(dtype: str) -> None:
    # (complex32's empty factors were made in complex64 and cast back: ToCopyBackward0 for LinalgSvdBackward0)
    def svd(T: object, a: object, name: str) -> object:
        x = T.zeros(a.shape).to(getattr(T, name)).requires_grad_()
        return T.linalg.svd(x), x.svd(some=False), T.linalg.svdvals(x) if name != "complex32" else x
    for shape in ((3, 0), (0, 2), (2, 0, 0)):
        check(lambda T, a: svd(T, a, dtype), [np.zeros(shape)])


def test_vector_norm_of_an_empty_e8m0_tensor() -> None:
    # its 0 cast as torch casts: float8_e8m0fnu's smallest value, 2^-127 (NumPy's cast is NaN)
    check(lambda T, a: T.linalg.vector_norm(T.zeros(0, 2, 0).to(T.float8_e8m0fnu)), [np.zeros(1)], grad=False)


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex128"])
@pytest.mark.parametrize("hermitian", [False, True])
def test_ldl_factor_of_a_subnormal_pivot(dtype: str, hermitian: bool) -> None:
    # syr/her skip the column of a zero multiplier (its 0 * inf is not added: the trailing 1 stays, info 0), and
    # zsytf2's reciprocal is Smith's: 1 / (1e-310 + 0j) is inf - 0j, times 1e-320 inf + nanj
    tiny = 1e-40 if dtype == "float32" else 1e-310
    for a in ([[tiny, 0.0], [0.0, 1.0]], [[tiny, 1e-320], [1e-320, -1.27]], [[1e-320, 1e-320], [1e-320, 2.36]]):
        check(lambda T, a: T.linalg.ldl_factor_ex(a, hermitian=hermitian), [np.array(a, dtype)], grad=False)
