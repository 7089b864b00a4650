"""The remaining activations, distances and nn.init functions, differential against torch: values,
gradients (second order on float64), module reprs and parameters, torch's errors, and nn.init's
draws after the same seed."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error
from nn_harness import check_module
from test_nn_init import assert_bitwise

_rng = np.random.default_rng(2026)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


# (id, fn(T, *inputs), inputs): values, first and second derivatives
FUNCTIONS: list[tuple[str, Callable, list]] = [
    ("threshold", lambda T, x: T.threshold(x, 0.1, 20.0), [randn(3, 4)]),
    ("F.threshold", lambda T, x: T.nn.functional.threshold(x, -0.2, 1.5), [randn(5)]),
    ("F.threshold_inplace", lambda T, x: T.nn.functional.threshold(x * 1, 0.0, -1.0, inplace=True), [randn(2, 3)]),
    ("threshold_", lambda T, x: T.threshold_(x * 1, 0.3, 0.3), [randn(4)]),
    ("F.threshold_", lambda T, x: T.nn.functional.threshold_(x * 1, 0.3, 0.3), [randn(4)]),
    ("threshold_int", lambda T, x: T.threshold(x, 1, -5), [np.arange(-3, 4)]),
    ("hardshrink", lambda T, x: T.hardshrink(x, 0.7), [randn(3, 4)]),
    ("Tensor.hardshrink", lambda T, x: x.hardshrink(), [randn(6)]),
    ("F.hardshrink", lambda T, x: T.nn.functional.hardshrink(x), [randn(2, 5)]),
    ("F.softshrink", lambda T, x: T.nn.functional.softshrink(x, 0.3), [randn(3, 4)]),
    ("F.softshrink_float32", lambda T, x: T.nn.functional.softshrink(x), [randn(7, dtype=np.float32)]),
    ("F.glu", lambda T, x: T.nn.functional.glu(x), [randn(3, 4)]),
    ("F.glu_dim", lambda T, x: T.nn.functional.glu(x, 0), [randn(6, 2, 3)]),
    ("prelu", lambda T, x, w: T.prelu(x, w), [randn(2, 3, 4), np.abs(randn(3))]),
    ("prelu_scalar_weight", lambda T, x, w: T.prelu(x, w), [randn(2, 3), np.array([0.2])]),
    ("prelu_1d", lambda T, x, w: T.prelu(x, w), [randn(5), np.array([0.3])]),
    ("Tensor.prelu", lambda T, x, w: x.prelu(w), [randn(4, 2), np.array([0.1, 0.4])]),
    ("F.prelu", lambda T, x, w: T.nn.functional.prelu(x, w), [randn(2, 2, 3), np.array([0.5, -0.1])]),
    ("pairwise_distance", lambda T, a, b: T.pairwise_distance(a, b), [randn(4, 5), randn(4, 5)]),
    ("F.pairwise_distance_p1_keepdim", lambda T, a, b: T.nn.functional.pairwise_distance(a, b, 1.0, keepdim=True),
     [randn(3, 4), randn(4)]),
    ("F.pairwise_distance_p3", lambda T, a, b: T.nn.functional.pairwise_distance(a, b, 3), [randn(2, 3), randn(2, 3)]),
    ("F.pairwise_distance_inf", lambda T, a, b: T.nn.functional.pairwise_distance(a, b, float("inf")),
     [randn(2, 3), randn(2, 3)]),
    ("cosine_similarity", lambda T, a, b: T.cosine_similarity(a, b), [randn(4, 5), randn(4, 5)]),
    ("F.cosine_similarity_dim", lambda T, a, b: T.nn.functional.cosine_similarity(a, b, dim=0, eps=1e-3),
     [randn(3, 2), randn(3, 1)]),
    ("F.cosine_similarity_zero", lambda T, a, b: T.nn.functional.cosine_similarity(a, b * 0, dim=-1),
     [randn(2, 3), randn(2, 3)]),
]


@pytest.mark.parametrize("fn,values", [c[1:] for c in FUNCTIONS], ids=[c[0] for c in FUNCTIONS])
def test_function(fn: Callable, values: list) -> None:
    check(fn, values, second_order=True)


ERRORS: list[tuple[str, Callable]] = [
    ("softshrink_negative", lambda T: T.nn.functional.softshrink(T.ones(2), -1.0)),
    ("softshrink_negative_double", lambda T: T.nn.functional.softshrink(T.ones(2, dtype=T.float64), -0.5)),
    ("softshrink_long", lambda T: T.nn.functional.softshrink(T.ones(2, dtype=T.long))),
    ("hardshrink_long", lambda T: T.hardshrink(T.ones(2, dtype=T.long))),
    ("glu_odd", lambda T: T.nn.functional.glu(T.ones(2, 3))),
    ("glu_scalar", lambda T: T.nn.functional.glu(T.tensor(1.0))),
    ("glu_long", lambda T: T.nn.functional.glu(T.ones(4, dtype=T.long))),
    ("glu_dim", lambda T: T.nn.functional.glu(T.ones(4), 2)),
    ("prelu_channels", lambda T: T.prelu(T.ones(2, 3), T.ones(2))),
    ("prelu_dtype", lambda T: T.prelu(T.ones(2, 3), T.ones(3, dtype=T.float64))),
    ("prelu_2d_weight", lambda T: T.prelu(T.ones(2, 3), T.ones(1, 3))),
    ("prelu_zero_dim", lambda T: T.prelu(T.tensor(1.0), T.ones(3))),
    ("prelu_long", lambda T: T.prelu(T.ones(3, dtype=T.long), T.ones(1, dtype=T.long))),
    ("pairwise_distance_sizes", lambda T: T.pairwise_distance(T.ones(3, 4), T.ones(2, 4))),
    ("cosine_similarity_sizes", lambda T: T.cosine_similarity(T.ones(3, 4), T.ones(2, 4))),
    ("cosine_similarity_dim", lambda T: T.cosine_similarity(T.ones(3, 4), T.ones(3, 4), dim=2)),
    ("cosine_similarity_long", lambda T: T.cosine_similarity(T.ones(3, dtype=T.long), T.ones(3, dtype=T.long), 0)),
    ("Softmax2d_2d", lambda T: T.nn.Softmax2d()(T.ones(2, 3))),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(fn: Callable) -> None:
    check_error(fn)


# (id, make(T) -> module, inputs, check_module options)
LAYERS: list[tuple[str, Callable[[Any], Any], list, dict]] = [
    ("Threshold", lambda T: T.nn.Threshold(0.1, 20.0), [randn(3, 4)], {}),
    ("Threshold_inplace", lambda T: T.nn.Sequential(T.nn.Identity(), T.nn.Threshold(0.0, 1, inplace=True)),
     [randn(4)], {"grad": False}),
    ("Hardshrink", lambda T: T.nn.Hardshrink(0.3), [randn(3, 4)], {}),
    ("Softshrink", lambda T: T.nn.Softshrink(), [randn(3, 4)], {}),
    ("GLU", lambda T: T.nn.GLU(1), [randn(2, 4, 3)], {}),
    ("Softmax2d", lambda T: T.nn.Softmax2d(), [randn(2, 3, 2, 2)], {}),
    ("Softmax2d_3d", lambda T: T.nn.Softmax2d(), [randn(3, 2, 2)], {}),
    ("PReLU", lambda T: T.nn.PReLU(), [randn(2, 3, 4, dtype=np.float32)], {}),
    ("PReLU_channels", lambda T: T.nn.PReLU(3, init=0.1, dtype=T.float64), [randn(2, 3, 4)], {}),
    ("CosineSimilarity", lambda T: T.nn.CosineSimilarity(dim=0, eps=1e-6), [randn(3, 4), randn(3, 4)], {}),
    ("PairwiseDistance", lambda T: T.nn.PairwiseDistance(p=1.5, keepdim=True), [randn(3, 4), randn(3, 4)], {}),
    ("DataParallel", lambda T: T.nn.DataParallel(T.nn.Linear(4, 2, dtype=T.float64)), [randn(3, 4)], {}),
]


@pytest.mark.parametrize("make,values,options", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list, options: dict) -> None:
    check_module(make, values, **options)


def test_prelu_initialisation() -> None:
    assert_bitwise(lambda T: list(T.nn.PReLU(4, init=0.3).state_dict().values()))


INIT: list[tuple[str, Callable]] = [
    ("sparse_", lambda T: T.nn.init.sparse_(T.empty(6, 4), 0.5)),
    ("sparse_std", lambda T: T.nn.init.sparse_(T.empty(3, 5, dtype=T.float64), 0.2, std=2.0)),
    ("eye_", lambda T: T.nn.init.eye_(T.empty(3, 5))),
    ("dirac_", lambda T: T.nn.init.dirac_(T.empty(4, 3, 3))),
    ("trunc_normal_", lambda T: T.nn.init.trunc_normal_(T.empty(20), 0.5, 2.0, -1.0, 3.0)),
]


@pytest.mark.parametrize("make", [c[1] for c in INIT], ids=[c[0] for c in INIT])
def test_init(make: Callable) -> None:
    assert_bitwise(make, seed=5)


DEPRECATED = [
    ("uniform", lambda T, t: T.nn.init.uniform(t, -1.0, 2.0)),
    ("normal", lambda T, t: T.nn.init.normal(t, 0.5, 3.0)),
    ("constant", lambda T, t: T.nn.init.constant(t, 0.7)),
    ("xavier_uniform", lambda T, t: T.nn.init.xavier_uniform(t, gain=2.0)),
    ("xavier_normal", lambda T, t: T.nn.init.xavier_normal(t)),
    ("kaiming_uniform", lambda T, t: T.nn.init.kaiming_uniform(t, a=0.1)),
    ("kaiming_normal", lambda T, t: T.nn.init.kaiming_normal(t, mode="fan_out")),
    ("sparse", lambda T, t: T.nn.init.sparse(t, 0.3)),
    ("eye", lambda T, t: T.nn.init.eye(t)),
    ("dirac", lambda T, t: T.nn.init.dirac(t.view(4, 6, 1))),
]


@pytest.mark.parametrize("fill", [c[1] for c in DEPRECATED], ids=[c[0] for c in DEPRECATED])
def test_deprecated_init(fill: Callable) -> None:
    """The old names warn as torch's do (FutureWarning, same text) and fill the same values."""
    messages = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.manual_seed(11)
            fill(T, T.empty(4, 6))
        messages.append([(w.category, str(w.message)) for w in caught])
    assert messages[0] == messages[1] and messages[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert_bitwise(lambda T: fill(T, T.empty(4, 6)), seed=11)


def test_orthogonal() -> None:
    """The same normal draws through a QR (LAPACK's in both, but not the same build: equal to
    rounding), for a wide matrix and under the deprecated name."""
    filled = []
    for T in (torch, minitorch):
        T.manual_seed(4)
        wide = T.nn.init.orthogonal_(T.empty(3, 2, 4), gain=2.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            tall = T.nn.init.orthogonal(T.empty(6, 3))
        filled.append([wide.numpy(), tall.numpy()])
    for ref, mine in zip(*filled):
        np.testing.assert_allclose(mine, ref, rtol=1e-5, atol=1e-6)


def test_container() -> None:
    """nn.Container warns as torch does; its keyword arguments become submodules."""
    made = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = T.nn.Container(first=T.nn.ReLU(), second=T.nn.Tanh())
        made.append((repr(module), [(w.category, str(w.message)) for w in caught]))
    assert made[0] == made[1] and made[0][1]
