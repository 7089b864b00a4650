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
from minitorch import _warn_once
from harness import check, check_error

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
    "slogdet_wide": (lambda T, a: T.linalg.slogdet(a), WIDE),
    "slogdet_long": (lambda T, a: T.linalg.slogdet(a), LONGS),
    "inv_ex_singular": (lambda T, a: T.linalg.inv_ex(a * 0, check_errors=True), NOT_PD),
    "solve_ex_singular": (lambda T, a: T.linalg.solve_ex(a * 0, a, check_errors=True), NOT_PD),
    "matrix_power_wide": (lambda T, a: T.linalg.matrix_power(a, 2), WIDE),
    "matrix_power_vector": (lambda T, a: T.linalg.matrix_power(a, 2), VECTOR),
    "matrix_power_long_negative": (lambda T, a: T.linalg.matrix_power(a, -2), LONGS),
    "multi_dot_one": (lambda T, a: T.linalg.multi_dot([a]), NOT_PD),
    "multi_dot_first_3d": (lambda T, a: T.linalg.multi_dot([a[None], a]), NOT_PD),
    "multi_dot_last_3d": (lambda T, a: T.linalg.multi_dot([a, a[None]]), NOT_PD),
    "multi_dot_middle_1d": (lambda T, a: T.linalg.multi_dot([a, a[0], a]), NOT_PD),
    "multi_dot_dtypes": (lambda T, a: T.linalg.multi_dot([a, a.float()]), NOT_PD),
    "multi_dot_shapes": (lambda T, a: T.linalg.multi_dot([a, a, a.T]), WIDE),
    "vecdot_dtypes": (lambda T, a: T.linalg.vecdot(a, a.float()), VECTOR),
    "vecdot_long": (lambda T, a: T.linalg.vecdot(a, a), LONGS),
    "vander_N": (lambda T, a: T.linalg.vander(a, N=1), VECTOR),
    "vander_0d": (lambda T, a: T.linalg.vander(a[0]), VECTOR),
    "matrix_norm_ord": (lambda T, a: T.linalg.matrix_norm(a, 3), NOT_PD),
    "matrix_norm_str": (lambda T, a: T.linalg.matrix_norm(a, "bad"), NOT_PD),
    "matrix_norm_vector": (lambda T, a: T.linalg.matrix_norm(a), VECTOR),
    "matrix_norm_long": (lambda T, a: T.linalg.matrix_norm(a), LONGS),
    "matrix_norm_same_dims": (lambda T, a: T.linalg.matrix_norm(a, dim=(0, 0)), NOT_PD),
    "norm_3d_ord": (lambda T, a: T.linalg.norm(a, 2), NOT_PD_BATCH),
    "norm_vector_fro": (lambda T, a: T.linalg.norm(a, "fro"), VECTOR),
    "norm_three_dims": (lambda T, a: T.linalg.norm(a, 2, dim=(0, 1, 2)), NOT_PD_BATCH),
    "cond_wide": (lambda T, a: T.linalg.cond(a, 1), WIDE),
    "cond_inf_wide": (lambda T, a: T.linalg.cond(a, float("inf")), WIDE),
    "cond_order": (lambda T, a: T.linalg.cond(a, 3), NOT_PD),
    "matrix_rank_long": (lambda T, a: T.linalg.matrix_rank(a), LONGS),
    "pinv_long": (lambda T, a: T.linalg.pinv(a), LONGS),
    "pinv_vector": (lambda T, a: T.linalg.pinv(a), VECTOR),
    "matrix_exp_wide": (lambda T, a: T.linalg.matrix_exp(a), WIDE),
    "matrix_exp_long": (lambda T, a: T.linalg.matrix_exp(a), LONGS),
    "matrix_exp_vector": (lambda T, a: T.linalg.matrix_exp(a), VECTOR),
}


def test_cond_of_singular_matrices() -> None:
    """A singular matrix's condition numbers: infinite (torch's masked inverse), or the singular values' ratio."""
    check(lambda T, a: (T.linalg.cond(a, 1), T.linalg.cond(a, "fro"), T.linalg.cond(a), T.linalg.cond(a, -2)),
          [NOT_PD * 0], grad=False)


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
    _warn_once._WARNED.difference_update({"cholesky", "qr"})
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
