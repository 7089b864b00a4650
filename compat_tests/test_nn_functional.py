"""nn.functional beyond the op table's cases: options, unusual shapes and torch's errors, and the
loss modules (weights as buffers, legacy flags), all differential against torch."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error
from nn_harness import check_module


_rng = np.random.default_rng(99)


def randn(*shape: int) -> np.ndarray:
    return _rng.standard_normal(shape).astype(np.float32)


def F(T: Any) -> Any:
    return T.nn.functional


CALLS = [
    ("conv2d_bias_stride_tuple", lambda T, x, w, b: F(T).conv2d(x, w, b, stride=[2, 1], padding=[0, 1]),
     [randn(1, 2, 5, 5), randn(3, 2, 2, 2), randn(3)]),
    ("conv1d_groups_dilation", lambda T, x, w: F(T).conv1d(x, w, stride=1, padding=3, dilation=3, groups=2),
     [randn(2, 4, 7), randn(6, 2, 3)]),
    ("conv2d_double", lambda T, x, w: F(T).conv2d(x, w), [randn(1, 1, 4, 4).astype(np.float64),
                                                         randn(2, 1, 3, 3).astype(np.float64)]),
    ("max_pool2d_nan", lambda T, x: F(T).max_pool2d(x, 2), [np.array([[[[1, np.nan], [0, 2]]]], np.float32)]),
    ("max_pool2d_ties", lambda T, x: F(T).max_pool2d(x, 2, 1), [np.ones((1, 1, 3, 3), np.float32)]),
    ("max_pool2d_indices", lambda T, x: F(T).max_pool2d(x, 3, 2, 1, return_indices=True), [randn(2, 2, 5, 6)]),
    ("max_pool1d_indices", lambda T, x: F(T).max_pool1d(x, 2, return_indices=True), [randn(2, 2, 7)]),
    ("max_pool2d_ints", lambda T, x: F(T).max_pool2d(x, 2), [np.arange(16).reshape(1, 1, 4, 4)]),
    ("avg_pool2d_ints", lambda T, x: F(T).avg_pool2d(x, 2), [np.arange(16).reshape(1, 1, 4, 4) - 8]),
    ("avg_pool2d_3d", lambda T, x: F(T).avg_pool2d(x, (2, 3), (1, 2), (1, 1)), [randn(3, 5, 6)]),
    ("adaptive_3d", lambda T, x: F(T).adaptive_avg_pool2d(x, (4, 3)), [randn(2, 5, 7)]),
    ("adaptive_upsample", lambda T, x: F(T).adaptive_avg_pool2d(x, 5), [randn(1, 2, 3, 3)]),
    ("layer_norm_double", lambda T, x, w: F(T).layer_norm(x, [3], w), [randn(2, 3).astype(np.float64),
                                                                        randn(3).astype(np.float64)]),
    ("batch_norm_3d_eval", lambda T, x, w, b: F(T).batch_norm(x, T.zeros(3), T.ones(3) * 2, w, b, False, 0.1, 1e-3),
     [randn(4, 3, 5), randn(3), randn(3)]),
    ("embedding_ints32", lambda T, w: F(T).embedding(T.tensor([[1, 2], [0, 1]], dtype=T.int32), w), [randn(3, 2)]),
    ("one_hot", lambda T: (F(T).one_hot(T.tensor([0, 2, 1])), F(T).one_hot(T.tensor([[1], [3]]), 5),
                           F(T).one_hot(T.zeros(0, dtype=T.int64), 3)), []),
    ("normalize", lambda T, x: (F(T).normalize(x), F(T).normalize(x, p=1.0, dim=0), F(T).normalize(x * 0)),
     [randn(3, 4)]),
    ("cosine_similarity", lambda T, a, b: (F(T).cosine_similarity(a, b), F(T).cosine_similarity(a, b[0], dim=-1)),
     [randn(3, 4), randn(3, 4)]),
    ("cosine_similarity_zero", lambda T, a: F(T).cosine_similarity(a, a * 0), [randn(2, 3)]),
    ("pad_constant", lambda T, x: (F(T).pad(x, (1, 2)), F(T).pad(x, (0, 1, 2, 0), value=3.5)), [randn(2, 3)]),
    ("softmax_implicit_dim", lambda T, a, b: (F(T).softmax(a), F(T).log_softmax(b), F(T).softmin(a)),
     [randn(2, 3), randn(2, 3, 4)]),
    ("softmax_dtype", lambda T, x: F(T).softmax(x, 1, dtype=T.float64), [randn(2, 3)]),
    ("linear_noncontiguous", lambda T, x, w, b: F(T).linear(x.transpose(0, 1), w, b), [randn(4, 2, 3), randn(5, 3),
                                                                                       randn(5)]),
    ("mse_broadcast", lambda T, x, y: F(T).mse_loss(x, y), [randn(3, 4), randn(4)]),
    ("l1_weight", lambda T, x, y: F(T).l1_loss(x, y, weight=T.ones(3, 4) * 2), [randn(3, 4), randn(3, 4)]),
    ("mse_weight_none", lambda T, x, y: F(T).mse_loss(x, y, reduction="none", weight=T.ones(3, 4)),
     [randn(3, 4), randn(3, 4)]),
    ("huber_weight", lambda T, x, y: F(T).huber_loss(x, y, weight=T.ones(3, 4) * 2, delta=0.5),
     [randn(3, 4), randn(3, 4)]),
    ("legacy_reduction", lambda T, x, y: (F(T).mse_loss(x, y, size_average=False), F(T).l1_loss(x, y, reduce=False),
                                          F(T).nll_loss(x, T.tensor([1, 0, 3]), size_average=True)),
     [randn(3, 4), randn(3, 4)]),
    ("cross_entropy_large_logits", lambda T, x: F(T).cross_entropy(x * 1e4, T.tensor([0, 1, 2])), [randn(3, 4)]),
    ("bce_logits_large", lambda T, x: F(T).binary_cross_entropy_with_logits(x * 1e4, (x > 0).float()), [randn(3, 4)]),
    ("bce_saturated", lambda T, t: F(T).binary_cross_entropy(T.tensor([0.0, 1.0, 1.0, 0.0]), t),
     [np.array([0.0, 1.0, 0.0, 1.0], np.float32)]),
    ("kl_div_legacy_mean", lambda T, x, y: F(T).kl_div(x, y), [randn(3, 4), np.abs(randn(3, 4))]),
]


@pytest.mark.parametrize("fn, values", [c[1:] for c in CALLS], ids=[c[0] for c in CALLS])
def test_functional(fn: Callable, values: list) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(fn, values)


ERRORS = [
    lambda T: F(T).conv2d(T.ones(5, 5), T.ones(1, 1, 2, 2)),
    lambda T: F(T).conv2d(T.ones(1, 4, 5, 5), T.ones(3, 2, 3, 3)),
    lambda T: F(T).conv2d(T.ones(1, 2, 2, 2), T.ones(3, 2, 3, 3)),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(3, 2, 3, 3), padding="same", stride=2),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(3, 2, 3, 3), padding="full"),
    lambda T: F(T).conv2d(T.ones(1, 4, 5, 5), T.ones(3, 2, 3, 3), groups=2),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(3, 2, 3, 3), T.ones(2)),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5).double(), T.ones(3, 2, 3, 3)),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(3, 2, 3, 3), stride=0),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(3, 2, 3, 3), padding=-1),
    lambda T: F(T).conv2d(T.ones(1, 2, 5, 5), T.ones(3, 2, 3, 3), stride=(1, 1, 1)),
    lambda T: F(T).max_pool2d(T.ones(1, 2, 5, 5), 3, padding=2),
    lambda T: F(T).max_pool2d(T.ones(1, 2, 5, 5), 6),
    lambda T: F(T).max_pool2d(T.ones(1, 2, 5, 5), 3, stride=0),
    lambda T: F(T).max_pool2d(T.ones(5, 5), 2),
    lambda T: F(T).avg_pool2d(T.ones(1, 2, 5, 5), 6),
    lambda T: F(T).adaptive_avg_pool2d(T.ones(1, 1, 4, 4, dtype=T.int64), 2),
    lambda T: F(T).layer_norm(T.ones(3, 4), (5,)),
    lambda T: F(T).layer_norm(T.ones(3, 4), (4,), T.ones(3)),
    lambda T: F(T).batch_norm(T.ones(1, 3), None, None, training=True),
    lambda T: F(T).batch_norm(T.ones(2, 3), T.zeros(4), T.ones(4)),
    lambda T: F(T).embedding(T.tensor([1.0]), T.ones(3, 2)),
    lambda T: F(T).embedding(T.tensor([5]), T.ones(3, 2)),
    lambda T: F(T).embedding(T.tensor([1]), T.ones(3, 2), padding_idx=3),
    lambda T: F(T).one_hot(T.tensor([1.0])),
    lambda T: F(T).one_hot(T.tensor([-1])),
    lambda T: F(T).one_hot(T.tensor([3]), 2),
    lambda T: F(T).one_hot(T.zeros(0, dtype=T.int64)),
    lambda T: F(T).softmax(T.tensor([1, 2]), 0),
    lambda T: F(T).log_softmax(T.tensor([[1, 2]]), 0),
    lambda T: F(T).log_softmax(T.ones(2), 1),
    lambda T: F(T).elu(T.tensor([1, 2])),
    lambda T: F(T).gelu(T.ones(2), approximate="fast"),
    lambda T: F(T).hardtanh(T.ones(2), 2.0, 1.0),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0, 1, 4])),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0, 1, -1])),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0, 1])),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0.0, 1.0, 2.0])),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0, 1, 2]), weight=T.ones(3)),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0, 1, 2]), reduction="avg"),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.tensor([0, 1, 2]), label_smoothing=1.5),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.ones(3, 5)),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.ones(3, 4, dtype=T.int64)),
    lambda T: F(T).cross_entropy(T.ones(3, 4), T.ones(3, 4), ignore_index=1),
    lambda T: F(T).nll_loss(T.ones(3, 4, 5), T.zeros(3, 4, dtype=T.int64)),
    lambda T: F(T).nll_loss(T.ones(3, 4, 5, 6), T.zeros(3, 5, 5, dtype=T.int64)),
    lambda T: F(T).nll_loss(T.ones(3, 4), T.zeros(3, 2, dtype=T.int64)),
    lambda T: F(T).mse_loss(T.ones(3, 4), T.ones(5)),
    lambda T: F(T).mse_loss(T.tensor([1, 2]), T.tensor([1, 3])),
    lambda T: F(T).l1_loss(T.tensor([1, 2]), T.tensor([1, 3])),
    lambda T: F(T).mse_loss(T.ones(2), T.ones(2), reduction="total"),
    lambda T: F(T).l1_loss(T.ones(2), T.ones(2), weight=T.ones(3)),
    lambda T: F(T).smooth_l1_loss(T.ones(2), T.ones(2), beta=-1.0),
    lambda T: F(T).huber_loss(T.ones(2), T.ones(2), delta=0.0),
    lambda T: F(T).binary_cross_entropy(T.tensor([0.5, 1.5]), T.tensor([0.0, 1.0])),
    lambda T: F(T).binary_cross_entropy(T.tensor([0.5, 0.5]), T.tensor([0.0, 1.5])),
    lambda T: F(T).binary_cross_entropy(T.tensor([0.5, 0.5]), T.tensor([0.0])),
    lambda T: F(T).binary_cross_entropy(T.tensor([0.5, 0.5]), T.tensor([0, 1])),
    lambda T: F(T).binary_cross_entropy_with_logits(T.ones(2), T.ones(1)),
    lambda T: F(T).binary_cross_entropy_with_logits(T.ones(2), T.tensor([0, 1])),
    lambda T: F(T).dropout(T.ones(2), -0.5),
    lambda T: F(T).linear(T.ones(4, 5), T.ones(3, 6)),
    # torch's argument parser behind nn.functional (C++ bindings and what the Python functions call)
    lambda T: F(T).linear(1.0, T.ones(3, 2)),
    lambda T: F(T).linear(T.ones(2)),
    lambda T: F(T).linear(T.ones(2), T.ones(3, 2), None, 4),
    lambda T: F(T).conv2d(T.ones(1, 1, 3, 3), None),
    lambda T: F(T).conv1d(T.ones(1, 1, 3), T.ones(1, 1, 2), padding=1.5),
    lambda T: F(T).bilinear(T.ones(2, 3), "a", T.ones(1, 3, 3)),
    lambda T: F(T).cosine_similarity(T.ones(2), T.ones(2), eps="a"),
    lambda T: F(T).selu(1.0),
    lambda T: F(T).celu([1.0], inplace=True),
    lambda T: T.softmax(T.ones(2)),
    lambda T: T.ones(2).log_softmax(0, T.float64, 1),
    lambda T: T.dropout(T.ones(2), 0.5),
    lambda T: T.embedding(T.ones(3, 2), T.tensor([0]), padding_idx="a"),
    lambda T: T.layer_norm(T.ones(2, 3), 3.0),
    lambda T: T.batch_norm(T.ones(2, 3), None, None, None, None, True, 0.1, 1e-5),
    lambda T: T.max_pool2d(T.ones(1, 4, 4), 2, stride="a"),
]


@pytest.mark.parametrize("bad", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors(bad: Callable) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(bad)


def test_warnings() -> None:
    """torch's warnings, same category and text."""
    import minitorch
    import torch
    calls = [lambda T: F(T).mse_loss(T.ones(3, 4), T.ones(4)),
             lambda T: F(T).softmax(T.ones(2, 3)),
             lambda T: F(T).kl_div(T.ones(2), T.ones(2)),
             lambda T: F(T).dropout2d(T.ones(2, 3, 4)),
             lambda T: F(T).mse_loss(T.ones(2), T.ones(2), size_average=False)]
    for call in calls:
        seen = []
        for T in (torch, minitorch):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                call(T)
            seen.append([(w.category.__name__, str(w.message)) for w in caught])
        assert seen[0] == seen[1]


LOSSES = [
    ("CrossEntropyLoss", lambda T: T.nn.CrossEntropyLoss(), [randn(5, 4), _rng.integers(0, 4, 5)]),
    ("CrossEntropyLoss_weight", lambda T: T.nn.CrossEntropyLoss(weight=T.tensor([1.0, 2.0, 0.5, 1.0]),
                                                                 ignore_index=2, label_smoothing=0.1),
     [randn(5, 4), _rng.integers(0, 4, 5)]),
    ("CrossEntropyLoss_legacy", lambda T: T.nn.CrossEntropyLoss(size_average=False),
     [randn(5, 4), _rng.integers(0, 4, 5)]),
    ("NLLLoss", lambda T: T.nn.NLLLoss(weight=T.tensor([1.0, 2.0, 0.5]), reduction="sum"),
     [randn(4, 3, 2), _rng.integers(0, 3, (4, 2))]),
    ("MSELoss", lambda T: T.nn.MSELoss(reduction="none"), [randn(3, 2), randn(3, 2)]),
    ("L1Loss", lambda T: T.nn.L1Loss(), [randn(3, 2), randn(3, 2)]),
    ("SmoothL1Loss", lambda T: T.nn.SmoothL1Loss(beta=0.3), [randn(3, 2), randn(3, 2)]),
    ("HuberLoss", lambda T: T.nn.HuberLoss(delta=0.3, reduction="sum"), [randn(3, 2), randn(3, 2)]),
    ("BCELoss", lambda T: T.nn.BCELoss(weight=T.tensor([0.5, 2.0])),
     [np.abs(randn(3, 2)) / 4 + 0.1, (randn(3, 2) > 0).astype(np.float32)]),
    ("BCEWithLogitsLoss", lambda T: T.nn.BCEWithLogitsLoss(pos_weight=T.tensor([3.0, 0.5])),
     [randn(3, 2), (randn(3, 2) > 0).astype(np.float32)]),
    ("KLDivLoss", lambda T: T.nn.KLDivLoss(reduction="batchmean", log_target=True), [randn(3, 2), randn(3, 2)]),
]


@pytest.mark.parametrize("make, values", [c[1:] for c in LOSSES], ids=[c[0] for c in LOSSES])
def test_loss_module(make: Callable, values: list) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_module(make, values)
