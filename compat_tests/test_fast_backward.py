"""Backward formulas that run on arrays when no graph is recorded (outside create_graph): the same values as
torch's, and bit for bit the same as the recorded ops they replace (the create_graph path).

Each program builds a small graph from float32 or float64 leaves and returns the leaves' gradients. It runs under
torch and minitorch (compared with the harness's tolerances for the dtype), and under minitorch twice more:
with ``create_graph=True`` (every VJP as recorded ops) and without; those two must agree in every bit.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs


def _leaves(T: Any, dtype: str, *shapes: tuple) -> list:
    rng = np.random.default_rng(0)
    out = []
    for s in shapes:
        values = rng.standard_normal(s)
        values.flat[0] = 0.0  # (a zero base: pow's gradient at 0)
        out.append(T.tensor(values, dtype=getattr(T, dtype), requires_grad=True))
    return out


def mean_of_all(T: Any, dtype: str) -> list:
    (x,) = _leaves(T, dtype, (5, 7))
    return [x, x.mean()]


def mean_of_many(T: Any, dtype: str) -> list:
    (x,) = _leaves(T, dtype, (3, 1, 11))
    return [x, (x * 3.0).mean()]


def sum_of_all(T: Any, dtype: str) -> list:
    x, y = _leaves(T, dtype, (4, 3), (1,))
    return [x, y, (x.relu() * 2).sum() + y.sum() * 3]


def powers(T: Any, dtype: str) -> list:
    (x,) = _leaves(T, dtype, (64,))
    return [x, sum((x ** e).sum() for e in (2, 3, 0.5, -1, 1.5, 1, -2.0, 7, 2.5, -0.5))]


def bias_gradients(T: Any, dtype: str) -> list:
    x, w, b, c = _leaves(T, dtype, (4, 3), (3, 5), (5,), (4, 1))
    return [w, b, c, ((x @ w + b) * c).sum()]


def small_mlp(T: Any, dtype: str) -> list:
    x, w1, b1, w2, b2 = _leaves(T, dtype, (8, 6), (6, 16), (16,), (16, 3), (3,))
    return [w1, b1, w2, b2, ((((x @ w1 + b1).relu() @ w2) + b2) ** 2).mean()]


PROGRAMS = [mean_of_all, mean_of_many, sum_of_all, powers, bias_gradients, small_mlp]


def _gradients(T: Any, program: Callable, dtype: str, create_graph: bool) -> list:
    *leaves, loss = program(T, dtype)
    cotangent = T.tensor(0.3711, dtype=loss.dtype)  # (not 1: a product with it would hide the formula's order)
    return list(T.autograd.grad(loss, leaves, cotangent, create_graph=create_graph))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_fast_backward_matches_torch_and_the_recorded_ops(program: Callable, dtype: str) -> None:
    expected = _gradients(torch, program, dtype, create_graph=False)
    fast = _gradients(minitorch, program, dtype, create_graph=False)
    assert_same_outputs(expected, fast)
    recorded = [g.detach() for g in _gradients(minitorch, program, dtype, create_graph=True)]
    for f, r in zip(fast, recorded):
        assert f.dtype == r.dtype and f.shape == r.shape
        assert f.numpy().tobytes() == r.numpy().tobytes(), "array path and recorded ops differ"


def test_bias_gradient_becomes_grad_without_a_copy() -> None:
    """The summed bias gradient is an array of its own: AccumulateGrad takes it as ``.grad`` (torch's steal)."""
    x, w, b = _leaves(minitorch, "float32", (4, 3), (3, 5), (5,))
    (x @ w + b).sum().backward()
    assert b.grad._data.flags.owndata


def test_gradient_of_a_one_element_sum_is_writable_in_a_hook() -> None:
    """sum's gradient for a one-element input has no overlapping elements: a hook may write it in place (torch's
    expand of a 0-d gradient), on the array path as on the recorded one."""
    results = []
    for T in (torch, minitorch):
        x = T.tensor([2.0], requires_grad=True)
        y = x * 3
        y.register_hook(lambda g: g.mul_(5))  # (g: the sum's gradient, expanded)
        y.sum().backward()
        results.append(x.grad)
    assert_same_outputs(results[0], results[1])
