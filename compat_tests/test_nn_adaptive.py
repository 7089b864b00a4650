"""AdaptiveLogSoftmaxWithLoss, differential against torch: forward's (output, loss) named tuple for
batched and unbatched input, targets in the shortlist and in every cluster, log_prob, predict (all
rows in the shortlist, all in clusters, mixed), reprs and parameter names, the initial weights from
the same seed, and torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_value, check_error
from nn_harness import check_module

_rng = np.random.default_rng(2)
INPUT = _rng.standard_normal((7, 16))
TARGET = np.array([0, 3, 4, 9, 12, 19, 2])  # shortlist 0-3, clusters 4-9, 10-19


def make(**kwargs: Any) -> Callable:
    def build(T: Any) -> Any:
        options = {"in_features": 16, "n_classes": 20, "cutoffs": [4, 10], "dtype": T.float64, **kwargs}
        return T.nn.AdaptiveLogSoftmaxWithLoss(**options)
    return build


@pytest.mark.parametrize("kwargs", [{}, {"div_value": 2.0, "head_bias": True}, {"cutoffs": (3,)}],
                         ids=["default", "div_value_head_bias", "one_cluster"])
def test_forward(kwargs: dict):
    check_module(make(**kwargs), [INPUT, TARGET])


def test_forward_result_is_a_named_tuple():
    def run(T: Any) -> Any:
        T.manual_seed(0)
        result = make()(T)(T.tensor(INPUT), T.tensor(TARGET))
        return type(result).__name__, result._fields, result.output.grad_fn.name(), result.loss.grad_fn.name()
    assert run(minitorch) == run(torch)


@pytest.mark.parametrize("target", [np.array(5), np.array(1)], ids=["cluster", "shortlist"])
def test_unbatched(target: np.ndarray):
    check_module(make(), [INPUT[0], target])


def test_log_prob():
    check_module(make(head_bias=True), [INPUT], call=lambda m, x: m.log_prob(x))


@pytest.mark.parametrize("scale,bias", [(0.0, [5.0, 0, 0, 0, -5, -5]), (0.0, [-5.0, -5, -5, -5, 5, -5]),
                                        (1.0, [0.0] * 6)], ids=["shortlist", "clusters", "mixed"])
def test_predict(scale: float, bias: list):
    def call(module: Any, x: Any) -> Any:
        T = torch if isinstance(x, torch.Tensor) else minitorch
        with T.no_grad():  # a head that prefers the shortlist, the clusters, or neither
            module.head.weight.mul_(scale)
            module.head.bias.copy_(T.tensor(bias, dtype=T.float64))
        return module.predict(x)
    torch.manual_seed(0)  # the weights under which 'mixed' has rows of both kinds
    check_module(make(head_bias=True), [INPUT * 3], call=call, grad=False)


def test_same_initial_weights_from_the_same_seed():
    torch.manual_seed(4)
    ref = torch.nn.AdaptiveLogSoftmaxWithLoss(12, 30, [5, 15, 25], div_value=2.0)
    minitorch.manual_seed(4)
    mine = minitorch.nn.AdaptiveLogSoftmaxWithLoss(12, 30, [5, 15, 25], div_value=2.0)
    assert repr(mine) == repr(ref)
    for (name, p), (my_name, q) in zip(ref.named_parameters(), mine.named_parameters()):
        assert name == my_name
        assert_same_value(p, q, None, None, name)
    minitorch.manual_seed(5)
    torch.manual_seed(5)
    ref.reset_parameters()
    mine.reset_parameters()
    assert_same_value(ref.tail[2][1].weight, mine.tail[2][1].weight, None, None, "reset tail")


ERRORS: list[tuple[str, Callable]] = [
    ("no_cutoffs", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [])),
    ("unsorted", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [5, 2])),
    ("cutoff_too_big", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [2, 10])),
    ("cutoff_zero", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [0, 3])),
    ("repeated", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3, 3])),
    ("fractional", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [2.5])),
    ("batch_size", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(T.ones(3, 4), T.tensor([1, 2]))),
    ("input_dim_1d_target", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(T.ones(2, 1, 4), T.tensor([1, 2]))),
    ("input_dim_0d_target", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(T.ones(2, 4), T.tensor(1))),
    ("2d_target", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(T.ones(2, 4), T.ones(2, 1, dtype=T.long))),
    ("target_range", lambda T: T.nn.AdaptiveLogSoftmaxWithLoss(4, 10, [3])(T.ones(2, 4), T.tensor([1, 12]))),
]


@pytest.mark.parametrize("fn", [e[1] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors(fn: Callable):
    check_error(fn)
