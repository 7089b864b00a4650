"""2-d pooling: max (with indices), average, adaptive average, over the last two dims of a (C, H, W)
or (N, C, H, W) input; 1-d pooling is these on a height-1 image (as torch does it). Windows are
strided views; gradients are added back with one vectorized add per kernel offset, never a loop
over pixels.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..._tensor import Tensor
from ...autograd.recording import defop, record
from .common import require_float


class PoolParams(NamedTuple):
    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]
    dilation: tuple[int, int]
    ceil_mode: bool


def pool_output_size(size: tuple[int, ...], p: PoolParams) -> tuple[int, int]:
    """torch's pooling_output_shape: with ceil_mode the last window must start inside the input."""
    out = []
    for n, k, s, pad, d in zip(size, p.kernel, p.stride, p.padding, p.dilation):
        span = n + 2 * pad - d * (k - 1) - 1
        o = (span + (s - 1 if p.ceil_mode else 0)) // s + 1
        if p.ceil_mode and (o - 1) * s >= n + pad:
            o -= 1
        out.append(o)
    return out[0], out[1]


def _pads(shape: tuple, p: PoolParams, out: tuple) -> list[tuple[int, int]]:
    """Padding of each spatial dim such that every window of ``out`` (ceil_mode too) lies inside."""
    pads = []
    for n, k, s, pad, d, o in zip(shape[-2:], p.kernel, p.stride, p.padding, p.dilation, out):
        needed = (o - 1) * s + d * (k - 1) + 1
        pads.append((pad, max(needed - n - pad, 0)))
    return pads


def _padded(x: np.ndarray, p: PoolParams, out: tuple, fill: Any) -> np.ndarray:
    pads = _pads(x.shape, p, out)
    if not any(lo or hi for lo, hi in pads):
        return x
    return np.pad(x, [(0, 0)] * (x.ndim - 2) + pads, constant_values=fill)


def _windows(xp: np.ndarray, p: PoolParams, out: tuple) -> np.ndarray:
    """``(..., out_h, out_w, k_h, k_w)`` view of the padded input."""
    span = tuple(d * (k - 1) + 1 for k, d in zip(p.kernel, p.dilation))
    win = sliding_window_view(xp, span, axis=(-2, -1))
    return win[..., :out[0] * p.stride[0]:p.stride[0], :out[1] * p.stride[1]:p.stride[1],
               ::p.dilation[0], ::p.dilation[1]]


def _regions(p: PoolParams, out: tuple) -> Iterator[tuple[int, tuple]]:
    """Per kernel offset (flat index): the slice of the padded input it reads for every output."""
    for flat, (i, j) in enumerate(np.ndindex(*p.kernel)):
        yield flat, (Ellipsis,
                     slice(i * p.dilation[0], i * p.dilation[0] + (out[0] - 1) * p.stride[0] + 1, p.stride[0]),
                     slice(j * p.dilation[1], j * p.dilation[1] + (out[1] - 1) * p.stride[1] + 1, p.stride[1]))


def _add_back(g: np.ndarray, shape: tuple, p: PoolParams, part: Callable[[int], np.ndarray]) -> np.ndarray:
    """The input-shaped sum, over kernel offsets, of ``part(offset)`` placed where it was read."""
    out = g.shape[-2:]
    pads = _pads(shape, p, out)
    gx = np.zeros(tuple(shape[:-2]) + tuple(n + lo + hi for n, (lo, hi) in zip(shape[-2:], pads)), g.dtype)
    for flat, region in _regions(p, out):
        gx[region] += part(flat)
    return gx[..., pads[0][0]:pads[0][0] + shape[-2], pads[1][0]:pads[1][0] + shape[-1]]


# ---- max pooling -----------------------------------------------------------------------------
def _lowest(dtype: np.dtype) -> Any:
    if dtype.kind == "f":
        return -np.inf
    return np.iinfo(dtype).min if dtype.kind in "iu" else False


def _max_pool_np(x: np.ndarray, p: PoolParams) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values, torch's flat input indices, and the offset of the maximum within each window."""
    out = pool_output_size(x.shape[-2:], p)
    win = _windows(_padded(x, p, out, _lowest(x.dtype)), p, out)
    flat = win.reshape(win.shape[:-2] + (-1,))
    arg = flat.argmax(axis=-1)  # the first maximum; nan counts as the maximum, as in torch
    values = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    ki, kj = np.divmod(arg, p.kernel[1])
    rows = np.arange(out[0])[:, None] * p.stride[0] + ki * p.dilation[0] - p.padding[0]
    cols = np.arange(out[1]) * p.stride[1] + kj * p.dilation[1] - p.padding[1]
    return values, (rows * x.shape[-1] + cols).astype(np.int64), arg


def _gather_at(v: Tensor, indices: Tensor) -> Tensor:
    """``v`` (input-shaped) read at each output's argmax: the max pool's backward transposed."""
    return v.flatten(-2).gather(-1, indices.flatten(-2)).view(indices.shape)


MAX_POOL2D = defop("max_pool2d_with_indices", ("self",), {
    "self": lambda grad, self_shape, arg, indices, params: max_pool_backward(grad, self_shape, arg, indices, params)},
    grad_name="MaxPool2DWithIndicesBackward0")
MAX_POOL2D_BACKWARD = defop("max_pool2d_with_indices_backward", ("grad_output",), {
    "grad_output": lambda grad, indices: _gather_at(grad, indices)})


def max_pool_backward(grad: Tensor, shape: tuple, arg: np.ndarray, indices: Tensor, p: PoolParams) -> Tensor:
    g = grad._data
    zero = g.dtype.type(0)
    data = _add_back(g, shape, p, lambda flat: np.where(arg == flat, g, zero))
    return record(MAX_POOL2D_BACKWARD, data, (grad,), {"indices": indices})


def max_pool2d(input: Tensor, p: PoolParams) -> tuple[Tensor, Tensor]:
    """Values and indices (flat within each H x W plane)."""
    values, indices, arg = _max_pool_np(input._data, p)
    idx = Tensor._make(indices)
    return record(MAX_POOL2D, values, (input,), {"arg": arg, "indices": idx, "params": p}), idx


# ---- average pooling -------------------------------------------------------------------------
def avg_divisor(size: tuple, p: PoolParams, count_include_pad: bool, divisor_override: int | None) -> Any:
    """torch's divide factor of every output of an (H, W) image: the window clipped to the padded
    (or, without count_include_pad, to the real) input."""
    if divisor_override:
        return divisor_override
    sizes = []
    for n, k, s, pad, o in zip(size, p.kernel, p.stride, p.padding, pool_output_size(size, p)):
        start = np.arange(o) * s - pad
        end = np.minimum(start + k, n + pad)
        sizes.append(end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0))
    return np.outer(sizes[0], sizes[1])


def _avg_pool_np(x: np.ndarray, p: PoolParams, divisor: Any) -> np.ndarray:
    out = pool_output_size(x.shape[-2:], p)
    sums = _windows(_padded(x, p, out, 0), p, out).sum(axis=(-2, -1))
    if x.dtype.kind != "f":  # integer pooling truncates, as C++ integer division
        return np.trunc(sums / divisor).astype(x.dtype)
    return (sums / divisor).astype(x.dtype, copy=False)


AVG_POOL2D = defop("avg_pool2d", ("self",), {
    "self": lambda grad, self_shape, params, divisor: avg_pool_backward(grad, self_shape, params, divisor)},
    grad_name="AvgPool2DBackward0")
# average pooling is linear: the VJP of its backward is the pooling itself
AVG_POOL2D_BACKWARD = defop("avg_pool2d_backward", ("grad_output",), {
    "grad_output": lambda grad, params, divisor: avg_pool2d(grad, params, divisor)})


def avg_pool_backward(grad: Tensor, shape: tuple, p: PoolParams, divisor: Any) -> Tensor:
    share = grad._data / divisor
    data = _add_back(grad._data, shape, p, lambda flat: share)
    return record(AVG_POOL2D_BACKWARD, data.astype(grad._data.dtype, copy=False), (grad,),
                  {"params": p, "divisor": divisor})


def avg_pool2d(input: Tensor, p: PoolParams, divisor: Any) -> Tensor:
    return record(AVG_POOL2D, _avg_pool_np(input._data, p, divisor), (input,), {"params": p, "divisor": divisor})


# ---- adaptive average pooling ----------------------------------------------------------------
def _averaging_matrix(n: int, out: int, dtype: np.dtype) -> np.ndarray:
    """``(out, n)``: row i averages torch's adaptive window [floor(i n / out), ceil((i + 1) n / out))."""
    i = np.arange(out)
    start = (i * n) // out
    end = -((-(i + 1) * n) // out)
    cols = np.arange(n)
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def _sandwich(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    return rows @ x @ cols.T


ADAPTIVE_AVG_POOL2D = defop("adaptive_avg_pool2d", ("self",), {
    "self": lambda grad, rows, cols: record(ADAPTIVE_AVG_POOL2D_BACKWARD, _sandwich(grad._data, rows.T, cols.T),
                                            (grad,), {"rows": rows, "cols": cols})},
    grad_name="AdaptiveAvgPool2DBackward0")
ADAPTIVE_AVG_POOL2D_BACKWARD = defop("adaptive_avg_pool2d_backward", ("grad_output",), {
    "grad_output": lambda grad, rows, cols: record(ADAPTIVE_AVG_POOL2D, _sandwich(grad._data, rows, cols),
                                                   (grad,), {"rows": rows, "cols": cols})})


def adaptive_avg_pool2d(input: Tensor, output_size: tuple[int, int]) -> Tensor:
    """Adaptive average pooling of a (..., H, W) input: ``R x C^T`` with averaging matrices."""
    require_float("adaptive_avg_pool2d", input)
    x = input._data
    rows = _averaging_matrix(x.shape[-2], output_size[0], x.dtype)
    cols = _averaging_matrix(x.shape[-1], output_size[1], x.dtype)
    return record(ADAPTIVE_AVG_POOL2D, _sandwich(x, rows, cols), (input,), {"rows": rows, "cols": cols})
