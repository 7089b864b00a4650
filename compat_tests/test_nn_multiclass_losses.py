"""multi_margin_loss and multilabel_margin_loss (functional, ``torch._C._nn`` bindings and modules),
differential against torch: values in every reduction and input rank, gradients, torch's refusal of a
second derivative, module reprs and buffers, torch's errors."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest
import torch

from harness import check, check_error
from minitorch._ops.registry import NN
from nn_harness import check_module

_rng = np.random.default_rng(2028)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def nn_binding(T: Any, name: str) -> Callable:
    return getattr(torch._C._nn, name) if T is torch else NN[name]


def F(T: Any) -> Any:
    return T.nn.functional


CLASSES = np.array([0, 3, 1, 3, 2])
LABELS = np.array([[3, 0, -1, 1], [1, 2, 3, -1], [-1, 0, 0, 0], [2, 2, 1, -1], [0, 1, 2, 3]])


def _long(T: Any, a: np.ndarray) -> Any:
    return T.tensor(a)


# (id, fn(T, *inputs), inputs): values, first derivatives, the second derivative's refusal
CASES: list[tuple[str, Callable, list]] = [
    *[("multi_margin_%s_p%d" % (red, p),
       lambda T, x, red=red, p=p: F(T).multi_margin_loss(x, _long(T, CLASSES), p=p, margin=0.8, reduction=red),
       [randn(5, 4)]) for red in ("none", "mean", "sum") for p in (1, 2)],
    ("multi_margin_weight", lambda T, x: F(T).multi_margin_loss(x, _long(T, CLASSES), weight=T.tensor(
        [0.5, 2.0, 1.0, 0.1], dtype=T.float64)), [randn(5, 4)]),
    ("multi_margin_weight_p2_none", lambda T, x: F(T).multi_margin_loss(x, _long(T, CLASSES), 2, 1.5, T.tensor(
        [0.5, 2.0, 1.0, 0.1], dtype=T.float64), reduction="none"), [randn(5, 4)]),
    ("multi_margin_float32", lambda T, x: F(T).multi_margin_loss(x, _long(T, CLASSES)),
     [randn(5, 4, dtype=np.float32)]),
    ("multi_margin_1d", lambda T, x: F(T).multi_margin_loss(x, _long(T, CLASSES[:1]), reduction="none"), [randn(4)]),
    ("multi_margin_1d_0d_target", lambda T, x: F(T).multi_margin_loss(x, _long(T, CLASSES[1]), reduction="none"),
     [randn(4)]),
    ("multi_margin_0d", lambda T, x: F(T).multi_margin_loss(x, _long(T, np.array(0))), [randn()]),
    ("multi_margin_legacy_flags", lambda T, x: F(T).multi_margin_loss(x, _long(T, CLASSES), reduce=False),
     [randn(5, 4)]),
    ("_nn.multi_margin_loss", lambda T, x: nn_binding(T, "multi_margin_loss")(x, _long(T, CLASSES), 2, 0.5, None, 2),
     [randn(5, 4)]),
    ("_nn.multi_margin_loss_default_reduction", lambda T, x: nn_binding(T, "multi_margin_loss")(
        x, _long(T, CLASSES)), [randn(5, 4)]),
    *[("multilabel_margin_%s" % red,
       lambda T, x, red=red: F(T).multilabel_margin_loss(x, _long(T, LABELS), reduction=red), [randn(5, 4)])
      for red in ("none", "mean", "sum")],
    ("multilabel_margin_float32", lambda T, x: F(T).multilabel_margin_loss(x, _long(T, LABELS)),
     [randn(5, 4, dtype=np.float32)]),
    ("multilabel_margin_1d_none", lambda T, x: F(T).multilabel_margin_loss(x, _long(T, LABELS[1]), reduction="none"),
     [randn(4)]),
    ("multilabel_margin_0d", lambda T, x: F(T).multilabel_margin_loss(x, _long(T, np.array(0))), [randn()]),
    ("multilabel_margin_no_targets", lambda T, x: F(T).multilabel_margin_loss(x, _long(T, -np.ones((2, 3), int))),
     [randn(2, 3)]),
    ("_nn.multilabel_margin_loss", lambda T, x: nn_binding(T, "multilabel_margin_loss")(x, _long(T, LABELS)),
     [randn(5, 4)]),
    # (with an input requiring grad torch's refusal names its internal multilabel_margin_loss_forward)
    ("_nn.multilabel_margin_loss_out", lambda T, x: nn_binding(T, "multilabel_margin_loss")(
        x.detach(), _long(T, LABELS), 1, out=T.empty(())), [randn(5, 4, dtype=np.float32)]),
]


@pytest.mark.parametrize("fn,values", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_function(fn: Callable, values: list) -> None:
    check(fn, values, second_order=True)



ERRORS: list[tuple[str, Callable]] = [
    ("multi_margin_p3", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(3, dtype=T.long), p=3)),
    ("_nn.multi_margin_p3", lambda T: nn_binding(T, "multi_margin_loss")(T.ones(3, 4), T.zeros(3, dtype=T.long), 3)),
    ("multi_margin_weight_2d", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(3, dtype=T.long),
                                                                weight=T.ones(2, 2))),
    ("multi_margin_weight_size", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(3, dtype=T.long),
                                                                  weight=T.ones(3))),
    ("multi_margin_weight_dtype", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(3, dtype=T.long),
                                                                   weight=T.ones(4, dtype=T.float64))),
    ("multi_margin_weight_requires_grad", lambda T: F(T).multi_margin_loss(
        T.ones(3, 4), T.zeros(3, dtype=T.long), weight=T.ones(4, requires_grad=True))),
    ("multi_margin_target_size", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(2, dtype=T.long))),
    ("multi_margin_target_float", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(3))),
    ("multi_margin_target_range", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.tensor([0, 4, 1]))),
    ("multi_margin_target_negative", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.tensor([0, -1, 1]))),
    ("multi_margin_empty", lambda T: F(T).multi_margin_loss(T.ones(3, 0), T.zeros(3, dtype=T.long))),
    ("multi_margin_3d", lambda T: F(T).multi_margin_loss(T.ones(2, 3, 4), T.zeros(2, dtype=T.long))),
    ("multi_margin_long", lambda T: F(T).multi_margin_loss(T.ones(3, 4, dtype=T.long), T.zeros(3, dtype=T.long))),
    ("multi_margin_half", lambda T: F(T).multi_margin_loss(T.ones(3, 4, dtype=T.half), T.zeros(3, dtype=T.long))),
    ("multi_margin_reduction", lambda T: F(T).multi_margin_loss(T.ones(3, 4), T.zeros(3, dtype=T.long),
                                                                reduction="bad")),
    ("multi_margin_target_not_tensor", lambda T: F(T).multi_margin_loss(T.ones(3, 4), [0, 1, 2])),
    ("multilabel_target_range", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4), T.tensor([[0, 4, 1, -1]] * 3))),
    ("multilabel_target_below", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4), T.tensor([[0, -2, 1, -1]] * 3))),
    ("multilabel_target_float", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4), T.zeros(3, 4))),
    ("multilabel_target_size", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4), T.zeros(3, 3, dtype=T.long))),
    ("multilabel_target_size_1d", lambda T: F(T).multilabel_margin_loss(T.ones(4), T.zeros(3, dtype=T.long))),
    ("multilabel_long", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4, dtype=T.long),
                                                              T.zeros(3, 4, dtype=T.long))),
    ("multilabel_half", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4, dtype=T.half),
                                                              T.zeros(3, 4, dtype=T.long))),
    ("multilabel_3d", lambda T: F(T).multilabel_margin_loss(T.ones(2, 3, 4), T.zeros(2, 3, 4, dtype=T.long))),
    ("multilabel_reduction", lambda T: F(T).multilabel_margin_loss(T.ones(3, 4), T.zeros(3, 4, dtype=T.long),
                                                                   reduction="avg")),
    ("MultiMarginLoss_p", lambda T: T.nn.MultiMarginLoss(p=3)),
    ("MultiMarginLoss_weight_2d", lambda T: T.nn.MultiMarginLoss(weight=T.ones(2, 2))),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(fn: Callable) -> None:
    check_error(fn)


LAYERS: list[tuple[str, Callable[[Any], Any], list, dict]] = [
    ("MultiMarginLoss", lambda T: T.nn.MultiMarginLoss(), [randn(5, 4), CLASSES], {}),
    ("MultiMarginLoss_options", lambda T: T.nn.MultiMarginLoss(2, 0.5, T.tensor([1.0, 2.0, 0.5, 0.0]),
                                                               reduction="sum"),
     [randn(5, 4, dtype=np.float32), CLASSES], {}),
    ("MultiMarginLoss_legacy", lambda T: T.nn.MultiMarginLoss(size_average=False), [randn(5, 4), CLASSES], {}),
    ("MultiLabelMarginLoss", lambda T: T.nn.MultiLabelMarginLoss(), [randn(5, 4), LABELS], {}),
    ("MultiLabelMarginLoss_none", lambda T: T.nn.MultiLabelMarginLoss(reduction="none"), [randn(5, 4), LABELS], {}),
]


@pytest.mark.parametrize("make,values,options", [c[1:] for c in LAYERS], ids=[c[0] for c in LAYERS])
def test_layer(make: Callable, values: list, options: dict) -> None:
    check_module(make, values, **options)
