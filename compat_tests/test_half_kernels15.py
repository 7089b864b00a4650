"""Upsampling bit for bit with torch's CPU kernels in every float dtype, and bfloat16 NaN bits of pow, clamp, the
scans and xlogy (issue #10). Classes fixed, each with cases below that would have caught it:

- the source index ``scale * (dst + 0.5) - 0.5`` is one fused multiply-add in torch's build, and its floor is
  ``floorf`` (a float64 index rounded to float32 first): minitorch rounded twice, so float32 linear, bilinear,
  trilinear and bicubic weights were up to 1e-5 off past 64 input elements (2.7e-4 past 2048);
- the generic kernel sums ``t0 * w0 + t1 * w1`` as ``fma(t0, w0, t1 * w1)`` and fuses each further tap in turn; the
  bicubic coefficients fuse far's first two multiply-adds and near's first (minitorch: a plain sum, other fusions);
- bilinear and trilinear take the channels-last kernel for a channels-last input of more than 3 channels and for
  small 2-d outputs: whole vectors of channels (and a half vector more) summed from the right, the rest from the
  left, float16's from the first product (minitorch: one left-to-right sum, only for small NCHW outputs);
- nearest and nearest-exact in the generic kernel compute their float64 index in float64 (minitorch: float32, as
  the channels-last kernel and the backward do);
- the backward kernels scatter each output's gradient into its inputs in turn, in the float type: linear and
  nearest as ``fma(weight, g, total)``, bicubic's (compiled without fused multiply-adds, nor in its weights) as
  ``g * row_weight * column_weight`` added (minitorch: matrix products, 40% to 90% of the float32 gradients an ulp
  or more off);
- a bfloat16 NaN is 0xFFFF where torch's vectorized body converts it and c10's 0x7FC0 where its scalar lambda does
  (minitorch kept the NaN's sign): pow and square (blocks of 64 elements; 0.5's sqrt vectorized throughout), clamp
  with tensor bounds (blocks of 32; clamp's lambda passes an input NaN through), cumsum, cumprod and xlogy (scalar
  throughout), softmax along the last dim (each row's blocks of 32) and log_softmax (vectorized throughout along
  the last dim, before the last whole block of 32 inner positions along another).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

import minitorch
from harness import normal_arrays


def _bits(t: Any) -> np.ndarray:
    integer = {2: "int16", 4: "int32", 8: "int64"}[t.element_size()]
    module = torch if isinstance(t, torch.Tensor) else minitorch
    return np.asarray(t.contiguous().view(getattr(module, integer)).tolist()).ravel()


def _channels_last(t: Any) -> Any:
    """``t`` laid out channels last (through a permuted copy: minitorch has no memory_format)."""
    order = [0, *range(2, t.dim()), 1]
    return t.permute(*order).contiguous().permute(*np.argsort(order).tolist())


# (mode, input shape, interpolate's keywords, channels last): the generic kernel past 64 input elements and with a
# float64 index just below an integer (30 -> 190), bicubic's clamped taps, the channels-last kernel's vectors, half
# vectors and scalar channels (3, 17, 40 channels) for small outputs and channels-last inputs, trilinear's 3-d one
CALLS = {
    "linear_long": ("linear", (2, 3, 500), dict(size=777), False),
    "linear_floorf": ("linear", (1, 2, 30), dict(size=190), False),
    "bilinear_generic": ("bilinear", (1, 2, 40, 40), dict(size=(100, 90)), False),
    "bilinear_scale": ("bilinear", (1, 1, 100, 100), dict(scale_factor=1.5), False),
    "bilinear_small": ("bilinear", (2, 3, 20, 30), dict(size=(50, 70), align_corners=True), False),
    "bilinear_small_17": ("bilinear", (2, 17, 7, 6), dict(size=(11, 9)), False),
    "bilinear_small_40": ("bilinear", (2, 40, 7, 6), dict(size=(11, 9)), False),
    "bilinear_channels_last": ("bilinear", (1, 8, 10, 12), dict(size=(70, 80)), True),
    "bicubic": ("bicubic", (2, 3, 20, 30), dict(size=(50, 70)), False),
    "bicubic_align_corners": ("bicubic", (1, 1, 64, 64), dict(size=(100, 100), align_corners=True), False),
    "bicubic_one_row": ("bicubic", (2, 4, 1, 24), dict(size=(1, 69)), False),
    "trilinear": ("trilinear", (1, 1, 30, 20, 10), dict(size=(45, 31, 17)), False),
    "trilinear_channels_last": ("trilinear", (1, 20, 5, 6, 7), dict(size=(9, 8, 11)), True),
    "nearest_exact": ("nearest-exact", (1, 33, 114), dict(size=97), False),
    "nearest_2d": ("nearest", (1, 2, 30, 31), dict(size=(190, 77)), False),
    "nearest_channels_last": ("nearest", (1, 5, 30, 31), dict(size=(190, 77)), True),
}


@pytest.mark.parametrize("dtype", ("float32", "float64", "float16", "bfloat16"))
@pytest.mark.parametrize("name", CALLS)
def test_upsample_bit_for_bit(name: str, dtype: str) -> None:
    mode, shape, kwargs, channels_last = CALLS[name]
    x = normal_arrays(15, "float32", shape)[0] * 3

    def run(T: Any) -> np.ndarray:
        t = T.tensor(x).to(getattr(T, dtype))
        return _bits(T.nn.functional.interpolate(_channels_last(t) if channels_last else t, mode=mode, **kwargs))
    expected, got = run(torch), run(minitorch)
    differ = np.nonzero(expected != got)[0]
    assert not differ.size, "%d of %d differ" % (differ.size, expected.size)


# (mode, input shape, output size): the backward kernels' scatter, each output's increments in turn
BACKWARD_CALLS = {
    "bicubic": ("bicubic", (2, 3, 23, 41), (50, 30)),
    "bilinear": ("bilinear", (1, 2, 40, 40), (100, 90)),
    "linear": ("linear", (2, 3, 100), (150,)),
    "trilinear": ("trilinear", (1, 2, 5, 6, 7), (9, 8, 11)),
    "nearest": ("nearest", (1, 2, 9, 10), (20, 25)),
}


@pytest.mark.parametrize("dtype", ("float32", "float64", "float16", "bfloat16"))
@pytest.mark.parametrize("name,align_corners", [(name, corners) for name in BACKWARD_CALLS
                                                for corners in ((False,) if name == "nearest" else (False, True))])
def test_backward_bit_for_bit(name: str, align_corners: bool, dtype: str) -> None:
    mode, shape, size = BACKWARD_CALLS[name]
    kwargs = dict(align_corners=align_corners) if mode != "nearest" else {}
    x, grad = normal_arrays(16, "float32", shape, shape[:2] + size)

    def run(T: Any) -> np.ndarray:
        t = T.tensor(x).to(getattr(T, dtype)).requires_grad_()
        y = T.nn.functional.interpolate(t, size=size, mode=mode, **kwargs)
        return _bits(T.autograd.grad(y, t, T.tensor(grad).to(getattr(T, dtype)))[0])
    expected, got = run(torch), run(minitorch)
    differ = np.nonzero(expected != got)[0]
    assert not differ.size, "%d of %d differ" % (differ.size, expected.size)


NAN_KERNELS = {
    "square": lambda T, x: x.square(),
    "pow_2": lambda T, x: x.pow(2),
    "pow_3": lambda T, x: x.pow(3),
    "pow_-1": lambda T, x: x.pow(-1),
    "pow_-0.5": lambda T, x: x.pow(-0.5),
    "pow_0.5": lambda T, x: x.pow(0.5),
    "pow_1.5": lambda T, x: x.pow(1.5),
    "pow_tensor": lambda T, x: x.pow(x.flip(0)),
    "cumsum": lambda T, x: x.cumsum(0),
    "cumprod": lambda T, x: x.cumprod(0),
    "xlogy": lambda T, x: T.xlogy(x, x.flip(0)),
    "xlogy_number": lambda T, x: T.xlogy(x, 2.0),
    "clamp_tensor_min": lambda T, x: T.clamp(x, min=x.flip(0) * 0 + 0.1),
    "clamp_tensor_max": lambda T, x: T.clamp(x, max=x.flip(0)),
    "clamp_tensor_bounds": lambda T, x: T.clamp(x, min=x.flip(0) * 0 - 1, max=x.roll(1) * 0 + 1),
    "clamp_min_tensor": lambda T, x: T.clamp_min(x, x.flip(0)),
    "softmax": lambda T, x: T.softmax(x, 0),
    "softmax_rows": lambda T, x: T.softmax(x[:x.shape[0] // 2 * 2].reshape(2, -1), 1),
    "log_softmax": lambda T, x: T.log_softmax(x, 0),
    "log_softmax_columns": lambda T, x: T.log_softmax(x[:x.shape[0] // 2 * 2].reshape(2, -1), 0),
}


@pytest.mark.parametrize("size", (37, 100))
@pytest.mark.parametrize("strided", (False, True), ids=("contiguous", "strided"))
@pytest.mark.parametrize("name", NAN_KERNELS)
def test_bfloat16_nan_bits(name: str, strided: bool, size: int) -> None:
    x = np.linspace(-3, 3, size).astype(np.float32)
    x[::3], x[1::7] = np.nan, -np.nan  # (both signs, inside and past the vectorized blocks of 32 and 64 elements)

    def run(T: Any) -> np.ndarray:
        t = T.tensor(x).to(T.bfloat16)
        return _bits(NAN_KERNELS[name](T, T.stack([t, t], 1)[:, 0] if strided else t))
    expected, got = run(torch), run(minitorch)
    differ = np.nonzero(expected != got)[0]
    assert not differ.size, "at %s torch %s, minitorch %s" % (differ[:4], expected[differ[:4]], got[differ[:4]])
