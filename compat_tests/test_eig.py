"""torch.linalg.eig and eigvals against torch. Eigenvalues come in LAPACK's order (both libraries call geev);
eigenvectors are unique only up to a phase per column, so they are compared through phase-invariant
quantities (|V| and losses of it), and torch's error for a phase-dependent loss is checked."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_error

RNG = np.random.default_rng(5)
A = RNG.standard_normal((4, 4))
BATCH = RNG.standard_normal((2, 3, 3))
SYM = A + A.T


@pytest.mark.parametrize("a", [A, BATCH, SYM, A.astype(np.float32)], ids=["general", "batched", "symmetric", "float32"])
def test_eig_values_and_phase_invariant_vectors(a: np.ndarray) -> None:
    tol = {"rtol": 1e-4, "atol": 1e-4} if a.dtype == np.float32 else {}

    def fn(T, x):
        L, V = T.linalg.eig(x)
        return T.view_as_real(L), V.abs(), T.view_as_real(T.linalg.eigvals(x)), L.dtype, V.dtype
    check(fn, [a], second_order=a.dtype == np.float64, grad_rtol=tol.get("rtol"), grad_atol=tol.get("atol"), **tol)


def test_eig_of_complex_input() -> None:
    def fn(T, x, y):
        L, V = T.linalg.eig(T.complex(x, y))
        return T.view_as_real(L), V.abs(), T.view_as_real(T.linalg.eigvals(T.complex(x, y)))
    check(fn, [A, A.T.copy()], second_order=True)


def test_eigvals_without_grad() -> None:
    check(lambda T, x: T.view_as_real(T.linalg.eigvals(x)), [BATCH], grad=False)


def test_phase_dependent_loss_is_refused() -> None:
    check_error(lambda T, x: T.view_as_real(T.linalg.eig(x)[1]).sum().backward(), [A])


def test_errors() -> None:
    check_error(lambda T: T.linalg.eig(T.ones(2, 3)))
    check_error(lambda T: T.linalg.eigvals(T.ones(3)))
    check_error(lambda T: T.linalg.eig(T.ones(2, 2, dtype=T.int64)))
    check_error(lambda T: T.linalg.eig(T.tensor([[1.0, float("nan")], [0.0, 1.0]])))
    check_error(lambda T: T.linalg.eig("x"))


@pytest.mark.parametrize("name", ["eig", "eigvals"])
@pytest.mark.parametrize("dtype", ["int32", "bool", "float16"])
@pytest.mark.parametrize("shape", [(), (2, 2), (2, 3)])
def test_dtype_checked_in_torchs_order(name: str, dtype: str, shape: tuple) -> None:
    """An integer or bool input is refused before its shape; float16 after it (LAPACK has no half precision)."""
    check_error(lambda T: getattr(T.linalg, name)(T.zeros(shape, dtype=getattr(T, dtype))))
