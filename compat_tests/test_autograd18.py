"""Autograd details as torch 2.13's (session 18, issue 10).

- tanh and sigmoid differentiate through torch's ops of their own, tanh_backward and sigmoid_backward: under
  create_graph their node (TanhBackwardBackward0, SigmoidBackwardBackward0) with derivatives.yaml's double-backward
  formulas. minitorch recorded the formula's ops, whose float16 and bfloat16 results were rounded per op (the fused
  kernel computes in float32 and rounds once): create_graph gradients a few ulps off (a silent wrong value).
"""
from __future__ import annotations

from typing import Any, Callable

import pytest

from graph_check import graph_names
from transcript import check_scenario


def _bits(T: Any, t: Any) -> Any:
    """A float16 or bfloat16 tensor's elements as their bits (every last one compared); others as they are, compared
    closely (torch's float64 kernels may differ in a last bit: its vectorized tanh, fused multiply-adds)."""
    t = t.detach()
    if t.element_size() != 2:
        return t
    return t.contiguous().view(T.int16).tolist()


ACTIVATIONS: dict[str, Callable] = {
    "tanh": lambda T, x: T.tanh(x), "sigmoid": lambda T, x: T.sigmoid(x),
    "tanh_": lambda T, x: (x * 1).tanh_(), "sigmoid_": lambda T, x: (x * 1).sigmoid_(),
    "nn_tanh": lambda T, x: T.nn.Tanh()(x), "nn_sigmoid": lambda T, x: T.nn.functional.sigmoid(x),
}


@pytest.mark.parametrize("dtype", ["float64", "float16", "bfloat16", "complex128"])
@pytest.mark.parametrize("name", ACTIVATIONS)
def test_fused_activation_backward_graphs(name: str, dtype: str) -> None:
    def scenario(T: Any, log: Any) -> None:
        x = T.tensor([0.3, -0.7, 1.2, 2.9, -3.3, 0.05], dtype=getattr(T, dtype), requires_grad=True)
        y = ACTIVATIONS[name](T, x)
        g, = T.autograd.grad(y, x, T.full_like(y, 0.7), create_graph=True)
        log(_bits(T, g), graph_names(g.grad_fn))
        log(g.grad_fn._saved_output, g.grad_fn._saved_grad_output)
        gg, = T.autograd.grad(g, x, T.full_like(g, 1.3), create_graph=True)
        log(_bits(T, gg), graph_names(gg.grad_fn))
        ggg, = T.autograd.grad(gg.sum().abs(), x)  # (third order: the double backward's own formulas)
        log(_bits(T, ggg))
    check_scenario(scenario)
