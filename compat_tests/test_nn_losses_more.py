"""The margin, embedding and distribution losses, differential against torch: their functionals
and torch-level records in every reduction (values, gradients, second order on float64), the legacy
size_average/reduce flags and their warning, module reprs, and torch's errors."""
from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np
import pytest
import torch

import minitorch
from harness import assert_same_value, check, check_error
from nn_harness import check_module

_rng = np.random.default_rng(7)


def randn(*shape: int, dtype: Any = np.float64) -> np.ndarray:
    return _rng.standard_normal(shape).astype(dtype)


def signs(*shape: int) -> np.ndarray:
    return np.where(_rng.standard_normal(shape) > 0, 1.0, -1.0)


def bits(*shape: int) -> np.ndarray:
    return (_rng.standard_normal(shape) > 0).astype(np.float64)


def counts(*shape: int) -> np.ndarray:
    return _rng.poisson(2.0, shape).astype(np.float64)


REDUCTIONS = ["none", "mean", "sum"]

# (id, fn(T, reduction, *inputs), inputs); each runs under every reduction
LOSSES: list[tuple[str, Callable, list]] = [
    ("F.margin_ranking_loss", lambda T, r, a, b, y: T.nn.functional.margin_ranking_loss(a, b, y, 0.3, reduction=r),
     [randn(6), randn(6), signs(6)]),
    ("margin_ranking_loss", lambda T, r, a, b, y: T.margin_ranking_loss(a, b, y, 0.1, REDUCTIONS.index(r)),
     [randn(2, 3), randn(2, 3), signs(2, 3)]),
    ("F.hinge_embedding_loss", lambda T, r, x, y: T.nn.functional.hinge_embedding_loss(x, y, 0.8, reduction=r),
     [randn(3, 4), signs(3, 4)]),
    ("hinge_embedding_loss", lambda T, r, x, y: T.hinge_embedding_loss(x, y, 1.0, REDUCTIONS.index(r)),
     [randn(5), signs(5)]),
    ("F.soft_margin_loss", lambda T, r, x, y: T.nn.functional.soft_margin_loss(x, y, reduction=r),
     [randn(3, 4), signs(3, 4)]),
    ("F.cosine_embedding_loss", lambda T, r, a, b, y: T.nn.functional.cosine_embedding_loss(
        a, b, y, 0.2, reduction=r), [randn(4, 5), randn(4, 5), signs(4)]),
    ("cosine_embedding_loss_0d", lambda T, r, a, b, y: T.cosine_embedding_loss(a, b, y, 0.0, REDUCTIONS.index(r)),
     [randn(5), randn(5), np.array(-1.0)]),
    ("F.multilabel_soft_margin_loss", lambda T, r, x, y: T.nn.functional.multilabel_soft_margin_loss(
        x, y, reduction=r), [randn(3, 4), bits(3, 4)]),
    ("F.multilabel_soft_margin_loss_weight", lambda T, r, x, y, w: T.nn.functional.multilabel_soft_margin_loss(
        x, y, w, reduction=r), [randn(3, 4), bits(3, 4), np.abs(randn(4))]),
    ("F.poisson_nll_loss", lambda T, r, x, y: T.nn.functional.poisson_nll_loss(x, y, reduction=r),
     [randn(3, 4), counts(3, 4)]),
    ("F.poisson_nll_loss_full", lambda T, r, x, y: T.nn.functional.poisson_nll_loss(
        x, y, log_input=False, full=True, reduction=r), [np.abs(randn(3, 4)) + 0.1, counts(3, 4)]),
    ("poisson_nll_loss", lambda T, r, x, y: T.poisson_nll_loss(x, y, True, True, 1e-8, REDUCTIONS.index(r)),
     [randn(6), counts(6)]),
    ("F.gaussian_nll_loss", lambda T, r, x, y, v: T.nn.functional.gaussian_nll_loss(x, y, v, reduction=r),
     [randn(3, 4), randn(3, 4), np.abs(randn(3, 4))]),
    ("F.gaussian_nll_loss_homoscedastic", lambda T, r, x, y, v: T.nn.functional.gaussian_nll_loss(
        x, y, v, full=True, eps=0.5, reduction=r), [randn(3, 4), randn(3, 4), np.abs(randn(3))]),
    ("F.gaussian_nll_loss_broadcast_var", lambda T, r, x, y, v: T.nn.functional.gaussian_nll_loss(
        x, y, v, reduction=r), [randn(2, 3, 2), randn(2, 3, 2), np.abs(randn(2, 1, 2))]),
    ("F.gaussian_nll_loss_float_var", lambda T, r, x, y: T.nn.functional.gaussian_nll_loss(x, y, 0.7, reduction=r),
     [randn(3, 4), randn(3, 4)]),
    ("F.triplet_margin_loss", lambda T, r, a, p, n: T.nn.functional.triplet_margin_loss(a, p, n, reduction=r),
     [randn(4, 3), randn(4, 3), randn(4, 3)]),
    ("triplet_margin_loss_swap_p1", lambda T, r, a, p, n: T.triplet_margin_loss(
        a, p, n, 2.0, 1.0, 1e-6, True, REDUCTIONS.index(r)), [randn(4, 3), randn(4, 3), randn(4, 3)]),
    ("F.triplet_margin_with_distance_loss", lambda T, r, a, p, n: T.nn.functional.triplet_margin_with_distance_loss(
        a, p, n, reduction=r), [randn(4, 3), randn(4, 3), randn(4, 3)]),
    ("F.triplet_margin_with_distance_loss_custom", lambda T, r, a, p, n:
     T.nn.functional.triplet_margin_with_distance_loss(
         a, p, n, distance_function=lambda u, v: 1 - T.nn.functional.cosine_similarity(u, v), margin=0.5, swap=True,
         reduction=r), [randn(4, 3), randn(4, 3), randn(4, 3)]),
    ("kl_div", lambda T, r, x, y: T.kl_div(x, y, REDUCTIONS.index(r)), [randn(3, 4), np.abs(randn(3, 4))]),
    ("kl_div_log_target", lambda T, r, x, y: T.kl_div(x, y, REDUCTIONS.index(r), log_target=True),
     [randn(3, 4), randn(3, 4)]),
    ("binary_cross_entropy_with_logits", lambda T, r, x, y, w, pw: T.binary_cross_entropy_with_logits(
        x, y, w.detach(), pw.detach(), REDUCTIONS.index(r)), [randn(3, 4), bits(3, 4), np.abs(randn(4)),
                                                             np.abs(randn(4))]),
]


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("fn,values", [c[1:] for c in LOSSES], ids=[c[0] for c in LOSSES])
def test_loss(fn: Callable, values: list, reduction: str) -> None:
    check(lambda T, *xs: fn(T, reduction, *xs), values, second_order=True)


@pytest.mark.parametrize("name,args", [
    ("margin_ranking_loss", 3), ("hinge_embedding_loss", 2), ("soft_margin_loss", 2), ("cosine_embedding_loss", 3),
    ("multilabel_soft_margin_loss", 2), ("triplet_margin_loss", 3)])
@pytest.mark.parametrize("size_average,reduce", [(False, None), (None, False), (True, True)])
def test_legacy_flags(name: str, args: int, size_average: Any, reduce: Any) -> None:
    """size_average / reduce override reduction, with torch's deprecation warning."""
    values = [randn(4, 3), signs(4, 3), randn(4, 3)][:args]
    if name == "cosine_embedding_loss":
        values = [randn(4, 3), randn(4, 3), signs(4)]
    caught = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            out = getattr(T.nn.functional, name)(*[T.tensor(v) for v in values], size_average=size_average,
                                                 reduce=reduce)
        caught.append(([str(x.message) for x in w], out))
    assert caught[0][0] == caught[1][0]
    assert_same_value(caught[0][1], caught[1][1], None, None, name)


ERRORS: list[tuple[str, Callable]] = [
    ("soft_margin_target_grad", lambda T: T.nn.functional.soft_margin_loss(T.ones(2), T.ones(2, requires_grad=True))),
    ("bce_with_logits_weight_grad", lambda T: T.binary_cross_entropy_with_logits(
        T.ones(2), T.ones(2), T.ones(2, requires_grad=True))),
    ("bce_with_logits_pos_weight_grad", lambda T: T.nn.functional.binary_cross_entropy_with_logits(
        T.ones(2), T.ones(2), pos_weight=T.ones(2, requires_grad=True))),
    ("bce_weight_grad", lambda T: T.nn.functional.binary_cross_entropy(
        T.ones(2) / 2, T.ones(2), T.ones(2, requires_grad=True))),
    ("margin_ranking_dims", lambda T: T.nn.functional.margin_ranking_loss(T.ones(3), T.ones(3), T.ones(1, 3))),
    ("margin_ranking_reduction", lambda T: T.nn.functional.margin_ranking_loss(
        T.ones(3), T.ones(3), T.ones(3), reduction="avg")),
    ("cosine_embedding_2d_target", lambda T: T.cosine_embedding_loss(T.ones(2, 3), T.ones(2, 3), T.ones(2, 3))),
    ("cosine_embedding_1d_target", lambda T: T.cosine_embedding_loss(T.ones(3), T.ones(3), T.ones(3))),
    ("cosine_embedding_0d_target", lambda T: T.cosine_embedding_loss(T.ones(2, 3), T.ones(2, 3), T.tensor(1.0))),
    ("poisson_reduction", lambda T: T.nn.functional.poisson_nll_loss(T.ones(3), T.ones(3), reduction="x")),
    ("gaussian_negative_var", lambda T: T.nn.functional.gaussian_nll_loss(T.ones(3), T.ones(3), -T.ones(3))),
    ("gaussian_negative_float_var", lambda T: T.nn.functional.gaussian_nll_loss(T.ones(3), T.ones(3), -1.0)),
    ("gaussian_var_size", lambda T: T.nn.functional.gaussian_nll_loss(T.ones(2, 3), T.ones(2, 3), T.ones(3, 2))),
    ("gaussian_reduction", lambda T: T.nn.functional.gaussian_nll_loss(T.ones(3), T.ones(3), T.ones(3), reduction="x")),
    ("multilabel_soft_margin_reduction", lambda T: T.nn.functional.multilabel_soft_margin_loss(
        T.ones(2, 3), T.ones(2, 3), reduction="x")),
    ("triplet_margin", lambda T: T.nn.functional.triplet_margin_loss(T.ones(2, 3), T.ones(2, 3), T.ones(2, 3), 0.0)),
    ("triplet_dims", lambda T: T.triplet_margin_loss(T.ones(2, 3), T.ones(2, 3), T.ones(3))),
    ("triplet_distance_dims", lambda T: T.nn.functional.triplet_margin_with_distance_loss(
        T.ones(2, 3), T.ones(3), T.ones(2, 3))),
    ("triplet_distance_margin", lambda T: T.nn.functional.triplet_margin_with_distance_loss(
        T.ones(2, 3), T.ones(2, 3), T.ones(2, 3), margin=-1.0)),
    ("triplet_distance_reduction", lambda T: T.nn.functional.triplet_margin_with_distance_loss(
        T.ones(2, 3), T.ones(2, 3), T.ones(2, 3), reduction="x")),
    ("TripletMarginLoss_margin", lambda T: T.nn.TripletMarginLoss(margin=0)),
    ("TripletMarginWithDistanceLoss_margin", lambda T: T.nn.TripletMarginWithDistanceLoss(margin=-0.5)),
]


@pytest.mark.parametrize("fn", [c[1] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_error(fn: Callable) -> None:
    check_error(fn)


f32 = np.float32
# (id, make(T) -> module, inputs)
MODULES: list[tuple[str, Callable[[Any], Any], list]] = [
    ("MarginRankingLoss", lambda T: T.nn.MarginRankingLoss(margin=0.5), [randn(5, dtype=f32), randn(5, dtype=f32),
                                                                       signs(5).astype(f32)]),
    ("HingeEmbeddingLoss", lambda T: T.nn.HingeEmbeddingLoss(reduction="sum"), [randn(5, dtype=f32),
                                                                              signs(5).astype(f32)]),
    ("SoftMarginLoss", lambda T: T.nn.SoftMarginLoss(), [randn(5, dtype=f32), signs(5).astype(np.int64)]),
    ("CosineEmbeddingLoss", lambda T: T.nn.CosineEmbeddingLoss(0.1, reduction="none"),
     [randn(3, 4, dtype=f32), randn(3, 4, dtype=f32), signs(3).astype(f32)]),
    ("MultiLabelSoftMarginLoss", lambda T: T.nn.MultiLabelSoftMarginLoss(weight=T.ones(4) * 2),
     [randn(3, 4, dtype=f32), bits(3, 4).astype(f32)]),
    ("PoissonNLLLoss", lambda T: T.nn.PoissonNLLLoss(full=True), [randn(3, 4, dtype=f32), counts(3, 4).astype(f32)]),
    ("GaussianNLLLoss", lambda T: T.nn.GaussianNLLLoss(full=True, eps=1e-3),
     [randn(3, 4, dtype=f32), randn(3, 4, dtype=f32), np.abs(randn(3, 4, dtype=f32))]),
    ("TripletMarginLoss", lambda T: T.nn.TripletMarginLoss(margin=0.5, p=3, swap=True),
     [randn(3, 4, dtype=f32), randn(3, 4, dtype=f32), randn(3, 4, dtype=f32)]),
    ("TripletMarginWithDistanceLoss", lambda T: T.nn.TripletMarginWithDistanceLoss(),
     [randn(3, 4, dtype=f32), randn(3, 4, dtype=f32), randn(3, 4, dtype=f32)]),
    ("TripletMarginWithDistanceLoss_fn", lambda T: T.nn.TripletMarginWithDistanceLoss(
        distance_function=T.nn.PairwiseDistance(p=1.0), swap=True),
     [randn(3, 4, dtype=f32), randn(3, 4, dtype=f32), randn(3, 4, dtype=f32)]),
]


@pytest.mark.parametrize("make,values", [c[1:] for c in MODULES], ids=[c[0] for c in MODULES])
def test_module(make: Callable, values: list) -> None:
    check_module(make, values)


def test_module_legacy_flags() -> None:
    """A module given the legacy flags stores the reduction they mean, warning as torch does."""
    for name in ("MarginRankingLoss", "HingeEmbeddingLoss", "SoftMarginLoss", "CosineEmbeddingLoss",
                 "MultiLabelSoftMarginLoss", "PoissonNLLLoss", "TripletMarginLoss"):
        made = []
        for T in (torch, minitorch):
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                module = getattr(T.nn, name)(size_average=False)
            made.append((module.reduction, [str(x.message) for x in w]))
        assert made[0] == made[1], name


def test_nll_loss_2d() -> None:
    """NLLLoss2d warns of its deprecation as torch does, then is NLLLoss."""
    caught = []
    for T in (torch, minitorch):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            T.nn.NLLLoss2d()
        caught.append([(x.category, str(x.message)) for x in w])
    assert caught[0] == caught[1] and caught[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        check_module(lambda T: T.nn.NLLLoss2d(ignore_index=1),
                     [randn(2, 3, 2, 2, dtype=f32), _rng.integers(0, 3, (2, 2, 2))])


@pytest.mark.parametrize("fn,values", [
    (lambda T, a, b, y: T.margin_ranking_loss(a, b, y), [randn(2, 3), randn(2, 3), signs(2, 3)]),
    (lambda T, x, y: T.hinge_embedding_loss(x, y), [randn(4), signs(4)]),
    (lambda T, a, b, y: T.cosine_embedding_loss(a, b, y), [randn(2, 3), randn(2, 3), signs(2)]),
    (lambda T, a, p, n: T.triplet_margin_loss(a, p, n), [randn(2, 3), randn(2, 3), randn(2, 3)]),
    (lambda T, x, y: T.kl_div(x, y), [randn(2, 3), np.abs(randn(2, 3))]),
    (lambda T, x, y: T.binary_cross_entropy_with_logits(x, y), [randn(2, 3), bits(2, 3)]),
], ids=["margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss", "triplet_margin_loss", "kl_div",
        "binary_cross_entropy_with_logits"])
def test_torch_level_default_reduction(fn: Callable, values: list) -> None:
    """Called without ``reduction``, torch's bindings do not reduce (their parser reads the
    schema's Mean default as 0)."""
    check(fn, values)
