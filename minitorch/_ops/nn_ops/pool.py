"""Pooling kernels over the last ``n`` dims (n = 2 or 3) of a batched or unbatched input: max (with
indices), average, adaptive average and max, fractional max, and max unpooling. 1-d pooling is
the 2-d kernel on a height-1 image, as torch does it.

Sliding windows are strided views; every max pool returns torch's indices (flat within each
spatial plane), and its backward adds the gradient back at those indices in one ``bincount``, whose
VJP is a ``gather``: double backward needs nothing more. As in torch, each backward also takes the
input, with a zero derivative, so that first derivatives stay in the graph under create_graph.
"""
from __future__ import annotations

import math
from functools import reduce
from typing import Any, NamedTuple, Sequence

import numpy as np

from ... import _dtype as D
from numpy.lib.stride_tricks import sliding_window_view

from ..._tensor import Tensor
from ..dims import as_int64
from ...autograd.recording import defop, record
from ..result_layout import in_suggested_format
from .separable import apply_matrices, separable_op, zero_derivative


class PoolParams(NamedTuple):
    kernel: tuple[int, ...]
    stride: tuple[int, ...]
    padding: tuple[int, ...]
    dilation: tuple[int, ...]
    ceil_mode: bool


def _as_c_int(value: int) -> int:
    return (value + 2 ** 31) % 2 ** 32 - 2 ** 31


def _div_rtn(x: int, y: int) -> int:
    """ATen's div_rtn: x / y rounded toward -inf, its quotient and remainder held in C ints (a huge kernel's
    quotient wraps: max_pool1d's output size of width 2 and a kernel of 2**63 - 1 is 1)."""
    quotient = abs(x) // abs(y) * (-1 if (x < 0) != (y < 0) else 1)  # C's, toward 0
    q, r = _as_c_int(quotient), _as_c_int(x - quotient * y)
    return q - 1 if r != 0 and (r < 0) != (y < 0) else q


def check_effective_kernel(pad: int, k: int, d: int) -> None:
    """torch's pooling_output_shape's check of a padding against the dilated kernel, in int64 (a huge kernel's wraps
    negative) with C++'s division, truncating toward zero."""
    effective = as_int64((k - 1) * d + 1)
    if pad > (effective // 2 if effective >= 0 else -(-effective // 2)):
        raise RuntimeError("pad should be at most half of effective kernel size, but got pad=%d, kernel_size=%d "
                           "and dilation=%d" % (pad, k, d))


def pool_output_size(size: Sequence[int], p: PoolParams) -> tuple[int, ...]:
    """torch's pooling_output_shape: with ceil_mode the last window must start inside the input."""
    out = []
    for n, k, s, pad, d in zip(size, p.kernel, p.stride, p.padding, p.dilation):
        span = n + 2 * pad - d * (k - 1) - 1
        o = _div_rtn(span + (s - 1 if p.ceil_mode else 0), s) + 1
        if p.ceil_mode and (o - 1) * s >= n + pad:
            o -= 1
        out.append(o)
    return tuple(out)


def _pads(shape: tuple, p: PoolParams, out: tuple) -> list[tuple[int, int]]:
    """Padding of each spatial dim such that every window of ``out`` (ceil_mode too) lies inside."""
    pads = []
    for n, k, s, pad, d, o in zip(shape[-len(out):], p.kernel, p.stride, p.padding, p.dilation, out):
        needed = (o - 1) * s + d * (k - 1) + 1
        pads.append((pad, max(needed - n - pad, 0)))
    return pads


def _padded(x: np.ndarray, p: PoolParams, out: tuple, fill: Any) -> np.ndarray:
    pads = _pads(x.shape, p, out)
    if not any(lo or hi for lo, hi in pads):
        return x
    return np.pad(x, [(0, 0)] * (x.ndim - len(out)) + pads, constant_values=fill)


def _windows(xp: np.ndarray, p: PoolParams, out: tuple) -> np.ndarray:
    """``(..., *out, *kernel)`` view of the padded input."""
    n = len(out)
    span = tuple(d * (k - 1) + 1 for k, d in zip(p.kernel, p.dilation))
    win = sliding_window_view(xp, span, axis=tuple(range(-n, 0)))
    starts = tuple(slice(None, o * s, s) for o, s in zip(out, p.stride))
    return win[(Ellipsis,) + starts + tuple(slice(None, None, d) for d in p.dilation)]


def _plane_indices(positions: Sequence[np.ndarray], plane: Sequence[int]) -> np.ndarray:
    """Flat indices within a spatial plane of shape ``plane`` from per-dim positions (broadcast)."""
    flat = positions[0]
    for pos, n in zip(positions[1:], plane[1:]):
        flat = flat * n + pos
    return flat.astype(np.int64)


def _lowest(dtype: np.dtype) -> Any:
    if D.is_floating_np(dtype):
        return -np.inf
    return np.iinfo(dtype).min if dtype.kind in "iu" else False


def _argmax_of_windows(win: np.ndarray, n: int) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """Maxima of ``(..., *out, *kernel)`` windows and, per spatial dim, each maximum's kernel offset.
    As torch's kernels (``val > max || isnan(val)``): the first maximum wins, and the last NaN over everything."""
    kernel = win.shape[-n:]
    size = int(np.prod(kernel))
    flat = win.reshape(win.shape[:-n] + (size,))
    arg = flat.argmax(axis=-1)  # NumPy's argmax stops at the first NaN
    values = np.take_along_axis(flat, arg[..., None], axis=-1)[..., 0]
    if flat.dtype in D.FLOATING_NP:
        nan = np.isnan(values)
        if nan.any():
            last_nan = size - 1 - np.isnan(flat[..., ::-1]).argmax(axis=-1)
            arg = np.where(nan, last_nan, arg)
    return values, np.unravel_index(arg, kernel)


def _out_grid(out: Sequence[int], d: int) -> np.ndarray:
    """Output positions along spatial dim ``d``, shaped to broadcast over the ``len(out)`` dims."""
    shape = [1] * len(out)
    shape[d] = out[d]
    return np.arange(out[d]).reshape(shape)


# ---- the backward of every max pool: the gradient added back where each maximum was read ---------
def _scatter_add_np(g: np.ndarray, indices: np.ndarray, shape: tuple, n: int) -> np.ndarray:
    """``shape``-sized zeros plus ``g`` added at ``indices`` (flat within the last ``n`` dims), in ``g``'s dtype
    and in the order of the output positions, as torch's kernels add (float16/bfloat16 rounded at each addition)."""
    plane = int(np.prod(shape[-n:], dtype=np.int64))
    planes = int(np.prod(shape[:-n], dtype=np.int64))
    at = indices.reshape(planes, indices.size // planes if planes else 0) \
        + (np.arange(planes, dtype=np.int64) * plane)[:, None]  # (no planes: an empty batch)
    total = np.zeros(planes * plane, g.dtype)
    np.add.at(total, at.ravel(), g.reshape(-1))
    return total.reshape(shape)


def gather_at(v: Tensor, indices: Tensor, n: int) -> Tensor:
    """``v`` read at ``indices`` (flat within its last ``n`` dims): the VJP of a max pool's backward,
    and max unpooling's backward."""
    return v.flatten(-n).gather(-1, indices.flatten(-n)).view(indices.shape)


SCATTER_BACKWARD = defop("max_pool_with_indices_backward", ("grad_output", "self"), {
    "grad_output": lambda grad, indices, n: gather_at(grad, indices, n), "self": zero_derivative},
    saved_attrs=("indices",))


def _max_backward(grad: Tensor, self: Tensor, indices: Tensor, n: int) -> Tensor:
    data = _scatter_add_np(grad._data, indices._data, tuple(self.shape), n)
    return record(SCATTER_BACKWARD, data, (grad, self), {"indices": indices, "n": n})


def _max_op(name: str, grad_name: str) -> Any:
    # (torch's node names the indices by their place among the op's outputs: ``_saved_result1``)
    return defop(name, ("self",), {"self": lambda grad, self, result1, n: _max_backward(grad, self, result1, n)},
                 grad_name=grad_name, widen=False, saved_outputs=("result1",))


def _with_indices(op: Any, input: Tensor, values: np.ndarray, indices: np.ndarray, n: int) -> tuple[Tensor, Tensor]:
    # (both in the input's suggested memory format, as torch allocates them)
    idx = Tensor._make(in_suggested_format(indices, input._data))
    return record(op, in_suggested_format(values, input._data), (input,), {"result1": idx, "n": n}), idx


# ---- max pooling -----------------------------------------------------------------------------
MAX_POOL = {2: _max_op("max_pool2d_with_indices", "MaxPool2DWithIndicesBackward0"),
            3: _max_op("max_pool3d_with_indices", "MaxPool3DWithIndicesBackward0")}


def max_pool(input: Tensor, p: PoolParams) -> tuple[Tensor, Tensor]:
    """Values and indices of max pooling over the last ``len(p.kernel)`` dims."""
    x, n = input._data, len(p.kernel)
    out = pool_output_size(x.shape[-n:], p)
    values, offsets = _argmax_of_windows(_windows(_padded(x, p, out, _lowest(x.dtype)), p, out), n)
    positions = [_out_grid(out, d) * p.stride[d] + offsets[d] * p.dilation[d] - p.padding[d] for d in range(n)]
    return _with_indices(MAX_POOL[n], input, values, _plane_indices(positions, x.shape[-n:]), n)


# ---- average pooling -------------------------------------------------------------------------
def avg_divisor(size: Sequence[int], p: PoolParams, count_include_pad: bool, divisor_override: int | None) -> Any:
    """torch's divide factor of every output: the window clipped to the padded (or, without
    count_include_pad, to the real) input."""
    if divisor_override:
        return divisor_override
    sizes = []
    for n, k, s, pad, o in zip(size, p.kernel, p.stride, p.padding, pool_output_size(size, p)):
        start = np.arange(o) * s - pad
        end = np.minimum(start + k, n + pad)
        sizes.append(end - start if count_include_pad else np.minimum(end, n) - np.maximum(start, 0))
    return reduce(np.multiply.outer, sizes)


def _avg_pool_np(x: np.ndarray, p: PoolParams, divisor: Any) -> np.ndarray:
    n = len(p.kernel)
    out = pool_output_size(x.shape[-n:], p)
    if not D.is_floating_np(x.dtype):  # integer pooling truncates, as C++ integer division
        sums = _windows(_padded(x, p, out, 0), p, out).sum(axis=tuple(range(-n, 0)))
        return np.trunc(sums / divisor).astype(x.dtype)
    # float16/bfloat16 summed and divided in float32, rounded once (torch's accumulate type)
    acc = D.opmath_np(x.dtype)
    sums = _windows(_padded(x, p, out, 0), p, out).sum(axis=tuple(range(-n, 0)), dtype=acc)
    return (sums / np.asarray(divisor, acc)).astype(x.dtype, copy=False)


def _avg_add_back(g: np.ndarray, shape: tuple, p: PoolParams, divisor: Any) -> np.ndarray:
    """The input-shaped sum, over kernel offsets, of each output's share placed where it was read."""
    n = len(p.kernel)
    out = g.shape[-n:]
    pads = _pads(shape, p, out)
    gx = np.zeros(tuple(shape[:-n]) + tuple(m + lo + hi for m, (lo, hi) in zip(shape[-n:], pads)), g.dtype)
    share = (g / divisor).astype(g.dtype, copy=False)  # (rounded before it is added: torch's scalar_t share)
    # each input adds its shares in the order of the outputs that read it (torch's loop): the kernel offsets reversed
    for offset in reversed(list(np.ndindex(*p.kernel))):
        gx[(Ellipsis,) + tuple(slice(i * d, i * d + (o - 1) * s + 1, s) for i, d, o, s in
                               zip(offset, p.dilation, out, p.stride))] += share
    return gx[(Ellipsis,) + tuple(slice(lo, lo + m) for m, (lo, _) in zip(shape[-n:], pads))]


def _avg_backward(grad: Tensor, self: Tensor, params: PoolParams, divisor: Any) -> Tensor:
    data = _avg_add_back(grad._data, tuple(self.shape), params, divisor)
    return record(AVG_POOL_BACKWARD, data.astype(grad._data.dtype, copy=False), (grad, self),
                  {"params": params, "divisor": divisor})


# (torch's backward divides each gradient, rounded to float16/bfloat16, and adds the shares in that dtype)
AVG_POOL = {2: defop("avg_pool2d", ("self",), {"self": _avg_backward}, grad_name="AvgPool2DBackward0", widen=False),
            3: defop("avg_pool3d", ("self",), {"self": _avg_backward}, grad_name="AvgPool3DBackward0", widen=False)}
# average pooling is linear: the VJP of its backward is the pooling itself
AVG_POOL_BACKWARD = defop("avg_pool_backward", ("grad_output", "self"), {
    "grad_output": lambda grad, params, divisor: avg_pool(grad, params, divisor), "self": zero_derivative})


def avg_pool(input: Tensor, p: PoolParams, divisor: Any) -> Tensor:
    return record(AVG_POOL[len(p.kernel)], in_suggested_format(_avg_pool_np(input._data, p, divisor), input._data),
                  (input,),
                  {"params": p, "divisor": divisor})


# ---- adaptive pooling: torch's window i of n inputs to `out` is [floor(i n / out), ceil((i + 1) n / out))
def adaptive_bounds(n: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(out)
    return (i * n) // out, -((-(i + 1) * n) // out)


def _averaging_matrix(n: int, out: int, dtype: np.dtype) -> np.ndarray:
    """``(out, n)``: row i averages adaptive window i."""
    start, end = adaptive_bounds(n, out)
    cols = np.arange(n)
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def _windows_of_inputs(n: int, out: int) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``n`` inputs, the first adaptive window of ``out`` that reads it and how many do."""
    start, end = adaptive_bounds(n, out)
    positions = np.arange(n)
    first = np.searchsorted(end, positions, side="right")
    return first, np.searchsorted(start, positions, side="right") - first


def _added_rounded(total: np.ndarray, value: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``total + value`` rounded to ``total``'s dtype where ``where`` holds, ``total`` elsewhere."""
    return np.where(where, (total.astype(np.float32) + value.astype(np.float32)).astype(total.dtype), total)


def _divided_by_window_sizes(x: np.ndarray, mats: Sequence[np.ndarray]) -> np.ndarray:
    """``x / k_1 / k_2 ...`` over the windows' sizes along the last dims, each division rounded to ``x``'s dtype."""
    n = len(mats)
    for d, m in enumerate(mats):
        start, end = adaptive_bounds(m.shape[1], m.shape[0])
        sizes = (end - start).astype(np.float32).reshape((-1,) + (1,) * (n - 1 - d))
        x = (x.astype(np.float32) / sizes).astype(x.dtype)
    return x


def _adaptive_avg_half_sum_np(x: np.ndarray, mats: Sequence[np.ndarray]) -> np.ndarray:
    """torch's adaptive_avg_pool3d for float16/bfloat16: each window summed in the dtype, one rounding per addition
    in the window's order, then divided by its sizes (the other dtypes: the averaging matrices)."""
    if x.dtype not in D.REDUCED_NP:
        return apply_matrices(x, mats)
    bounds = [adaptive_bounds(m.shape[1], m.shape[0]) for m in mats]
    total = np.zeros(x.shape[:x.ndim - len(mats)] + tuple(m.shape[0] for m in mats), x.dtype)
    for offsets in np.ndindex(*(int((end - start).max()) for start, end in bounds)):
        reads = np.ix_(*(np.minimum(start + k, m.shape[1] - 1) for (start, _), k, m in zip(bounds, offsets, mats)))
        valid = reduce(np.logical_and.outer, [k < end - start for (start, end), k in zip(bounds, offsets)])
        total = _added_rounded(total, x[(Ellipsis,) + reads], valid)
    return _divided_by_window_sizes(total, mats)


def _adaptive_avg_backward_np(grad: np.ndarray, mats: Sequence[np.ndarray]) -> np.ndarray:
    """torch's adaptive average pooling backward: each output's share ``grad / k_1 / k_2 ...`` and each addition of a
    share into an input rounded to float16/bfloat16, an input's shares added in the order of the outputs (the other
    dtypes: the transposed averaging matrices)."""
    if grad.dtype not in D.REDUCED_NP:
        return apply_matrices(grad, [m.T for m in mats])
    share = _divided_by_window_sizes(grad, mats)
    windows = [_windows_of_inputs(m.shape[1], m.shape[0]) for m in mats]
    out = np.zeros(grad.shape[:grad.ndim - len(mats)] + tuple(m.shape[1] for m in mats), grad.dtype)
    for offsets in np.ndindex(*(int(count.max()) for _, count in windows)):
        reads = np.ix_(*(np.minimum(first + k, m.shape[0] - 1) for (first, _), k, m in zip(windows, offsets, mats)))
        valid = reduce(np.logical_and.outer, [k < count for (_, count), k in zip(windows, offsets)])
        out = _added_rounded(out, share[(Ellipsis,) + reads], valid)
    return out


# torch's backward takes the input (with a zero derivative): first derivatives stay in the graph
# (the 2-d forward sums float16/bfloat16 in float32, rounded once: the matrices' default)
ADAPTIVE_AVG_POOL = {2: separable_op("adaptive_avg_pool2d", "AdaptiveAvgPool2DBackward0", ties_input=True,
                                     adjoint=_adaptive_avg_backward_np),
                     3: separable_op("adaptive_avg_pool3d", "AdaptiveAvgPool3DBackward0", ties_input=True,
                                     kernel=_adaptive_avg_half_sum_np, adjoint=_adaptive_avg_backward_np)}


def _refuse_empty_grad(grad: Tensor, kernel: str) -> Tensor:
    empty = next(d for d in range(1, grad.dim()) if grad.shape[d] == 0)
    raise RuntimeError("%s_backward(): Expected grad_output to have non-zero size for non-batch dimensions, but "
                       "grad_output has sizes %s with dimension %d being empty" % (kernel, list(grad.shape), empty))


# adaptive pooling to an empty output: torch's backward (under the op's usual name) refuses it
ADAPTIVE_POOL_EMPTY = {"adaptive_%s_pool%dd" % (kind.lower(), n): defop(
    "adaptive_%s_pool%dd" % (kind.lower(), n), ("self",), {"self": _refuse_empty_grad},
    grad_name="Adaptive%sPool%dDBackward0" % (kind, n)) for kind in ("Avg", "Max") for n in (2, 3)}


def adaptive_avg_pool(input: Tensor, output_size: Sequence[int]) -> Tensor:
    """Adaptive average pooling of the last ``len(output_size)`` dims: one averaging matrix per dim."""
    x, n = input._data, len(output_size)
    mats = [_averaging_matrix(m, o, D.opmath_np(x.dtype)) for m, o in zip(x.shape[-n:], output_size)]
    if 0 in (x.shape[:-n] + tuple(output_size))[1:]:  # (an empty output or, 2-d, empty channels)
        kernel = "adaptive_avg_pool%dd" % n
        return record(ADAPTIVE_POOL_EMPTY[kernel], apply_matrices(x, mats), (input,), {"kernel": kernel})
    return ADAPTIVE_AVG_POOL[n](input, mats)


def _max_over_index_windows(x: np.ndarray, windows: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling where spatial dim d's output i reads input positions ``windows[d][i]`` (an
    ``(out_d, k_d)`` array): values and flat plane indices."""
    n = len(windows)
    lead = x.ndim - n
    grids = []
    for d, w in enumerate(windows):  # broadcast to (*out, *kernel)
        shape = [1] * (2 * n)
        shape[d], shape[n + d] = w.shape
        grids.append(w.reshape(shape))
    win = x[(slice(None),) * lead + tuple(grids)]
    values, offsets = _argmax_of_windows(win, n)
    positions = [windows[d][_out_grid(values.shape[lead:], d), offsets[d]] for d in range(n)]
    return values, _plane_indices(positions, x.shape[lead:])


ADAPTIVE_MAX_POOL = {2: _max_op("adaptive_max_pool2d", "AdaptiveMaxPool2DBackward0"),
                     3: _max_op("adaptive_max_pool3d", "AdaptiveMaxPool3DBackward0")}


def adaptive_max_pool(input: Tensor, output_size: Sequence[int]) -> tuple[Tensor, Tensor]:
    x, n = input._data, len(output_size)
    windows = []
    for m, o in zip(x.shape[-n:], output_size):
        start, end = adaptive_bounds(m, o)
        # every window padded to the longest by repeating its last position (a repeat is never a new maximum)
        span = np.arange(int((end - start).max(initial=1)))
        windows.append(np.minimum(start[:, None] + span, end[:, None] - 1))
    values, indices = _max_over_index_windows(x, windows)
    if 0 in output_size:
        kernel = "adaptive_max_pool%dd" % n
        empty = record(ADAPTIVE_POOL_EMPTY[kernel], values, (input,), {"kernel": kernel})
        return empty, Tensor._make(indices)
    return _with_indices(ADAPTIVE_MAX_POOL[n], input, values, indices, n)


# ---- fractional max pooling --------------------------------------------------------------------
def _fractional_starts(sample: np.ndarray, n: int, out: int, k: int) -> np.ndarray:
    """torch's pseudo-random window starts along one dim, one row per plane, computed in the
    samples' floating type as torch does: ``int((i + u) a) - int(u a)``, a = (n - k) / (out - 1),
    the last window ending at the input's end."""
    starts = np.empty(sample.shape + (out,), np.int64)
    if out > 1:
        ft = sample.dtype.type
        alpha = ft(n - k) / ft(out - 1)
        i = np.arange(out - 1).astype(sample.dtype)
        u = sample[..., None]
        starts[..., :-1] = ((i + u) * alpha).astype(np.int64) - (u * alpha).astype(np.int64)
    if out > 0:
        starts[..., -1] = n - k
    return starts


# which sample of a plane drives which spatial dim: torch's 2-d kernel takes (W, H), its 3-d one (T, H, W)
_SAMPLE_OF_DIM = {2: (1, 0), 3: (0, 1, 2)}
# torch's backward kernels assert that each index lies in its plane: a kernel size <= 0, which torch's forward takes,
# puts the last windows' starts (and so their indices) past the input
_INDEX_ASSERTION = {
    2: ("index >= 0 && index < static_cast<int64_t>(inputW) * inputH INTERNAL ASSERT FAILED at "
        "\"/__w/pytorch/pytorch/aten/src/ATen/native/FractionalMaxPool2d.cpp\":240, please report a bug to PyTorch. "),
    3: ("index >= 0 && index < inputT * inputH * inputW INTERNAL ASSERT FAILED at "
        "\"/__w/pytorch/pytorch/aten/src/ATen/native/FractionalMaxPool3d.cpp\":280, please report a bug to PyTorch. ")}


def _fractional_backward(grad: Tensor, self: Tensor, result1: Tensor, n: int) -> Tensor:
    """(``result1``: the indices, saved as torch's second output)"""
    if result1._data.size and int(result1._data.max()) >= math.prod(self.shape[-n:]):
        raise RuntimeError(_INDEX_ASSERTION[n])
    return _max_backward(grad, self, result1, n)


FRACTIONAL_MAX_POOL = {
    n: defop("fractional_max_pool%dd" % n, ("self",), {"self": _fractional_backward},
             grad_name="FractionalMaxPool%dDBackward0" % n, widen=False, saved_outputs=("result1",)) for n in (2, 3)}


def fractional_max_pool(input: Tensor, kernel: Sequence[int], output_size: Sequence[int],
                        samples: np.ndarray) -> tuple[Tensor, Tensor]:
    """``samples`` is (N, C, n): one uniform per plane and spatial dim."""
    x, n = input._data, len(kernel)
    batched = x.ndim == n + 2
    planes = x if batched else x[None]
    values, indices = [], []
    for b in range(planes.shape[0]):  # each plane has windows of its own
        for c in range(planes.shape[1]):
            starts = [_fractional_starts(samples[b, c, _SAMPLE_OF_DIM[n][d]], m, o, k)
                      for d, (m, o, k) in enumerate(zip(x.shape[-n:], output_size, kernel))]
            if min(kernel) > 0:
                windows = [start[:, None] + np.arange(k) for start, k in zip(starts, kernel)]
                v, i = _max_over_index_windows(planes[b, c], windows)
            else:  # torch's loops read no element: -inf at the windows' starts (which may lie past the input)
                i = _plane_indices([s[_out_grid(output_size, d)] for d, s in enumerate(starts)], x.shape[-n:])
                v = np.full(i.shape, -np.inf, x.dtype)
            values.append(v)
            indices.append(i)
    shape = x.shape[:-n] + tuple(output_size)
    # (an empty batch has no plane: nothing to stack)
    return _with_indices(FRACTIONAL_MAX_POOL[n], input, np.reshape(values, shape).astype(x.dtype, copy=False),
                         np.reshape(indices, shape).astype(np.int64, copy=False), n)


# ---- max unpooling: each value written at its index of the output plane --------------------------
def _unpool_backward(grad: Tensor, indices: Tensor, n: int) -> Tensor:
    return gather_at(grad, indices, n)


MAX_UNPOOL = {2: defop("max_unpool2d", ("self",), {"self": _unpool_backward}, grad_name="MaxUnpool2DBackward0",
                       saved_attrs=("indices",)),
              3: defop("max_unpool3d", ("self",), {"self": _unpool_backward}, grad_name="MaxUnpool3DBackward0",
                       saved_attrs=("indices",))}


def max_unpool(input: Tensor, indices: Tensor, output_size: Sequence[int]) -> Tensor:
    x, n = input._data, len(output_size)
    shape = x.shape[:-n] + tuple(output_size)
    plane = int(np.prod(output_size, dtype=np.int64))
    out = np.zeros(x.shape[:-n] + (plane,), x.dtype)
    if out.size:  # (torch writes nothing into an empty output: its indices are not read)
        flat = x.shape[:-n] + (int(np.prod(x.shape[-n:])),)
        np.put_along_axis(out, indices._data.reshape(flat), x.reshape(flat), axis=-1)
    return record(MAX_UNPOOL[n], out.reshape(shape), (input,), {"indices": indices, "n": n})
