"""Initialisation and dropout draw exactly what torch draws: after the same manual_seed, layer
weights, nn.init fills and dropout masks are equal to torch's bit for bit."""
from __future__ import annotations

import math
import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import check_error



def bits(x: Any) -> np.ndarray:
    return np.atleast_1d(np.asarray(x.detach().numpy())).copy()


def assert_bitwise(make: Callable[[Any], Any], seed: int = 0) -> None:
    """``make(T)`` after ``T.manual_seed(seed)`` gives identical tensors (or lists of them)."""
    outs = []
    for T in (torch, minitorch):
        T.manual_seed(seed)
        out = make(T)
        outs.append([bits(t) for t in (out if isinstance(out, (list, tuple)) else [out])])
    for ref, mine in zip(*outs):
        assert ref.dtype == mine.dtype and ref.shape == mine.shape
        np.testing.assert_array_equal(mine.view(np.uint8), ref.view(np.uint8))


LAYERS = [
    ("Linear", lambda T: T.nn.Linear(3, 2)),
    ("Linear_big", lambda T: T.nn.Linear(784, 128)),
    ("Linear_nobias_double", lambda T: T.nn.Linear(5, 4, bias=False, dtype=T.float64)),
    ("Bilinear", lambda T: T.nn.Bilinear(3, 4, 5)),
    ("Conv1d", lambda T: T.nn.Conv1d(3, 4, 5)),
    ("Conv2d", lambda T: T.nn.Conv2d(3, 6, (3, 2), groups=3)),
    ("Embedding", lambda T: T.nn.Embedding(10, 4, padding_idx=3)),
    ("LayerNorm", lambda T: T.nn.LayerNorm((2, 3))),
    ("BatchNorm2d", lambda T: T.nn.BatchNorm2d(3)),
    ("MLP", lambda T: T.nn.Sequential(T.nn.Linear(784, 128), T.nn.ReLU(), T.nn.Linear(128, 10))),
]


@pytest.mark.parametrize("make", [m for _, m in LAYERS], ids=[n for n, _ in LAYERS])
def test_layer_initialisation(make: Callable) -> None:
    assert_bitwise(lambda T: list(make(T).state_dict().values()))


INIT = [
    ("uniform_", lambda T, t: T.nn.init.uniform_(t, -0.3, 0.7)),
    ("normal_", lambda T, t: T.nn.init.normal_(t, 1.0, 0.5)),
    ("constant_", lambda T, t: T.nn.init.constant_(t, 0.25)),
    ("ones_zeros", lambda T, t: [T.nn.init.ones_(t.clone()), T.nn.init.zeros_(t)]),
    ("eye_", lambda T, t: T.nn.init.eye_(t)),
    ("dirac_", lambda T, t: T.nn.init.dirac_(T.empty(4, 2, 3, 3), groups=2)),
    ("xavier_uniform_", lambda T, t: T.nn.init.xavier_uniform_(t, gain=T.nn.init.calculate_gain("tanh"))),
    ("xavier_normal_", lambda T, t: T.nn.init.xavier_normal_(t)),
    ("kaiming_uniform_", lambda T, t: T.nn.init.kaiming_uniform_(t, a=math.sqrt(5))),
    ("kaiming_uniform_fan_out", lambda T, t: T.nn.init.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu")),
    ("kaiming_normal_", lambda T, t: T.nn.init.kaiming_normal_(t, nonlinearity="leaky_relu", a=0.1)),
    ("trunc_normal_", lambda T, t: T.nn.init.trunc_normal_(t, 0.0, 1.0, -0.5, 0.5)),
    ("trunc_normal_wide", lambda T, t: T.nn.init.trunc_normal_(t, std=0.02)),
    ("generator", lambda T, t: T.nn.init.normal_(t, generator=T.Generator().manual_seed(5))),
    ("conv_weight", lambda T, t: T.nn.init.kaiming_normal_(T.empty(4, 3, 2, 2), mode="fan_out")),
]


@pytest.mark.parametrize("fill", [f for _, f in INIT], ids=[n for n, _ in INIT])
def test_init_functions(fill: Callable) -> None:
    assert_bitwise(lambda T: fill(T, T.empty(6, 5)), seed=3)


@pytest.mark.parametrize("shape", [(6, 5), (3, 7), (4, 2, 2)])
def test_orthogonal(shape: tuple) -> None:
    """Same normal draws; the QR factorisation (LAPACK) agrees to rounding, not bit for bit."""
    outs = []
    for T in (torch, minitorch):
        T.manual_seed(3)
        outs.append(bits(T.nn.init.orthogonal_(T.empty(*shape), gain=2.0)))
    np.testing.assert_allclose(outs[1], outs[0], rtol=1e-5, atol=1e-6)


def test_init_returns_the_tensor_under_no_grad() -> None:
    for T in (torch, minitorch):
        w = T.nn.Parameter(T.empty(2, 3))
        assert T.nn.init.uniform_(w) is w and w.grad_fn is None and w.requires_grad


def test_calculate_gain_and_fans() -> None:
    for T in (torch, minitorch):
        init = T.nn.init
        gains = [init.calculate_gain(n) for n in ("linear", "conv2d", "sigmoid", "tanh", "relu", "selu")]
        assert gains + [init.calculate_gain("leaky_relu", 0.2)] == [1, 1, 1, 5.0 / 3, math.sqrt(2.0), 0.75,
                                                                    math.sqrt(2.0 / 1.04)]
        assert init._calculate_fan_in_and_fan_out(T.empty(4, 3, 2, 5)) == (30, 40)
    check_error(lambda T: T.nn.init.calculate_gain("swish"))
    check_error(lambda T: T.nn.init.calculate_gain("leaky_relu", "x"))
    check_error(lambda T: T.nn.init.xavier_uniform_(T.empty(3)))
    check_error(lambda T: T.nn.init.kaiming_uniform_(T.empty(3, 2), mode="fan_avg"))
    check_error(lambda T: T.nn.init.eye_(T.empty(3, 2, 1)))


def test_zero_element_warning() -> None:
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            T.nn.init.kaiming_uniform_(T.empty(0, 3))
        assert [str(w.message) for w in caught] == ["Initializing zero-element tensors is a no-op"]


DROPOUT = [
    ("dropout", lambda T, x: T.nn.functional.dropout(x, 0.3)),
    ("dropout_module", lambda T, x: T.nn.Dropout(0.5)(x)),
    ("dropout_inplace", lambda T, x: T.nn.functional.dropout(x.clone(), 0.2, inplace=True)),
    ("dropout_p1", lambda T, x: T.nn.functional.dropout(x, 1.0)),
    ("dropout_double", lambda T, x: T.nn.functional.dropout(x.double(), 0.4)),
    ("dropout1d", lambda T, x: T.nn.functional.dropout1d(x, 0.5)),
    ("dropout1d_unbatched", lambda T, x: T.nn.Dropout1d(0.5)(x[0])),
    ("dropout2d", lambda T, x: T.nn.Dropout2d(0.5)(x.reshape(2, 3, 2, 5))),
    ("dropout3d", lambda T, x: T.nn.functional.dropout3d(x.reshape(1, 2, 3, 2, 5), 0.6)),
    ("two_calls", lambda T, x: [T.nn.functional.dropout(x, 0.5), T.nn.functional.dropout(x, 0.5)]),
]


@pytest.mark.parametrize("apply", [f for _, f in DROPOUT], ids=[n for n, _ in DROPOUT])
def test_dropout_masks(apply: Callable) -> None:
    data = np.random.default_rng(0).standard_normal((2, 6, 5)).astype(np.float32)
    assert_bitwise(lambda T: apply(T, T.tensor(data)), seed=7)


def test_dropout_gradient_and_eval() -> None:
    def run(T: Any) -> Any:
        x = T.ones(4, 5, requires_grad=True)
        y = T.nn.functional.dropout(x, 0.4)
        y.sum().backward()
        return [y, x.grad, T.tensor(float(type(y.grad_fn).__name__ == "MulBackward0"))]
    assert_bitwise(run, seed=11)
    for T in (torch, minitorch):
        x = T.ones(3)
        assert T.nn.functional.dropout(x, 0.5, training=False) is x
        assert T.nn.Dropout(0.5).eval()(x) is x
        assert T.nn.functional.dropout(x, 0.0) is x
    check_error(lambda T: T.nn.functional.dropout(T.ones(2), 1.5))
    check_error(lambda T: T.nn.Dropout(-0.1))
    check_error(lambda T: T.nn.functional.dropout1d(T.ones(2, 3, 4, 5)))
