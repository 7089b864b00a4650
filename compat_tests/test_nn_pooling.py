"""Pooling differential tests against torch: max, average, adaptive, LP, fractional max pooling and
max unpooling in 1-3 dims (functional forms, torch.* bindings and modules): values, indices,
grad_fn names, gradients (second order in float64), module reprs and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(12)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def F(T: Any) -> Any:
    return T.nn.functional


_SAMPLES = np.random.default_rng(3).random((2, 3, 3))  # fractional pooling's per-plane uniforms


def _unpooled(n: int, **kw: Any) -> Callable:
    """max_unpool<n>d of max_pool<n>d's own values and indices."""
    def call(T: Any, x: Any) -> Any:
        values, indices = getattr(F(T), "max_pool%dd" % n)(x, 2, return_indices=True)
        return getattr(F(T), "max_unpool%dd" % n)(values, indices, 2, **kw)
    return call


CALLS = [
    ("max_pool3d_indices", lambda T, x: F(T).max_pool3d(x, 2, return_indices=True), [randn(1, 2, 4, 5, 4)]),
    ("max_pool3d_options", lambda T, x: F(T).max_pool3d_with_indices(x, (2, 3, 2), (1, 2, 1), (1, 1, 0), (1, 1, 2),
                                                                      True), [randn(2, 5, 6, 7)]),
    ("max_pool3d_ints", lambda T, x: F(T).max_pool3d(x, 2), [np.arange(64).reshape(1, 4, 4, 4) % 7]),
    ("max_pool2d_ceil_dilation", lambda T, x: F(T).max_pool2d(x, 2, 2, 1, 2, True, True), [randn(2, 3, 7, 6)]),
    ("max_pool1d_ceil", lambda T, x: F(T).max_pool1d_with_indices(x, 3, 2, 1, ceil_mode=True), [randn(2, 3, 8)]),
    ("avg_pool3d_ceil_no_pad_count", lambda T, x: F(T).avg_pool3d(x, 2, 1, 1, True, False), [randn(1, 2, 4, 5, 4)]),
    ("avg_pool3d_divisor", lambda T, x: F(T).avg_pool3d(x, 3, 2, 1, True, True, 5), [randn(2, 4, 5, 4)]),
    ("avg_pool3d_ints", lambda T, x: F(T).avg_pool3d(x, 2), [np.arange(64).reshape(1, 1, 4, 4, 4) - 30]),
    ("avg_pool1d_pad", lambda T, x: F(T).avg_pool1d(x, 3, 2, 1, True, False), [randn(2, 3, 8)]),
    ("adaptive_avg_pool3d", lambda T, x: F(T).adaptive_avg_pool3d(x, (2, 3, None)), [randn(1, 2, 4, 5, 4)]),
    ("adaptive_avg_pool3d_mean", lambda T, x: F(T).adaptive_avg_pool3d(x, 1), [randn(2, 3, 4, 5)]),
    ("adaptive_avg_pool3d_up", lambda T, x: F(T).adaptive_avg_pool3d(x, (5, 2, 7)), [randn(2, 3, 4, 5)]),
    ("adaptive_max_pool1d", lambda T, x: F(T).adaptive_max_pool1d(x, 3, True), [randn(2, 3, 7)]),
    ("adaptive_max_pool2d", lambda T, x: F(T).adaptive_max_pool2d_with_indices(x, (3, None)), [randn(2, 5, 7)]),
    ("adaptive_max_pool2d_up", lambda T, x: F(T).adaptive_max_pool2d(x, (6, 4)), [randn(1, 2, 4, 3)]),
    ("adaptive_max_pool3d", lambda T, x: F(T).adaptive_max_pool3d(x, 2, True), [randn(1, 2, 3, 5, 4)]),
    ("adaptive_max_pool_with_indices", lambda T, x: (F(T).adaptive_max_pool1d_with_indices(x[0], 2),
                                                     F(T).adaptive_max_pool3d_with_indices(x[None], (1, 2, 3))),
     [randn(2, 3, 7)]),
    ("lp_pool1d", lambda T, x: F(T).lp_pool1d(x, 2, 3), [randn(2, 3, 7)]),
    ("lp_pool2d", lambda T, x: F(T).lp_pool2d(x, 3.0, 2, 1, True), [randn(2, 3, 5, 5)]),
    ("lp_pool3d_inf", lambda T, x: (F(T).lp_pool3d(x, float("inf"), 2), F(T).lp_pool2d(x[0], -float("inf"), 2)),
     [randn(1, 2, 4, 4, 4)]),
    ("max_unpool1d", _unpooled(1, output_size=[7]), [randn(1, 2, 7)]),
    ("max_unpool2d", _unpooled(2), [randn(1, 2, 4, 5)]),
    ("max_unpool2d_unbatched_size", _unpooled(2, output_size=(1, 2, 5, 5)), [randn(2, 4, 5)]),
    ("max_unpool3d", _unpooled(3), [randn(1, 2, 4, 6, 4)]),
    ("fractional_max_pool2d_samples", lambda T, x: F(T).fractional_max_pool2d_with_indices(
        x, (2, 3), (4, 3), _random_samples=T.tensor(_SAMPLES[:, :, :2])), [randn(2, 3, 9, 8)]),
    ("fractional_max_pool3d_samples", lambda T, x: F(T).fractional_max_pool3d(
        x, 2, output_ratio=0.5, return_indices=True, _random_samples=T.tensor(_SAMPLES[:1])), [randn(3, 7, 6, 8)]),
    ("torch_bindings", lambda T, x: (T.max_pool1d(x, 2), T.max_pool1d_with_indices(x, 3, 1, 1),
                                     T.avg_pool1d(x, 2), T.adaptive_avg_pool1d(x, 3), T.adaptive_max_pool1d(x, 3),
                                     T.max_pool3d(x[None], 2), T.max_pool2d(x, 2)), [randn(2, 4, 7)]),
]


@pytest.mark.parametrize("fn, values", [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_functional(fn: Callable, values: list) -> None:
    check(fn, values, second_order=True)


def test_float32() -> None:
    check(lambda T, x: (F(T).max_pool3d(x, 2), F(T).avg_pool3d(x, 2), F(T).adaptive_max_pool3d(x, 3),
                        F(T).adaptive_avg_pool3d(x, 3)), [randn(1, 2, 4, 5, 6, dtype=np.float32)])


def test_fractional_draws_torch_samples() -> None:
    """Without _random_samples, the same seed draws the same windows as torch."""
    x = randn(2, 3, 9, 8, dtype=np.float32)
    x3 = randn(1, 2, 7, 6, 8, dtype=np.float32)

    def seeded(T: Any, x: Any, x3: Any) -> Any:
        T.manual_seed(5)
        return (F(T).fractional_max_pool2d(x, 2, output_size=(4, 5), return_indices=True),
                F(T).fractional_max_pool2d(x[0], 3, output_ratio=(0.5, 0.7)),
                F(T).fractional_max_pool3d(x3, (2, 3, 2), output_ratio=0.5, return_indices=True),
                T.nn.FractionalMaxPool2d(2, output_size=3)(x))
    check(seeded, [x, x3])


MODULES = [
    ("MaxPool3d", lambda T: T.nn.MaxPool3d(2, 1, 1, return_indices=True), [randn(1, 2, 4, 4, 4)]),
    ("MaxPool1d", lambda T: T.nn.MaxPool1d(3, 2, dilation=2, ceil_mode=True), [randn(2, 3, 9)]),
    ("AvgPool3d", lambda T: T.nn.AvgPool3d((2, 1, 2), count_include_pad=False, divisor_override=3),
     [randn(1, 2, 4, 4, 4)]),
    ("AvgPool2d", lambda T: T.nn.AvgPool2d(2, ceil_mode=True), [randn(1, 2, 5, 5)]),
    ("AdaptiveAvgPool3d", lambda T: T.nn.AdaptiveAvgPool3d((2, None, 3)), [randn(1, 2, 4, 4, 4)]),
    ("AdaptiveMaxPool1d", lambda T: T.nn.AdaptiveMaxPool1d(4), [randn(2, 3, 9)]),
    ("AdaptiveMaxPool2d", lambda T: T.nn.AdaptiveMaxPool2d((2, 3), return_indices=True), [randn(2, 3, 5, 7)]),
    ("AdaptiveMaxPool3d", lambda T: T.nn.AdaptiveMaxPool3d(2), [randn(2, 3, 5, 4)]),
    ("LPPool1d", lambda T: T.nn.LPPool1d(2, 3, 2), [randn(2, 3, 9)]),
    ("LPPool2d", lambda T: T.nn.LPPool2d(1.5, 2), [np.abs(randn(2, 3, 4, 4)) + 0.1]),
    ("LPPool3d", lambda T: T.nn.LPPool3d(3, 2, ceil_mode=True), [randn(1, 2, 5, 4, 4)]),
    ("FractionalMaxPool2d", lambda T: T.nn.FractionalMaxPool2d(2, output_ratio=0.5, return_indices=True,
                                                               _random_samples=T.tensor([[[0.3, 0.8]]] * 2)),
     [randn(2, 1, 8, 9, dtype=np.float32)]),
    ("FractionalMaxPool3d", lambda T: T.nn.FractionalMaxPool3d((2, 2, 1), output_size=(3, 2, 4),
                                                               _random_samples=T.tensor([[[0.3, 0.8, 0.1]]])),
     [randn(1, 1, 6, 5, 7, dtype=np.float32)]),
]


@pytest.mark.parametrize("make, values", [m[1:] for m in MODULES], ids=[m[0] for m in MODULES])
def test_module(make: Callable, values: list) -> None:
    check_module(make, values)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_max_unpool_module(n: int) -> None:
    x = randn(*(1, 2) + (4,) * n)

    def call(m: Any, x: Any) -> Any:
        T = __import__(type(x).__module__.split(".")[0])
        values, indices = getattr(T.nn, "MaxPool%dd" % n)(2, return_indices=True)(x)
        return m(values, indices, output_size=list(x.shape))
    check_module(lambda T: getattr(T.nn, "MaxUnpool%dd" % n)(2, padding=0), [x], call=call)


ERRORS = [
    lambda T: F(T).max_pool3d(T.ones(1, 2, 5, 5, 5), 3, padding=2),
    lambda T: F(T).max_pool3d(T.ones(1, 2, 5, 5, 5), 6),
    lambda T: F(T).max_pool3d(T.ones(1, 2, 5, 5, 5), 3, stride=0),
    lambda T: F(T).max_pool3d(T.ones(1, 2, 5, 5, 5), 2, dilation=0),
    lambda T: F(T).max_pool3d(T.ones(5, 5), 2),
    lambda T: F(T).avg_pool3d(T.ones(1, 2, 5, 5, 5), 6),
    lambda T: F(T).avg_pool3d(T.ones(1, 2, 5, 5, 5), 3, padding=2),
    lambda T: F(T).avg_pool3d(T.ones(5, 5), 2),
    lambda T: F(T).avg_pool3d(T.ones(1, 2, 5, 5, 5), 2, divisor_override=0),
    lambda T: F(T).avg_pool3d(T.ones(1, 2, 4, 4, 4, dtype=T.float16), 2),
    lambda T: F(T).adaptive_avg_pool3d(T.ones(5, 5), 2),
    lambda T: F(T).adaptive_avg_pool3d(T.ones(2, 5, 5, 5, dtype=T.int64), 2),
    lambda T: F(T).adaptive_max_pool2d(T.ones(5), 2),
    lambda T: F(T).adaptive_max_pool2d(T.ones(2, 5, 5, dtype=T.int64), 2),
    lambda T: F(T).adaptive_max_pool3d(T.ones(5, 5), 2),
    lambda T: F(T).adaptive_max_pool1d(T.ones(5), 2),
    lambda T: F(T).adaptive_max_pool1d(T.ones(2, 5, 5, 5), 2),
    lambda T: F(T).adaptive_max_pool2d(T.ones(2, 5, 5), (2, 2, 2)),
    lambda T: F(T).max_pool1d(T.ones(5), 2),
    lambda T: F(T).max_pool1d(T.ones(2, 5, dtype=T.int64), 2),
    lambda T: F(T).avg_pool1d(T.ones(5), 2),
    lambda T: F(T).lp_pool2d(T.ones(1, 2, 5, 5), 2, 6),
    lambda T: F(T).max_unpool2d(T.ones(1, 1, 2, 2), T.tensor([[[[0, 1], [2, 99]]]]), 2),
    lambda T: F(T).max_unpool2d(T.ones(1, 1, 2, 2), T.ones(1, 1, 2, 2), 2),
    lambda T: F(T).max_unpool2d(T.ones(1, 1, 2, 2), T.zeros(1, 1, 2, 3, dtype=T.int64), 2),
    lambda T: F(T).max_unpool2d(T.ones(1, 1, 2, 2), T.zeros(1, 1, 2, 2, dtype=T.int64), 2, output_size=(9, 9)),
    lambda T: F(T).max_unpool2d(T.ones(2, 2), T.zeros(2, 2, dtype=T.int64), 2),
    lambda T: F(T).max_unpool3d(T.ones(1, 1, 2, 2, 2), T.zeros(1, 1, 2, 2, 2, dtype=T.int64) + 99, 2),
    lambda T: F(T).fractional_max_pool2d(T.ones(1, 2, 5, 5), 2, output_size=2,
                                         _random_samples=T.ones(1, 2, 2).double()),
    lambda T: F(T).max_unpool2d(T.ones(1, 1, 2, 2), T.zeros(1, 1, 2, 2, dtype=T.int64), 2, output_size=(4, 4, 4)),
    lambda T: F(T).max_unpool1d(T.ones(1, 1, 2), T.tensor([[[0, 9]]]), 2),
    lambda T: F(T).fractional_max_pool2d(T.ones(1, 2, 5, 5), 2),
    lambda T: F(T).fractional_max_pool2d(T.ones(1, 2, 5, 5), 2, output_size=5),
    lambda T: F(T).fractional_max_pool3d(T.ones(1, 2, 5, 5, 5), 2, output_size=5),
    lambda T: F(T).fractional_max_pool2d(T.ones(1, 2, 5, 5, dtype=T.int64), 2, output_size=2),
    lambda T: F(T).fractional_max_pool2d(T.ones(1, 2, 5, 5), 2, output_size=2, _random_samples=T.ones(1, 3, 2)),
    lambda T: T.nn.FractionalMaxPool2d(2),
    lambda T: T.nn.FractionalMaxPool2d(2, output_size=2, output_ratio=0.5),
    lambda T: T.nn.FractionalMaxPool3d(2, output_ratio=1.5),
    lambda T: T.nn.FractionalMaxPool3d(0, output_size=2),
    lambda T: T.max_pool3d(T.ones(1, 4, 4, 4), 2, stride="a"),
    lambda T: T.adaptive_max_pool1d(T.ones(1, 4), "a"),
]


@pytest.mark.parametrize("bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(bad: Callable) -> None:
    check_error(bad)
