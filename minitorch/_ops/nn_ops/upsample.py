"""Resampling kernels (torch's upsample_* family): nearest, nearest-exact, linear and cubic
interpolation, each separable, so one ``(out, in)`` matrix per spatial dim built from torch's
source-index rules (UpSample.h) and applied with ``separable.apply_matrices``."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from ... import _dtype as D

from ..._tensor import Tensor
from .separable import separable_op

_CUBIC_A = -0.75  # torch's bicubic convolution coefficient


def _scale(n: int, out: int, align_corners: bool, scale: float | None) -> float:
    """torch's area_pixel_compute_scale: the input step per output step."""
    if align_corners:
        return (n - 1) / (out - 1) if out > 1 else 0.0
    return 1.0 / scale if scale is not None and scale > 0 else n / out


def _nearest_source(n: int, out: int, scale: float | None, exact: bool) -> np.ndarray:
    """torch's nearest (floor(dst * s)) and nearest-exact (floor((dst + 0.5) * s)) source indices,
    with the scale in single precision as torch computes it."""
    s = np.float32(1.0 / scale if scale is not None and scale > 0 else np.float32(n) / np.float32(out))
    dst = np.arange(out)
    if not exact and out == n:
        return dst
    if not exact and out == 2 * n:
        return dst >> 1
    # torch: floorf((dst + 0.5) * s), the product in double rounded to float; floorf(dst * s) in float
    position = np.float32((dst + 0.5) * np.float64(s)) if exact else dst.astype(np.float32) * s
    return np.minimum(np.floor(position).astype(np.int64), n - 1)


def _selection(out: int, n: int, columns: Sequence[np.ndarray], weights: Sequence[np.ndarray]) -> np.ndarray:
    """``(out, n)`` matrix with ``weights[k][i]`` added at ``(i, columns[k][i])``."""
    m = np.zeros((out, n))
    rows = np.arange(out)
    for cols, w in zip(columns, weights):
        np.add.at(m, (rows, cols), w)
    return m


def nearest_matrix(n: int, out: int, scale: float | None, exact: bool) -> np.ndarray:
    return _selection(out, n, [_nearest_source(n, out, scale, exact)], [np.ones(out)])


def linear_matrix(n: int, out: int, align_corners: bool, scale: float | None) -> np.ndarray:
    s = _scale(n, out, align_corners, scale)
    dst = np.arange(out)
    src = s * dst if align_corners else np.maximum(s * (dst + 0.5) - 0.5, 0.0)
    i0 = src.astype(np.int64)
    i1 = i0 + (i0 < n - 1)
    t = np.minimum(src - i0, 1.0)
    return _selection(out, n, [i0, i1], [1.0 - t, t])


def cubic_matrix(n: int, out: int, align_corners: bool, scale: float | None) -> np.ndarray:
    s = _scale(n, out, align_corners, scale)
    dst = np.arange(out)
    src = s * dst if align_corners else s * (dst + 0.5) - 0.5
    i = np.floor(src).astype(np.int64)
    t = src - i
    a = _CUBIC_A

    def near(x: np.ndarray) -> np.ndarray:  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x: np.ndarray) -> np.ndarray:  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
    return _selection(out, n, [np.clip(i - 1 + k, 0, n - 1) for k in range(4)], weights)


_GRAD_NAMES = {"nearest": "UpsampleNearest%dDBackward0", "nearest-exact": "UpsampleNearestExact%dDBackward0",
               "linear": "UpsampleLinear1DBackward0", "bilinear": "UpsampleBilinear2DBackward0",
               "trilinear": "UpsampleTrilinear3DBackward0", "bicubic": "UpsampleBicubic2DBackward0"}
_OPS: dict[tuple[str, int], Callable] = {}


def _op(mode: str, n: int) -> Callable:
    key = (mode, n)
    if key not in _OPS:
        grad_name = _GRAD_NAMES[mode] % n if "%" in _GRAD_NAMES[mode] else _GRAD_NAMES[mode]
        _OPS[key] = separable_op("upsample_%s%dd" % (mode.replace("-", "_"), n), grad_name)
    return _OPS[key]


def upsample(input: Tensor, mode: str, output_size: Sequence[int], align_corners: bool,
             scales: Sequence[float | None]) -> Tensor:
    """Resample the last ``len(output_size)`` dims of ``input``."""
    x = input._data
    n = len(output_size)
    mats = []
    for size, out, scale in zip(x.shape[-n:], output_size, scales):
        if mode in ("nearest", "nearest-exact"):
            m = nearest_matrix(size, out, scale, mode == "nearest-exact")
        elif mode == "bicubic":
            m = cubic_matrix(size, out, align_corners, scale)
        else:
            m = linear_matrix(size, out, align_corners, scale)
        mats.append(m.astype(D.opmath_np(x.dtype) if D.is_floating_np(x.dtype) else np.float64))
    return _op(mode, n)(input, mats)
