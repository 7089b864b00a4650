"""Randomized leaky ReLU: ``torch.rrelu(_)`` and the ``torch._C._nn.rrelu_with_noise(_)`` bindings under them.

In training each non-positive element is multiplied by its own slope drawn uniformly from
``[lower, upper)`` (one ``random64()`` per such element, in the input's C order, as ATen's serial CPU
loop draws them); in eval the slope is the mean ``(lower + upper) / 2`` (a leaky ReLU). Either way the
derivative is that per-element slope, saved as ``noise`` (what ATen's backward multiplies by).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import _dtype as D
from ..._rng import resolve
from ..._rng.engine import Generator
from ..._tensor import Tensor
from ...autograd.recording import (check_inplace, check_no_requires_grad, defop, has_memory_to_write, record,
                                   record_inplace)
from ..inplace import same_dtype_out
from ..registry import nn_op, op
from ..scalar_cast import checked_scalar
from .activation import NEGATIVE_SLOPE_IN_PLACE, _opmath, _piecewise_backward
from .common import require_float

_rrelu_backward = _piecewise_backward("rrelu_with_noise", lambda x, noise: noise)

RRELU = defop("rrelu_with_noise", grads={"self": lambda grad, self, noise: _rrelu_backward(
    grad, self, {"noise": noise})})


def _rrelu_grad_from_result(grad: Tensor, result: Tensor, noise: np.ndarray, eval_slope: float | None) -> Tensor:
    """In place the input is overwritten: the backward reads the saved slopes only; in eval it is torch's
    in-place leaky ReLU backward, which refuses a negative slope."""
    if eval_slope is not None and eval_slope < 0:
        raise RuntimeError(NEGATIVE_SLOPE_IN_PLACE)
    return _rrelu_backward(grad, result, {"noise": noise})


RRELU_ = defop("rrelu_with_noise_", grads={"self": _rrelu_grad_from_result}, grad_name="RreluWithNoiseBackward1")

_DEFAULT_UPPER = 1.0 / 3


def _training_slopes(x: np.ndarray, lower: float, upper: float, generator: Generator | None) -> np.ndarray:
    """One slope per element: 1 where x > 0 (and for nan), else ``U53 * (upper - lower) + lower``,
    computed in double from the bounds as x's opmath type holds them (float32 for float32), then
    rounded to x's dtype."""
    opmath = D.float64 if x.dtype == np.float64 else D.float32
    lo, hi = float(checked_scalar(lower, opmath)), float(checked_scalar(upper, opmath))
    flat = np.ascontiguousarray(x).reshape(-1)
    slopes = np.ones(flat.shape, x.dtype)
    negative = np.flatnonzero(flat <= 0)
    if negative.size:
        # ATen builds its uniform distribution at the first non-positive element: nothing drawn yet
        if lo > hi:
            raise RuntimeError("Expected from <= to to be true, but got false.  (Could this error message be "
                               "improved?  If so, please report an enhancement request to PyTorch.)")
        u = resolve(generator).uniform53(negative.size)
        slopes[negative] = (u * (hi - lo) + lo).astype(x.dtype)
    return slopes.reshape(x.shape)


def _eval_slope(lower: Any, upper: Any) -> float:
    """torch's eval slope, ``(scalar_to_tensor(lower) + scalar_to_tensor(upper)) / 2`` read back: tensor arithmetic
    (a float bound is float64, an int int64 or, past its range, uint64: the add's promotion and its refusals; two
    integral bounds divide into the default float dtype)."""
    bounds = [Tensor._make(np.asarray(v, _SCALAR_TENSOR.get(type(v)) or D.scalar_dtype(v).np)) for v in (lower, upper)]
    return ((bounds[0] + bounds[1]) / 2).item()


_SCALAR_TENSOR = {float: np.float64, complex: np.complex128}  # (scalar_to_tensor's dtypes where promotion's differ)


def _rrelu(input: Tensor, noise: Tensor | None, lower: float, upper: float, training: bool,
           generator: Generator | None, inplace: bool) -> Tensor:
    """``rrelu_with_noise``; ``noise`` None: torch.rrelu's own noise tensor (``empty_like(input)``)."""
    x = input._data
    eval_slope = None
    if noise is not None and noise.shape != input.shape:
        raise RuntimeError("noise tensor shape must match self tensor shape. Got self.shape = %s noise.shape = %s"
                           % (list(input.shape), list(noise.shape)))
    if training:
        require_float("rrelu_with_noise_out_cpu", input)
        if x.dtype == np.float16:
            raise NotImplementedError("\"rrelu_with_noise_out_cpu\" not implemented for 'Half'")
        if noise is not None and noise.dtype is not input.dtype:
            raise RuntimeError("expected scalar type %s but found %s"
                               % (input.dtype._cast_name, noise.dtype._cast_name))
        slopes = _training_slopes(x, lower, upper, generator)
        if noise is not None:
            noise._data[...] = slopes
            noise._bump_version()
    else:
        eval_slope = _eval_slope(lower, upper)  # (before leaky_relu runs, which checks its output, then its dtype)
        if inplace:
            has_memory_to_write(input)
        require_float("leaky_relu_cpu", input)
        checked_scalar(eval_slope, _opmath(input.dtype))  # (leaky_relu's reading of its slope)
        slopes = np.where(x > 0, 1.0, eval_slope)
    compute = np.float32 if x.dtype == np.float16 else x.dtype
    data = (x.astype(compute, copy=False) * slopes.astype(compute, copy=False)).astype(x.dtype, copy=False)
    # (eval's backward is leaky_relu's, whose slope is read in the compute type: float32 for float16/bfloat16)
    noise_attr = {"noise": slopes.astype(x.dtype if eval_slope is None else _opmath(input.dtype).np, copy=False)}
    if inplace:
        return record_inplace(RRELU_, input, data, (input,), {**noise_attr, "eval_slope": eval_slope})
    return record(RRELU, np.asarray(data, order="C"), (input,), noise_attr)  # (torch's result: contiguous)


def _check_bounds(lower: float, upper: float) -> None:
    if not float(lower) <= float(upper):  # (torch's check: a NaN bound fails it)
        raise RuntimeError("Lower bound should be less than or equal to the upper bound")


@op("rrelu(Tensor input, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, "
    "Generator? generator=None)")
def rrelu(input: Tensor, lower: float = 0.125, upper: float = _DEFAULT_UPPER, training: bool = False,
          generator: Generator | None = None) -> Tensor:
    for name, bound in (("lower", lower), ("upper", upper)):  # (the out-of-place form only, as torch's)
        if not math.isfinite(float(bound)):
            raise RuntimeError("rrelu: %s bound must be finite, got %s" % (name, float(bound)))
    _check_bounds(lower, upper)
    return _rrelu(input, None, lower, upper, training, generator, False)


@op("rrelu_(Tensor input, Scalar lower=0.125, Scalar upper=0.3333333333333333, bool training=False, "
    "Generator? generator=None)")
def rrelu_(input: Tensor, lower: float = 0.125, upper: float = _DEFAULT_UPPER, training: bool = False,
           generator: Generator | None = None) -> Tensor:
    _check_bounds(lower, upper)
    check_inplace(input)  # (rrelu_with_noise_'s autograd refusal, before its kernel's)
    return _rrelu(input, None, lower, upper, training, generator, True)


@nn_op("rrelu_with_noise(Tensor input, Tensor noise, Scalar lower=0.125, Scalar upper=0.3333333333333333, "
       "bool training=False, Generator? generator=None, *, Tensor out=None)", out_rule=same_dtype_out())
def rrelu_with_noise(input: Tensor, noise: Tensor, lower: float = 0.125, upper: float = _DEFAULT_UPPER,
                     training: bool = False, generator: Generator | None = None) -> Tensor:
    """As ``rrelu``, writing the training slopes into ``noise`` (which eval leaves alone)."""
    check_no_requires_grad("rrelu_with_noise", noise=noise)
    return _rrelu(input, noise, lower, upper, training, generator, False)


@nn_op("rrelu_with_noise_(Tensor input, Tensor noise, Scalar lower=0.125, Scalar upper=0.3333333333333333, "
       "bool training=False, Generator? generator=None)")
def rrelu_with_noise_(input: Tensor, noise: Tensor, lower: float = 0.125, upper: float = _DEFAULT_UPPER,
                      training: bool = False, generator: Generator | None = None) -> Tensor:
    check_inplace(input)  # torch refuses a leaf first
    check_no_requires_grad("rrelu_with_noise_", noise=noise)
    return _rrelu(input, noise, lower, upper, training, generator, True)
