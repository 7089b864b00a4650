"""Bad input to reductions, scans, sorting and selection: bad dims, wrong dtypes, empty inputs, and
the backward of the ops torch has no derivative for. Each must raise torch's type and message.
Also the warning var/std give when the correction leaves no degrees of freedom, and the one torch's argument
parser gives for a deprecated overload (addmm's scalar-first forms)."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check_error

X = np.arange(6.0).reshape(2, 3)
N = np.arange(6).reshape(2, 3)
B = np.array([[True, False, True]])
E = np.zeros((0, 3))
INF = float("inf")


def _grad_of(fn: Callable) -> Callable:
    """``fn`` applied to an input that requires grad."""
    return lambda T, x: fn(T, x.requires_grad_())


def _backward(fn: Callable) -> Callable:
    """The backward pass through ``fn`` of an input that requires grad."""
    return lambda T, *xs: fn(T, xs[0].requires_grad_(), *xs[1:]).sum().backward()


CASES: list[tuple[str, Callable, list]] = [
    # ---- dims out of range, repeated
    ("sum_dim", lambda T, x: x.sum(2), [X]),
    ("sum_dims_repeated", lambda T, x: T.sum(x, (0, -2)), [X]),
    ("mean_dim", lambda T, x: x.mean(-3), [X]),
    ("prod_dim", lambda T, x: x.prod(2), [X]),
    ("amax_dim", lambda T, x: T.amax(x, (0, 5)), [X]),
    ("amin_dims_repeated", lambda T, x: x.amin((1, 1)), [X]),
    ("max_dim", lambda T, x: x.max(2), [X]),
    ("argmax_dim", lambda T, x: T.argmax(x, 3), [X]),
    ("var_dim", lambda T, x: x.var(2), [X]),
    ("std_dims_repeated", lambda T, x: T.std(x, (0, 0)), [X]),
    ("var_mean_dim", lambda T, x: T.var_mean(x, -3), [X]),
    ("logsumexp_dim", lambda T, x: x.logsumexp(2), [X]),
    ("logsumexp_no_dims", lambda T, x: T.logsumexp(x, ()), [X]),
    ("vector_norm_dim", lambda T, x: T.linalg.vector_norm(x, 2, 2), [X]),
    ("norm_dim", lambda T, x: x.norm(2, 3), [X]),
    ("all_dim", lambda T, x: x.all(2), [X]),
    ("any_dims_repeated", lambda T, x: T.any(x, (1, -1)), [X]),
    ("count_nonzero_dim", lambda T, x: T.count_nonzero(x, 2), [X]),
    ("cumsum_dim", lambda T, x: x.cumsum(2), [X]),
    ("cumprod_dim", lambda T, x: T.cumprod(x, -3), [X]),
    ("cummax_dim", lambda T, x: x.cummax(2), [X]),
    ("sort_dim", lambda T, x: x.sort(2), [X]),
    ("argsort_dim", lambda T, x: T.argsort(x, -3), [X]),
    ("topk_dim", lambda T, x: x.topk(1, 2), [X]),
    ("kthvalue_dim", lambda T, x: x.kthvalue(1, 2), [X]),
    ("median_dim", lambda T, x: x.median(2), [X]),
    ("mode_dim", lambda T, x: T.mode(x, 2), [X]),
    ("unique_dim", lambda T, x: T.unique(x, dim=2), [X]),
    ("scalar_dim", lambda T, x: x.sum(1), [np.array(1.0)]),
    # ---- dtypes
    ("mean_int", lambda T, x: x.mean(), [N]),
    ("mean_dtype_int", lambda T, x: x.mean(dtype=T.int64), [X]),
    ("var_int", lambda T, x: x.var(), [N]),
    ("std_bool", lambda T, x: T.std(x, 0), [B]),
    ("var_mean_int", lambda T, x: T.var_mean(x), [N]),
    ("std_mean_int", lambda T, x: T.std_mean(x, 1), [N]),
    ("vector_norm_int", lambda T, x: T.linalg.vector_norm(x), [N]),
    ("vector_norm_dtype_int", lambda T, x: T.linalg.vector_norm(x, dtype=T.int64), [X]),
    ("vector_norm_ord_str", lambda T, x: T.linalg.vector_norm(x, "fro"), [X]),
    ("norm_int", lambda T, x: x.norm(), [N]),
    ("argmax_bool", lambda T, x: x.argmax(), [B]),
    ("argmin_bool", lambda T, x: T.argmin(x, 1), [B]),
    ("topk_bool", lambda T, x: x.topk(1), [B]),
    ("kthvalue_bool", lambda T, x: x.kthvalue(1), [B]),
    ("median_bool", lambda T, x: x.median(), [B]),
    ("median_dim_bool", lambda T, x: T.median(x, 1), [B]),
    ("bincount_float", lambda T, x: T.bincount(x), [np.array([1.0, 2.0])]),
    ("bincount_bool", lambda T, x: x.bincount(), [np.array([True])]),
    ("sum_long_with_grad", _grad_of(lambda T, x: x.sum(dtype=T.int64)), [X]),
    ("prod_long_with_grad", _grad_of(lambda T, x: x.prod(1, dtype=T.int64)), [X]),
    ("cumsum_long_with_grad", _grad_of(lambda T, x: T.cumsum(x, 0, dtype=T.int64)), [X]),
    ("cumsum__bool", lambda T, x: x.cumsum_(0), [B]),
    ("cumprod__dtype", lambda T, x: x.cumprod_(1, dtype=T.float64), [X.astype(np.float32)]),
    ("cumsum__dtype_int", lambda T, x: x.cumsum_(1, dtype=T.float32), [N]),
    # ---- empty inputs, k out of range
    ("max_empty", lambda T, x: x.max(), [E]),
    ("min_empty_dim", lambda T, x: x.min(0), [E]),
    ("amax_empty", lambda T, x: x.amax(), [E]),
    ("amax_empty_dim", lambda T, x: T.amax(x, (1, 0)), [E]),
    ("argmax_empty", lambda T, x: x.argmax(), [E]),
    ("argmin_empty_dim", lambda T, x: x.argmin(0), [E]),
    ("median_empty_dim", lambda T, x: x.median(0), [E]),
    ("mode_empty_dim", lambda T, x: x.mode(0), [E]),
    ("kthvalue_empty_dim", lambda T, x: x.kthvalue(1, 0), [E]),
    ("kthvalue_k", lambda T, x: x.kthvalue(4), [X]),
    ("kthvalue_k_zero", lambda T, x: T.kthvalue(x, 0, 0), [X]),
    ("topk_k", lambda T, x: x.topk(4), [X]),
    ("topk_k_negative", lambda T, x: T.topk(x, -1), [X]),
    ("topk_k_scalar", lambda T, x: x.topk(2), [np.array(1.0)]),
    ("vector_norm_inf_empty", lambda T, x: T.linalg.vector_norm(x, INF), [E]),
    ("vector_norm_negative_empty", lambda T, x: T.linalg.vector_norm(x, -1.5, ()), [E]),
    ("vector_norm_inf_empty_dim", lambda T, x: T.linalg.vector_norm(x, -INF, (1, -2)), [E]),
    ("bincount_negative", lambda T, x: T.bincount(x), [np.array([1, -1])]),
    ("bincount_2d", lambda T, x: T.bincount(x), [np.array([[1, 2]])]),
    ("bincount_minlength", lambda T, x: x.bincount(minlength=-1), [np.array([1])]),
    ("bincount_weights", lambda T, x, w: T.bincount(x, w), [np.array([1, 2]), np.array([1.0])]),
    # ---- matrix norms torch.norm hands to linalg.matrix_norm
    ("norm_order", lambda T, x: x.norm("abc"), [X]),
    ("norm_nuc_vector", lambda T, x: T.norm(x, "nuc"), [X[0]]),
    ("norm_fro_three_dims", lambda T, x: x.norm("fro", (0, 1, 2)), [X.reshape(1, 2, 3)]),
    # ---- no derivative
    ("unique_backward", _backward(lambda T, x: T.unique(x)), [X]),
    ("unique_dim_backward", _backward(lambda T, x: T.unique(x, dim=1)), [X]),
    ("unique_dim_scalar", lambda T, x: T.unique(x, dim=0), [np.array(1.0)]),
    ("bincount_backward", _backward(lambda T, w, x: T.bincount(x, w)), [np.array([0.5, 1.0]), np.array([0, 3])]),
]


@pytest.mark.parametrize("fn,values", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error(fn: Callable, values: list) -> None:
    check_error(fn, values)


def _warnings(T: Any, fn: Callable) -> list[tuple[str, str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)  # NumPy's RuntimeWarnings stay silenced
        fn(T, T.tensor([[1.0, 2.0]]))
    return [(type(w.message).__name__, str(w.message)) for w in caught]


@pytest.mark.parametrize("fn", [
    lambda T, x: x.var(0), lambda T, x: T.std(x, correction=3), lambda T, x: T.var_mean(x, (0,)),
    lambda T, x: T.std_mean(x, 1, correction=2), lambda T, x: x.var(1),
], ids=["var", "std", "var_mean", "std_mean", "no_warning"])
def test_degrees_of_freedom_warning(fn: Callable) -> None:
    assert _warnings(minitorch, fn) == _warnings(torch, fn)


def test_deprecated_overload_warning() -> None:
    """torch warns once per process, for whichever deprecated overload is called first."""
    def calls(T: Any, x: Any) -> None:
        T.addmv(0.5, x[:, 0], 2.0, x, x[0])
        T.addmm(0.5, x @ x.T, x, x.T)
        (x @ x.T).addmm(0.5, 2, x, x.T)
        T.baddbmm(0.5, (x @ x.T)[None], x[None], x.T[None])
    assert _warnings(minitorch, calls) == _warnings(torch, calls)
