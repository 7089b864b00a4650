"""Gradients at special points agree with torch's, first and second order (issue 10, class 4): the cases the
issue names, then a sweep of every unary and binary pointwise op (the op table, ``torch.special`` and the
``nn.functional`` activations) over NaN, infinities, signed zeros and domain edges.

torch's vectorized CPU loops (8 or 16 doubles at a time here) may take another branch at NaN than its scalar
loop (``selu``'s gradient at NaN is NaN in the first 16 elements of a tensor of 16 or more, the positive slope
in shorter ones; ``hardtanh``'s is 0 from 8 elements on); minitorch follows the scalar loop, so the unary cases
feed tensors of at most 7 elements.
"""
from __future__ import annotations

import re
import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

from harness import check
from minitorch._ops.registry import OPS, SPECIAL

NAN, INF = float("nan"), float("inf")
EXPONENTS = np.array([-1.0, 0.0, 2.0, 0.5])


def test_pow_zero_number_base_exponent_grad() -> None:
    check(lambda T, y: 0.0 ** y, [EXPONENTS], second_order=True)


def test_pow_zero_tensor_base_exponent_grad() -> None:
    check(lambda T, y: T.pow(T.zeros(4, dtype=T.float64), y), [EXPONENTS])


# ---- the cases --------------------------------------------------------------------------------------
def _f(name: str, **kw: Any) -> Callable:
    return lambda T, *xs: getattr(T.nn.functional, name)(*xs, **kw)


def _loss(name: str, **kw: Any) -> Callable:
    return lambda T, x, y: getattr(T.nn.functional, name)(x, y, reduction="none", **kw)


_PAIR = [np.array([NAN, 1.0, 2.0, 1.0, NAN, -INF, 0.0]), np.array([1.0, NAN, 2.0, NAN, NAN, INF, -0.0])]
_EDGES = np.array([NAN, -1.0, 1.0, 0.0, -0.0, INF, -INF])
CASES = {
    "atanh": (lambda T, x: T.atanh(x), [np.array([1.0, -1.0, 0.5, NAN, INF])]),
    "maximum": (lambda T, x, y: T.maximum(x, y), _PAIR),
    "minimum": (lambda T, x, y: T.minimum(x, y), _PAIR),
    "fmax": (lambda T, x, y: T.fmax(x, y), _PAIR),
    "fmin": (lambda T, x, y: T.fmin(x, y), _PAIR),
    "hardtanh": (_f("hardtanh"), [_EDGES]),
    "relu6": (_f("relu6"), [np.array([NAN, 0.0, 6.0, -INF, INF, 3.0])]),
    "softplus": (_f("softplus"), [np.array([NAN, -INF, INF, 0.0, 20.0, 30.0])]),
    "softplus_beta": (_f("softplus", beta=2, threshold=5), [np.array([NAN, -INF, INF, 0.0, 2.5, 3.0])]),
    "hardswish": (_f("hardswish"), [np.array([NAN, -3.0, 3.0, 0.0, INF, -INF, 1.0])]),
    "selu": (_f("selu"), [_EDGES]),
    "elu": (_f("elu", alpha=2.0), [_EDGES]),
    "celu": (_f("celu", alpha=0.5), [_EDGES]),
    "threshold": (_f("threshold", threshold=0.5, value=2.0), [np.array([NAN, 0.5, 1.0, -INF, INF])]),
    "hardshrink": (_f("hardshrink"), [np.array([NAN, 0.5, -0.5, 1.0, INF])]),
    "softshrink": (_f("softshrink"), [np.array([NAN, 0.5, -0.5, 1.0, INF])]),
    "smooth_l1_loss": (_loss("smooth_l1_loss", beta=0.5), _PAIR),
    "huber_loss": (_loss("huber_loss", delta=2.0), _PAIR),
    "clamp": (lambda T, x: T.clamp(x, -1, 1), [_EDGES]),
    "clamp_tensors": (lambda T, x, lo, hi: T.clamp(x, lo, hi), [
        np.array([NAN, -1.0, 1.0, 0.0, 0.5]), np.array([0.0, NAN, 0.0, 0.0, 1.0]),
        np.array([1.0, 1.0, NAN, 0.0, 0.0])]),
    "pow_base_zero": (lambda T, x, y: T.pow(x, y), [np.array([0.0, 0.0, 0.0, 0.0, -0.0, 0.0, 0.0]),
                                                   np.array([0.5, 1.0, 2.0, 3.0, 2.0, -1.0, NAN])]),
    "pow_number_zero": (lambda T, x: T.pow(x, 1.5), [np.array([0.0, -0.0, -INF])]),
    "pow_sqrt": (lambda T, x: T.pow(x, 0.5) + x ** -0.5, [np.array([0.0, -0.0, -INF, 4.0])]),
    "elu_inplace": (lambda T, x: T.nn.functional.elu(x * 1, alpha=2.0, inplace=True), [
        np.array([0.0, -0.0, 1.0, -1.0, NAN])]),
    "selu_inplace": (lambda T, x: T.selu_(x * 1), [np.array([0.0, -0.0, 1.0, -1.0, NAN])]),
    "celu_inplace": (lambda T, x: T.celu_(x * 1, 0.5), [np.array([0.0, -0.0, 1.0, -1.0, NAN])]),
    "rsub_signed_zero": (lambda T, x: 1 / (1 - x) + 1 / T.rsub(x, 1), [np.array([1.0, 1.0])]),
    "trigamma_poles": (lambda T, x: T.polygamma(1, x), [np.array([-1.0, -2.0, -INF, INF, 0.0, 1.0])]),
    "sinc_underflow": (lambda T, x: T.sinc(x), [np.array([1e-310, -1e-310, 0.0])]),
    "i1_tiny": (lambda T, x: T.special.i1(x) + T.special.i1e(x), [np.array([NAN, 1e-310, 0.0, 1e-17, 1.0])]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_special_point(name: str) -> None:
    fn, values = CASES[name]
    check(fn, values, second_order=True)


# mixed precision: the gradients are computed in the result's dtype and cast to each input's
_F32 = np.array([0.5, 2.0, 0.0, 3.0], np.float32)
_F64 = np.array([1.5, -1.0, 2.0, 0.5])
MIXED_POW = {
    "f32_f64": [_F32, _F64], "f64_f32": [_F64, _F32], "f32_0d64": [_F32, np.array(1.5)],
    "0d64_f32": [np.array(1.5), _F32], "0d32_f64": [np.array(2.5, np.float32), _F64],
    "0d64_0d32": [np.array(1.5), np.array(2.5, np.float32)], "f16_f64": [_F32.astype(np.float16), _F64],
    "f32_int": [_F32, np.array([1, 2, 3, 0])], "int_f32": [np.array([1, 2, 3, 0]), _F32],
}


@pytest.mark.parametrize("name", sorted(MIXED_POW))
def test_pow_mixed_precision(name: str) -> None:
    check(lambda T, x, y: T.pow(x, y), MIXED_POW[name], second_order=True)


def test_pow_number_exponents_round_as_torch() -> None:
    """torch's special exponents are the products they are (x * x * x rounds twice), to the last bit."""
    x = np.random.default_rng(0).uniform(0, 10, 500).astype(np.float32)
    for e in (2, 3, -2, -1):
        check(lambda T, t: T.pow(t, e), [x], grad=False, rtol=0, atol=0)


# ---- the sweep ----------------------------------------------------------------------------------------------
_SPECIAL_VALUES = np.array([NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 3.0, -3.0, 6.0, 20.0,
                            1e-310])
_UNARY_CHUNKS = [_SPECIAL_VALUES[i:i + 6] for i in range(0, _SPECIAL_VALUES.size, 6)]
_BINARY_VALUES = [a.ravel().copy() for a in np.meshgrid(_SPECIAL_VALUES[:11], _SPECIAL_VALUES[:11])]
_ACTIVATIONS = ("celu", "elu", "gelu", "hardshrink", "hardsigmoid", "hardswish", "hardtanh", "leaky_relu",
                "logsigmoid", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "softplus", "softshrink",
                "softsign", "tanh", "tanhshrink")


def _differentiable_pointwise(fn: Callable, arity: int) -> bool:
    """Whether torch's ``fn`` maps float64 tensors of one shape to a differentiable tensor of that shape."""
    xs = [torch.ones(3, dtype=torch.float64, requires_grad=True) for _ in range(arity)]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*xs)
    except Exception:  # noqa: BLE001 - not an op of this arity
        return False
    return isinstance(out, torch.Tensor) and out.requires_grad and out.shape == (3,)


# not pointwise functions of their inputs' values: random draws, and _weight_norm (a norm over a dim); complex
# and polar build complex numbers, whose infinities follow C's rules (the complex work's subject, not this one)
_NOT_POINTWISE = {"bernoulli", "binomial", "poisson", "normal", "_weight_norm", "rrelu", "complex", "polar"}


# a pointwise signature: one tensor, or two (the second may be a number); probing only these keeps torch's
# once-per-process deprecation warnings (nuclear_norm, chain_matmul...) for the tests of them
_POINTWISE_SIGNATURE = re.compile(
    r"^\w+\(Tensor \w+(, (Tensor|Scalar) \w+)?(, \*(, Scalar alpha=1)?(, Tensor out=None)?)?\)$")


def _pointwise_records() -> list:
    return sorted(n for n, rec in OPS.items() if rec.function is not None and any(
        _POINTWISE_SIGNATURE.match(sig.text) for sig in rec.function.signatures))


def _sweep() -> list:
    namespaces = [("", lambda T: T, _pointwise_records()),
                  ("special.", lambda T: T.special, sorted(SPECIAL)),
                  ("nn.functional.", lambda T: T.nn.functional, _ACTIVATIONS)]
    cases = []
    for prefix, module, names in namespaces:
        for name in names:
            if name in _NOT_POINTWISE or not hasattr(module(torch), name):
                continue
            for arity in (1, 2):
                if _differentiable_pointwise(getattr(module(torch), name), arity):
                    cases.append(pytest.param(module, name, arity, id="%s%s/%d" % (prefix, name, arity)))
                    break
    return cases


@pytest.mark.parametrize("module, name, arity", _sweep())
def test_pointwise_gradients_at_special_points(module: Callable, name: str, arity: int) -> None:
    def fn(T: Any, *xs: Any) -> Any:
        return getattr(module(T), name)(*xs)
    for values in ([[chunk] for chunk in _UNARY_CHUNKS] if arity == 1 else [_BINARY_VALUES]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # torch's own warnings (deprecations) are not the subject here
            check(fn, values, second_order=True)
