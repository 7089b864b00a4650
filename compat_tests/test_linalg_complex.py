"""torch.linalg (and its torch.* aliases), norms and var/std on complex inputs, against torch: values, dtypes
(real eigenvalues, singular values, norms, variances), batched inputs, first and second order gradients under
torch's conjugate Wirtinger convention, and torch's refusals where a gradient is not defined.

As in test_complex.py, the harness makes real inputs require grad, so each complex input is built inside
the case from two real leaves (``T.complex(x, y)``: their gradients are the parts of the complex input's),
and complex outputs are compared through ``view_as_real``, so that the shared random cotangent has both
parts.

Phases: torch documents complex eigenvectors and singular vectors as unique only up to a phase e^{i phi}
(each singular pair shares one), so those cases compare each vector multiplied by the conjugate phase of its
diagonal entry, which is phase-invariant (and has a gradient, which torch's phase check accepts). QR's
factors are unique once R's diagonal is real, which LAPACK's Householder QR makes it: they are compared as
they come, as are LU's and Cholesky's."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error

RNG = np.random.default_rng(13)
BATCH = (2,)
X, Y = RNG.standard_normal(BATCH + (3, 3)), RNG.standard_normal(BATCH + (3, 3))
P, Q = RNG.standard_normal(BATCH + (3, 2)), RNG.standard_normal(BATCH + (3, 2))
TALL_X, TALL_Y = RNG.standard_normal((4, 2)), RNG.standard_normal((4, 2))
TOL = {"rtol": 1e-4, "atol": 1e-4}
TOL32 = {"rtol": 2e-3, "atol": 2e-3}


def real(T: Any, *outs: Any) -> tuple:
    """Complex outputs as their real views (resolved first: torch refuses a view of a conjugate view)."""
    return tuple(T.view_as_real(o.resolve_conj()) if o.is_complex() else o for o in outs)


def well_conditioned(T: Any, x: Any, y: Any) -> Any:
    """A complex matrix with a dominant diagonal (invertible, with spread singular values)."""
    n = x.shape[-1]
    return T.complex(x, y) + T.diag(T.arange(1, n + 1, dtype=x.dtype) * 4)


def hermitian(T: Any, x: Any, y: Any) -> Any:
    """A Hermitian positive-definite matrix with distinct eigenvalues."""
    a = well_conditioned(T, x, y)
    return a @ a.mH


def dephased(v: Any) -> Any:
    """Columns of ``v`` multiplied by the conjugate phase of their diagonal entry (phase-invariant)."""
    k = v.shape[-1]
    return v * v[..., :k, :].diagonal(0, -2, -1).sgn().conj().unsqueeze(-2)


def _svd(T: Any, a: Any, full: bool) -> tuple:
    U, S, Vh = T.linalg.svd(a, full_matrices=full)
    k = S.shape[-1]
    return real(T, dephased(U[..., :k]), S, dephased(Vh.mH[..., :k]))


def _eigh(T: Any, a: Any, uplo: str) -> tuple:
    L, V = T.linalg.eigh(a, uplo)
    return real(T, L, dephased(V))


# cases on a square (batched) complex matrix a and a right-hand side b
SQUARE: dict[str, Callable] = {
    "inv": lambda T, a, b: real(T, T.linalg.inv(a), T.inverse(a), a.inverse()),
    "inv_ex": lambda T, a, b: real(T, *T.linalg.inv_ex(a)),
    "det": lambda T, a, b: real(T, T.linalg.det(a), T.det(a), a.det()),
    "slogdet": lambda T, a, b: real(T, *T.linalg.slogdet(a), *T.slogdet(a)),
    "logdet": lambda T, a, b: real(T, T.logdet(a)),
    "solve": lambda T, a, b: real(T, T.linalg.solve(a, b), T.linalg.solve(a, b.mT, left=False),
                                  T.linalg.solve(a, b[..., 0])),
    "solve_ex": lambda T, a, b: real(T, *T.linalg.solve_ex(a, b)),
    "matrix_exp": lambda T, a, b: real(T, T.linalg.matrix_exp(a / 4), T.matrix_exp(a / 4)),
    "matrix_power": lambda T, a, b: real(T, T.linalg.matrix_power(a, -2), T.matrix_power(a, 3)),
    "solve_triangular": lambda T, a, b: real(T, T.linalg.solve_triangular(a.triu(), b, upper=True),
                                             T.linalg.solve_triangular(a.tril(), b.mT, upper=False, left=False),
                                             T.linalg.solve_triangular(a, b, upper=True, unitriangular=True)),
    "triangular_solve": lambda T, a, b: real(T, *T.triangular_solve(b, a.triu()),
                                             *T.triangular_solve(b, a.tril(), upper=False, transpose=True)),
    "lu_factor": lambda T, a, b: real(T, *T.linalg.lu_factor(a), *T.linalg.lu_factor_ex(a)),
    "lu": lambda T, a, b: real(T, *T.linalg.lu(a)),
    "lu_solve": lambda T, a, b: real(T, T.linalg.lu_solve(*T.linalg.lu_factor(a), b),
                                     T.linalg.lu_solve(*T.linalg.lu_factor(a), b, adjoint=True)),
    "lu_unpack": lambda T, a, b: real(T, *T.lu_unpack(*T.linalg.lu_factor(a))),
    "svd": lambda T, a, b: _svd(T, a, False),
    "svd_full": lambda T, a, b: _svd(T, a, True),
    "svdvals": lambda T, a, b: real(T, T.linalg.svdvals(a), T.svd(a, compute_uv=False)[1]),
    "svd_deprecated": lambda T, a, b: (lambda U, S, V: real(T, dephased(U), S, dephased(V)))(*T.svd(a)),
    "qr": lambda T, a, b: real(T, *T.linalg.qr(a), *T.linalg.qr(a, mode="complete"), T.linalg.qr(a, "r")[1]),
    "qr_wide": lambda T, a, b: real(T, *T.linalg.qr(a[..., :2, :])),
    "qr_deprecated": lambda T, a, b: real(T, *T.qr(a)),
    "pinv": lambda T, a, b: real(T, T.linalg.pinv(a), T.linalg.pinv(a[..., :2]), T.linalg.pinv(a[..., :2, :]),
                                 T.pinverse(a)),
    "lstsq": lambda T, a, b: real(T, T.linalg.lstsq(a, b).solution, T.linalg.lstsq(a[..., :2], b, driver="gelsd")[:2],
                                  T.linalg.lstsq(a[..., :2], b, driver="gels")[:2],
                                  T.linalg.lstsq(a[..., :2, :], b[..., :2, :], driver="gelss").solution),
    "matrix_norm": lambda T, a, b: tuple(T.linalg.matrix_norm(a, o) for o in ("fro", "nuc", 2, -2, 1, -1,
                                                                             float("inf"), -float("inf"))),
    "norm": lambda T, a, b: (T.linalg.norm(a), T.linalg.norm(a, 2, (-2, -1)), T.linalg.norm(a, dim=-1),
                             T.norm(a), a.norm(1, dim=0), T.norm(a, "nuc"), T.linalg.norm(a, "fro", (-2, -1), True)),
    "vector_norm": lambda T, a, b: tuple(T.linalg.vector_norm(a, o, -1) for o in (0.5, 1, 2, 3, float("inf"),
                                                                                 -float("inf"))),
    "cond": lambda T, a, b: (T.linalg.cond(a), T.linalg.cond(a, "fro"), T.linalg.cond(a, 1)),
    "matrix_rank": lambda T, a, b: (T.linalg.matrix_rank(a), T.linalg.matrix_rank(a, hermitian=True),
                                    T.linalg.matrix_rank(a[..., :2], atol=1.0)),
    "dist": lambda T, a, b: (T.dist(a, a.mT), T.dist(a, a.mT, 3), a.dist(a.real.detach(), 1),
             T.dist(a, a * 2, float("inf"))),
    "vecdot": lambda T, a, b: real(T, T.linalg.vecdot(a, a.mT), T.linalg.vecdot(a, a.real.to(a.dtype), dim=0)),
    "var_std": lambda T, a, b: (a.var(), a.std(-1), *real(T, *T.var_mean(a, (0, 1), keepdim=True)),
                                *real(T, *T.std_mean(a, 0, correction=0))),
}

HERMITIAN: dict[str, Callable] = {
    "cholesky": lambda T, h: real(T, T.linalg.cholesky(h), T.linalg.cholesky(h, upper=True)),
    "cholesky_ex": lambda T, h: real(T, *T.linalg.cholesky_ex(h)),
    "cholesky_deprecated": lambda T, h: real(T, T.cholesky(h), h.cholesky(upper=True)),
    "cholesky_solve": lambda T, h: real(T, T.cholesky_solve(h[..., :2], T.linalg.cholesky(h)),
                                        T.cholesky_solve(h[..., :2], T.linalg.cholesky(h, upper=True), upper=True)),
    "cholesky_inverse": lambda T, h: real(T, T.cholesky_inverse(T.linalg.cholesky(h)),
                                          T.cholesky_inverse(T.linalg.cholesky(h, upper=True), upper=True)),
    "eigh": lambda T, h: _eigh(T, h, "L") + _eigh(T, h, "U"),
    "eigvalsh": lambda T, h: (T.linalg.eigvalsh(h), T.linalg.eigvalsh(h, "U")),
    "pinv_hermitian": lambda T, h: real(T, T.linalg.pinv(h, hermitian=True)),
}


@pytest.mark.parametrize("name", SQUARE)
def test_square(name: str) -> None:
    check(lambda T, x, y, p, q: SQUARE[name](T, well_conditioned(T, x, y), T.complex(p, q)), [X, Y, P, Q],
          second_order=name not in ("lstsq", "cond"), **TOL)


@pytest.mark.parametrize("name", ["inv", "det", "slogdet", "solve", "svd", "qr", "lu_solve", "norm", "var_std"])
def test_square_complex64(name: str) -> None:
    values = [v.astype(np.float32) for v in (X, Y, P, Q)]
    check(lambda T, x, y, p, q: SQUARE[name](T, well_conditioned(T, x, y), T.complex(p, q)), values, **TOL32)


@pytest.mark.parametrize("name", HERMITIAN)
def test_hermitian(name: str) -> None:
    check(lambda T, x, y: HERMITIAN[name](T, hermitian(T, x, y)), [X, Y], second_order=True, **TOL)


def test_tall_svd_and_qr() -> None:
    def fn(T, x, y):
        a = T.complex(x, y)
        return _svd(T, a, False) + _svd(T, a, True) + real(T, *T.linalg.qr(a), T.linalg.svdvals(a))
    check(fn, [TALL_X, TALL_Y], second_order=True, **TOL)


def test_wide_svd() -> None:
    check(lambda T, x, y: _svd(T, T.complex(x, y).mT, False), [TALL_X, TALL_Y], second_order=True, **TOL)


def _backward_of(T: Any, x: Any, y: Any, loss: Callable) -> Any:
    return T.autograd.grad(loss(T, T.complex(x, y)), [x])


# losses that depend on the phases of complex eigen- or singular vectors: torch's check refuses them
PHASE_DEPENDENT = {
    "eigh": lambda T, a: T.linalg.eigh(a @ a.mH)[1].real.sum(),
    "svd_U": lambda T, a: T.linalg.svd(a)[0].real.sum(),
    "svd_Vh": lambda T, a: T.linalg.svd(a, full_matrices=False)[2].imag.sum(),
    "torch_svd": lambda T, a: T.svd(a)[0].imag.sum(),
}


@pytest.mark.parametrize("name", PHASE_DEPENDENT)
def test_phase_dependent_losses_are_refused(name: str) -> None:
    check_error(lambda T, x, y: _backward_of(T, x, y, PHASE_DEPENDENT[name]), [X[0], Y[0]])


def test_phase_invariant_losses_pass_the_check() -> None:
    """|U|, U Vh and the projector V V^H do not depend on the phases: their gradients are torch's."""
    def fn(T, x, y):
        a = well_conditioned(T, x, y)
        U, S, Vh = T.linalg.svd(a)
        V = T.linalg.eigh(a @ a.mH)[1]
        return U.abs(), real(T, U @ Vh, V @ V.mH)
    check(fn, [X, Y], **TOL)


ERRORS = [
    lambda T: T.linalg.cholesky(T.tensor([[1, 2j], [-2j, 1]])),
    lambda T: T.linalg.inv(T.zeros(2, 2, dtype=T.complex64)),
    lambda T: T.linalg.solve(T.eye(2, dtype=T.complex64), T.ones(2, 1)),
    lambda T: T.linalg.vector_norm(T.ones(2, dtype=T.complex64), dtype=T.float64),
    lambda T: T.linalg.vector_norm(T.ones(2), dtype=T.complex128),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2, dtype=T.complex64), dtype=T.float32),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), dtype=T.complex64),
    lambda T: T.linalg.matrix_norm(T.ones(2, 2), dtype=T.int64),
    lambda T: T.linalg.lstsq(T.ones(2, 2, dtype=T.complex64), T.ones(2, 1)),
    lambda T: T.var(T.ones(2, dtype=T.int64)),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index: int) -> None:
    check_error(ERRORS[index])
