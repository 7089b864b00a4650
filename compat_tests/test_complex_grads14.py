"""Complex gradients through add and sub as torch passes them: its formulas (``grad``, ``grad * alpha.conj()``) take
the gradient as it is, where minitorch's conjugate-Wirtinger wrapper conjugated it twice into a contiguous copy. That
copy changed the order of the broadcast sum downstream (a strided complex gradient summed to a (1,) input: the last
bit differed in ~90% of draws) and, under create_graph, the first gradient's node (ConjPhysicalBackward0 where torch
has the formula's own)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from transcript import check_scenario


@pytest.mark.parametrize("op", ["add", "sub"])
def test_strided_complex_gradient_summed_in_torch_order(op: str) -> None:
    rng = np.random.default_rng(1)
    draws = [((rng.standard_normal(80) + 1j * rng.standard_normal(80)).astype(np.complex64),
              (rng.standard_normal(1) + 1j * rng.standard_normal(1)).astype(np.complex64)) for _ in range(20)]

    def scenario(T: Any, log: Any) -> None:
        for x_values, a_values in draws:
            a, x = T.tensor(a_values, requires_grad=True), T.tensor(x_values)
            getattr(T, op)(x[::2], a).backward(x[1::2])
            log(a.grad.numpy().tobytes())  # (bit for bit)
    check_scenario(scenario)


@pytest.mark.parametrize("alpha", [1, 2.5, 1 + 1j, "tensor"])
def test_complex_alpha_gradients(alpha: Any) -> None:
    def scenario(T: Any, log: Any) -> None:
        a = T.tensor([1 + 2j, 3 - 1j], requires_grad=True)
        b = T.tensor([0.5 - 1j, 2 + 2j], requires_grad=True)
        scale = T.tensor(2.0) if alpha == "tensor" else alpha
        for op in (T.add, T.sub):
            (op(a, b, alpha=scale) * T.tensor([1 + 1j, 2 - 1j])).sum().real.backward()
            log(a.grad, b.grad)
            a.grad = b.grad = None
        first, = T.autograd.grad((a + b).abs().sum(), a, create_graph=True)
        log(first)  # (its grad_fn: the formula's node, not a conjugation's)
        log(T.autograd.grad(first.real.sum(), b))
    check_scenario(scenario)
