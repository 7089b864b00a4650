"""Bad input to torch.linalg's factorisations and solvers (shapes, dtypes, modes, matrices the
factorisation cannot handle), the gradients torch refuses, and the deprecation warnings of the
torch-level aliases. Each must raise torch's type and message."""
from __future__ import annotations

import warnings
from typing import Callable

import numpy as np
import pytest
import torch

import minitorch
from minitorch._ops.linalg import decompositions
from harness import check_error

NOT_PD = np.array([[1.0, 2.0], [2.0, 1.0]])
NOT_PD_BATCH = np.stack([np.eye(2), NOT_PD])
WIDE = np.ones((2, 3))
TALL = np.arange(6.0).reshape(3, 2) + np.eye(3, 2)
VECTOR = np.ones(2)
LONGS = np.ones((2, 2), np.int64)


def _backward(fn: Callable) -> Callable:
    """The backward pass through ``fn`` of an input that requires grad."""
    return lambda T, x: fn(T, x.requires_grad_()).sum().backward()


ERRORS = {
    "cholesky_not_pd": (lambda T, a: T.linalg.cholesky(a), NOT_PD),
    "cholesky_not_pd_batch": (lambda T, a: T.linalg.cholesky(a), NOT_PD_BATCH),
    "cholesky_upper_not_pd": (lambda T, a: T.linalg.cholesky(a, upper=True), NOT_PD),
    "cholesky_ex_check": (lambda T, a: T.linalg.cholesky_ex(a, check_errors=True), NOT_PD),
    "cholesky_deprecated_not_pd": (lambda T, a: T.cholesky(a), NOT_PD),
    "cholesky_wide": (lambda T, a: T.linalg.cholesky(a), WIDE),
    "cholesky_long": (lambda T, a: T.linalg.cholesky(a), LONGS),
    "cholesky_vector": (lambda T, a: T.linalg.cholesky(a), VECTOR),
    "eigh_wide": (lambda T, a: T.linalg.eigh(a), WIDE),
    "eigh_uplo": (lambda T, a: T.linalg.eigh(a, UPLO="X"), NOT_PD),
    "eigh_long": (lambda T, a: T.linalg.eigh(a), LONGS),
    "eigh_vector": (lambda T, a: T.linalg.eigh(a), VECTOR),
    "eigvalsh_wide": (lambda T, a: T.linalg.eigvalsh(a), WIDE),
    "svd_long": (lambda T, a: T.linalg.svd(a), LONGS),
    "svd_vector": (lambda T, a: T.linalg.svd(a), VECTOR),
    "svdvals_vector": (lambda T, a: T.linalg.svdvals(a), VECTOR),
    "qr_mode": (lambda T, a: T.linalg.qr(a, mode="bad"), WIDE),
    "qr_long": (lambda T, a: T.linalg.qr(a), LONGS),
    "qr_vector": (lambda T, a: T.linalg.qr(a), VECTOR),
    "qr_r_backward": (_backward(lambda T, a: T.linalg.qr(a, mode="r")[1]), TALL),
    "qr_complete_tall_backward": (_backward(lambda T, a: T.linalg.qr(a, mode="complete")[0]), TALL),
    "solve_triangular_long": (lambda T, a: T.linalg.solve_triangular(a, a, upper=True), LONGS),
    "solve_triangular_shapes": (lambda T, a: T.linalg.solve_triangular(a, T.ones(3, 2), upper=True), NOT_PD),
    "solve_triangular_right_shapes": (lambda T, a: T.linalg.solve_triangular(a, T.ones(2, 3, dtype=a.dtype),
                                                                             upper=True, left=False), TALL[:, :1].T),
    "solve_triangular_vector": (lambda T, a: T.linalg.solve_triangular(a, T.ones(2), upper=True), NOT_PD),
    "solve_triangular_wide": (lambda T, a: T.linalg.solve_triangular(a, T.ones(2, 2), upper=True), WIDE),
    "solve_triangular_upper_missing": (lambda T, a: T.linalg.solve_triangular(a, a), NOT_PD),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error(name: str) -> None:
    fn, value = ERRORS[name]
    check_error(fn, [value])


def test_linalg_error_is_a_runtime_error() -> None:
    assert issubclass(minitorch.linalg.LinAlgError, RuntimeError)
    with pytest.raises(minitorch.linalg.LinAlgError):
        minitorch.linalg.cholesky(minitorch.tensor(NOT_PD))


def test_deprecation_warnings_once() -> None:
    """torch.cholesky and torch.qr warn once per process (torch's TORCH_WARN_ONCE)."""
    decompositions._WARNED.clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            minitorch.cholesky(minitorch.eye(2))
            minitorch.qr(minitorch.eye(2))
    messages = [str(w.message) for w in caught]
    assert len(messages) == 2
    assert messages[0].startswith("torch.cholesky is deprecated in favor of torch.linalg.cholesky")
    assert messages[1].startswith("torch.qr is deprecated in favor of torch.linalg.qr")


def test_return_type_reprs() -> None:
    a = [[2.0, 1.0], [1.0, 2.0]]
    for fn in (lambda T: T.linalg.eigh(T.tensor(a)), lambda T: T.linalg.cholesky_ex(T.tensor(a)),
               lambda T: T.linalg.qr(T.tensor(a))):
        assert repr(fn(minitorch)) == repr(fn(torch))
