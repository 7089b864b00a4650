"""Session 12's fixes of torch.nn.functional and the ops its fuzzer reaches (issue #10), each against torch."""
from __future__ import annotations

import math
from typing import Any

import ml_dtypes
import numpy as np
import pytest
import torch

import minitorch

from harness import COMPLEX32, assert_same_warnings, build, check

_IMAGE = np.arange(32, dtype=np.float64).reshape(1, 2, 4, 4) / 7


@pytest.mark.parametrize("shape", [(), (3,), (3, 4)])
@pytest.mark.parametrize("grad", [True, False])
def test_unfold_reads_saved_sizes_first(shape: tuple, grad: bool) -> None:
    # with grad, im2col's autograd kernel reads the input's sizes -1 and -2 (its backward's) before any check
    for kernel in (0, 1):
        check(lambda T, x: T.nn.functional.unfold(x, kernel), [np.ones(shape)], grad=grad)


@pytest.mark.parametrize("fn", ["unfold", "fold"])
@pytest.mark.parametrize("bad", [{"dilation": 0, "stride": 0, "padding": -1}, {"stride": 0, "padding": -1},
                                 {"dilation": 0, "padding": -1}, {"dilation": 0, "stride": 0}])
def test_fold_parameter_checks_in_order(fn: str, bad: dict) -> None:
    # im2col checks kernel, dilation, padding, stride; col2im kernel, stride, dilation, padding
    def call(T: Any, x: Any) -> Any:
        if fn == "unfold":
            return T.nn.functional.unfold(x, 1, **bad)
        return T.nn.functional.fold(x.reshape(1, 8, 4), (2, 2), 1, **bad)
    check(call, [_IMAGE])


_NUMBERS = [-1, -2, -1.5, 3, 1000, 1 + 2 ** -11 + 2 ** -40, 1 + 2 ** -8 + 2 ** -40, -(2 ** 70), 1e-40]


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16, ml_dtypes.float8_e4m3fn,
                                   ml_dtypes.float8_e5m2fnuz, ml_dtypes.float8_e8m0fnu])
@pytest.mark.parametrize("name", ["eq", "ne"])
def test_number_operand_rounds_through_float32(dtype: Any, name: str) -> None:
    # c10 converts a Python number to the reduced floats through a float32 (and the float8s by its own rules: e8m0
    # drops the sign, e4m3fn saturates), where NumPy rounds a double once
    x = np.array([1, 2, 4, 448, 1 + 2 ** -10, 1 + 2 ** -7, 0.0078125], np.float32).astype(dtype)
    for number in _NUMBERS:
        check(lambda T, a: getattr(a, name)(number), [x], grad=False)


@pytest.mark.parametrize("value", [3.0, -2.0, 0.1])
@pytest.mark.parametrize("threshold", [-0.0, 0.7])
def test_threshold_in_place_gradient_reads_self_before_the_write(threshold: float, value: float) -> None:
    # ThresholdBackward1 masks by self's old value: a value written in above the threshold passes no gradient
    x = np.array([-2.88, 1.0, -1.0, 0.5, 0.7])
    check(lambda T, a: T.nn.functional.threshold(a * 1, threshold, value, inplace=True), [x], second_order=True)


@pytest.mark.parametrize("dtype", [np.float16, ml_dtypes.bfloat16])
@pytest.mark.parametrize("bound", ["min", "max", "both"])
def test_clamp_gradient_masks_compare_in_the_dtype(dtype: Any, bound: str) -> None:
    # the backward formula compares self with the number bound rounded to the dtype (1e-12 is 0 in float16)
    x = np.array([0.0, -0.0, 1e-12, 1.0, -1e-8], np.float32).astype(dtype)
    kwargs = {"min": {"min": 1e-12}, "max": {"max": -1e-12}, "both": {"min": 1e-12, "max": 2.0}}[bound]
    check(lambda T, a: a.clamp(**kwargs), [x])
    check(lambda T, a: T.nn.functional.normalize(a, dim=0), [np.zeros(3, dtype)])


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("bounds", [(float("nan"), 0.0), (0.0, float("nan")), (0.3, 0.1)])
def test_rrelu_in_place_bound_check_fails_on_nan(bounds: tuple, training: bool) -> None:
    # rrelu_'s check is lower <= upper, which a NaN bound fails
    check(lambda T, a: T.nn.functional.rrelu(a * 1, *bounds, training=training, inplace=True), [np.zeros(3)])


def test_embedding_padding_idx_zero_reads_no_size() -> None:
    # F.embedding reads weight.size(0) only for a nonzero padding_idx: a 0-d weight meets embedding's own check
    for padding_idx in (0, 1, -1, None):
        check(lambda T, i, w: T.nn.functional.embedding(i, w, padding_idx=padding_idx),
              [np.array(1), np.array(5.0)], grad=False)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.5])
def test_cross_entropy_of_0d_reads_the_class_size(label_smoothing: float) -> None:
    check(lambda T, x, t: T.nn.functional.cross_entropy(x, t, label_smoothing=label_smoothing),
          [np.array(1.0), np.array(0.0)])


def _channels_last(shape: tuple, dtype: Any) -> np.ndarray:
    """An array of ``shape`` laid out channels innermost (dim 1 last in memory)."""
    return np.moveaxis(np.ones(shape[:1] + shape[2:] + shape[1:2], dtype), -1, 1)


@pytest.mark.parametrize("mode,dims", [("nearest", 2), ("nearest-exact", 2), ("bilinear", 2), ("nearest", 3),
                                       ("trilinear", 3)])
@pytest.mark.parametrize("dtype", [np.int8, np.bool_])
def test_upsample_refusal_names_the_vectorized_kernel(mode: str, dims: int, dtype: Any) -> None:
    # torch takes its channels-last kernel for a channels-last input of more than 3 channels, and in 2-d for an output
    # of height + width <= 128
    flat = (2, 4) + (1,) * (dims - 1) + (3,)
    for x in (np.ones(flat, dtype), _channels_last(flat, dtype), _channels_last((2, 3) + (2,) * dims, dtype)):
        for size in ((64,) * dims, (64,) * (dims - 1) + (65,)):
            check(lambda T, a: T.nn.functional.interpolate(a, size=size, mode=mode), [x], grad=False)


@pytest.mark.parametrize("dtype", [np.uint16, np.uint32, np.uint64, np.int8, ml_dtypes.float8_e5m2, np.float16])
def test_number_conversions_before_a_refused_kernel(dtype: Any) -> None:
    # hardtanh reads an integral input's bounds as int64s, and hinge_embedding_loss fills its margin into a tensor
    # like an integral input, before any kernel: their overflow errors come before the uint kernels' refusals
    x = np.zeros((1, 2), dtype)
    for bounds in ((-1e30, 1e30), (0.0, 1e19), (float("nan"), 1.0), (0.0, 1e10), (0.0, 1.0)):
        check(lambda T, a: T.nn.functional.hardtanh(a, *bounds), [x], grad=False)
    for margin in (float("nan"), -1.0, 1e10, 1.0):
        check(lambda T, a, t: T.nn.functional.hinge_embedding_loss(a, t, margin=margin), [x, np.float16(0)],
              grad=False)


@pytest.mark.parametrize("dtype", [ml_dtypes.float8_e5m2, ml_dtypes.float8_e4m3fn, np.uint32, np.float32])
def test_clamp_with_a_nan_number_bound_runs_no_kernel(dtype: Any) -> None:
    # torch fills the result with NaN without its clamp kernel: the limited dtypes are not refused
    x = np.zeros(2, dtype)
    nan = float("nan")
    for fn in (lambda T, a: a.clamp(nan), lambda T, a: a.clamp(max=nan), lambda T, a: a.clamp(0.0, nan),
               lambda T, a: a.clamp_min(nan), lambda T, a: T.nn.functional.hardtanh(a, nan),
               lambda T, a: T.nn.functional.hardtanh(a, 0.0, nan), lambda T, a: T.nn.functional.hardtanh(a, 0.0, 1.0)):
        check(fn, [x], grad=False)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_regression_losses_warn_before_broadcasting(name: str) -> None:
    # the size warning, then the legacy reduction's, then broadcast_tensors' error
    legacy = {} if name == "huber_loss" else {"reduce": True}

    def call(T: Any) -> None:
        with pytest.raises(RuntimeError, match="must match"):
            getattr(T.nn.functional, name)(T.zeros(0, 2), T.zeros(3, 3, 0), **legacy)
    assert len(assert_same_warnings(call)) == 2 - (name == "huber_loss")


@pytest.mark.parametrize("size", [0, -1, -2, 1, 3])
@pytest.mark.parametrize("shape", [(3, 2, 3), (3, 2, 1, 3)])
def test_local_response_norm_refuses_its_pooling_kernel_size(shape: tuple, size: int) -> None:
    check(lambda T, a: T.nn.functional.local_response_norm(a, size), [np.ones(shape)])


_FRACTIONAL_CALLS = [(2, 2), (0, 2), (2, 0), (-1, 2), (2, -1), (0, 0), (2, []), ([], 2), (3, 2), (2, 3), (1, 4), (4, 1),
                     ([2, 0, 1], 2), (2, [2, 2, 2, 2]), ([2], 2)]


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("shape", ["batched", "empty batch", "empty channels", "empty plane", "unbatched"])
def test_fractional_max_pool_checks_and_degenerate_sizes(n: int, shape: str) -> None:
    # torch._C._nn's checks in its order (sizes' lengths, input dims, empty non-batch dims, windows too large, the
    # output's allocation, the samples); a kernel size <= 0 reads no element: -inf at the windows' starts, whose
    # indices torch's backward asserts lie in the plane
    dims = {"batched": (1, 2) + (4,) * n, "empty batch": (0, 2) + (4,) * n, "empty channels": (1, 0) + (4,) * n,
            "empty plane": (1, 2, 0) + (4,) * (n - 1), "unbatched": (2,) + (4,) * n}[shape]
    x = np.arange(math.prod(dims), dtype=np.float64).reshape(dims)
    samples = np.full((max(dims[0], 1) if len(dims) == n + 2 else 1, dims[-n - 1], n), 0.3)
    fn = "fractional_max_pool%dd" % n
    for kernel, size in _FRACTIONAL_CALLS:
        if isinstance(kernel, list) and len(kernel) == 3 and n == 2:
            continue
        check(lambda T, a, s: getattr(T.nn.functional, fn)(a, kernel, output_size=size, _random_samples=s,
                                                           return_indices=True), [x, samples])


@pytest.mark.parametrize("samples", [np.ones((1, 2, 2), np.float32), np.ones((1, 3, 2)), np.ones((0, 2, 2)),
                                     np.ones((1, 2, 3)), np.ones((2, 2))])
def test_fractional_max_pool_sample_checks_follow_the_input_checks(samples: np.ndarray) -> None:
    for shape, kernel, size in [((1, 2, 4, 4), 2, 2), ((1, 2, 0, 4), 2, 2), ((1, 2, 4, 4), 2, 4), ((1, 2, 4, 4), 2, -1),
                                ((2, 4, 4), 2, 2)]:
        check(lambda T, a, s: T.nn.functional.fractional_max_pool2d(a, kernel, output_size=size, _random_samples=s),
              [np.ones(shape), samples], grad=False)


@pytest.mark.parametrize("shape,stats", [((3, 0, 0, 3), ()), ((3, 2, 0, 3), ()), ((3, 1, 2, 3), ()),
                                         ((3, 2, 2, 3), (2,)), ((3, 1, 2, 3), (1,))])
def test_instance_norm_writes_running_statistics_through_view_and_copy(shape: tuple, stats: tuple) -> None:
    def call(T: Any, x: Any) -> Any:
        mean, var = T.zeros(stats), T.ones(stats)
        return T.nn.functional.instance_norm(x, running_mean=mean, running_var=var), mean, var
    check(call, [np.arange(math.prod(shape), dtype=np.float32).reshape(shape)], grad=False)


def _complex32(shape: tuple) -> np.ndarray:
    return np.zeros(shape, COMPLEX32)


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("bias", [False, True])
@pytest.mark.parametrize("shapes", [((0, 2, 4), (3, 2, 2)), ((1, 0, 4), (3, 0, 2)), ((0, 2, 4), (1, 2, 1))])
def test_complex32_convolution_of_an_empty_input_computes(shapes: tuple, bias: bool, transposed: bool) -> None:
    # torch's Empty backend multiplies and adds in complex32, kernels it has
    x, w = shapes
    if transposed:
        w = (w[1], w[0]) + w[2:]
    channels = w[1] if transposed else w[0]

    def call(T: Any, a: Any, b: Any, c: Any) -> Any:
        return T.convolution(a, b, c if bias else None, [1], [0], [1], transposed, [0], 1)
    check(call, [_complex32(x), _complex32(w), _complex32((channels,))], grad=False)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("transposed", [False, True])
def test_convolution_refuses_an_empty_weight(nd: int, transposed: bool) -> None:
    # a kernel size of 0 (the slow, dilated, 3-d kernels' words) or, transposed, no output channel: torch's kernels
    # refuse them, in their order with dilation, output padding and the output size
    x = np.ones((1, 2) + (4,) * nd)
    shapes = [(2, 3, 0) + (2,) * (nd - 1), (2, 0) + (2,) * nd] if transposed else \
        [(3, 2, 0) + (2,) * (nd - 1), (3, 2) + (2,) * (nd - 1) + (0,)]
    for shape in shapes:
        for dilation, output_padding, padding in [(1, 0, 0), (0, 0, 0), (1, 2, 0), (1, 0, 9), (2, 0, 0)]:
            if output_padding and not transposed:
                continue
            check(lambda T, a, w: T.convolution(a, w, None, [1], [padding], [dilation], transposed, [output_padding],
                                                1), [x, np.ones(shape)])


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("batch", [2, 0])
def test_convolution_double_backward_node_and_dense_gradients(nd: int, transposed: bool, batch: int) -> None:
    # torch's gradients under create_graph are all outputs of one ConvolutionBackwardBackward0 node; the weight's
    # gradient is dense (a view of it is a view: ViewBackward0)
    weight = (2, 3) if transposed else (3, 2)
    conv = "conv_transpose%dd" % nd if transposed else "conv%dd" % nd

    def call(T: Any, x: Any, w: Any, b: Any) -> Any:
        y = getattr(T.nn.functional, conv)(x, w.view(w.shape), b)
        grads = T.autograd.grad(y.sum(), [x, w, b], create_graph=True)
        return [g.grad_fn.name() for g in grads], [g.stride() for g in grads], grads
    values = [np.ones((batch, 2) + (4,) * nd), np.ones(weight + (2,) * nd), np.ones(3)]
    check(lambda T, x, w, b: call(T, x, w, b)[2], values, second_order=True)
    ref, mine = (call(T, *(build(T, v, True) for v in values)) for T in (torch, minitorch))
    assert ref[0] == mine[0]
    if batch:  # (an empty input's gradient: torch's strides are 0s, minitorch's its shape's)
        assert ref[1] == mine[1]


@pytest.mark.parametrize("dtype", [ml_dtypes.float8_e5m2, ml_dtypes.float8_e8m0fnu, np.int64, np.float64])
@pytest.mark.parametrize("shape", [(2, 4), (0, 4)])
def test_layer_and_group_norm_kernels_refuse_float8(dtype: Any, shape: tuple) -> None:
    # their kernels take the floating types and float16/bfloat16 (an empty input's too); float8 counts as a reduced
    # float in the mixed-dtype check, which lets the kernel refuse it
    x = np.zeros(shape, dtype)
    for weight in (None, np.ones(4, np.float32), np.ones(4, np.float16)):
        check(lambda T, a, *w: T.nn.functional.layer_norm(a, [4], *w), [x] + ([] if weight is None else [weight]),
              grad=False)
        check(lambda T, a, *w: T.nn.functional.group_norm(a, 2, *w), [x] + ([] if weight is None else [weight]),
              grad=False)


@pytest.mark.parametrize("dtype", [ml_dtypes.float8_e4m3fnuz, np.float64, np.float16])
def test_layer_norm_mixed_check_lets_float8_reach_the_shape_check(dtype: Any) -> None:
    x = np.zeros((3, 2, 2, 1), dtype)
    check(lambda T, a, w: T.nn.functional.layer_norm(a, [2, 1], w), [x, np.ones((3, 2, 2, 1), np.float32)], grad=False)


@pytest.mark.parametrize("shape", [(3, 3, 2), (3, 3, 2, 2, 2), (1, 1, 2, 2)])
@pytest.mark.parametrize("mode", ["bicubic", "bilinear", "linear", "trilinear"])
def test_interpolate_names_wanted_dims_for_the_linear_modes_only(shape: tuple, mode: str) -> None:
    check(lambda T, a: T.nn.functional.interpolate(a, scale_factor=2.0, mode=mode), [np.zeros(shape)], grad=False)


@pytest.mark.parametrize("indices", [[2, 0, 1], [5, -10], [0, 1], [-1, 1, 7], [], [-3, 0]])
@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float16, np.float64])
def test_embedding_renorm_walks_sorted_indices(indices: list, dtype: Any) -> None:
    # each index once, in sorted order: an out-of-range one raises where it comes, after the rows before it were
    # rescaled; the first row's norm refuses an integral weight; an index and its negative alias rescale twice
    def call(T: Any, w: Any) -> Any:
        w = w.detach().clone()
        try:
            T.nn.functional.embedding(T.tensor(indices, dtype=T.int64), w, max_norm=1.5)
        except (IndexError, RuntimeError) as e:
            return str(e), w
        return "", w
    check(call, [(np.arange(6).reshape(2, 3) * 3).astype(dtype)], grad=False)


@pytest.mark.parametrize("n", [3, 67])
@pytest.mark.parametrize("reduction", [0, 1, 2])
@pytest.mark.parametrize("beta", [1.0, 0.3, 2.0])
def test_smooth_l1_backward_computes_float16_in_float32(n: int, reduction: int, beta: float) -> None:
    # as bfloat16's: the difference, the norm and beta in float32, the gradient rounded once
    rng = np.random.default_rng(n)
    x, t = rng.standard_normal((2, n)).astype(np.float16)
    check(lambda T, a, b: T.nn.functional.smooth_l1_loss(a, b, reduction=["none", "mean", "sum"][reduction],
                                                         beta=beta), [x, t])


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "none", "sum"])
def test_binary_cross_entropy_backward_node(dtype: Any, weighted: bool, reduction: str) -> None:
    # the input's gradient is binary_cross_entropy_backward's node (EPSILON a float); its derivatives are
    # derivatives.yaml's double backward formulas, inf at +-0 and 1 where the first derivative is clamped
    x = np.array([0.0, -0.0, 1.0, 0.3, 0.5], dtype)
    t = np.array([0.5, 0.2, 1.0, 0.0, 0.7], dtype)
    w = np.array([0.5, 2.0, 1.0, 3.0, 1.0], dtype)

    def call(T: Any, a: Any, b: Any, c: Any) -> Any:
        return T.nn.functional.binary_cross_entropy(a, b, weight=c.detach() if weighted else None, reduction=reduction)
    check(call, [x, t, w], second_order=dtype == np.float64)


@pytest.mark.parametrize("other", ["one", "expanded empty", "zero-d"])
def test_float8_division_by_an_empty_expanded_tensor_is_not_the_scalar_path(other: str) -> None:
    # an operand expanded from one element to none has no element to read once: torch's div_cpu refuses float8
    def call(T: Any, a: Any, b: Any) -> Any:
        divisor = {"one": b, "expanded empty": b.expand(0), "zero-d": b[0]}[other]
        return T.nn.functional.normalize(a, dim=0, eps=float("nan")), a / divisor
    check(call, [np.ones(0, ml_dtypes.float8_e5m2fnuz), np.ones(1, ml_dtypes.float8_e5m2fnuz)], grad=False)
