"""Resampling kernels (torch's upsample_* family): nearest, nearest-exact, linear and cubic interpolation, as torch's
CPU kernels compute them: each spatial dim's taps (input indices and weights, from UpSample.h's source-index rules),
summed forward and scattered backward in the order and with the fused multiply-adds of torch's build (a separable
map, recorded by ``separable.separable_op``)."""
from __future__ import annotations

import functools
import itertools
from typing import Any, Callable, NamedTuple, Sequence

import numpy as np

from ... import _dtype as D, _threads

from ..._tensor import Tensor
from ..fused import fused_multiply_add as fused
from .separable import separable_op

_CUBIC_A = -0.75  # torch's bicubic convolution coefficient


def area_pixel_scale(n: int, out: int, align_corners: bool, scale: float | None, ft: type) -> Any:
    """torch's area_pixel_compute_scale in the kernel's float type ``ft``: the input step per output step."""
    if align_corners:
        return ft(n - 1) / ft(out - 1) if out > 1 else ft(0)
    return ft(1.0 / scale) if scale is not None and scale > 0 else ft(n) / ft(out)


def _nearest_source(n: int, out: int, scale: float | None, exact: bool, ft: type | None = None) -> np.ndarray:
    """torch's nearest and nearest-exact source indices. ``ft``: those of the generic kernel (HelperInterpNearest and
    HelperInterpNearestExact), with the scale in the float type ``ft``: ``floorf(dst * s)`` and
    ``floorf(max(dst_source, 0) + 0.5)`` (``_source``'s fused index). None: those of the channels-last kernel and
    of the backward (nearest_idx), the scale in float32: ``floorf(dst * s)`` and ``floorf((dst + 0.5) * s)``, the
    product in double rounded to float. (``floorf``: rounded to float32 first; in float32 the two agree.)"""
    dst = np.arange(out)
    if ft is not None:
        s = area_pixel_scale(n, out, False, scale, ft)
        position = np.maximum(fused(np.full(out, s), dst.astype(ft) + ft(0.5), ft(-0.5)), ft(0)) + ft(0.5) if exact \
            else s * dst.astype(ft)
        return np.minimum(np.floor(position.astype(np.float32)).astype(np.int64), n - 1)
    s = np.float32(1.0 / scale if scale is not None and scale > 0 else np.float32(n) / np.float32(out))
    if not exact and out == n:
        return dst
    if not exact and out == 2 * n:
        return dst >> 1
    position = np.float32((dst + 0.5) * np.float64(s)) if exact else dst.astype(np.float32) * s
    return np.minimum(np.floor(position).astype(np.int64), n - 1)


def _unfused(x: Any, y: Any, z: Any) -> Any:
    return x * y + z


def source(n: int, out: int, align_corners: bool, scale: float | None, ft: type, cubic: bool,
            madd: Callable = fused) -> tuple:
    """torch's area_pixel_compute_source_index and guard_index_and_lambda in ``ft``: each output's first input
    index and its fractional distance from it (clamped to [0, 1]). ``scale * (dst + 0.5) - 0.5`` is one fused
    multiply-add in torch's build (the compiler's contraction, measured): rounded twice, a float32 source index past
    64 is ulps off, an output's weights up to 1e-5 (2e-4 past 2048). ``madd``: ``_unfused`` for a kernel compiled
    without fused multiply-adds (bicubic's backward, outside ATen's cpu/ kernels)."""
    s = area_pixel_scale(n, out, align_corners, scale, ft)
    dst: np.ndarray = np.arange(out).astype(ft)
    src = s * dst if align_corners else madd(np.full(out, s), dst + ft(0.5), ft(-0.5))
    if not (cubic or align_corners):
        src = np.maximum(src, ft(0))
    # (floorf: a float64 index rounded to float32 first, one just below an integer taken as it)
    index = np.minimum(np.floor(src.astype(np.float32)).astype(np.int64), n - 1)
    return index, np.clip(src - index.astype(ft), ft(0), ft(1))


def linear_taps(n: int, out: int, align_corners: bool, scale: float | None, ft: type, wt: type) -> tuple:
    """torch's linear taps ``(index, weights)``, each ``(out, 2)``: the weights computed in ``ft`` and stored in
    ``wt`` (the forward kernel stores them in the input's dtype, its second as one minus the stored first in that
    dtype; the backward keeps them in ``ft``)."""
    if out == n:  # torch's copy: the input itself at weight 1, and again at weight 0 (inf becomes NaN)
        i0 = np.arange(n)
        return np.stack([i0, i0], 1), np.stack([np.ones(n, wt), np.zeros(n, wt)], 1)
    i0, lambda1 = source(n, out, align_corners, scale, ft, cubic=False)
    lambda1 = lambda1.astype(wt)
    return np.stack([i0, i0 + (i0 < n - 1)], 1), np.stack([(wt(1) - lambda1).astype(wt), lambda1], 1)


def cubic_taps(n: int, out: int, align_corners: bool, scale: float | None, ft: type, wt: type,
               madd: Callable = fused) -> tuple:
    """torch's get_cubic_upsample_coefficients as taps ``(index, weights)``, each ``(out, 4)``: computed in ``ft``,
    stored in ``wt``, ``madd`` as ``_source``'s."""
    i, t = source(n, out, align_corners, scale, ft, cubic=True, madd=madd)
    a = ft(_CUBIC_A)

    # (the compiler fuses the first two multiply-adds of far, the first of near: measured by interpolating one-hot
    # inputs)
    def near(x: np.ndarray) -> np.ndarray:  # |x| <= 1: ((a + 2) * x - (a + 3)) * x * x + 1
        return madd(x, a + ft(2), -(a + ft(3))) * x * x + ft(1)

    def far(x: np.ndarray) -> np.ndarray:  # 1 < |x| < 2: ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
        return madd(madd(x, a, -ft(5) * a), x, ft(8) * a) * x - ft(4) * a
    opposite = ft(1) - t
    weights: np.ndarray = np.stack([far(t + ft(1)), near(t), near(opposite), far(opposite + ft(1))], 1).astype(wt)
    return np.stack([np.clip(i - 1 + k, 0, n - 1) for k in range(4)], 1), weights


class Taps(NamedTuple):
    """One dim's interpolation as torch's kernels run it: each output's input indices and weights, ``(out, k)``, as
    the forward kernel stores the weights (in the input's dtype, held in the kernel's float type); the backward
    kernel's ``(indices, weights)`` (its weights in the float type); the dim's input size."""
    inputs: np.ndarray
    weights: np.ndarray
    backward: tuple
    size: int


def _interpolate(x: np.ndarray, taps: Sequence[Taps]) -> np.ndarray:
    """torch's generic interpolation kernel (cpu_upsample_generic), in its float type: each output the sum of its
    taps' products, the last dim's taps innermost (a tap of weight 0 still adds its product: inf * 0 is NaN), as the
    compiler contracts torch's sums into fused multiply-adds (measured): ``t0 * w0 + t1 * w1`` as
    ``fma(t0, w0, t1 * w1)``, each further tap fused into that sum in turn."""
    dtype, n = x.dtype, len(taps)
    y = x.astype(taps[0].weights.dtype)
    for d in reversed(range(n)):
        axis, tap = y.ndim - n + d, taps[d]
        shape = [1] * y.ndim
        shape[axis] = -1
        terms = [(np.take(y, tap.inputs[:, k], axis), tap.weights[:, k].reshape(shape))
                 for k in range(tap.inputs.shape[1])]
        y = terms[0][0] * terms[0][1] if len(terms) == 1 else fused(*terms[0], terms[1][0] * terms[1][1])
        for t, w in terms[2:]:
            y = fused(t, w, y)
    return y.astype(dtype)


def _linear_channels_last(x: np.ndarray, taps: Sequence[Taps]) -> np.ndarray:
    """cpu_upsample_linear_channels_last (UpSampleKernel.cpp), torch's 2-d and 3-d linear kernel over channels: each
    output the sum of its corners' ``value * weight`` in the float type, each weight the product of the unrounded
    lambdas (``taps``' weights in the float type) in dim order, the last dim's corner fastest. As torch's build
    contracts the sums (measured):

    - the channels of whole vectors (64 bytes of the input's dtype), and of one half vector more where that many
      are left (the compiler's vectorized scalar loop), sum from the right: ``fma(c0, w0, fma(c1, w1, ...))`` down to
      the last two corners, ``fma(cl, wl, ck * wk)`` in float32, ``fma(ck, wk, cl * wl)`` in a reduced float;
    - the other channels sum from the left, as the generic kernel (``fma(c0, w0, c1 * w1)``, the others fused in
      turn), in float16 from the first product."""
    n, ft = len(taps), taps[0].weights.dtype
    xf = x.astype(ft)
    terms = []
    for corner in itertools.product((0, 1), repeat=n):
        weight = functools.reduce(np.multiply, np.ix_(*(t.weights[:, k] for t, k in zip(taps, corner))))
        terms.append((xf[(Ellipsis,) + np.ix_(*(t.inputs[:, k] for t, k in zip(taps, corner)))], weight))
    reduced = x.dtype in D.REDUCED_NP
    (before_last, before_last_weight), (last, last_weight) = terms[-2:]
    vector = (fused(before_last, before_last_weight, last * last_weight) if reduced
              else fused(last, last_weight, before_last * before_last_weight))
    for value, weight in reversed(terms[:-2]):
        vector = fused(value, weight, vector)
    scalar, rest = (terms[0][0] * terms[0][1], terms[1:]) if x.dtype == np.float16 else (
        fused(*terms[0], terms[1][0] * terms[1][1]), terms[2:])
    for value, weight in rest:
        scalar = fused(value, weight, scalar)
    channels, lanes = x.shape[-n - 1], 64 // x.itemsize
    vectorized = channels - channels % lanes
    if channels - vectorized >= lanes // 2:
        vectorized += lanes // 2
    in_vectors = (np.arange(channels) < vectorized).reshape((-1,) + (1,) * n)
    return np.where(in_vectors, vector, scalar).astype(x.dtype)


def channels_last_kernel_input(input: Tensor) -> bool:
    """Whether torch's 2-d and 3-d upsampling kernels take ``input`` as channels last (``_use_vectorized_kernel_cond``):
    laid out channels last, with more than 3 channels."""
    return input.size(1) > 3 and np.moveaxis(input._data, 1, -1).flags.c_contiguous


def takes_channels_last_kernel(input: Tensor, mode: str, output_size: Sequence[int]) -> bool:
    """Whether torch's upsampling of ``input`` takes its channels-last kernel (cpu_upsample_nearest_channels_last,
    cpu_upsample_linear_channels_last; ``_use_vectorized_kernel_cond_2d`` / ``_3d``): the 2-d and 3-d nearest and
    linear modes for an input taken as channels last; in 2-d also for an output of at most 128 rows and columns in
    all, and bilinear's for 3 channels on one thread."""
    if mode not in ("nearest", "nearest-exact", "bilinear", "trilinear") or len(output_size) not in (2, 3):
        return False
    if channels_last_kernel_input(input):
        return True
    return len(output_size) == 2 and (sum(output_size) <= 128 or mode == "bilinear" and input.size(1) == 3
                                      and _threads.get_num_threads() == 1)


def add_in_turn(total: np.ndarray, targets: np.ndarray, values: np.ndarray, sources: np.ndarray,
                 factors: Sequence[np.ndarray], fuse: bool) -> None:
    """Adds the increments into ``total`` (``(size, channels)``) at ``targets`` one after another, as a C loop of
    ``+=`` does: the k-th ``values[sources[k]] * factors[0][k] * ...``, rounded to the float type at each step, or
    with ``fuse`` ``fma(factors[0][k], values[sources[k]], total)`` (the compiler's contraction). Run in waves: every
    target's i-th increment at once."""
    if not targets.size:
        return
    order = np.argsort(targets, kind="stable")
    ranked = targets[order]
    rank = np.empty(targets.size, np.int64)
    rank[order] = np.arange(targets.size) - np.searchsorted(ranked, ranked)
    for r in range(int(rank.max()) + 1):
        pick = np.flatnonzero(rank == r)
        at, increment = targets[pick], values[sources[pick]]
        if fuse:
            total[at] = fused(factors[0][pick, None], increment, total[at])
            continue
        for factor in factors:
            increment = increment * factor[pick, None]
        total[at] += increment


def by_channel(grad: np.ndarray, n: int, ft: type) -> np.ndarray:
    """``grad`` in the float type as ``(outputs, channels)``: each output's channels together."""
    return grad.astype(ft).reshape(-1, int(np.prod(grad.shape[-n:]))).T


def from_by_channel(total: np.ndarray, grad: np.ndarray, sizes: tuple) -> np.ndarray:
    return np.ascontiguousarray(total.T).reshape(grad.shape[:grad.ndim - len(sizes)] + sizes).astype(grad.dtype)


def _scatter_backward(grad: np.ndarray, taps: Sequence[Taps]) -> np.ndarray:
    """cpu_upsample_linear_backward and cpu_upsample_nearest_backward (their channels-last twins add alike): each
    output's gradient scattered into its inputs (2 ** n corners, or the nearest one), outputs in order and the first
    dim's tap outermost, each added as ``fma(weight, g, total)`` in the float type (the compiler's contraction,
    measured), the weight the lambdas' product in dim order."""
    n, sizes = len(taps), tuple(t.size for t in taps)
    ft = taps[0].backward[1].dtype
    g = by_channel(grad, n, ft)
    strides = [int(np.prod(sizes[d + 1:])) for d in range(n)]
    targets, weights = [], []
    for corner in itertools.product(range(taps[0].backward[0].shape[1]), repeat=n):
        inputs = np.ix_(*(t.backward[0][:, k] for t, k in zip(taps, corner)))
        targets.append(sum(i * stride for i, stride in zip(inputs, strides)))
        weights.append(functools.reduce(np.multiply, np.ix_(*(t.backward[1][:, k] for t, k in zip(taps, corner)))))
    total = np.zeros((int(np.prod(sizes)), g.shape[1]), ft)
    add_in_turn(total, np.stack(np.broadcast_arrays(*targets), -1).reshape(-1), g,
                 np.repeat(np.arange(len(g)), len(targets)),
                 [np.stack(np.broadcast_arrays(*weights), -1).reshape(-1)], fuse=True)
    return from_by_channel(total, grad, sizes)


def _bicubic_backward(grad: np.ndarray, taps: Sequence[Taps]) -> np.ndarray:
    """upsample_bicubic2d_backward_out_frame (UpSampleBicubic2d.cpp): each output's gradient scattered into its 16
    inputs, outputs in order and per output the columns' taps outer, the rows' inner, each increment
    ``g * row_weight * column_weight`` added in the float type in turn (twice to an input two clamped taps reach);
    a map to the same size copies."""
    (rows, row_weights), (columns, column_weights) = (t.backward for t in taps)
    sizes = (taps[0].size, taps[1].size)
    if grad.shape[-2:] == sizes:
        return grad.copy()
    g = by_channel(grad, 2, row_weights.dtype)
    shape = (len(rows), len(columns), 4, 4)  # (out rows, out columns, column tap, row tap)
    targets = rows[:, None, None, :] * sizes[1] + columns[None, :, :, None]
    factors = [np.broadcast_to(row_weights[:, None, None, :], shape).reshape(-1),
               np.broadcast_to(column_weights[None, :, :, None], shape).reshape(-1)]
    total = np.zeros((sizes[0] * sizes[1], g.shape[1]), g.dtype)
    add_in_turn(total, targets.reshape(-1), g, np.repeat(np.arange(len(g)), 16), factors, fuse=False)
    return from_by_channel(total, grad, sizes)


_GRAD_NAMES = {"nearest": "UpsampleNearest%dDBackward0", "nearest-exact": "UpsampleNearestExact%dDBackward0",
               "linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0",
               "trilinear": "UpsampleTrilinear3DBackward0", "bicubic": "UpsampleBicubic2DBackward0"}
_OPS: dict[tuple[str, int, Callable], Callable] = {}


def _op(mode: str, n: int, kernel: Callable = _interpolate) -> Callable:
    key = (mode, n, kernel)
    if key not in _OPS:
        grad_name = _GRAD_NAMES[mode] % n if "%" in _GRAD_NAMES[mode] else _GRAD_NAMES[mode]
        _OPS[key] = separable_op("upsample_%s%dd" % (mode.replace("-", "_"), n), grad_name, kernel=kernel,
                                 adjoint=_bicubic_backward if mode == "bicubic" else _scatter_backward)
    return _OPS[key]


def upsample(input: Tensor, mode: str, output_size: Sequence[int], align_corners: bool,
             scales: Sequence[float | None]) -> Tensor:
    """Resample the last ``len(output_size)`` dims of ``input``."""
    x = input._data
    n = len(output_size)
    floating = D.is_floating_np(x.dtype)
    ft = D.opmath_np(x.dtype).type if floating else np.float64
    over_channels = takes_channels_last_kernel(input, mode, output_size)
    kernel = _linear_channels_last if over_channels and mode in ("bilinear", "trilinear") else _interpolate
    taps = []
    for size, out, scale in zip(x.shape[-n:], output_size, scales):
        if mode in ("nearest", "nearest-exact"):
            exact = mode == "nearest-exact"
            index = _nearest_source(size, out, scale, exact)[:, None]
            weights = np.ones((out, 1), ft)
            backward = (index, weights)
            if not over_channels:
                index = _nearest_source(size, out, scale, exact, ft if floating else np.float32)[:, None]
            taps.append(Taps(index, weights, backward, size))
            continue
        build = cubic_taps if mode == "bicubic" else linear_taps
        # (the generic kernel stores its weights in the input's dtype, the channels-last kernel keeps them in ft)
        stored_type = x.dtype.type if floating and kernel is _interpolate else ft
        index, stored = build(size, out, align_corners, scale, ft, stored_type)
        backward = cubic_taps(size, out, align_corners, scale, ft, ft, _unfused) if mode == "bicubic" else (
            linear_taps(size, out, align_corners, scale, ft, ft))
        taps.append(Taps(index, stored.astype(ft), backward, size))
    return _op(mode, n, kernel)(input, taps)
