"""Session 8's faster paths (issue 15) give torch's bits: relu's backward mask, ``x[i]``'s view bookkeeping."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from harness import check, to_numpy

NAN, INF = float("nan"), float("inf")
# relu's inputs at the mask's edges (signed zeros, NaN, infinities) against cotangents that are not finite or are -0.0
RELU_INPUTS = [-0.0, 0.0, NAN, -INF, INF, -1.5, 2.0, 1e-30, -1e-30]
RELU_GRADS = [INF, -INF, NAN, -0.0, 3.0, -2.0, -0.0, INF, NAN]


def _relu_grad_bits(T, dtype_name: str, grad_values: list) -> np.ndarray:
    x = T.tensor(RELU_INPUTS, dtype=getattr(T, dtype_name), requires_grad=True)
    y = T.relu(x)
    (g,) = T.autograd.grad(y, x, T.tensor(grad_values, dtype=getattr(T, dtype_name)))
    return to_numpy(g)


@pytest.mark.parametrize("dtype_name", ["float32", "float64", "float16", "bfloat16"])
@pytest.mark.parametrize("finite", [True, False], ids=["finite grad", "inf and nan grad"])
def test_relu_backward_bits(dtype_name: str, finite: bool) -> None:
    grads = [v if np.isfinite(v) else 1.0 for v in RELU_GRADS] if finite else RELU_GRADS
    expected = _relu_grad_bits(torch, dtype_name, grads)
    got = _relu_grad_bits(minitorch, dtype_name, grads)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    np.testing.assert_array_equal(np.signbit(got), np.signbit(expected))  # torch's +0.0 where the mask drops
    np.testing.assert_array_equal(np.nan_to_num(got), np.nan_to_num(expected))


@pytest.mark.parametrize("form", ["function", "method", "in-place", "module"])
def test_relu_first_and_second_order(form: str) -> None:
    calls = {"function": lambda T, x: T.relu(x), "method": lambda T, x: x.relu(),
             "in-place": lambda T, x: (x * 1).relu_(), "module": lambda T, x: T.nn.ReLU()(x)}
    check(calls[form], [np.array([[-0.0, 0.0, NAN], [-2.0, 3.0, INF]])], second_order=True)


def _view_facts(T, make: str) -> tuple:
    """What ``x[i]``, a narrow, and unbind (one view op of each path) keep of their source, and what a write shows."""
    src = {"empty rows": lambda: T.zeros(0, 3).t(), "expanded": lambda: T.arange(3.0).expand(4, 3).t(),
           "leaf with grad": lambda: T.ones(3, 4, requires_grad=True)}[make]()
    base = src if src._base is None else src._base
    views = [src[1], src.narrow(0, 1, 1), src.unbind(0)[0]]
    facts = [(tuple(v.shape), v.stride(), v.storage_offset(), v._base is base, v.is_contiguous(),
              type(v.grad_fn).__name__) for v in views]
    if not src.requires_grad and src.stride(1) != 0:  # (writing an expanded tensor's view is refused by both)
        views[0].add_(1)
        facts.append((src._version, views[1]._version, src.sum().item()))
    return tuple(facts)


@pytest.mark.parametrize("make", ["empty rows", "expanded", "leaf with grad"])
def test_view_bookkeeping(make: str) -> None:
    assert _view_facts(minitorch, make) == _view_facts(torch, make)
