"""Modules found differing by test_moduleinfo:

- ``Module.to`` a complex dtype converts the floating and complex parameters and buffers, with torch's warning
  (minitorch refused every complex dtype);
- the fused CPU attention kernel's backward has no derivative: under create_graph its gradients come from a
  NotImplemented node (``_scaled_dot_product_flash_attention_for_cpu_backward``) that refuses a second backward, as
  a Transformer's double backward shows; minitorch's composite VJPs differentiated twice.
"""
from __future__ import annotations

from typing import Any

import pytest

from graph_check import graph_names
from transcript import check_scenario


def test_module_to_complex() -> None:
    def scenario(T: Any, log: Any) -> None:
        conv = T.nn.ConvTranspose1d(2, 3, 2).to(T.complex64)
        log(conv.weight.dtype, conv.bias.dtype)
        log([b.dtype for b in T.nn.BatchNorm1d(2).to(T.complex128).buffers()])
        log(T.nn.Linear(2, 2).to(T.complex64).to(T.float32).weight.dtype)
        log(T.nn.Linear(2, 2).to(T.complex64).double().weight.dtype)
        log.attempt(lambda: T.nn.Linear(2, 2).to(T.int32))
    check_scenario(scenario)


def test_fused_attention_backward_has_no_derivative() -> None:
    def scenario(T: Any, log: Any) -> None:
        T.manual_seed(0)
        q, k, v = (T.randn(1, 2, 3, 4, requires_grad=True) for _ in range(3))
        out = T.nn.functional.scaled_dot_product_attention(q, k, v)
        cotangent = T.randn(1, 2, 3, 4, requires_grad=True)
        grads = T.autograd.grad(out, (q, k, v), cotangent, create_graph=True)
        for g in grads:
            log(g, graph_names(g.grad_fn))
        log.attempt(lambda: grads[0].sum().backward())
        log(T.autograd.grad(out.sum(), q)[0])  # (the first derivative alone, unchanged)
    check_scenario(scenario)


@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("norm", ["batch_norm", "instance_norm"])
def test_norm_over_running_stats_double_backward(norm: str, affine: bool) -> None:
    def scenario(T: Any, log: Any) -> None:
        T.manual_seed(0)
        x = T.randn(4, 3, 5, dtype=T.float64, requires_grad=True)
        mean, var = T.randn(3, dtype=T.float64), T.rand(3, dtype=T.float64) + 0.5
        weight = T.randn(3, dtype=T.float64, requires_grad=True) if affine else None
        F = T.nn.functional
        y = (F.batch_norm(x, mean, var, weight, None, training=False) if norm == "batch_norm" else
             F.instance_norm(x, mean, var, weight, None, use_input_stats=False))
        inputs = (x,) if weight is None else (x, weight)
        grads = T.autograd.grad(y, inputs, T.randn(4, 3, 5, dtype=T.float64), create_graph=True)
        log(grads[0])  # (its node: torch's name; its edges differ with a weight: minitorch multiplies it first)
        log([(g.detach(), g.requires_grad) for g in grads[1:]])  # (the weight's: a composite's graph in minitorch)
        log(T.autograd.grad(grads[0].pow(2).sum(), inputs, allow_unused=True))
    check_scenario(scenario)
