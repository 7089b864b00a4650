"""Session 11's fixes of torch.nn.functional and the loss bindings it calls (issue #10), each against torch."""
from __future__ import annotations

from typing import Any

import ml_dtypes
import numpy as np
import pytest
import torch

from harness import check
from minitorch._ops.registry import NN


def _nn(T: Any, name: str) -> Any:
    """torch._C._nn's binding ``name`` (minitorch's NN table)."""
    return getattr(torch._C._nn, name) if T is torch else NN[name]


_BIG, _SMALL = np.random.default_rng(0).standard_normal((3, 4)), np.random.default_rng(1).standard_normal(4)


@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("name,extra", [("mse_loss", ()), ("smooth_l1_loss", (0.5,))])
def test_loss_gradient_counts_its_own_operand(name: str, extra: tuple, reduction: int) -> None:
    # the backward kernel's mean divides by the numel of the operand it differentiates (the target's, for the
    # target's gradient), not by the broadcast count
    check(lambda T, a, b: _nn(T, name)(a, b, reduction, *extra), [_BIG, _SMALL])
    check(lambda T, a, b: _nn(T, name)(a, b, reduction, *extra), [_SMALL, _BIG])


_HALF = np.array([0.5, -1.25, 2.0, 1e-6, 3e-5, 0.1, 0.2, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 1e-7], np.float16)


@pytest.mark.parametrize("beta", [1e-45, 1e-40, 5e-39, 1e-310, 1e-8, 0.3])
@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, np.float32, np.float64])
def test_smooth_l1_beta_in_the_kernels_types(dtype: Any, beta: float) -> None:
    # the forward computes float16/bfloat16 in float32 with a float32 beta (a subnormal beta is not 0 there); the
    # backward compares with beta in the dtype in its vectorized body, with the double beta in its tail
    x = np.concatenate([_HALF.astype(np.float32), [1e-39]]).astype(dtype)
    for reduction in (0, 1, 2):
        check(lambda T, a, b: _nn(T, "smooth_l1_loss")(a, b, reduction, beta), [x, x[::-1].copy()],
              second_order=dtype == np.float64)


_P = np.array([0.2, 0.7, 1.0, 0.0], np.float32)
_DTYPES = {"bool": np.bool_, "int64": np.int64, "uint8": np.uint8, "float8_e4m3fn": ml_dtypes.float8_e4m3fn,
           "bfloat16": ml_dtypes.bfloat16, "float16": np.float16, "float64": np.float64}


@pytest.mark.parametrize("dtype", list(_DTYPES))
@pytest.mark.parametrize("which", ["target", "weight", "pos_weight"])
def test_logits_loss_operands_of_other_dtypes(which: str, dtype: str) -> None:
    # torch's composite, op by op: each operand refused by the first op that meets it (C++'s ``1 - target`` is a
    # target-like tensor minus the target in place: "two bool tensors"), the loss in the target's dtype, and
    # FunctionsManual's gradients computed in place in the input's (or the pos_weight's) dtype
    other = _P[::-1].astype(_DTYPES[dtype])

    def fn(T: Any, x: Any, y: Any, z: Any, reduction: str) -> Any:
        kwargs = {which: z} if which != "target" else {}
        return T.nn.functional.binary_cross_entropy_with_logits(x, z if which == "target" else y, reduction=reduction,
                                                                **kwargs)
    for reduction in ("mean", "none"):
        check(lambda T, x, y, z: fn(T, x, y, z, reduction), [_P, _P[::-1].copy(), other])


def test_reduction_of_a_tensor_is_formatted() -> None:
    # torch's message formats the reduction: a 0-d tensor shows its item
    for reduction in (lambda T: T.tensor(1), lambda T: T.tensor([1.0])):
        check(lambda T, x: T.nn.functional.soft_margin_loss(x, x, reduction=reduction(T)), [_P])
        check(lambda T, x: T.nn.functional.triplet_margin_with_distance_loss(x, x, x, reduction=reduction(T)), [_P])


@pytest.mark.parametrize("shape", [(1, 3), (0, 3), (2, 3), (1, 3, 2), (0, 3, 2), (0, 3, 2, 2), (3,)])
def test_nll_loss_of_a_0d_target(shape: tuple) -> None:
    # torch reads a 0-d target's batch size as 0 (past its sizes), then its own size(0) refuses it
    for name in ("nll_loss", "cross_entropy"):
        check(lambda T, x: getattr(T.nn.functional, name)(x, T.tensor(1)), [np.ones(shape, np.float32)])


@pytest.mark.parametrize("ndim", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("training", [False, True])
def test_dropout3d_batches_5d_inputs_only(ndim: int, training: bool) -> None:
    # every other input is unsqueezed to a batch of one, then squeezed back (a SqueezeBackward1 node)
    x = np.arange(1, 1 + 2 ** ndim, dtype=np.float32).reshape((2,) * ndim)
    def fn(T: Any, x: Any) -> Any:
        T.manual_seed(0)
        return T.nn.functional.dropout3d(x, 0.5, training)
    check(fn, [x])


@pytest.mark.parametrize("ndim", [0, 1, 2, 3, 4, 5])
@pytest.mark.parametrize("name", ["avg_pool2d", "lp_pool2d"])
def test_avg_pool2d_reads_sizes_before_checking_rank(name: str, ndim: int) -> None:
    # torch's avg_pool2d reads input.size(-3) first (an IndexError for fewer dims), checks its rank with its empty dims
    args = (2.0,) if name == "lp_pool2d" else ()
    for kernel in (0, 1):
        check(lambda T, x: getattr(T.nn.functional, name)(x, *args, kernel), [np.ones((2,) * ndim, np.float32)])


@pytest.mark.parametrize("n", [1, 2, 3])
def test_max_unpool_edges(n: int) -> None:
    # a 0-d input fails torch's Python size lookup (a tuple's IndexError); an empty output reads no index; an empty
    # non-batch dim is refused; max_unpool3d refuses a zero stride
    name = "max_unpool%dd" % n
    for kernel in (0, 1, 2):
        for shape in ((), (2,) * (n + 1), (0,) + (2,) * n, (2, 0) + (2,) * (n - 1), (1, 2) + (2,) * n):
            check(lambda T, x: getattr(T.nn.functional, name)(x, (x.detach() * 0 + 1).long(), kernel),
                  [np.ones(shape, np.float32)])


@pytest.mark.parametrize("dtype", [np.uint16, np.uint64, ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2])
def test_hinge_embedding_loss_dispatches_on_its_input(dtype: Any) -> None:
    # torch's composite only compares a limited-dtype target (ne runs on every dtype); its input's dtype is the one
    # its arithmetic refuses
    x, t = np.array([3, 1, 0], np.float32), np.array([[1, -1, 0.5]], np.float32)
    check(lambda T, a, b: T.nn.functional.hinge_embedding_loss(a, b, reduction="sum"), [x, t.astype(dtype)])
    check(lambda T, a, b: T.nn.functional.hinge_embedding_loss(a, b, reduction="sum"), [x.astype(dtype), t])


def test_hinge_embedding_loss_of_an_e8m0_target() -> None:
    # (values other than 1: minitorch compares e8m0 with -1 unlike torch, which rounds -1 to e8m0's 1)
    x, t = np.array(3, np.uint8), np.array([[2, 0.5, 4]], np.float32).astype(ml_dtypes.float8_e8m0fnu)
    check(lambda T, a, b: T.nn.functional.hinge_embedding_loss(a, b, reduction="sum"), [x, t])


_ADAPTIVE_SHAPES = [(2, 0), (0, 2), (2, 0, 2), (0, 2, 2), (2, 0, 2, 2), (2, 2, 0), (2, 2, 0, 2, 2), (0,),
                    (2, 0, 2, 2, 2, 2)]


@pytest.mark.parametrize("name", ["adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
                                  "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d"])
def test_adaptive_pool_check_order(name: str) -> None:
    # max pooling checks the rank, then the non-batch dims; 2-d average pooling the rank, then its last two dims; 3-d
    # average pooling the dims first; an all-ones output is the mean of dims -1, -2, ... (its first bad dim named)
    for shape in _ADAPTIVE_SHAPES:
        for size in (1, 2):
            check(lambda T, x: getattr(T.nn.functional, name)(x, size), [np.ones(shape, np.float32)])


@pytest.mark.parametrize("reduction", [0, 1, 2])
def test_binary_cross_entropy_reads_squeezed_operands(reduction: int) -> None:
    # torch's kernels read the squeezed operands into an input-like result: a (3, 1) target of a (3,) input is
    # elementwise (not broadcast to (3, 3)), and the target's gradient (input-shaped) is refused by the engine;
    # the squeezed shapes are checked before the dtypes
    x, t = np.array([0.2, 0.5, 0.7]), np.array([[0.0], [1.0], [0.5]])
    for a, b in ((x, t), (x[None], t[:, 0]), (np.zeros((0, 0)), np.zeros((0, 0, 1))),
                 (np.zeros(0, np.float16), np.zeros(2, np.float32))):
        check(lambda T, a, b: _nn(T, "binary_cross_entropy")(a, b.detach(), None, reduction), [a, b])
        check(lambda T, a, b: _nn(T, "binary_cross_entropy")(a, b, None, reduction), [a, b])


def test_loss_binding_edges() -> None:
    # mse_loss's backward promotes a bool operand (no bool subtraction refused); huber_loss checks the cast to its
    # input-like result before resizing it
    check(lambda T, a, b: _nn(T, "mse_loss")(a, b, 0), [np.array(False), np.zeros(0, np.float16)])
    check(lambda T, a, b: _nn(T, "mse_loss")(a, b, 1), [np.array([True, False]), np.ones(2, np.float32)])
    check(lambda T, a, b: _nn(T, "huber_loss")(a, b, 0, 1.0), [np.array(0, np.uint8), np.zeros(0, np.float16)])


def test_functional_check_orders() -> None:
    # each refusal where torch's Python wrapper or meta function meets it
    check(lambda T, x: T.nn.functional.pad(x, [0], mode="bad"), [np.zeros((), np.float16)])
    check(lambda T, x: T.nn.functional.fractional_max_pool2d(x, [1, 1], output_ratio=0), [np.zeros((), np.float16)])
    check(lambda T, x: T.nn.functional.interpolate(x, size=0), [np.zeros((0, 0, 0), np.int8)])
    check(lambda T, x: T.nn.functional.upsample_bilinear(x, scale_factor=1.0), [np.zeros((0, 0, 0, 0), np.uint8)])
    check(lambda T, x: T.nn.functional.max_unpool3d(x, x, 1), [np.zeros((0, 0, 0), np.float16)])
    for shape, size in (((0, 1, 1), 0), ((0, 1, 1), 2), ((2, 2, 2), 0), ((2, 2, 2), 2)):
        check(lambda T, x: T.nn.functional.adaptive_avg_pool2d(x, size), [np.zeros(shape, np.uint8)])
    for offs, bias in ((np.zeros(2, np.float32), None), (None, np.zeros(2, np.float32))):
        check(lambda T, a, *extra: T.nn.functional.grouped_mm(a, a, **dict(zip(
            [k for k, v in (("offs", offs), ("bias", bias)) if v is not None], extra))),
            [np.zeros((2, 2, 2), np.float64)] + [v for v in (offs, bias) if v is not None])


@pytest.mark.parametrize("dtype", [np.int32, np.uint16, ml_dtypes.float8_e4m3fn, ml_dtypes.bfloat16])
def test_adaptive_pool_kernels_refuse_limited_dtypes(dtype: Any) -> None:
    for n in (1, 2, 3):
        for kind in ("max", "avg"):
            check(lambda T, x: getattr(T.nn.functional, "adaptive_%s_pool%dd" % (kind, n))(x, 2),
                  [np.ones((2,) * (n + 2), np.float32).astype(dtype)])


def test_embedding_of_empty_weights() -> None:
    # torch's index_select into an empty weight: an empty axis refused first, then the bad index named
    for idx in (np.array(0), np.array([0, 1]), np.zeros(0, np.int64), np.array(-1), np.array([1, 2])):
        for shape in ((0, 0), (0, 3), (2, 0)):
            check(lambda T, w: T.nn.functional.embedding(T.tensor(idx), w), [np.zeros(shape, np.float32)])


def test_nll_loss_check_order() -> None:
    # a weight requiring grad refused first (nll_loss_forward / nll_loss2d_forward); the 1-2-d loss checks the target's
    # dtype before its sizes, and a 1-d input's 1-d target has size 1
    for ishape in [(3,), (0, 0), (2, 3), (2, 3, 2), (2, 3, 2, 2)]:
        for tshape, tdt in [((), np.int64), ((), np.float16), ((2,), np.int64), ((2,), np.float32), ((2, 2), np.int64),
                            ((2, 2, 2), np.float32)]:
            for weight in (None, np.ones(3, np.float32)):
                check(lambda T, x, w: T.nn.functional.nll_loss(x, T.zeros(tshape).to(T.from_numpy(
                    np.zeros(0, tdt)).dtype), weight=w), [np.zeros(ishape, np.float32), weight])


@pytest.mark.parametrize("dtype,x,bound", [(ml_dtypes.bfloat16, -1.71875, -1.72265625), (np.float16, 1.0, 1.0001),
                                           (np.float16, 1.0, 0.99999), (np.float32, 1.0, 1.00000001)])
def test_hardtanh_backward_reads_bounds_in_its_compute_type(dtype: Any, x: float, bound: float) -> None:
    # float16 and bfloat16 are compared in float32 with float32 bounds (not rounded to the dtype)
    values = np.full(3, x, np.float32).astype(dtype)
    lo, hi = (bound, 5.0) if x < 0 else (-5.0, bound)
    check(lambda T, t: T.nn.functional.hardtanh(t, min_val=lo, max_val=hi), [values])
