"""softmax and log_softmax.

Each backward is a table row of its own (torch's ``_softmax_backward_data`` /
``_log_softmax_backward_data``): one fused NumPy kernel on the hot path of every classifier,
with VJPs in minitorch ops for double backward.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._complex_half_storage import warn_experimental
from ..._tensor import Tensor
from ..conversion import convert, discard_imaginary
from ..cpu_loops import VECTORIZED_BFLOAT16_NAN
from ..dims import wrap_dim
from ..registry import FUNCTIONS, op
from ...autograd.recording import defop, record
from .common import in_float, require_float


def _axis(x: np.ndarray, dim: int) -> Any:
    return dim if x.ndim else None


# NumPy reduces short rows slowly (a loop per row): along a short last axis the max runs over a
# transposed copy (whole rows at a time) and the sum is a BLAS matrix-vector product.
_SHORT = 128


def _max_along(x: np.ndarray, axis: Any) -> np.ndarray:
    if axis is not None and axis == x.ndim - 1 and x.shape[-1] < _SHORT and x.ndim > 1:
        last_first = np.ascontiguousarray(x.transpose((axis,) + tuple(range(axis))))
        return np.maximum.reduce(last_first, axis=0)[..., None]
    return np.maximum.reduce(x, axis=axis, keepdims=True)


_ONES: dict = {}


def _sum_along(x: np.ndarray, axis: Any) -> np.ndarray:
    if axis is not None and axis == x.ndim - 1 and x.ndim > 1 and x.dtype not in D.REDUCED_NP:
        key = (x.shape[-1], x.dtype)
        ones = _ONES.get(key)
        if ones is None:  # (a column: the product keeps the summed axis. NumPy's matmul takes a vector as this column)
            ones = _ONES[key] = np.ones((x.shape[-1], 1), x.dtype)
        return np.matmul(x, ones)
    return np.add.reduce(x, axis=axis, keepdims=True)


def _log_softmax_np(x: np.ndarray, axis: Any) -> np.ndarray:
    if x.size == 0:
        return x.copy()
    out = x - _max_along(x, axis)
    out -= np.log(_sum_along(np.exp(out), axis))
    return out


def _softmax_np(x: np.ndarray, axis: Any) -> np.ndarray:
    if x.size == 0:
        return x.copy()
    out = np.exp(x - _max_along(x, axis))
    out /= _sum_along(out, axis)
    return out


# torch's float16/bfloat16 kernels compute in float32 and round once, except in two places where a buffer holds the
# reduced float: the last-dim log_softmax's sum of exponentials and its log, and, along another dim, the exponentials
# of the inner positions past the last whole vector of 32 (the loop's scalar tail), divided by the unrounded sum.
# (The vectorized lanes are computed here in float32 and rounded once, which torch's do not always match.)
_VECTOR = 32


def _log_softmax_lastdim_reduced(x: np.ndarray, axis: Any) -> np.ndarray:
    wide = x.astype(np.float32)
    shifted = wide - _max_along(wide, axis)
    total = _sum_along(np.exp(shifted), axis).astype(x.dtype).astype(np.float32)
    return (shifted - np.log(total).astype(x.dtype)).astype(x.dtype)


def _softmax_reduced(x: np.ndarray, axis: int) -> np.ndarray:
    wide = x.astype(np.float32)
    exps = np.exp(wide - _max_along(wide, axis))
    total = _sum_along(exps, axis)
    inner = x.shape[axis + 1:]
    size = int(np.prod(inner))
    tail = np.arange(size).reshape(inner) >= size // _VECTOR * _VECTOR
    exps = np.where(tail, exps.astype(x.dtype).astype(np.float32), exps)
    return (exps / total).astype(x.dtype)


def _log_softmax_backward_np(g: np.ndarray, out: np.ndarray, axis: Any) -> np.ndarray:
    # (a 0-d output's exp would be a NumPy scalar: the in-place steps need an array)
    r = np.exp(out) if out.ndim else np.exp(out, out=np.empty_like(out))
    r *= _sum_along(g, axis)
    return np.subtract(g, r, out=r)


def _softmax_backward_np(g: np.ndarray, out: np.ndarray, axis: Any) -> np.ndarray:
    total = _sum_along(g * out, axis)
    return np.multiply(out, g - total, out=np.empty_like(out))  # torch's order: out * (g - sum)


# (their VJPs are derivatives.yaml's formulas, each op rounding in a reduced float: unwidened)
LOG_SOFTMAX_BACKWARD = defop("_log_softmax_backward_data", ("grad_output", "output"), {
    "grad_output": lambda grad, output, dim: grad - (grad * output.exp()).sum(dim, keepdim=True),
    "output": lambda grad, grad_output, output, dim: -grad_output.sum(dim, keepdim=True) * output.exp() * grad,
}, widen=False)
SOFTMAX_BACKWARD = defop("_softmax_backward_data", ("grad_output", "output"), {
    "grad_output": lambda grad, output, dim: softmax_backward(grad, output, dim),
    "output": lambda grad, grad_output, output, dim: (
        grad_output * grad - (output * grad_output).sum(dim, keepdim=True) * grad
        - grad_output * (output * grad).sum(dim, keepdim=True)),
}, widen=False)


def log_softmax_backward(grad: Tensor, result: Tensor, dim: int) -> Tensor:
    """LogSoftmaxBackward0's VJP itself (``result``: log_softmax's output), recorded as torch's
    ``_log_softmax_backward_data``; the axis read here (``_axis``, inline: the hot path of every classifier)."""
    out = result._data
    data = in_float(_log_softmax_backward_np, grad._data, out, dim if out.ndim else None)
    return record(LOG_SOFTMAX_BACKWARD, data, (grad, result), {"dim": dim})


def softmax_backward(grad: Tensor, output: Tensor, dim: int) -> Tensor:
    data = in_float(_softmax_backward_np, grad._data, output._data, _axis(output._data, dim))
    return record(SOFTMAX_BACKWARD, data, (grad, output), {"dim": dim})


LOG_SOFTMAX = defop("_log_softmax", ("self",), {
    "self": log_softmax_backward}, grad_name="LogSoftmaxBackward0",
    complex_grad=False)


def _softmax_vjp(grad: Tensor, result: Tensor, dim: int) -> Tensor:
    return softmax_backward(grad, result, dim)


SOFTMAX = defop("_softmax", ("self",), {"self": _softmax_vjp}, grad_name="SoftmaxBackward0", complex_grad=False)
# attention's softmax: rows that are -inf throughout give zeros, not NaN (their gradient is zero: the result is)
SAFE_SOFTMAX = defop("_safe_softmax", ("self",), {"self": _softmax_vjp}, grad_name="SafeSoftmaxBackward0",
                     complex_grad=False)


def _wrapped_after_conversion(input: Tensor, dim: int, dtype: D.dtype | None) -> int:
    """``dim`` wrapped, as torch wraps it after converting the input to ``dtype``: a bad dim's IndexError comes after
    the conversion's warning (a complex input made real) and before the converted dtype's kernel refuses it (the
    refusal pending for a limited ``dtype`` would be raised by the conversion's record); a conversion to complex32
    allocates it, with torch's warning."""
    try:
        return wrap_dim(dim, input._data.ndim)
    except IndexError:
        if dtype is D.complex32 and input.dtype is not D.complex32:
            warn_experimental()
        elif dtype is not None and input.dtype.is_complex and not dtype.is_complex and dtype is not D.bool:
            discard_imaginary(input._data)
        raise


def _normalize(name: str, op: Any, kernel: Any, input: Tensor, dim: int, dtype: D.dtype | None) -> Tensor:
    d = _wrapped_after_conversion(input, dim, dtype)
    if dtype is not None:
        input = convert(input, dtype)
    # torch names the kernel by whether the reduced dim is the last one (not reached for an empty input)
    if input._data.size and input.dtype.category != D.FLOATING:
        require_float("%s_%skernel_impl" % (name, "lastdim_" if d == input._data.ndim - 1 or not input._data.ndim
                                            else ""), input)
    x = input._data
    if not x.flags.c_contiguous:  # (torch's result is contiguous, whatever the input's layout: computed on a copy)
        x = np.ascontiguousarray(x)
    axis: Any = d if x.ndim else None  # (_axis)
    if x.dtype not in D.REDUCED_NP:  # (every float32/float64 call: the kernel in this frame)
        return record(op, kernel(x, axis), (input,), {"dim": d})
    lastdim = d == x.ndim - 1 or not x.ndim
    reduced = (_log_softmax_lastdim_reduced if lastdim else None) if name == "log_softmax" else (
        None if lastdim else _softmax_reduced)
    out = reduced(x, axis) if x.size and reduced is not None else in_float(kernel, x, axis)
    if out.dtype == D.bfloat16.np and (name == "log_softmax" or lastdim):
        out = _bfloat16_nans(out, d, lastdim, name == "log_softmax")
    return record(op, out, (input,), {"dim": d})


def _bfloat16_nans(out: np.ndarray, d: int, lastdim: bool, log: bool) -> np.ndarray:
    """A bfloat16 NaN as torch's kernels store it: 0xFFFF where a vectorized store converts it (log_softmax's last-dim
    kernel throughout; softmax's each row's blocks of 32; along another dim, log_softmax's inner positions before the
    last whole block of 32), c10's 0x7FC0 elsewhere. (softmax along another dim is not modelled.)"""
    nan = np.isnan(out)
    if not nan.any():
        return out
    if lastdim and log:
        vectorized: Any = True
    else:
        run = out.shape[d:] if lastdim else out.shape[d + 1:]  # (the row, or the inner positions)
        size = int(np.prod(run))
        vectorized = np.arange(size).reshape(run) < size - size % _VECTOR
    out = np.array(out)
    out.view(np.uint16)[nan & vectorized] = VECTORIZED_BFLOAT16_NAN
    out.view(np.uint16)[nan & ~np.asarray(vectorized)] = D.BFLOAT16_C10_NAN
    return out


@op("log_softmax(Tensor input, int64_t dim, ScalarType? dtype=None, *, Tensor out=None)", method=True, out_check=True)
def log_softmax(input: Tensor, dim: int, dtype: D.dtype | None = None) -> Tensor:
    return _normalize("log_softmax", LOG_SOFTMAX, _log_softmax_np, input, dim, dtype)


@op("softmax(Tensor input, int64_t dim, ScalarType? dtype=None, *, Tensor out=None)", method=True, out_check=True)
def softmax(input: Tensor, dim: int, dtype: D.dtype | None = None) -> Tensor:
    return _normalize("softmax", SOFTMAX, _softmax_np, input, dim, dtype)


@op("_safe_softmax(Tensor input, int64_t dim, ScalarType? dtype=None)")
def _safe_softmax(input: Tensor, dim: int, dtype: D.dtype | None = None) -> Tensor:
    """softmax, zero along a row that is -inf throughout (torch's: a where over softmax's result)."""
    probs = FUNCTIONS["softmax"](input.detach(), dim, dtype)  # (the table's: its dtype refusals)
    d = wrap_dim(dim, input._data.ndim)
    dead = FUNCTIONS["isneginf"](input.detach())._data.all(d if input._data.ndim else None, keepdims=True)
    zero = np.zeros((), probs._data.dtype)  # (a complex32 result's is a structured zero)
    return record(SAFE_SOFTMAX, np.where(dead, zero, probs._data), (input,), {"dim": d})
