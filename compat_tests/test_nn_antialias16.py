"""Anti-aliased resampling (``interpolate(..., antialias=True)``: bilinear, bicubic and lanczos) and uint8 bilinear and
bicubic resampling against torch: every output and input gradient bit for bit on random shapes (up- and
downscaling, align_corners, scale factors, channels-last inputs), torch's height-pass bug on outputs of width 1 kept,
graphs and second order through the harness, and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error

_rng = np.random.default_rng(16)
MODES = ("bilinear", "bicubic", "lanczos")


def _channels_last(T: Any, x: Any) -> Any:
    return x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)


def _draw(dtype: Any, trials: int, modes: tuple = MODES) -> list[tuple]:
    cases = []
    for trial in range(trials):
        mode = modes[trial % len(modes)]
        shape = (int(_rng.integers(1, 3)), int(_rng.integers(1, 7))) + tuple(int(v) for v in _rng.integers(1, 40, 2))
        size = tuple(int(v) for v in _rng.integers(1, 40, 2))
        align = bool(_rng.integers(2)) and mode != "lanczos"
        x = (_rng.integers(0, 256, shape) if dtype == np.uint8 else _rng.standard_normal(shape)).astype(dtype)
        cases.append((mode, x, size, align, bool(_rng.integers(2))))
    return cases


def _bitwise(mine: Any, ref: Any) -> None:
    assert mine.stride() == ref.stride(), (mine.stride(), ref.stride())
    np.testing.assert_array_equal(mine.detach().numpy(), ref.detach().numpy(), strict=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_antialiased_float_bit_for_bit(dtype: Any) -> None:
    """Values, strides and input gradients equal torch's bit for bit (the taps' mixed float and double steps, the
    passes' blocked sums, the backward's fused scatter, libm's sinf for lanczos)."""
    for mode, x, size, align, channels_last in _draw(dtype, 60):
        results = []
        for T in (torch, minitorch):
            leaf = T.tensor(x, requires_grad=True)
            inp = _channels_last(T, leaf) if channels_last else leaf
            out = T.nn.functional.interpolate(inp, size=size, mode=mode, antialias=True, align_corners=align)
            out.backward(T.tensor(np.linspace(-2, 3, out.numel()).reshape(out.shape).astype(dtype)))
            results.append((out, leaf.grad))
        (ref, ref_grad), (mine, my_grad) = results
        _bitwise(mine, ref)
        _bitwise(my_grad, ref_grad)


@pytest.mark.parametrize("antialias", [True, False])
def test_uint8_bit_for_bit(antialias: bool) -> None:
    """uint8 through torch's integer kernels (int16 weights, the AVX2 kernel up to 4 channels, the generic one past
    them): antialiased in every mode, and bilinear/bicubic without antialiasing."""
    modes = MODES if antialias else ("bilinear", "bicubic")
    for mode, x, size, align, channels_last in _draw(np.uint8, 80, modes):
        ref, mine = (T.nn.functional.interpolate(_channels_last(T, T.tensor(x)) if channels_last else T.tensor(x),
                                                 size=size, mode=mode, antialias=antialias, align_corners=align)
                     for T in (torch, minitorch))
        _bitwise(mine, ref)


@pytest.mark.parametrize("dtype", [np.float32, np.uint8])
@pytest.mark.parametrize("channels", [1, 3, 6])
def test_output_of_width_one(dtype: Any, channels: int) -> None:
    """torch's height pass repeats its first output row when the output's width is 1 and the height is innermost
    (contiguous, or one channel; not uint8's AVX2 kernel of at most 4 channels): kept, as torch computes it."""
    x = np.arange(2 * channels * 10 * 3).reshape(2, channels, 10, 3).astype(dtype)
    for channels_last in (False, True):
        for width in (1, 3):
            ref, mine = (T.nn.functional.interpolate(
                _channels_last(T, T.tensor(x[..., :1])) if channels_last else T.tensor(x[..., :width]), size=(4, 1),
                mode="bilinear", antialias=True) for T in (torch, minitorch))
            _bitwise(mine, ref)


CASES = [
    ("bilinear_down", lambda T, x: T.nn.functional.interpolate(x, scale_factor=0.4, mode="bilinear", antialias=True)),
    ("bicubic_up_align", lambda T, x: T.nn.functional.interpolate(x, size=(7, 9), mode="bicubic", antialias=True,
                                                                  align_corners=True)),
    ("lanczos_mixed", lambda T, x: T.nn.functional.interpolate(x, size=(3, 11), mode="lanczos", antialias=True)),
    ("same_size", lambda T, x: T.nn.functional.interpolate(x, size=(5, 6), mode="lanczos", antialias=True)),
    ("recompute", lambda T, x: T.nn.functional.interpolate(x, scale_factor=(0.7, 1.3), mode="bicubic",
                                                           antialias=True, recompute_scale_factor=True)),
]


@pytest.mark.parametrize("fn", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_graph_and_second_order(fn: Callable) -> None:
    check(fn, [_rng.standard_normal((2, 3, 5, 6))], second_order=True)


def test_special_values() -> None:
    x = _rng.standard_normal((1, 2, 6, 7)).astype(np.float32)
    x[0, 0, 2, 3], x[0, 1, 4, 1], x[0, 1, 0, 0] = np.inf, np.nan, -np.inf
    for mode in MODES:
        check(lambda T, x: T.nn.functional.interpolate(x, size=(3, 4), mode=mode, antialias=True), [x])


ERRORS = [
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4, dtype=T.float16), size=(2, 3), mode="bilinear",
                                          antialias=True),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4, dtype=T.int32), size=(2, 3), mode="lanczos",
                                          antialias=True),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4), size=(0, 3), mode="bicubic", antialias=True),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4), size=(2, 3), mode="lanczos"),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4), size=(2, 3), mode="lanczos", align_corners=True,
                                          antialias=True),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4), size=3, mode="lanczos"),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4, 4), size=3, mode="bilinear", antialias=True),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4, dtype=T.uint8), size=(2, 3), mode="nearest",
                                          antialias=True),
    lambda T: T.nn.functional.interpolate(T.ones(1, 1, 4, 4, 4, dtype=T.uint8), size=2, mode="trilinear"),
]


@pytest.mark.parametrize("fn", ERRORS)
def test_errors(fn: Callable) -> None:
    check_error(fn)
