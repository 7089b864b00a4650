"""Resampling differential tests against torch: interpolate in every mode (sizes, scale factors,
align_corners, recompute_scale_factor), the deprecated upsample functions, the Upsample modules,
grid_sample (every mode, padding mode and align_corners, 2-d and 3-d) and affine_grid, and the
pixel and channel shuffles (values, grad_fn names, gradients in float64 to second order, module
reprs, torch's warnings and errors)."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import assert_same_warnings, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(21)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def F(T: Any) -> Any:
    return T.nn.functional


def _interpolate(mode: str, **kw: Any) -> Callable:
    return lambda T, x: F(T).interpolate(x, mode=mode, **kw)


INTERPOLATE = [
    ("nearest_1d_scale", _interpolate("nearest", scale_factor=1.7), [randn(2, 3, 5)]),
    ("nearest_2d_double", _interpolate("nearest", scale_factor=2), [randn(2, 2, 3, 4)]),
    ("nearest_3d_down", _interpolate("nearest", size=(2, 3, 2)), [randn(1, 2, 3, 4, 5)]),
    ("nearest_exact_2d", _interpolate("nearest-exact", scale_factor=(0.6, 1.5)), [randn(1, 2, 5, 4)]),
    ("nearest_exact_3d", _interpolate("nearest-exact", size=4), [randn(1, 1, 3, 5, 2)]),
    ("linear", _interpolate("linear", scale_factor=1.7), [randn(2, 3, 5)]),
    ("linear_align", _interpolate("linear", size=8, align_corners=True), [randn(2, 3, 5)]),
    ("linear_one", _interpolate("linear", size=1, align_corners=True), [randn(1, 2, 4)]),
    ("bilinear_down", _interpolate("bilinear", scale_factor=0.6), [randn(2, 2, 5, 6)]),
    ("bilinear_align", _interpolate("bilinear", size=(7, 3), align_corners=True), [randn(1, 2, 4, 5)]),
    ("bilinear_recompute", _interpolate("bilinear", scale_factor=1.7, recompute_scale_factor=True),
     [randn(1, 2, 3, 4)]),
    ("trilinear", _interpolate("trilinear", scale_factor=(2, 1.5, 0.5)), [randn(1, 2, 3, 4, 4)]),
    ("trilinear_align", _interpolate("trilinear", size=5, align_corners=True), [randn(1, 1, 3, 2, 4)]),
    ("bicubic", _interpolate("bicubic", scale_factor=1.7), [randn(1, 2, 4, 5)]),
    ("bicubic_align_down", _interpolate("bicubic", size=(3, 2), align_corners=True), [randn(2, 1, 5, 4)]),
    ("area_1d", _interpolate("area", scale_factor=0.5), [randn(2, 3, 7)]),
    ("area_2d", _interpolate("area", size=(2, 3)), [randn(1, 2, 5, 7)]),
    ("area_3d", _interpolate("area", scale_factor=0.6), [randn(1, 2, 5, 4, 6)]),
    ("float32", lambda T, x: (F(T).interpolate(x, scale_factor=1.3, mode="bicubic"),
                              F(T).interpolate(x, size=(3, 7), mode="bilinear", align_corners=False),
                              F(T).interpolate(x, scale_factor=0.7, mode="nearest-exact")),
     [randn(2, 3, 5, 4, dtype=np.float32)]),
    ("uint8_nearest", lambda T, x: (F(T).interpolate(x, scale_factor=2.5),
                                    F(T).interpolate(x, 3, mode="nearest-exact")),
     [np.arange(30, dtype=np.uint8).reshape(1, 3, 10)]),
]


@pytest.mark.parametrize("fn, values", [c[1:] for c in INTERPOLATE], ids=[c[0] for c in INTERPOLATE])
def test_interpolate(fn: Callable, values: list) -> None:
    check(fn, values, second_order=True)


def test_deprecated_upsample_functions() -> None:
    """F.upsample* warn as torch does (same category and text) and interpolate as torch."""
    calls = [lambda T, x: F(T).upsample(x, scale_factor=2, mode="bilinear"),
             lambda T, x: F(T).upsample_nearest(x, (3, 5)),
             lambda T, x: F(T).upsample_bilinear(x, scale_factor=1.5)]
    x = randn(1, 2, 3, 4)
    for call in calls:
        assert assert_same_warnings(lambda T: call(T, T.tensor(x)))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(call, [x])


UPSAMPLE_MODULES = [
    ("Upsample_nearest", lambda T: T.nn.Upsample(scale_factor=2), [randn(1, 2, 3)]),
    ("Upsample_size", lambda T: T.nn.Upsample(size=(3, 5), mode="bilinear", align_corners=True), [randn(1, 2, 4, 4)]),
    ("Upsample_scales", lambda T: T.nn.Upsample(scale_factor=(2, 1.5, 1), mode="trilinear"), [randn(1, 1, 2, 2, 3)]),
    ("Upsample_recompute", lambda T: T.nn.Upsample(scale_factor=1.5, mode="bicubic", recompute_scale_factor=True),
     [randn(1, 1, 3, 3)]),
    ("UpsamplingNearest2d", lambda T: T.nn.UpsamplingNearest2d(scale_factor=2), [randn(1, 2, 2, 3)]),
    ("UpsamplingBilinear2d", lambda T: T.nn.UpsamplingBilinear2d(size=4), [randn(1, 2, 2, 3)]),
]


@pytest.mark.parametrize("make, values", [m[1:] for m in UPSAMPLE_MODULES], ids=[m[0] for m in UPSAMPLE_MODULES])
def test_upsample_module(make: Callable, values: list) -> None:
    check_module(make, values)


def _grid(*shape: int) -> np.ndarray:
    """Grid points mostly inside [-1, 1], some outside (padding matters)."""
    return _rng.uniform(-1.3, 1.3, shape)


GRID_CASES = [(mode, padding, dims) for mode in ("bilinear", "nearest", "bicubic")
              for padding in ("zeros", "border", "reflection") for dims in (2, 3) if not (mode, dims) == ("bicubic", 3)]


@pytest.mark.parametrize("mode, padding, dims", GRID_CASES, ids=["%s-%s-%dd" % c for c in GRID_CASES])
def test_grid_sample(mode: str, padding: str, dims: int) -> None:
    x, g = (randn(2, 3, 4, 5), _grid(2, 3, 2, 2)) if dims == 2 else (randn(1, 2, 3, 4, 3), _grid(1, 2, 2, 3, 3))
    check(lambda T, x, g: (F(T).grid_sample(x, g, mode, padding, align_corners=False),
                           F(T).grid_sample(x, g, mode, padding, align_corners=True)), [x, g], second_order=True)


def test_grid_sampler_bindings() -> None:
    check(lambda T, x, g: (T.grid_sampler(x, g, 0, 1, False), T.grid_sampler_2d(x, g, 2, 2, True),
                           T.grid_sampler_3d(x[:, :, None].expand(2, 3, 2, 4, 5), T.cat([g, g[..., :1]], -1)[:, None],
                                             1, 0, False)),
          [randn(2, 3, 4, 5, dtype=np.float32), _grid(2, 3, 2, 2).astype(np.float32)])


def test_affine_grid() -> None:
    check(lambda T, theta, theta3: (F(T).affine_grid(theta, [2, 1, 3, 4], align_corners=False),
                                    F(T).affine_grid(theta, (2, 5, 2, 5), align_corners=True),
                                    F(T).affine_grid(theta3, [1, 1, 2, 3, 4], align_corners=False),
                                    T.affine_grid_generator(theta3, [1, 2, 1, 3, 2], True)),
          [randn(2, 2, 3), randn(1, 3, 4)], second_order=True)


def test_affine_grid_into_grid_sample() -> None:
    """The spatial-transformer pattern: gradients reach theta through both functions."""
    check(lambda T, x, theta: F(T).grid_sample(x, F(T).affine_grid(theta, list(x.shape), align_corners=False),
                                               align_corners=False),
          [randn(2, 3, 5, 4, dtype=np.float32), randn(2, 2, 3, dtype=np.float32) * 0.5])


def test_grid_warnings() -> None:
    """align_corners left unset, and unit-size grids with align_corners: torch's warnings."""
    assert assert_same_warnings(lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.zeros(1, 2, 2, 2)))
    assert assert_same_warnings(lambda T: F(T).affine_grid(T.ones(2, 2, 3), (2, 1, 3, 4)))
    assert assert_same_warnings(lambda T: F(T).affine_grid(T.ones(2, 2, 3), (2, 1, 1, 4), align_corners=True))


SHUFFLES = [
    ("pixel_shuffle", lambda T, x: F(T).pixel_shuffle(x, 2), [randn(2, 8, 3, 2)]),
    ("pixel_shuffle_batch_dims", lambda T, x: T.pixel_shuffle(x, 3), [randn(2, 1, 9, 2, 1)]),
    ("pixel_shuffle_unbatched_ints", lambda T, x: F(T).pixel_shuffle(x, 2), [np.arange(32).reshape(8, 2, 2)]),
    ("pixel_unshuffle", lambda T, x: F(T).pixel_unshuffle(x, 2), [randn(2, 3, 4, 6)]),
    ("pixel_unshuffle_torch", lambda T, x: T.pixel_unshuffle(x, 3), [randn(3, 6, 3)]),
    ("channel_shuffle", lambda T, x: F(T).channel_shuffle(x, 3), [randn(2, 6, 2, 3)]),
    ("channel_shuffle_torch", lambda T, x: T.channel_shuffle(x, 2), [randn(1, 4, 5)]),
    ("native_channel_shuffle", lambda T, x: (F(T).native_channel_shuffle(x, 2), T.native_channel_shuffle(x, 4)),
     [randn(2, 4, 3)]),
]


@pytest.mark.parametrize("fn, values", [c[1:] for c in SHUFFLES], ids=[c[0] for c in SHUFFLES])
def test_shuffle(fn: Callable, values: list) -> None:
    check(fn, values, second_order=True)


MODULES = [
    ("PixelShuffle", lambda T: T.nn.PixelShuffle(2), [randn(1, 8, 2, 3)]),
    ("PixelUnshuffle", lambda T: T.nn.PixelUnshuffle(2), [randn(1, 2, 4, 2)]),
    ("ChannelShuffle", lambda T: T.nn.ChannelShuffle(2), [randn(2, 4, 3, 3)]),
]


@pytest.mark.parametrize("make, values", [m[1:] for m in MODULES], ids=[m[0] for m in MODULES])
def test_module(make: Callable, values: list) -> None:
    check_module(make, values)


ERRORS = [
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.ones(1, 2, 2, 2), mode="foo", align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.ones(1, 2, 2, 2), padding_mode="foo", align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.ones(1, 2, 2, 3), align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.ones(2, 2, 2, 2), align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3), T.ones(1, 2, 2), align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.ones(1, 2, 2, 2).double(), align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3, 3), T.ones(1, 2, 2, 2, 3), mode="bicubic", align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3).long(), T.ones(1, 2, 2, 2).long(), align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 0, 3), T.ones(1, 2, 2, 2), align_corners=False),
    lambda T: F(T).grid_sample(T.ones(1, 1, 3, 3), T.ones(1, 2, 2), align_corners=False),
    lambda T: T.grid_sampler_3d(T.ones(1, 1, 3, 3), T.ones(1, 2, 2, 2), 0, 0, False),
    lambda T: T.grid_sampler_2d(T.ones(1, 1, 3, 3, 3), T.ones(1, 2, 2, 2, 3), 0, 0, False),
    lambda T: F(T).affine_grid(T.ones(2, 3, 3), (2, 1, 3, 4), align_corners=False),
    lambda T: F(T).affine_grid(T.ones(2, 2, 3), (3, 1, 3, 4), align_corners=False),
    lambda T: F(T).affine_grid(T.ones(2, 2, 3), (2, 1, 3), align_corners=False),
    lambda T: F(T).affine_grid(T.ones(2, 2, 3).long(), (2, 1, 3, 4), align_corners=False),
    lambda T: F(T).affine_grid(T.ones(2, 2, 3), (2, 1, 0, 4), align_corners=False),
    lambda T: F(T).affine_grid(T.ones(2, 2, 4), (2, 1, 2, 3, 4), align_corners=False),
    lambda T: T.affine_grid_generator(T.ones(2, 2), [2, 1, 3, 4], False),
    lambda T: T.affine_grid_generator(T.ones(2, 2, 3), [2, 3], False),
    lambda T: F(T).interpolate(T.arange(6.0).view(1, 1, 6).long(), 3, mode="linear"),
    lambda T: F(T).interpolate(T.arange(6.0).view(1, 1, 6).byte(), 3, mode="linear"),
    lambda T: F(T).interpolate(T.arange(6.0).view(1, 1, 6).long(), 3),
    lambda T: F(T).interpolate(T.arange(6.0).view(1, 1, 6, 1).long(), 3, mode="bicubic"),
    lambda T: F(T).interpolate(T.arange(6.0).view(1, 1, 6, 1).long(), 3, mode="area"),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 0),
    lambda T: F(T).interpolate(T.ones(1, 1, 3, 3), (0, 2), mode="bilinear"),
    lambda T: F(T).interpolate(T.ones(1, 1, 3, 3, 2), (1, 0, 2), mode="trilinear"),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), scale_factor=0.1),
    lambda T: F(T).interpolate(T.ones(1, 1, 0), 4),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 4, scale_factor=2),
    lambda T: F(T).interpolate(T.ones(1, 1, 3)),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 4, mode="nearest", align_corners=True),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 4, mode="bilinear"),
    lambda T: F(T).interpolate(T.ones(1, 1, 3, 3), 4, mode="trilinear"),
    lambda T: F(T).interpolate(T.ones(1, 1, 3, 3, 3), 4, mode="linear"),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), (4, 4)),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), scale_factor=(2, 2)),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 4, recompute_scale_factor=True),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 4, mode="foo"),
    lambda T: F(T).interpolate(T.ones(1, 3), 4),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), 4, antialias=True),
    lambda T: F(T).interpolate(T.ones(1, 1, 3), (4.0,)),
    lambda T: T.pixel_shuffle(T.ones(2, 2), 2),
    lambda T: T.pixel_shuffle(T.ones(1, 3, 2, 2), 2),
    lambda T: T.pixel_shuffle(T.ones(1, 4, 2, 2), 0),
    lambda T: F(T).pixel_shuffle(T.ones(1, 4, 2, 2), -2),
    lambda T: T.pixel_unshuffle(T.ones(1, 1, 3, 4), 2),
    lambda T: F(T).pixel_unshuffle(T.ones(1, 1, 4, 3), 2),
    lambda T: T.pixel_unshuffle(T.ones(2, 2), 2),
    lambda T: T.pixel_unshuffle(T.ones(1, 1, 4, 4), 0),
    lambda T: T.channel_shuffle(T.ones(2, 2), 2),
    lambda T: F(T).channel_shuffle(T.ones(1, 4, 2), 3),
    lambda T: T.channel_shuffle(T.ones(1, 4, 2), 0),
    lambda T: T.native_channel_shuffle(T.ones(1, 4, 2), 3),
    lambda T: T.pixel_shuffle(T.ones(1, 4, 2, 2), 2.0),
]


@pytest.mark.parametrize("bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(bad: Callable) -> None:
    check_error(bad)
