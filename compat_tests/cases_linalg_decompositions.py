"""Op-table cases for the factorisations: Cholesky, eigh, SVD, QR and triangular solves.

Inputs are built so that the factorisations' gradients are well defined (distinct eigenvalues and
singular values, full rank). Eigenvector, singular-vector and QR signs are LAPACK's in both libraries

Signs: torch documents eigenvectors and singular vectors as unique only up to sign, and LAPACK builds
(torch's MKL, NumPy's OpenBLAS) do pick different signs, so those cases compare the vectors with each
one's sign fixed by its dominant entry (the diagonal's, for these inputs), which is sign-invariant and
differentiable; for full_matrices=True, only the first min(m, n) singular vectors, which are unique.
QR's factors are compared as they come: Householder QR's signs are fixed by the algorithm (geqrf's
reflectors), in every LAPACK."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase
from strategies import array

TOL = {"rtol": 1e-4, "atol": 1e-4}


def _batch(draw: Any) -> tuple:
    return tuple(draw(st.lists(st.integers(1, 3), max_size=2)))


def _spread_diagonal(shape: tuple, dtype: str) -> np.ndarray:
    """20, 40, 60... on the main diagonal: with [-1, 1] entries around it, eigenvalues and singular values
    stay apart (Gershgorin) and the matrix has full rank."""
    m, n = shape[-2:]
    d = np.zeros((m, n), dtype)
    k = min(m, n)
    d[np.arange(k), np.arange(k)] = 20.0 * np.arange(1, k + 1)
    return d


def symmetric(draw: Any, dtype: str) -> np.ndarray:
    n = draw(st.integers(1, 4))
    x = array(draw, dtype, _batch(draw) + (n, n), "unit")
    return x + np.swapaxes(x, -1, -2) + _spread_diagonal((n, n), dtype)


def positive_definite(draw: Any, dtype: str) -> np.ndarray:
    n = draw(st.integers(1, 4))
    x = array(draw, dtype, _batch(draw) + (n, n), "unit")
    return x @ np.swapaxes(x, -1, -2) + n * np.eye(n, dtype=dtype)


def full_rank(draw: Any, dtype: str, shape: tuple | None = None) -> np.ndarray:
    shape = shape or _batch(draw) + (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    return array(draw, dtype, shape, "unit") + _spread_diagonal(shape, dtype)


def triangular_system(draw: Any, dtype: str) -> list:
    a = full_rank(draw, dtype, _batch(draw) + (draw(st.integers(1, 4)),) * 2)
    n = a.shape[-1]
    left = draw(st.booleans())
    b = array(draw, dtype, a.shape[:-2] + ((n, 2) if left else (2, n)), "unit")
    return [a, b, draw(st.booleans()), left, draw(st.booleans())]


def unsigned(vectors: Any, k: int | None = None) -> Any:
    """Eigen/singular vectors (columns), each with the sign that makes its diagonal entry positive."""
    k = k or min(vectors.shape[-2:])
    cols = vectors[..., :k]
    return cols * cols.diagonal(0, -2, -1)[..., :k].sign().unsqueeze(-2)


def _eigh(T: Any, a: Any, *args: Any) -> tuple:
    values, vectors = T.linalg.eigh(a, *args)
    return values, unsigned(vectors)


def _svd(T: Any, a: Any, full: bool) -> tuple:
    U, S, Vh = T.linalg.svd(a, full_matrices=full)
    k = S.shape[-1]
    return unsigned(U, k), S, unsigned(Vh.mT, k)


def _svd_deprecated(T: Any, a: Any) -> tuple:
    U, S, V = T.svd(a)
    _, S2, V2 = a.svd(some=False)
    k = S.shape[-1]
    return unsigned(U, k), S, unsigned(V, k), S2, unsigned(V2, k), T.svd(a, compute_uv=False)


def _svd_out(T: Any, a: Any) -> tuple:
    k = min(a.shape[-2:])
    U, S, V = T.svd(a, out=(T.empty(0, dtype=a.dtype), T.empty(0, dtype=a.dtype), T.empty(0, dtype=a.dtype)))
    U2, S2, Vh2 = T.linalg.svd(a, full_matrices=False,
                               out=(T.empty(0, dtype=a.dtype), T.empty(0, dtype=a.dtype), T.empty(0, dtype=a.dtype)))
    return unsigned(U, k), S, unsigned(V, k), unsigned(U2, k), S2, unsigned(Vh2.mT, k)


CASES = [
    OpCase("linalg_cholesky", lambda T, a: (T.linalg.cholesky(a), T.linalg.cholesky(a, upper=True)),
           inputs=lambda d, t: [positive_definite(d, t)], **TOL),
    OpCase("linalg_cholesky_ex", lambda T, a: T.linalg.cholesky_ex(a), inputs=lambda d, t: [positive_definite(d, t)],
           **TOL),
    # not positive definite: info and the partial factor as LAPACK's potrf leaves it
    OpCase("linalg_cholesky_ex_failed", lambda T, a: T.linalg.cholesky_ex(a), inputs=lambda d, t: [
        np.array([[[4.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]], np.eye(3)], t)], grad=False),
    OpCase("cholesky_deprecated", lambda T, a: (T.cholesky(a), a.cholesky(upper=True)),
           inputs=lambda d, t: [positive_definite(d, t)], **TOL),
    OpCase("linalg_eigh", lambda T, a: (_eigh(T, a), _eigh(T, a, "U")),
           inputs=lambda d, t: [symmetric(d, t)], **TOL),
    OpCase("linalg_eigvalsh", lambda T, a: (T.linalg.eigvalsh(a), T.linalg.eigvalsh(a, "U")),
           inputs=lambda d, t: [symmetric(d, t)], **TOL),
    OpCase("linalg_svd", lambda T, a: _svd(T, a, False), inputs=lambda d, t: [full_rank(d, t)],
           **TOL),
    OpCase("linalg_svd_full", lambda T, a: _svd(T, a, True), inputs=lambda d, t: [full_rank(d, t)], **TOL),
    OpCase("linalg_svdvals", lambda T, a: T.linalg.svdvals(a), inputs=lambda d, t: [full_rank(d, t)], **TOL),
    OpCase("svd_deprecated", _svd_deprecated,
           inputs=lambda d, t: [full_rank(d, t)], **TOL),
    OpCase("svd_out", _svd_out, inputs=lambda d, t: [full_rank(d, t)], grad=False, **TOL),
    OpCase("linalg_qr", lambda T, a: (T.linalg.qr(a), T.linalg.qr(a, mode="r")[1]),
           inputs=lambda d, t: [full_rank(d, t)], **TOL),
    OpCase("linalg_qr_complete", lambda T, a: T.linalg.qr(a, mode="complete"),
           inputs=lambda d, t: [full_rank(d, t, _batch(d) + (2, d(st.integers(2, 4))))], **TOL),
    OpCase("qr_deprecated", lambda T, a: (T.qr(a), a.qr(some=True)), inputs=lambda d, t: [full_rank(d, t)], **TOL),
    OpCase("linalg_solve_triangular", lambda T, a, b, upper, left, unit: T.linalg.solve_triangular(
        a, b, upper=upper, left=left, unitriangular=unit), inputs=triangular_system, **TOL),
]
