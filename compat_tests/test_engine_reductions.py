"""The engine's reduction of a gradient to its input's shape (torch's ``validate_outputs``: ``sum_to`` for a
gradient that broadcasts to the input, an error for one that does not), through a custom Function whose backward
returns a gradient of another shape: values against torch, and bit for bit the same outside create_graph (the
array path) as under it (sum's recorded op)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_outputs, check_error

# (input shape, the shape of the gradient its backward returns)
BROADCAST = [((5,), (3, 5)), ((2, 1), (3, 2, 4)), ((1, 4), (6, 4)), ((3, 1, 2), (3, 7, 2)), ((1,), (2, 3, 1)),
             ((), (4,)), ((2, 3), (2, 3))]
NOT_BROADCAST = [((5,), (3, 4)), ((2, 3), (3,)), ((2, 1), (2, 3, 5)), ((1, 4), (4, 2))]


def _widening(T: Any, grad_shape: tuple) -> Any:
    """A Function that doubles its input and returns, as its gradient, the values 0.25 * (1..n) in ``grad_shape``
    (times the incoming gradient's sum)."""
    class Widening(T.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            n = int(np.prod(grad_shape))
            values = T.arange(1, n + 1, dtype=g.dtype).reshape(grad_shape) * 0.25
            return values * g.sum()
    return Widening


def _gradient(T: Any, shape: tuple, grad_shape: tuple, dtype: str, create_graph: bool = False) -> Any:
    x = T.ones(shape, dtype=getattr(T, dtype), requires_grad=True)
    (g,) = T.autograd.grad(_widening(T, grad_shape).apply(x).sum() * 1.5, [x], create_graph=create_graph)
    return g


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("shape,grad_shape", BROADCAST, ids=str)
def test_a_broadcast_gradient_is_summed_to_the_input(shape: tuple, grad_shape: tuple, dtype: str) -> None:
    fast = _gradient(minitorch, shape, grad_shape, dtype)
    assert_same_outputs(_gradient(torch, shape, grad_shape, dtype), fast)
    recorded = _gradient(minitorch, shape, grad_shape, dtype, create_graph=True).detach()
    assert fast.shape == recorded.shape and fast.numpy().tobytes() == recorded.numpy().tobytes()


@pytest.mark.parametrize("shape,grad_shape", NOT_BROADCAST, ids=str)
def test_a_gradient_that_does_not_broadcast_is_refused(shape: tuple, grad_shape: tuple) -> None:
    check_error(lambda T: _gradient(T, shape, grad_shape, "float32"))


def test_a_linear_layers_bias_gradient_through_backward() -> None:
    """The common caller: ``F.linear``'s bias gradient (AddmmBackward0's, summed over the batch), into ``.grad``."""
    grads = []
    for T in (torch, minitorch):
        rng = np.random.default_rng(3)
        x = T.tensor(rng.standard_normal((9, 4)), dtype=T.float32)
        w, b = (T.tensor(rng.standard_normal(s), dtype=T.float32, requires_grad=True) for s in ((3, 4), (3,)))
        (T.nn.functional.linear(x, w, b) ** 2).sum().backward()
        grads.append([w.grad, b.grad])
    assert_same_outputs(grads[0], grads[1])
