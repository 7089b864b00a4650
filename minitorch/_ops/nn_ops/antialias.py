"""Anti-aliased resampling (``interpolate(..., antialias=True)``: torch's ``_upsample_bilinear2d_aa``,
``_upsample_bicubic2d_aa`` and ``_upsample_lanczos2d_aa``) as torch's CPU kernels compute it (UpSampleKernel.cpp's
separable kernels, Pillow's method): each output a window of inputs weighted by the mode's filter stretched by the
downscale factor, the width pass first, then the height pass, each in the input's float dtype, and the backward
scattered output by output."""
from __future__ import annotations

import math
from typing import Callable, NamedTuple, Sequence

import numpy as np

from ..._rng import libm
from ..._tensor import Tensor
from ..fused import fused_multiply_add as fused
from ..result_layout import suggests_channels_last
from .separable import separable_op
from .upsample import add_in_turn, area_pixel_scale, by_channel, from_by_channel, source

FILTER_SIZES = {"bilinear": 2, "bicubic": 4, "lanczos": 6}  # (each filter's support at scale 1, in inputs)
_CUBIC_A = -0.5  # Keys' coefficient, as Pillow's
_OPENCV_CUBIC_A = -0.75  # the non-antialiased bicubic's, as OpenCV's


def _triangle(x: np.ndarray) -> np.ndarray:
    return np.where(x < 1.0, (1.0 - x.astype(np.float64)).astype(x.dtype), 0)


def _keys_cubic(x: np.ndarray, coefficient: float = _CUBIC_A) -> np.ndarray:
    """cubic_convolution1/2 with every multiply-add fused (the compiler's contraction, measured)."""
    ft = x.dtype.type
    a = ft(coefficient)
    near = fused(fused(x, a + ft(2), -(a + ft(3))) * x, x, ft(1))
    far = fused(fused(fused(x, a, -ft(5) * a), x, ft(8) * a), x, -ft(4) * a)
    return np.where(x < 1.0, near, np.where(x < 2.0, far, ft(0)))


def _keys_cubic_opencv(x: np.ndarray) -> np.ndarray:
    return _keys_cubic(x, _OPENCV_CUBIC_A)


def _sinc(x: np.ndarray) -> np.ndarray:
    """``sin(pi x) / (pi x)`` in ``x``'s dtype, with libm's sinf or sin (as torch's build calls them)."""
    ft = x.dtype.type
    with np.errstate(invalid="ignore", divide="ignore"):
        angle = x * ft(math.pi)
        sine = libm.apply(libm.sinf if ft is np.float32 else math.sin, angle.ravel(), ft).reshape(angle.shape)
        return np.where(x == 0, ft(1), sine / angle)


def _lanczos3(x: np.ndarray) -> np.ndarray:
    """``sinc(x) * sinc(x / 3.0)``: the second factor in double (``x / 3.0`` is a double, and the template
    follows it), the product in double, rounded to the dtype."""
    product = _sinc(x).astype(np.float64) * _sinc(x.astype(np.float64) / 3.0)
    return np.where(x < 3.0, product, 0).astype(x.dtype)


_FILTERS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "bilinear": _triangle, "bicubic": _keys_cubic, "lanczos": _lanczos3}


class Window(NamedTuple):
    """One dim's taps (HelperInterpBase::_compute_indices_min_size_weights_aa): each output's first input, its
    number of inputs, and their weights ``(out, taps)`` (normalized to sum 1, zero past the span); for uint8,
    integers scaled by ``2 ** precision``."""
    start: np.ndarray
    span: np.ndarray
    weights: np.ndarray
    size: int
    precision: int = 0


def window(mode: str, n: int, out: int, align_corners: bool, scale: float | None, ft: type) -> Window:
    """The taps of resampling ``n`` inputs to ``out`` outputs, computed in ``ft`` with torch's mixed float and
    double steps (a C expression of a float and a double is a double, rounded where it is stored)."""
    s = area_pixel_scale(n, out, align_corners, scale, ft)
    half = FILTER_SIZES[mode] * 0.5
    support = ft(half * np.float64(s)) if s >= 1.0 else ft(half)
    taps = int(math.ceil(support)) * 2 + 1
    invscale = np.float64(ft(1.0 / np.float64(s)) if s >= 1.0 else ft(1.0))
    center: np.ndarray = (np.float64(s) * (np.arange(out) + 0.5)).astype(ft)
    start = np.maximum(np.trunc((center - support).astype(np.float64) + 0.5).astype(np.int64), 0)
    stop = np.minimum(np.trunc((center + support).astype(np.float64) + 0.5).astype(np.int64), n)
    span = np.clip(stop - start, 0, taps)
    inside = np.arange(taps) < span[:, None]
    offset = (start[:, None] + np.arange(taps)).astype(ft) - center[:, None]
    distance = np.abs(((offset.astype(np.float64) + 0.5) * invscale).astype(ft))
    weights: np.ndarray = np.where(inside, _FILTERS[mode](distance), ft(0)).astype(ft)
    total: np.ndarray = np.zeros(out, ft)
    for k in range(taps):  # (the loop's running sum, rounded at each step)
        total = total + weights[:, k]
    with np.errstate(invalid="ignore", divide="ignore"):
        weights = np.where(total[:, None] != 0, weights / total[:, None], weights)
    return Window(start, span, weights, n)


def _fixed_window(mode: str, n: int, out: int, align_corners: bool, scale: float | None) -> tuple[Window, float]:
    """The taps without antialiasing, as uint8's kernel computes them (_compute_indices_min_size_weights, in
    double): the float kernels' source index and fraction, the filter's taps at the fixed distances, and the taps
    that fall outside the input added to the first or last inside one; with the largest weight the loop saw."""
    size = FILTER_SIZES[mode]
    first, fraction = source(n, out, align_corners, scale, np.float64, cubic=size > 2)
    half = size // 2
    start = np.maximum(first - half + 1, 0)
    span = np.clip(np.minimum(first + half + 1, n) - start, 0, size)
    filter_fn = _triangle if mode == "bilinear" else _keys_cubic_opencv
    weights = np.zeros((out, size))
    rows, slot, largest = np.arange(out), np.zeros(out, np.int64), 0.0
    for k in range(size):  # (the loop as written: it zeroes tap k before adding to the tap it points at)
        weights[:, k] = 0.0
        unbounded = first - half + 1 + k
        slot = np.where(unbounded <= 0, 0, np.where(unbounded >= n - 1, span - 1, slot))
        weights[rows, slot] += filter_fn(np.abs(np.float64(k + 1 - half) - fraction))
        largest = max(largest, float(weights[rows, slot].max(initial=0.0)))
        slot = slot + 1
    return Window(start, span, weights, n), largest


def integer_window(mode: str, n: int, out: int, align_corners: bool, scale: float | None,
                   antialias: bool) -> Window:
    """uint8's taps (_compute_index_ranges_int16_weights): the double weights scaled by the largest power of two
    that keeps the largest weight below 2 ** 15 (at most 2 ** 22) and rounded half away from zero."""
    if antialias:
        win = window(mode, n, out, align_corners, scale, np.float64)
        largest = float(win.weights.max(initial=0.0))
    else:
        win, largest = _fixed_window(mode, n, out, align_corners, scale)
    precision = 0
    while precision < 22 and int(0.5 + largest * (1 << (precision + 1))) < 1 << 15:
        precision += 1
    scaled = win.weights * (1 << precision)
    weights = np.trunc(np.where(scaled < 0, scaled - 0.5, scaled + 0.5)).astype(np.int64)
    return win._replace(weights=weights, precision=precision)


def _resample_last(x: np.ndarray, win: Window, repeat_first: bool = False) -> np.ndarray:
    """One pass along the last dim (basic_loop_separable_1d_*): ``out = t0 * w0``, then each further tap added in
    turn, in 16-byte blocks of taps as products then sums (the compiler's vectorized part of the loop), the taps
    past whole blocks as fused multiply-adds. ``repeat_first``: every output as the first (torch's height pass when
    its loop runs along the interpolated dim, see ``_repeats_first_row``)."""
    index = np.minimum(win.start[:, None] + np.arange(win.weights.shape[1]), win.size - 1)
    if x.dtype == np.uint8:
        total = _integer_sums(x, win, index)
        return np.broadcast_to(total[..., :1], total.shape) if repeat_first else total
    lanes = 16 // x.dtype.itemsize
    blocked = lanes * ((win.span - 1) // lanes)
    with np.errstate(all="ignore"):
        total = x[..., index[:, 0]] * win.weights[:, 0]
        for k in range(1, win.weights.shape[1]):
            values, weight, plain = x[..., index[:, k]], win.weights[:, k], k <= blocked
            # (each form computed only where some output takes it: the emulated fma is the costly one)
            summed = total + values * weight if plain.all() else fused(values, weight, total) if not plain.any() \
                else np.where(plain, total + values * weight, fused(values, weight, total))
            total = np.where(k < win.span, summed, total)
    if repeat_first:
        total = np.broadcast_to(total[..., :1], total.shape)
    return total


def _integer_sums(x: np.ndarray, win: Window, index: np.ndarray) -> np.ndarray:
    """uint8's pass: the taps' products summed in integers from one half of the last place, shifted down by the
    precision and clamped to [0, 255]."""
    total = np.full(x.shape[:-1] + (len(win.span),), 1 << (win.precision - 1), np.int64)
    for k in range(win.weights.shape[1]):
        total += x[..., index[:, k]].astype(np.int64) * win.weights[:, k]
    return np.clip(total >> win.precision, 0, 255).astype(np.uint8)


def _repeats_first_row(x: np.ndarray, out_width: int) -> bool:
    """torch's height pass reads the taps of its loop's first element only: right when the loop runs along the
    width (or the channels), wrong when the output's width is 1 and its layout (the input's suggested format)
    puts the height innermost, contiguous or of one channel: every output row is then the first (a torch bug the
    results keep). uint8 of at most 4 channels takes another kernel (the AVX2 one), without it."""
    if x.dtype == np.uint8 and x.shape[1] <= 4:
        return False
    return out_width == 1 and (x.shape[1] == 1 or not suggests_channels_last(x))


def _resample(x: np.ndarray, windows: Sequence[Window]) -> np.ndarray:
    """upsample_separable_Nd_kernel_impl: the width pass, then the height pass, skipping a dim whose size stays;
    the input itself where none changes."""
    rows, columns = windows
    y = x
    if len(columns.span) != x.shape[-1]:
        y = _resample_last(y, columns)
    if len(rows.span) != x.shape[-2]:
        repeat = _repeats_first_row(x, y.shape[-1])
        y = np.swapaxes(_resample_last(np.swapaxes(y, -1, -2), rows, repeat), -1, -2)
    return np.ascontiguousarray(y)


def _scatter(grad: np.ndarray, windows: Sequence[Window]) -> np.ndarray:
    """upsample_separable_Nd_backward_aa: outputs in order, each output's gradient added to its window of inputs
    (rows outer), each increment ``fma(wx * wy, g, total)`` in the dtype."""
    rows, columns = windows
    sizes = (rows.size, columns.size)
    g = by_channel(grad, 2, grad.dtype.type)
    y_taps, x_taps = rows.weights.shape[1], columns.weights.shape[1]
    y = np.arange(y_taps)[None, None, :, None]
    x = np.arange(x_taps)[None, None, None, :]
    y_start, y_count = rows.start[:, None, None, None], rows.span[:, None, None, None]
    x_start, x_count = columns.start[None, :, None, None], columns.span[None, :, None, None]
    shape = (len(rows.span), len(columns.span), y_taps, x_taps)
    valid = np.broadcast_to((y < y_count) & (x < x_count), shape).reshape(-1)
    targets = np.broadcast_to((y_start + y) * sizes[1] + x_start + x, shape).reshape(-1)[valid]
    sources = np.broadcast_to(np.arange(len(rows.span) * len(columns.span)).reshape(shape[:2] + (1, 1)),
                              shape).reshape(-1)[valid]
    weights = (columns.weights[None, :, None, :] * rows.weights[:, None, :, None])
    weights = np.broadcast_to(weights, shape).reshape(-1)[valid]
    total = np.zeros((sizes[0] * sizes[1], g.shape[1]), g.dtype)
    with np.errstate(all="ignore"):
        add_in_turn(total, targets, g, sources, [weights], fuse=True)
    return from_by_channel(total, grad, sizes)


_GRAD_NAMES = {"bilinear": "UpsampleBilinear2DAaBackward0", "bicubic": "UpsampleBicubic2DAaBackward0",
               "lanczos": "UpsampleLanczos2DAaBackward0"}
_OPS = {mode: separable_op("_upsample_%s2d_aa" % mode, grad_name, kernel=_resample, adjoint=_scatter)
        for mode, grad_name in _GRAD_NAMES.items()}
_UINT8_OPS = {mode: separable_op("upsample_%s2d" % mode, "Upsample%s2DBackward0" % mode.capitalize(),
                                 kernel=_resample, adjoint=_scatter) for mode in ("bilinear", "bicubic")}


def upsample_antialiased(input: Tensor, mode: str, output_size: Sequence[int], align_corners: bool,
                         scales: Sequence[float | None]) -> Tensor:
    """Resample the last two dims of the float32, float64 or uint8 4-d ``input`` to ``output_size``."""
    ft = input._data.dtype.type
    windows = [integer_window(mode, n, out, align_corners, scale, True) if ft is np.uint8 else
               window(mode, n, out, align_corners, scale, ft)
               for n, out, scale in zip(input.shape[-2:], output_size, scales)]
    return _OPS[mode](input, windows)


def upsample_uint8(input: Tensor, mode: str, output_size: Sequence[int], align_corners: bool,
                   scales: Sequence[float | None]) -> Tensor:
    """uint8 bilinear and bicubic resampling without antialiasing: the separable integer kernel with fixed taps
    (torch's float kernels refuse uint8)."""
    windows = [integer_window(mode, n, out, align_corners, scale, False)
               for n, out, scale in zip(input.shape[-2:], output_size, scales)]
    return _UINT8_OPS[mode](input, windows)
