"""Sizes at int64's limits (issue 10): torch's size arithmetic and its errors ("numel: integer multiplication
overflow", "Storage size calculation overflowed", "Stride calculation overflowed", negative dimensions, the
allocator's refusal) in the order torch meets them, never NumPy's; Scalar arguments that do not fit the type a
kernel reads them as; doubles printed in messages as C++ prints them. Every case runs under torch and minitorch
(``harness.check``/``check_error``)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error

INT64_MAX, INT64_MIN = 2 ** 63 - 1, -2 ** 63


def _cases(table: dict[str, Callable]) -> Any:
    return pytest.mark.parametrize("fn", list(table.values()), ids=list(table))


# a view's sizes: their product read as uint64 must fit in int64 (a 0-d tensor takes any sizes; an n-d one refuses -1
# in a new leading dim first); view/reshape's known sizes multiply in wrapping int64 before that
NUMEL_OVERFLOW = {
    "expand_0d_negative": lambda T: T.tensor(1.0).expand(-1),
    "expand_0d_minus_one_leading": lambda T: T.tensor(1.0).expand(-3, -1, 0),
    "expand_negative_leading": lambda T: T.ones(1).expand(-2, 1),
    "expand_negative_over_size_one": lambda T: T.ones(3, 1).expand(3, -2),
    "expand_minus_one_leading": lambda T: T.ones(1).expand(-1, 2),
    "expand_huge": lambda T: T.tensor(1, dtype=T.uint8).expand(3, INT64_MAX),
    "broadcast_to_huge": lambda T: T.broadcast_to(T.tensor([255], dtype=T.uint8), [INT64_MAX, -2]),
    "expand_copy_huge": lambda T: T.expand_copy(T.tensor(7, dtype=T.uint8), [INT64_MAX] * 3),
    "view_wrapping_to_numel": lambda T: T.tensor(-1.0).view([INT64_MAX, INT64_MAX]),
    "view_wrapping_with_one": lambda T: T.tensor(1.0).view(INT64_MAX, INT64_MAX, 1),
    "reshape_wrapping": lambda T: T.reshape(T.tensor(True), [INT64_MAX, INT64_MAX]),
    "reshape_copy_wrapping": lambda T: T.ones(2, 2).t().reshape(INT64_MAX, INT64_MAX),
    "view_inferred_after_wrap": lambda T: T.tensor(1.0).view(INT64_MAX, -1),
    "view_negative_product": lambda T: T.ones(6).view(-1, 2 ** 62, 4),
}


@_cases(NUMEL_OVERFLOW)
def test_numel_overflow(fn: Callable) -> None:
    check_error(fn)


def test_views_of_huge_sizes() -> None:
    """A stride-0 view of 2**63 - 1 one-byte elements: torch and NumPy both hold it."""
    check(lambda T: (T.tensor(1, dtype=T.uint8).expand(INT64_MAX).shape,
                     T.tensor([2], dtype=T.int8).broadcast_to(INT64_MAX, 1).shape), [])


# reshape of a non-contiguous tensor infers the size (refusing an invalid dim) before anything refuses a symbolic one;
# a contiguous one is torch's view, whose kernel refuses it first
RESHAPE_ORDER = {
    "copy_invalid_dim": lambda T: T.ones(3, 3).t().reshape(INT64_MAX, 4, INT64_MIN),
    "copy_symbolic_only": lambda T: T.ones(3, 3).t().reshape(INT64_MIN),
    "copy_two_inferred": lambda T: T.ones(3, 3).t().reshape(-1, -1, INT64_MIN),
    "sliced_invalid_dim": lambda T: T.ones(4)[::2].reshape(-1, INT64_MIN, -1),
    "contiguous_symbolic_first": lambda T: T.ones(4).reshape(-1, INT64_MIN, -1),
    "view_symbolic_first": lambda T: T.ones(2, 2).t().view(INT64_MIN),
}


@_cases(RESHAPE_ORDER)
def test_reshape_check_order(fn: Callable) -> None:
    check_error(fn)


# a new tensor's storage: the sizes' product overflowing on the way counts even when a later size is 0; an empty
# tensor's strides must fit too
STORAGE = {
    "ones_overflow_before_zero": lambda T: T.ones([3, INT64_MAX, 0]),
    "zeros_stride_overflow": lambda T: T.zeros([0, INT64_MAX, 2]),
    "new_empty_overflow_before_zero": lambda T: T.ones((), dtype=T.int32).new_empty([INT64_MAX, 4, 0]),
    "empty_stride_overflow": lambda T: T.empty(0, 2 ** 62, 4),
}


@_cases(STORAGE)
def test_storage_size(fn: Callable) -> None:
    check_error(fn)


# the factories' lengths as torch computes them (arange's in double, read as int64; a periodic window's one more in
# int64, which wraps; range's in the dtype's accumulate type), then their storage
FACTORY_LENGTHS = {
    "arange_int64_max": lambda T: T.arange(INT64_MAX),
    "arange_storage": lambda T: T.arange(2 ** 62),
    "arange_past_the_machine": lambda T: T.arange(2 ** 60, dtype=T.int8),
    "arange_float16_storage": lambda T: T.arange(2 ** 63, -0.1, step=-2, dtype=T.float16),
    "arange_infinite_length": lambda T: T.arange(0, 1e300, 1e-300),
    "linspace_storage": lambda T: T.linspace(-2, True, INT64_MAX),
    "logspace_storage": lambda T: T.logspace(0, 1, INT64_MAX),
    "bartlett_window_length": lambda T: T.bartlett_window(INT64_MAX, False),
    "hann_window_periodic_wraps": lambda T: T.hann_window(INT64_MAX, True, dtype=T.float64),
    "hamming_window_periodic_symint": lambda T: T.hamming_window(INT64_MAX - 1, True),
    "blackman_window_storage": lambda T: T.blackman_window(2 ** 62, True),
    "kaiser_window_periodic_wraps": lambda T: T.kaiser_window(INT64_MAX, True, 3.0),
    "range_bound_past_int64": lambda T: T.range(0, 2 ** 63, step=-3.3, dtype=T.uint8),
    "range_float_length": lambda T: T.range(0, INT64_MAX, step=1),
    "range_float_length_past_int64": lambda T: T.range(0, 1e19, step=1),
    "range_storage": lambda T: T.range(0, 2 ** 62, 1, dtype=T.int8),
    "tril_indices_storage": lambda T: T.tril_indices(2 ** 31, 2 ** 31),
    "triu_indices_past_the_machine": lambda T: T.triu_indices(2 ** 20, 2 ** 20, dtype=T.int8),
    "tril_indices_dtype_after_storage": lambda T: T.tril_indices(2 ** 31, 2 ** 31, dtype=T.float32),
}


@_cases(FACTORY_LENGTHS)
def test_factory_lengths(fn: Callable) -> None:
    check_error(fn)


def test_factory_values() -> None:
    check(lambda T: (T.arange(-3, 10, 3), T.arange(10, -3, -4), T.arange(-0.9, 2.1, 2.0, dtype=T.int64),
                     T.range(0.5, 10.2, 2.5, dtype=T.int64), T.range(10, 0, -3, dtype=T.int32),
                     T.hann_window(5), T.kaiser_window(6, True, 3.0, dtype=T.float64)), [])


def test_triangle_indices() -> None:
    """Listed row by row in time of the triangle's size: a huge matrix's empty or small triangle at once."""
    check(lambda T: [f(r, c, o) for f in (T.tril_indices, T.triu_indices) for r in (0, 1, 4) for c in (0, 3, 5)
                     for o in (-6, -1, 0, 2, 6)], [])
    check(lambda T: (T.triu_indices(2 ** 40, 3, offset=3), T.tril_indices(2 ** 40, 2, offset=-2 ** 40 + 2),
                     T.tril_indices(0, 2 ** 40), T.triu_indices(3, 2 ** 40, offset=2 ** 40 - 2)), [])


# factories that check their arguments before allocating meet pin_memory there, after those checks
PIN_MEMORY_ORDER = {
    "zeros": lambda T: T.zeros(-1, pin_memory=True),
    "zeros_symbolic": lambda T: T.zeros(INT64_MIN, pin_memory=True),
    "ones_pin_first": lambda T: T.ones(-1, pin_memory=True),
    "tril_indices": lambda T: T.tril_indices(-1, 2, pin_memory=True),
    "triu_indices_pin_before_storage": lambda T: T.triu_indices(2 ** 31, 2 ** 31, pin_memory=True),
    "linspace": lambda T: T.linspace(-245, True, -1, pin_memory=True),
    "logspace": lambda T: T.logspace(-0.2, INT64_MAX, -4, base=-2.0, pin_memory=True),
    "linspace_pin_before_storage": lambda T: T.linspace(0, 1, INT64_MAX, pin_memory=True),
    "bartlett_window": lambda T: T.bartlett_window(-4, False, pin_memory=True),
    "hamming_window": lambda T: T.hamming_window(INT64_MIN, False, -2.5, -3.7, pin_memory=True),
    "hann_window_dtype": lambda T: T.hann_window(2, dtype=T.int16, pin_memory=True),
    "kaiser_window_one": lambda T: T.kaiser_window(1, pin_memory=True),
    "empty_permuted": lambda T: T.empty_permuted([-3], [], pin_memory=True),
    "empty_permuted_dims": lambda T: T.empty_permuted([1], [1], pin_memory=True),
    "fftfreq_symbolic": lambda T: T.fft.fftfreq(INT64_MIN, pin_memory=True),
    "fftfreq_pin_before_length": lambda T: T.fft.fftfreq(-1, pin_memory=True),
    "arange_pin_first": lambda T: T.arange(-1, 5, -1, pin_memory=True),
}


@_cases(PIN_MEMORY_ORDER)
def test_pin_memory_order(fn: Callable) -> None:
    check_error(fn)


# repeat/tile size their result in int64 (wrapping) and allocate it as torch's empty does
REPEAT_SIZES = {
    "repeat_negative_product": lambda T: T.ones(1, 2, dtype=T.bool).repeat(3, 1, -2),
    "repeat_wraps_negative": lambda T: T.ones(3).repeat(2 ** 62),
    "repeat_wraps_symbolic": lambda T: T.ones(2).repeat(2 ** 62 + 1),
    "repeat_wraps_to_zero": lambda T: T.ones(4).repeat(2 ** 62),
    "repeat_storage": lambda T: T.ones(1).repeat(INT64_MAX),
    "repeat_storage_sliced": lambda T: T.ones(2, dtype=T.int16)[::2].repeat([INT64_MAX]),
    "repeat_negative_before_zero": lambda T: T.ones(2).repeat(0, -1),
    "tile_storage": lambda T: T.tile(T.ones(1, 1, 3).transpose(1, 2), [INT64_MAX]),
    "tile_0d": lambda T: T.tile(T.tensor(-7, dtype=T.int16), [4, INT64_MAX, 4]),
}


@_cases(REPEAT_SIZES)
def test_repeat_sizes(fn: Callable) -> None:
    check_error(fn)


def test_repeat_values() -> None:
    check(lambda T, x: (x.repeat(2, 1, 2), T.tile(x, (2,)), T.ones(0).repeat(-1), x.repeat(0, 2, 1)),
          [np.arange(6.0).reshape(2, 3)])


# a Scalar argument read as the type the kernel computes in: torch's overflow error, never NumPy's or a silent NaN
SCALAR_CONVERSIONS = {
    "logit_eps_float": lambda T: T.logit(T.ones(1), eps=-1e39),
    "logit_eps_int_input": lambda T: T.tensor(4, dtype=T.int16).logit(eps=-1.7976931348623157e308),
    "logit_eps_half": lambda T: T.logit(T.ones(1, dtype=T.float16), eps=1e10),
    "logit_eps_bfloat16": lambda T: T.logit(T.ones(1, dtype=T.bfloat16), eps=-1.7976931348623157e308),
    "logit_eps_empty": lambda T: T.logit(T.ones(0), eps=-1e39),
    "logit__eps": lambda T: T.ones(1).logit_(eps=-1e39),
    "leaky_relu_slope": lambda T: T.nn.functional.leaky_relu(T.ones(1), -1e39),
    "leaky_relu_slope_half_in_float": lambda T: T.nn.functional.leaky_relu(T.ones(1, 0, 1, dtype=T.float16),
                                                                            -1.7976931348623157e308),
    "leaky_relu_dtype_first": lambda T: T.nn.functional.leaky_relu(T.ones(1, dtype=T.int64), -1e39),
    "leaky_relu__slope": lambda T: T.nn.functional.leaky_relu_(T.ones(1), -1e39),
    "hardtanh_nan_bound_int": lambda T: T.nn.functional.hardtanh(T.tensor(1), min_val=float("nan"), max_val=-2.7),
    "hardtanh_huge_bound_int": lambda T: T.nn.functional.hardtanh(T.ones(1, 2, dtype=T.int64),
                                                                   max_val=1.7976931348623157e308),
    "hardtanh__nan_bound_int8": lambda T: T.nn.functional.hardtanh_(T.tensor(-1, dtype=T.int8), max_val=float("nan")),
    "hardtanh__uint8_negative_limit": lambda T: T.nn.functional.hardtanh_(T.tensor(2, dtype=T.uint8)),
    "hardtanh_bound_past_int8": lambda T: T.nn.functional.hardtanh(T.tensor([-100, 5], dtype=T.int8), -1000, 1000),
    "hardtanh_bound_past_uint8": lambda T: T.nn.functional.hardtanh(T.tensor([0, 5], dtype=T.uint8), 0, 300),
    "histc_edge_past_int16": lambda T: T.tensor(32767, dtype=T.int16).histc(bins=3),
    "histc_edges_numel": lambda T: T.histc(T.tensor(1.0, dtype=T.float64), bins=INT64_MAX, min=-4),
    "histc_edges_numel_int": lambda T: T.histc(T.tensor(2147483647, dtype=T.int32), bins=INT64_MAX),
    "histc_edges_storage": lambda T: T.histc(T.ones(1, dtype=T.int16), bins=2 ** 62),
    "histc_dtype_after_edges": lambda T: T.histc(T.tensor([32767], dtype=T.int16), bins=3, min=1, max=2),
}


@_cases(SCALAR_CONVERSIONS)
def test_scalar_conversions(fn: Callable) -> None:
    check_error(fn)


def test_scalar_conversion_values() -> None:
    """Bounds that fit: integer hardtanh truncates them (as int64s), logit and leaky_relu take any double in float64."""
    check(lambda T, i, u, x: (T.nn.functional.hardtanh(i, -2.7, 2.7),
                              T.nn.functional.hardtanh(u, -0.5, 3), T.nn.functional.hardtanh(u, 2.5, 7.9),
                              T.logit(x, eps=-1.7976931348623157e308), T.logit(x.float(), eps=float("nan")),
                              T.nn.functional.leaky_relu(x, -1.7976931348623157e308)),
          [np.array([-100, 5, 100], np.int8), np.array([0, 5, 200], np.uint8), np.array([-0.5, 0.25, 2.0])],
          grad=False)


# doubles in messages as C++ prints them (%g; -nan)
DOUBLES_IN_MESSAGES = {
    "renorm_int_maxnorm": lambda T: T.renorm(T.ones(2, 2), 2, 0, INT64_MIN),
    "renorm_float_maxnorm": lambda T: T.ones(2, 2).renorm(3, 0, -3.573946714401245),
    "renorm_nan_maxnorm": lambda T: T.ones(2, 2).renorm(2, 0, -float("nan")),
    "matrix_norm_int_order": lambda T: T.linalg.matrix_norm(T.ones(2, 2), INT64_MAX),
    "matrix_norm_huge_order": lambda T: T.linalg.matrix_norm(T.ones(2, 2), 1.7976931348623157e308),
    "matrix_norm_order": lambda T: T.linalg.matrix_norm(T.ones(2, 2), 2.5),
    "cond_order": lambda T: T.linalg.cond(T.ones(2, 3), 3),
    "uniform_bounds": lambda T: T.ones(2).uniform_(2 ** 63, 1),
    "dropout_p": lambda T: T.nn.functional.dropout(T.ones(2), 2 ** 63),
    "quantile_q": lambda T: T.quantile(T.ones(3), 2 ** 63),
    "isclose_rtol": lambda T: T.isclose(T.ones(2), T.ones(2), rtol=-2 ** 63),
    "softshrink_lambda": lambda T: T.nn.functional.softshrink(T.ones(2), -2 ** 63),
    "arange_bounds": lambda T: T.arange(-float("nan"), 2),
}


@_cases(DOUBLES_IN_MESSAGES)
def test_doubles_in_messages(fn: Callable) -> None:
    check_error(fn)


# torch builds a C++ vector of the pieces before the first one: a huge count is refused at once (never a hang);
# hsplit/vsplit hand their indices on as SymInts; chunk's ceil(n / chunks) is int64 arithmetic
PIECE_COUNTS = {
    "tensor_split_max_size": lambda T: T.ones(2).tensor_split(2 ** 60),
    "tensor_split_int64_max": lambda T: T.tensor_split(T.ones(2, 1, dtype=T.float64).t(), INT64_MAX),
    "tensor_split_bad_alloc": lambda T: T.ones(2).tensor_split(2 ** 40),
    "hsplit_empty": lambda T: T.ones(0).hsplit(INT64_MAX),
    "hsplit_not_divisible": lambda T: T.ones(2, 3).hsplit(2 ** 60),
    "hsplit_symbolic_index": lambda T: T.ones(1, 2, 1).hsplit([INT64_MAX, 2, INT64_MIN]),
    "vsplit_symbolic_index": lambda T: T.ones(1, 3, 3).vsplit([0, -2 ** 62 - 1, 3]),
    "unsafe_chunk_empty": lambda T: T.ones(1).expand(0).unsafe_chunk(INT64_MAX),
    "chunk_bad_alloc": lambda T: T.ones(0).chunk(2 ** 40),
    "chunk_size_wraps_to_zero": lambda T: T.ones(5).chunk(INT64_MAX),
    "combinations_max_size": lambda T: T.combinations(T.tensor([32767, 32767], dtype=T.int16), r=INT64_MAX),
    "combinations_bad_alloc": lambda T: T.combinations(T.ones(2), r=2 ** 40),
}


@_cases(PIECE_COUNTS)
def test_piece_counts(fn: Callable) -> None:
    check_error(fn)


def test_pieces() -> None:
    check(lambda T, x: (x.hsplit([1, 3]), T.ones(1, 3, 3).vsplit([0, -2 ** 62, 3]),
                        x.tensor_split([1, -2 ** 62 - 1]), T.ones(0).chunk(3), T.combinations(T.arange(4), 3)),
          [np.arange(20.0).reshape(4, 5)], grad=False)


# a strided view's reach in bytes (sizes and strides read as uint64, from its offset) must fit in int64; resize_
# counts, strides and allocates as torch's, after autograd's refusal; bincount's bin count must fit in int64
STRIDED_AND_RESIZED = {
    "as_strided_stride_overflow": lambda T: T.ones(()).as_strided([2], [INT64_MAX]),
    "as_strided_offset_overflow": lambda T: T.ones(4).as_strided([2], [2], 2 ** 61),
    "as_strided_0d_offset_overflow": lambda T: T.ones(4).as_strided([], [], INT64_MAX),
    "as_strided_negative_size": lambda T: T.ones(4).as_strided([-2], [1]),
    "as_strided_out_of_bounds": lambda T: T.ones(4).as_strided([2], [2], 2),
    "as_strided_copy_negative_size": lambda T: T.as_strided_copy(T.tensor(1.0), [-2], [INT64_MAX], storage_offset=2),
    "as_strided_copy_0d_offset": lambda T: T.as_strided_copy(T.tensor(1, dtype=T.int8), [], [], INT64_MAX),
    "as_strided_copy_out_of_bounds": lambda T: T.as_strided_copy(T.ones(4), [2], [2], 5),
    "resize_storage": lambda T: T.ones(2).resize_(2 ** 62),
    "resize_past_the_machine": lambda T: T.ones(2).resize_(2 ** 40),
    "resize_negative": lambda T: T.ones(2).resize_(-1),
    "resize_strides": lambda T: T.ones(2).resize_(0, 2 ** 62, 8),
    "resize_numel": lambda T: T.zeros(3, 0, dtype=T.int64).resize_([2, INT64_MAX]),
    "resize_requires_grad_first": lambda T: T.ones(2, requires_grad=True).resize_(-4, INT64_MIN),
    "resize_symbolic": lambda T: T.ones(2).resize_(INT64_MIN),
    "bincount_bins_overflow": lambda T: T.bincount(T.tensor([INT64_MAX, 7])),
    "bincount_overflow_before_weights": lambda T: T.bincount(T.tensor([INT64_MAX]), T.ones(2)),
    "bincount_storage": lambda T: T.bincount(T.tensor([2 ** 62, 7])),
    "bincount_minlength_storage": lambda T: T.bincount(T.tensor([], dtype=T.int64), minlength=2 ** 62),
}


@_cases(STRIDED_AND_RESIZED)
def test_strided_and_resized(fn: Callable) -> None:
    check_error(fn)


def test_strided_and_resized_values() -> None:
    check(lambda T, x: (x.as_strided([2, 2], [1, 2]), T.as_strided_copy(x, [2], [2], 1), x.clone().resize_(2, 2),
                        T.bincount(T.tensor([1, 3, 1]), T.tensor([0.5, 1, 2]), minlength=6)),
          [np.arange(6.0)], grad=False)


# other checks met on the way: a 0-d cross names its dim as torch's (unwrapped), take from nothing, rms_norm's rank,
# pixel_shuffle's squared factor, view(dtype)'s last size before its last stride
OTHER_CHECKS = {
    "linalg_cross_0d_dim": lambda T: T.linalg.cross(T.tensor(1.0), T.tensor(1.0), dim=3),
    "cross_0d_dim": lambda T: T.cross(T.tensor(10, dtype=T.uint8), T.tensor(0, dtype=T.uint8), dim=INT64_MIN),
    "take_from_empty": lambda T: T.take(T.ones(1, 2, 0, dtype=T.int64), T.tensor(INT64_MIN)),
    "take_from_empty_in_range": lambda T: T.take(T.ones(0), T.tensor([0])),
    "rms_norm_rank": lambda T: T.rms_norm(T.ones(2, 3), [2, 3, 4]),
    "rms_norm_rank_0d": lambda T: T.rms_norm(T.tensor(2147483647, dtype=T.int32), [INT64_MIN]),
    "rms_norm_weight_before_rank": lambda T: T.rms_norm(T.ones(2, 3), [2, 3, 4], T.ones(5)),
    "pixel_shuffle_factor_squared": lambda T: T.pixel_shuffle(T.ones(2, 3, 1), INT64_MAX),
    "pixel_shuffle_factor_2_32": lambda T: T.pixel_shuffle(T.ones(1, 4, 1, 1), 2 ** 32),
    "view_dtype_size_before_stride": lambda T: T.ones(3, 4, dtype=T.bool).t().view(T.int32),
    "view_dtype_expanded": lambda T: T.ones(3, 2, 1, dtype=T.bool).expand(3, 2, 3).view(T.int32),
    "view_dtype_stride": lambda T: T.ones(4, 4, dtype=T.bool).t().view(T.int32),
}


@_cases(OTHER_CHECKS)
def test_other_checks(fn: Callable) -> None:
    check_error(fn)


# more sizes and checks in torch's order: adaptive max pooling allocates its result before its dtype check (a huge
# output size never gives a silent empty result), adaptive_avg_pool1d hands its size on as a SymInt, torch.group_norm
# checks groups and parameters before native_group_norm (whose mixed dtypes are refused as layer_norm's),
# multilabel_margin_loss reads its targets' bounds as int64s, expand names a tensor as ATen's toString does
MORE_CHECKS = {
    "adaptive_max_pool1d_storage": lambda T: T.nn.functional.adaptive_max_pool1d(T.ones(1, 2, 2), INT64_MAX),
    "adaptive_max_pool1d_storage_before_dtype": lambda T: T.nn.functional.adaptive_max_pool1d(
        T.ones(1, 2, 2, dtype=T.int64), INT64_MAX),
    "adaptive_max_pool2d_past_the_machine": lambda T: T.nn.functional.adaptive_max_pool2d(T.ones(3, 2, 2),
                                                                                          (1, 2 ** 40)),
    "adaptive_max_pool2d_negative": lambda T: T.nn.functional.adaptive_max_pool2d(T.ones(3, 2, 2), (1, INT64_MIN)),
    "adaptive_avg_pool1d_symbolic": lambda T: T.nn.functional.adaptive_avg_pool1d(T.ones(3, 2, 2), -2 ** 62 - 1),
    "adaptive_avg_pool2d_negative": lambda T: T.nn.functional.adaptive_avg_pool2d(T.ones(3, 2, 2), (1, INT64_MIN)),
    "group_norm_groups_before_dtype": lambda T: T.group_norm(T.ones(3, 1, dtype=T.bool), INT64_MAX),
    "group_norm_weight_before_dtype": lambda T: T.group_norm(T.ones(2, 4, dtype=T.int64), 2, T.ones(3)),
    "group_norm_mixed_dtypes": lambda T: T.group_norm(T.ones(2, 4, dtype=T.float64), 2, T.ones(4)),
    "group_norm_mixed_bias": lambda T: T.group_norm(T.ones(2, 4), 2, None, T.ones(4, dtype=T.float64)),
    "native_group_norm_groups_first": lambda T: T.native_group_norm(T.ones(2, 4, dtype=T.int64), None, None, 2, 4,
                                                                    1, 3, 1e-5),
    "multilabel_margin_loss_nan_target": lambda T: T.nn.functional.multilabel_margin_loss(
        T.tensor([65504.0, 65504.0, float("inf")], dtype=T.float16), T.tensor([float("nan")]).expand(3)),
    "multilabel_margin_loss_huge_target": lambda T: T.nn.functional.multilabel_margin_loss(
        T.ones(3), T.tensor([1e30, 2, -1])),
    "expand_bool_type": lambda T: T.expand_copy(T.ones(3, 3, 1, dtype=T.bool), []),
    "expand_complex_type": lambda T: T.ones(2, 2, dtype=T.complex64).expand(2),
    "expand_bfloat16_type": lambda T: T.ones(2, 2, dtype=T.bfloat16).expand(2),
    "linalg_vander_storage": lambda T: T.linalg.vander(T.tensor(-0.0), N=INT64_MAX),
    "linalg_vander_strides": lambda T: T.linalg.vander(T.ones(3, 0).t(), N=INT64_MAX),
    "linalg_vander_int_storage": lambda T: T.linalg.vander(T.tensor([1, 2]), N=2 ** 61),
}


@_cases(MORE_CHECKS)
def test_more_checks(fn: Callable) -> None:
    check_error(fn)


def test_group_norm_reduced_floats() -> None:
    """float32 parameters on a reduced-float input are torch's one mixed case."""
    check(lambda T, x: T.group_norm(x.to(T.float16), 2, T.ones(4), T.zeros(4)), [np.arange(8.0).reshape(2, 4)],
          grad=False)
