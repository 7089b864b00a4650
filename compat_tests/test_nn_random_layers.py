"""The randomized layers (rrelu, alpha and feature dropouts, native_dropout, gumbel_softmax), differential
against torch: after the same seed the same values (so the same draws, in the same order), the generator
left in the same state (each case ends with ``T.rand(2)``), gradients (second order on float64), grad_fn
names, module reprs and torch's errors."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

from minitorch._ops.registry import NN
from harness import assert_same_warnings, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(2027)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def seeded(fn: Callable) -> Callable:
    """``fn`` after ``manual_seed(0)``, its result followed by the generator's next draws."""
    def call(T: Any, *xs: Any) -> Any:
        T.manual_seed(0)
        out = fn(T, *xs)
        return (out, T.rand(2)) if not isinstance(out, tuple) else out + (T.rand(2),)
    return call


def F(T: Any) -> Any:
    return T.nn.functional


def nn_binding(T: Any, name: str) -> Callable:
    """``torch._C._nn.<name>``, or minitorch's generated callable of that binding."""
    return getattr(torch._C._nn, name) if T is torch else NN[name]


def _with_noise(T: Any, name: str, x: Any, *args: Any, **kwargs: Any) -> tuple:
    """The binding's result and the noise tensor it was given (written in training only)."""
    noise = T.zeros(x.shape, dtype=x.dtype)
    return nn_binding(T, name)(x, noise, *args, **kwargs), noise


# (id, fn(T, *inputs), inputs): values, generator state, first and second derivatives
CASES: list[tuple[str, Callable, list]] = [
    ("rrelu_eval", lambda T, x: T.rrelu(x, 0.1, 0.3), [randn(3, 4)]),
    ("rrelu_train", lambda T, x: T.rrelu(x, 0.1, 0.3, True), [randn(5, 4)]),
    ("rrelu_train_float32", lambda T, x: T.rrelu(x, training=True), [randn(40, 3, dtype=np.float32)]),
    ("rrelu_train_noncontiguous", lambda T, x: T.rrelu(x.t(), 0.2, 0.25, True), [randn(4, 6)]),
    ("rrelu_generator", lambda T, x: T.rrelu(x, training=True, generator=T.Generator().manual_seed(3)),
     [randn(3, 3)]),
    ("rrelu_", lambda T, x: T.rrelu_(x * 1, 0.0, 0.5, True), [randn(3, 4)]),
    ("rrelu__eval", lambda T, x: T.rrelu_(x * 1), [randn(3, 4)]),
    # torch refuses the backward of an in-place leaky ReLU (rrelu's eval) with a negative slope
    ("rrelu__eval_negative_slope", lambda T, x: T.rrelu_(x * 1, -0.3, 0.1), [randn(5)]),
    ("rrelu__train_negative_slopes", lambda T, x: T.rrelu_(x * 1, -0.3, 0.1, True), [randn(5)]),
    ("F.leaky_relu_inplace_negative_slope", lambda T, x: F(T).leaky_relu(x * 1, -0.2, inplace=True), [randn(5)]),
    ("F.leaky_relu_inplace_zero_slope", lambda T, x: F(T).leaky_relu(x * 1, 0.0, inplace=True), [randn(5)]),
    ("rrelu_equal_bounds", lambda T, x: T.rrelu(x, 0.2, 0.2, True), [randn(6)]),
    ("rrelu_float16_eval", lambda T, x: T.rrelu(x), [randn(6, dtype=np.float16)]),
    ("F.rrelu", lambda T, x: F(T).rrelu(x), [randn(2, 5)]),
    ("F.rrelu_train", lambda T, x: F(T).rrelu(x, 0.05, 0.5, training=True), [randn(2, 5)]),
    ("F.rrelu_inplace", lambda T, x: F(T).rrelu(x * 1, training=True, inplace=True), [randn(2, 5)]),
    ("F.rrelu_", lambda T, x: F(T).rrelu_(x * 1, 0.1, 0.2, True), [randn(2, 5)]),
    ("rrelu_with_noise", lambda T, x: _with_noise(T, "rrelu_with_noise", x, 0.1, 0.4, True), [randn(3, 4)]),
    ("rrelu_with_noise_eval", lambda T, x: _with_noise(T, "rrelu_with_noise", x), [randn(3, 4)]),
    ("rrelu_with_noise_bounds_reversed_positive", lambda T, x: _with_noise(T, "rrelu_with_noise", x.abs(), 0.5,
                                                                           0.1, True), [randn(3)]),
    ("rrelu_with_noise_bounds_reversed_eval", lambda T, x: _with_noise(T, "rrelu_with_noise", x, 0.5, 0.1),
     [randn(3)]),
    ("rrelu_with_noise_", lambda T, x: _with_noise(T, "rrelu_with_noise_", x * 1, training=True), [randn(3, 4)]),
    ("rrelu_with_noise_out", lambda T, x: _with_noise(T, "rrelu_with_noise", x, training=True, out=T.empty(3, 4)),
     [randn(3, 4, dtype=np.float32)]),
    ("alpha_dropout", lambda T, x: T.alpha_dropout(x, 0.3, True), [randn(4, 5)]),
    ("alpha_dropout_eval", lambda T, x: T.alpha_dropout(x, 0.3, False), [randn(4, 5)]),
    ("alpha_dropout_float32", lambda T, x: T.alpha_dropout(x, 0.2, True), [randn(30, 3, dtype=np.float32)]),
    ("alpha_dropout_float16", lambda T, x: T.alpha_dropout(x, 0.6, True), [randn(30, dtype=np.float16)]),
    ("alpha_dropout_noncontiguous", lambda T, x: T.alpha_dropout(x.t(), 0.5, True), [randn(4, 6)]),
    ("native_dropout_noncontiguous", lambda T, x: T.native_dropout(x.t(), 0.5, True), [randn(4, 6)]),
    ("feature_dropout_noncontiguous", lambda T, x: T.feature_dropout(x.transpose(0, 1), 0.5, True), [randn(3, 5, 2)]),
    ("alpha_dropout_p1", lambda T, x: T.alpha_dropout(x, 1.0, True), [randn(4)]),
    ("alpha_dropout_p0", lambda T, x: T.alpha_dropout(x, 0.0, True), [randn(4)]),
    ("alpha_dropout_", lambda T, x: T.alpha_dropout_(x * 1, 0.5, True), [randn(3, 4)]),
    ("feature_alpha_dropout", lambda T, x: T.feature_alpha_dropout(x, 0.4, True), [randn(3, 4, 2, 2)]),
    ("feature_alpha_dropout_", lambda T, x: T.feature_alpha_dropout_(x * 1, 0.4, True), [randn(3, 4, 2)]),
    ("feature_alpha_dropout_eval_1d", lambda T, x: T.feature_alpha_dropout(x, 0.4, False), [randn(5)]),
    ("feature_dropout", lambda T, x: T.feature_dropout(x, 0.3, True), [randn(4, 3, 5)]),
    ("feature_dropout_float16", lambda T, x: T.feature_dropout(x, 0.3, True), [randn(4, 3, 5, dtype=np.float16)]),
    ("feature_dropout_", lambda T, x: T.feature_dropout_(x * 1, 0.3, True), [randn(4, 3)]),
    ("F.alpha_dropout", lambda T, x: F(T).alpha_dropout(x, 0.25, training=True), [randn(6, 2)]),
    ("F.alpha_dropout_default_eval", lambda T, x: F(T).alpha_dropout(x), [randn(6, 2)]),
    ("F.alpha_dropout_inplace", lambda T, x: F(T).alpha_dropout(x * 1, 0.25, True, True), [randn(6, 2)]),
    ("F.feature_alpha_dropout", lambda T, x: F(T).feature_alpha_dropout(x, 0.5, True), [randn(2, 3, 4)]),
    ("F.feature_alpha_dropout_inplace", lambda T, x: F(T).feature_alpha_dropout(x * 1, 0.5, True, True),
     [randn(2, 3, 4)]),
    ("native_dropout", lambda T, x: T.native_dropout(x, 0.4, True), [randn(5, 4)]),
    ("native_dropout_float16", lambda T, x: T.native_dropout(x, 0.3, True), [randn(50, dtype=np.float16)]),
    ("native_dropout_eval", lambda T, x: T.native_dropout(x, 0.4, False), [randn(5, 4)]),
    ("native_dropout_train_none", lambda T, x: T.native_dropout(x, 0.4, None), [randn(5, 4)]),
    ("native_dropout_p1", lambda T, x: T.native_dropout(x, 1.0, True), [randn(3)]),
    ("F.dropout_now_on_the_same_kernel", lambda T, x: F(T).dropout(x, 0.3), [randn(7, 3)]),
    ("gumbel_softmax", lambda T, x: F(T).gumbel_softmax(x), [randn(4, 5)]),
    ("gumbel_softmax_tau_dim", lambda T, x: F(T).gumbel_softmax(x, tau=0.5, dim=0), [randn(4, 5)]),
    ("gumbel_softmax_hard", lambda T, x: F(T).gumbel_softmax(x, hard=True), [randn(3, 6)]),
    ("gumbel_softmax_float32", lambda T, x: F(T).gumbel_softmax(x, 2.0), [randn(20, 3, dtype=np.float32)]),
    ("gumbel_softmax_noncontiguous", lambda T, x: F(T).gumbel_softmax(x.t(), hard=True), [randn(3, 4)]),
]


@pytest.mark.parametrize("fn,values", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_function(fn: Callable, values: list) -> None:
    check(seeded(fn), values, second_order=True)


ERRORS: list[tuple[str, Callable]] = [
    ("rrelu_bounds", lambda T: T.rrelu(T.ones(2), 0.5, 0.1)),
    ("rrelu_long", lambda T: T.rrelu(T.ones(2, dtype=T.long))),
    ("rrelu_long_train", lambda T: T.rrelu(T.ones(2, dtype=T.long), training=True)),
    ("rrelu_half_train", lambda T: T.rrelu(T.ones(2, dtype=T.float16), training=True)),
    ("rrelu_with_noise_noise_requires_grad",
     lambda T: nn_binding(T, "rrelu_with_noise")(T.ones(2), T.zeros(2, requires_grad=True))),
    ("rrelu_with_noise_shape", lambda T: nn_binding(T, "rrelu_with_noise")(T.ones(4), T.zeros(3))),
    ("rrelu_with_noise_shape_eval", lambda T: nn_binding(T, "rrelu_with_noise")(T.ones(4), T.zeros(2, 2), 0.1, 0.2)),
    ("rrelu_with_noise_dtype", lambda T: nn_binding(T, "rrelu_with_noise")(T.ones(4), T.zeros(4, dtype=T.float64),
                                                                         training=True)),
    ("rrelu_with_noise_bounds", lambda T: nn_binding(T, "rrelu_with_noise")(-T.ones(4), T.zeros(4), 0.5, 0.1, True)),
    ("rrelu_with_noise_long", lambda T: nn_binding(T, "rrelu_with_noise")(T.ones(4, dtype=T.long), T.zeros(3))),
    ("rrelu_leaf_inplace", lambda T: T.rrelu_(T.ones(2, requires_grad=True))),
    ("alpha_dropout_p", lambda T: T.alpha_dropout(T.ones(2), 1.5, True)),
    ("alpha_dropout_p_int", lambda T: T.alpha_dropout(T.ones(2), 2, False)),
    ("alpha_dropout_long", lambda T: T.alpha_dropout(T.ones(2, dtype=T.long), 0.5, True)),
    ("feature_dropout_1d", lambda T: T.feature_dropout(T.ones(3), 0.5, True)),
    ("feature_alpha_dropout_1d", lambda T: T.feature_alpha_dropout_(T.ones(3), 0.5, True)),
    ("dropout_p", lambda T: T.dropout(T.ones(2), 1.5, True)),
    ("dropout__p_nan", lambda T: T.dropout_(T.ones(2), float("nan"), False)),
    ("alpha_dropout_p_nan", lambda T: T.alpha_dropout(T.ones(2), float("nan"), True)),
    ("native_dropout_p", lambda T: T.native_dropout(T.ones(2), 1.5, True)),
    ("native_dropout_long", lambda T: T.native_dropout(T.ones(2, dtype=T.long), 0.5, True)),
    ("F.alpha_dropout_p", lambda T: T.nn.functional.alpha_dropout(T.ones(2), -0.1)),
    ("F.feature_alpha_dropout_p", lambda T: T.nn.functional.feature_alpha_dropout(T.ones(2), 1.1)),
    ("AlphaDropout_p", lambda T: T.nn.AlphaDropout(2.0)),
    ("gumbel_softmax_long", lambda T: T.nn.functional.gumbel_softmax(T.ones(2, dtype=T.long))),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(fn: Callable) -> None:
    check_error(fn)


def test_gumbel_softmax_eps_is_deprecated() -> None:
    assert assert_same_warnings(lambda T: T.nn.functional.gumbel_softmax(T.ones(2, 3), eps=0.1))


def _seeded_module(make: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def build(T: Any) -> Any:
        T.manual_seed(1)  # check_module runs the forward right after building
        return make(T)
    return build


# (id, make(T) -> module, inputs, check_module options)
LAYERS: list[tuple[str, Callable[[Any], Any], list, dict]] = [
    ("RReLU", lambda T: T.nn.RReLU(), [randn(3, 4)], {}),
    ("RReLU_eval", lambda T: T.nn.RReLU(0.1, 0.3), [randn(3, 4)], {"train": False}),
    ("RReLU_inplace", lambda T: T.nn.Sequential(T.nn.Identity(), T.nn.RReLU(0.2, 0.4, inplace=True)),
     [randn(4)], {"grad": False}),
    ("AlphaDropout", lambda T: T.nn.AlphaDropout(0.3), [randn(5, 4)], {}),
    ("AlphaDropout_eval", lambda T: T.nn.AlphaDropout(), [randn(5, 4)], {"train": False}),
    ("FeatureAlphaDropout", lambda T: T.nn.FeatureAlphaDropout(0.4), [randn(3, 4, 2)], {}),
    ("FeatureAlphaDropout_inplace", lambda T: T.nn.FeatureAlphaDropout(0.4, inplace=True), [randn(3, 4, 2)],
     {"grad": False}),
]


@pytest.mark.parametrize("make,values,options", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list, options: dict) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_module(_seeded_module(make), values, **options)
