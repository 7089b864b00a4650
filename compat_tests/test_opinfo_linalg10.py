"""linalg.* and special.* from torch's OpInfo database, deep run of round 10 (every sample and reference input in
every dtype): one differential test per class of failure fixed, on several calls of the class.

- derivative formulas composed of ops round per op in float16/bfloat16 as torch runs them (linalg.cross's backward
  is linalg.cross, xlog1py's is xlog1py and a division), not widened to float32 once;
- matrix norms of empty matrices: torch's max over an empty dim is zeros without history (1, inf, 2 norms), its
  min still refuses;
- householder_product gives neither input a gradient when the input or tau is empty (torch's backward returns
  undefined gradients);
- ldl_factor/ldl_solve of complex matrices: LAPACK's pivot search by |re| + |im| (CABS1), and Hermitian complex
  matrices factored as hetf2/hetrs do (they were refused);
- erfcx above 50 as torch's kernel computes it (Faddeeva's continued fraction with its fused multiply-adds): its
  second derivative is a cancellation that magnifies the last bit of erfcx 1e5-fold at x = 1000;
- singular and eigenvectors are compared through torch's own gauge-free view (the OpInfo runner's GAUGED ops):
  their signs and phases are LAPACK's choice (torch's MKL flips a wide real matrix's first column of U where
  NumPy's OpenBLAS does not).
"""
from __future__ import annotations

import numpy as np
import pytest

from compat_tests.harness import check

_RNG = np.random.default_rng(10)


# ---- formulas of ops in float16/bfloat16 ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("shapes,dim", [(((5, 3), (5, 3)), -1), (((5, 3, 5), (5, 3, 5)), 1), (((1, 3), (5, 3)), -1)])
def test_cross_gradient_rounds_per_op(dtype: str, shapes: tuple, dim: int) -> None:
    check(lambda T, a, b: T.linalg.cross(a.to(getattr(T, dtype)), b.to(getattr(T, dtype)), dim=dim),
          [_RNG.standard_normal(s) * 4 for s in shapes])


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("shapes", [((5, 1), (5,)), ((5, 10, 5), (10, 5)), ((40,), (40,))])
def test_xlog1py_gradient_rounds_per_op(dtype: str, shapes: tuple) -> None:
    check(lambda T, x, y: T.special.xlog1py(x.to(getattr(T, dtype)), y.to(getattr(T, dtype))),
          [_RNG.standard_normal(shapes[0]) * 3, np.abs(_RNG.standard_normal(shapes[1])) * 3])


# ---- norms of empty matrices ------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(0, 0), (2, 0), (0, 2), (3, 0, 0), (0, 3, 3), (0, 2, 0)])
@pytest.mark.parametrize("ord", [1, -1, float("inf"), -float("inf"), 2, -2, "nuc", "fro"])
@pytest.mark.parametrize("keepdim", [False, True])
def test_matrix_norm_of_empty(shape: tuple, ord: object, keepdim: bool) -> None:
    check(lambda T, a: T.linalg.matrix_norm(a, ord, keepdim=keepdim), [np.zeros(shape)])
    check(lambda T, a: T.linalg.norm(a.to(T.complex64), ord, keepdim=keepdim), [np.zeros(shape)])


# ---- householder_product: no gradient through an empty product --------------------------------------------------
@pytest.mark.parametrize("shapes", [((0, 0), (0,)), ((5, 5), (0,)), ((2, 5, 3), (2, 0)), ((3, 0, 0), (3, 0))])
def test_householder_product_empty_has_no_gradient(shapes: tuple) -> None:
    check(lambda T, a, tau: T.linalg.householder_product(a, tau), [_RNG.standard_normal(s) for s in shapes],
          second_order=True)


# ---- LDL of complex matrices -------------------------------------------------------------------------------------
def _complex(shape: tuple) -> np.ndarray:
    return _RNG.standard_normal(shape) + 1j * _RNG.standard_normal(shape)


_SYMMETRIC = [(lambda a: a + np.swapaxes(a, -1, -2))(_complex(s)) for s in [(5, 5), (2, 5, 5), (6, 6), (4, 4)]]
_HERMITIAN = [(lambda a: a + np.conj(np.swapaxes(a, -1, -2)))(_complex(s)) for s in [(5, 5), (2, 5, 5), (6, 6)]]
# a Hermitian matrix whose small diagonal makes every pivot a 2x2 block, and one needing interchanges
_HERMITIAN += [np.array([[1e-3, 2 + 1j, 0.5], [2 - 1j, 1e-3, 1j], [0.5, -1j, 1e-3]]),
               np.array([[0.1, 1, 5j, 0], [1, 3, 0, 2], [-5j, 0, 0.2, 1 - 1j], [0, 2, 1 + 1j, 4]])]


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("i", range(len(_SYMMETRIC)))
def test_ldl_complex_symmetric(dtype: str, i: int) -> None:
    a = _SYMMETRIC[i]
    b = _complex(a.shape[:-1] + (2,))
    check(lambda T, a: T.linalg.ldl_factor(a.to(getattr(T, dtype))), [a], grad=False)
    check(lambda T, a, b: T.linalg.ldl_solve(*T.linalg.ldl_factor(a.to(getattr(T, dtype))), b.to(getattr(T, dtype))),
          [a, b], grad=False)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("i", range(len(_HERMITIAN)))
def test_ldl_complex_hermitian(dtype: str, i: int) -> None:
    a = _HERMITIAN[i]
    b = _complex(a.shape[:-1] + (3,))
    factor = lambda T, a: T.linalg.ldl_factor_ex(a.to(getattr(T, dtype)), hermitian=True)  # noqa: E731
    check(factor, [a], grad=False)
    check(lambda T, a, b: T.linalg.ldl_solve(*factor(T, a)[:2], b.to(getattr(T, dtype)), hermitian=True), [a, b],
          grad=False)


# ---- erfcx above 50 ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_erfcx_far_tail(dtype: str) -> None:
    # float64 bit for bit (float32's kernel rounds otherwise: within a few ulps)
    x = np.concatenate([np.exp(_RNG.uniform(np.log(50), np.log(5e7), 200)), [50.5, 1e3, 5e7, 6e7, 1e300]])
    exact = 0 if dtype == "float64" else None
    check(lambda T, a: T.special.erfcx(a.to(getattr(T, dtype))), [x], grad=False, rtol=exact, atol=exact)
    check(lambda T, a: T.special.erfcx(a.to(getattr(T, dtype))), [-np.exp(_RNG.uniform(np.log(6.1), np.log(26), 50))],
          grad=False)


def test_erfcx_second_derivative_at_large_x() -> None:
    check(lambda T, a: T.special.erfcx(a), [np.array([-10.0, -1.0, 0.0, 1.0, 10.0, 60.0, 1e3, 3e3, 1e5])],
          second_order=True)


# ---- gauge-free views of singular and eigenvectors ---------------------------------------------------------------
def _svd_views(T: object, a: object, full_matrices: bool) -> tuple:
    U, S, Vh = T.linalg.svd(a, full_matrices=full_matrices)  # type: ignore[attr-defined]
    k = S.shape[-1]
    U, Vh = U[..., :k], Vh[..., :k, :]
    return U.abs(), S, Vh.abs(), U @ Vh


@pytest.mark.parametrize("shape", [(3, 5), (2, 7), (5, 3), (3, 4, 6)])
@pytest.mark.parametrize("full_matrices", [True, False])
def test_svd_gauge_free(shape: tuple, full_matrices: bool) -> None:
    # (float64: torch's float32 SVD is MKL's single precision, ~20x NumPy's error, which computes it in double)
    check(lambda T, a: _svd_views(T, a, full_matrices), [_RNG.standard_normal(shape)], second_order=True)


# ---- the orthogonal polynomials' recurrences, fused as torch's compiled kernels contract them -------------------
@pytest.mark.parametrize("name", ["hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
                                  "legendre_polynomial_p", "chebyshev_polynomial_t", "chebyshev_polynomial_u",
                                  "chebyshev_polynomial_v", "chebyshev_polynomial_w",
                                  "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_w"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_polynomial_recurrence_bit_for_bit(name: str, dtype: str) -> None:
    # degrees up to 4 (the Chebyshev families' trigonometric form starts above 4 to 8), x inside and outside [-1, 1]
    x = np.concatenate([np.tanh(_RNG.standard_normal(300)), _RNG.standard_normal(100) * 3])
    n = _RNG.integers(-1, 5, x.shape)
    check(lambda T, x, n: getattr(T.special, name)(x.to(getattr(T, dtype)), n), [x, n], grad=False, rtol=0, atol=0)


@pytest.mark.parametrize("dim,dtype", [((-4, -2), "uint32"), ((0, 0), "int64"), ((1, 5), "float16")])
def test_matrix_norm_checks_dims_before_dtype(dim: tuple, dtype: str) -> None:
    check(lambda T, a: T.linalg.matrix_norm(a, dim=dim, dtype=getattr(T, dtype)), [np.ones((3, 1))])


@pytest.mark.parametrize("dtype", ["int16", "int64", "bool", "float16", "bfloat16"])
@pytest.mark.parametrize("rcond", [None, 1e-3, -2.0])
@pytest.mark.parametrize("shape", [(2, 2), (0, 1, 3)])
def test_lstsq_refuses_other_dtypes(dtype: str, rcond: object, shape: tuple) -> None:
    # the default rcond reads the dtype's epsilon first; given one, the kernel's dispatch refuses
    check(lambda T, a: T.linalg.lstsq(a.to(getattr(T, dtype)), a.to(getattr(T, dtype)), rcond=rcond),
          [np.ones(shape)])
