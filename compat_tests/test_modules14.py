"""Modules found differing by test_moduleinfo:

- ``Module.to`` a complex dtype converts the floating and complex parameters and buffers, with torch's warning
  (minitorch refused every complex dtype);
- the fused CPU attention kernel's backward has no derivative: under create_graph its gradients come from a
  NotImplemented node (``_scaled_dot_product_flash_attention_for_cpu_backward``) that refuses a second backward, as
  a Transformer's double backward shows; minitorch's composite VJPs differentiated twice.
"""
from __future__ import annotations

from typing import Any

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
