"""Autograd details as torch 2.13's (session 18, issue 10).

- tanh and sigmoid differentiate through torch's ops of their own, tanh_backward and sigmoid_backward: under
  create_graph their node (TanhBackwardBackward0, SigmoidBackwardBackward0) with derivatives.yaml's double-backward
  formulas. minitorch recorded the formula's ops, whose float16 and bfloat16 results were rounded per op (the fused
  kernel computes in float32 and rounds once): create_graph gradients a few ulps off (a silent wrong value).
- ``Tensor.grad_dtype`` is settable as torch 2.13's (minitorch raised NotImplementedError): the gradients reaching the
  leaf from each node are cast to it on their way (so two paths sum in the grad_dtype), hooks and autograd.grad see
  them cast, None lets any dtype through; the setter's and the ``.grad`` setter's checks.
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


class _DoubleGrad:
    """An autograd.Function whose backward returns a float64 gradient (kept by a leaf whose grad_dtype is None)."""

    @staticmethod
    def make(T: Any) -> Any:
        class Double(T.autograd.Function):
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                return x * 2

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                return g.double() / 3
        return Double


GRAD_DTYPE_USES: dict[str, Callable] = {
    "mul": lambda T, w: (w * 1.1).sum(), "two_paths": lambda T, w: (w * 1.1).sum() + (w / 3).sum(),
    "slice": lambda T, w: w[1:].sum(), "cat": lambda T, w: T.cat([w * 0.1, w]).sum(),
    "function": lambda T, w: _DoubleGrad.make(T).apply(w).sum(), "expand": lambda T, w: w.expand(2, 3).sum(),
}


@pytest.mark.parametrize("grad_dtype", ["float64", "float16", "complex64", None])
@pytest.mark.parametrize("use", GRAD_DTYPE_USES)
def test_grad_dtype_casts_the_leaf_gradients(use: str, grad_dtype: str | None) -> None:
    def scenario(T: Any, log: Any) -> None:
        w = T.tensor([1.1, 2.2, 3.3], requires_grad=True)
        w.grad_dtype = None if grad_dtype is None else getattr(T, grad_dtype)
        log(w.grad_dtype)
        w.register_hook(lambda g: log("hook", g.dtype))
        log(T.autograd.grad(GRAD_DTYPE_USES[use](T, w), w))
        GRAD_DTYPE_USES[use](T, w).backward()
        GRAD_DTYPE_USES[use](T, w).backward()
        log(w.grad)
    check_scenario(scenario)


def test_grad_dtype_setters() -> None:
    def scenario(T: Any, log: Any) -> None:
        w = T.ones(3, requires_grad=True)
        w.grad_dtype = T.float16
        log.attempt(lambda: setattr(w, "grad", T.ones(3)))
        w.grad = T.ones(3, dtype=T.float16)
        log(w.grad)
        log.attempt(lambda: setattr(w, "grad_dtype", "float64"))
        log.attempt(lambda: setattr(w, "grad_dtype", T.float32))  # (a gradient of another dtype is there)
        w.grad_dtype = None
        w.grad = T.ones(3, dtype=T.float64)  # (any dtype)
        log(w.grad, w.grad_dtype)
        log.attempt(lambda: setattr(w * 2, "grad_dtype", T.float64))  # (the non-leaf .grad warning first)
        log.attempt(lambda: (w * 2).grad_dtype)
        v = T.ones(2)
        v.grad_dtype = T.float64  # (a leaf that does not require grad keeps it)
        v.requires_grad_()
        log(v.grad_dtype, T.ones(2, dtype=T.int64).grad_dtype)
        (v * 2).sum().backward()
        log(v.grad)
    check_scenario(scenario)
