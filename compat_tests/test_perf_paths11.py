"""Session 11's fast paths (issue 15) against the general paths they skip and against torch: a float tensor's whole
sum and mean."""
from __future__ import annotations

import numpy as np
import pytest
import torch

import minitorch
from harness import check

NAN, INF = float("nan"), float("inf")


def _reduction_inputs() -> list[np.ndarray]:
    rng = np.random.default_rng(11)
    arrays = [np.array(3.5), np.zeros(0), np.zeros((2, 0, 3)), np.array([INF, -INF, 1.0]), np.array([NAN, 1.0]),
              np.array([3e38, 3e38, -1e38]), np.array([1e-45, -0.0])]
    arrays += [rng.standard_normal(n) * 10.0 ** rng.integers(-5, 5, n) for n in (7, 8, 9, 17, 129, 1000)]
    arrays += [rng.standard_normal((4, 5, 6)).transpose(2, 0, 1), rng.standard_normal((6, 30))[:, ::3]]
    return arrays


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", ["sum", "mean"])
def test_whole_reduction_fast_path(dtype: str, name: str) -> None:
    """``x.sum()``/``x.mean()`` of a float32/float64 tensor (computed in the op's frame) equal the general path's
    bits (the same op with ``dtype=`` given) and torch's values, gradients and second derivatives."""
    for array in _reduction_inputs():
        x = minitorch.tensor(array, dtype=getattr(minitorch, dtype))
        fast, general = getattr(x, name)(), getattr(x, name)(dtype=x.dtype)
        assert fast.dtype == general.dtype and fast.shape == general.shape
        np.testing.assert_array_equal(fast.numpy(), general.numpy())
        check(lambda T, x: (getattr(x, name)(), getattr(T, name)(x)), [array.astype(dtype)], second_order=True)


@pytest.mark.parametrize("name", ["sum", "mean"])
def test_whole_reduction_other_calls(name: str) -> None:
    """The calls the fast path leaves to the general one: other dtypes, ``dtype=``, ``dim=``, a view's input."""
    values = np.array([[1.5, -2.0, 3.25], [0.5, 4.0, -1.0]])
    check(lambda T, x: getattr(x, name)(dtype=T.float64), [values.astype(np.float32)])
    check(lambda T, x: getattr(x, name)(dim=None), [values])
    check(lambda T, x: getattr(x[:, 1:], name)(), [values.astype(np.float32)])
    for dtype in ("float16", "bfloat16", "complex64", "int64", "bool"):
        check(lambda T, x: getattr(x.to(getattr(T, dtype)), name)(), [values])
    check(lambda T, x: getattr(x, name)(), [values.astype(np.float32)], grad=False)


def _graph_names(t) -> list:
    """The grad_fn names of ``t``'s graph, depth first."""
    names, stack = [], [t.grad_fn]
    while stack:
        node = stack.pop()
        if node is not None:
            names.append(type(node).__name__)
            stack += [n for n, _ in node.next_functions]
    return names


def _view_input_facts(T) -> list:
    """Ops on views: with a current history (a linear layer's ``w.t()``: its edge read in make_node), with a history
    made stale by an in-place write into the base (regenerated), and without one."""
    w = T.tensor([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]], requires_grad=True)
    x = T.tensor([[2.0, 1.0], [-1.0, 3.0]])
    current = T.mm(x.t(), w)
    y = T.nn.functional.linear(x.t(), w.t())
    a = w.clone()
    row = a[0]
    a.mul_(2)  # row's history is now stale: the next op regenerates it
    stale = row * 3
    with T.no_grad():
        detached_view = w[1]
    plain = detached_view * 2
    out = [(_graph_names(r), r.detach().numpy().tolist()) for r in (current, y, stale, plain)]
    (y.sum() + stale.sum()).backward()
    return out + [w.grad.numpy().tolist(), plain.requires_grad]


def test_view_inputs_edges() -> None:
    assert _view_input_facts(minitorch) == _view_input_facts(torch)
