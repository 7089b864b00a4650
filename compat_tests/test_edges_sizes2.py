"""Sweep 4's size, factory and RNG checks (issue 10): the message torch gives and the order it checks in, for
arguments at int64's limits or the wrong kind. Every case runs under torch and minitorch (``harness.check_error``)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check, check_error
from test_nn_multiclass_losses import nn_binding

INT64_MAX, INT64_MIN = 2 ** 63 - 1, -2 ** 63


def _cases(table: dict[str, Callable]) -> Any:
    return pytest.mark.parametrize("fn", list(table.values()), ids=list(table))


# messages that name a dim name it wrapped (non-negative), as torch's maybe_wrap_dim leaves it
WRAPPED_DIM_MESSAGES = {
    "unflatten_last": lambda T: T.ones(2, 1).unflatten(-1, (2, 3)),
    "unflatten_first": lambda T: T.ones(2, 1).unflatten(-2, (2, 3)),
    "unflatten_huge": lambda T: T.ones(2, 1, dtype=T.long).unflatten(-1, (2, INT64_MAX, INT64_MAX)),
}


@_cases(WRAPPED_DIM_MESSAGES)
def test_wrapped_dim_in_message(fn: Callable) -> None:
    check_error(fn)


# a Scalar argument the kernel reads as a C int: outside int32 it overflows before the value is checked
C_INT_SCALARS = {
    "multi_margin_p_int64_min": lambda T: nn_binding(T, "multi_margin_loss")(
        T.zeros(3, 2), T.zeros(3, dtype=T.long), INT64_MIN),
    "multi_margin_p_beyond_int32": lambda T: nn_binding(T, "multi_margin_loss")(
        T.zeros(3, 2), T.zeros(3, dtype=T.long), 2 ** 31),
    "multi_margin_p_overflow_before_shapes": lambda T: nn_binding(T, "multi_margin_loss")(
        T.zeros(3, 0, dtype=T.bool), T.zeros(2, 3, 0, dtype=T.int16), INT64_MIN, -300, None, INT64_MIN),
    "multi_margin_p_three": lambda T: nn_binding(T, "multi_margin_loss")(T.zeros(3, 2), T.zeros(3, dtype=T.long), 3),
}


@_cases(C_INT_SCALARS)
def test_c_int_scalar_overflow(fn: Callable) -> None:
    check_error(fn)


def test_multi_margin_fractional_p_truncates() -> None:
    x = np.random.default_rng(0).standard_normal((3, 2))
    check(lambda T, x: nn_binding(T, "multi_margin_loss")(x, T.tensor([0, 1, 1]), 2.5), [x], second_order=True)


# factories whose own checks come before torch's refusal of pinned memory (and the device's before both)
PINNED_AFTER_ARGUMENTS = {
    "randperm_int64_min": lambda T: T.randperm(INT64_MIN, generator=None, pin_memory=True),
    "randperm_negative": lambda T: T.randperm(-1, pin_memory=True),
    "randperm_bool": lambda T: T.randperm(3, dtype=T.bool, pin_memory=True),
    "randperm_device_first": lambda T: T.randperm(INT64_MIN, device="cuda", pin_memory=True),
    "randint_like_tensor_high": lambda T: T.randint_like(T.zeros(0, 3, dtype=T.long), T.zeros(0, 3, dtype=T.long),
                                                         pin_memory=True),
    "randint_like_empty_range": lambda T: T.randint_like(T.zeros(3, dtype=T.long), 5, 2, pin_memory=True),
    "randint_like_scalar_tensor_high": lambda T: T.randint_like(T.zeros(3, dtype=T.long), T.tensor(3),
                                                                pin_memory=True),
    "randint_like_device_first": lambda T: T.randint_like(T.zeros(3, dtype=T.long), 3, device="cuda",
                                                          pin_memory=True),
}


@_cases(PINNED_AFTER_ARGUMENTS)
def test_pinned_memory_after_argument_checks(fn: Callable) -> None:
    check_error(fn)


def test_randperm_out_ignores_pin_memory() -> None:
    check(lambda T: T.randperm(3, out=T.zeros(2, dtype=T.long), pin_memory=True).sort().values, [])


# range checks its bounds' consistency on the values given, before an integer dtype truncates them (torch raises
# where a truncated range would have one element); arange's int64 length that wraps negative is an invalid size;
# both before the refusal of requires_grad for an integer result
RANGE_BOUNDS = {
    "range_int8_fraction_against_step": lambda T: T.range(False, 0.165, step=-1.37, dtype=T.int8,
                                                          requires_grad=True),
    "range_int64_down_to_fraction": lambda T: T.range(-0.5, 0, -1, dtype=T.int64),
    "range_int64_up_to_negative_fraction": lambda T: T.range(0, -0.5, 1, dtype=T.int64),
    "range_int64_fractions_reversed": lambda T: T.range(0.5, 0.2, 1, dtype=T.int64),
    "range_requires_grad_int": lambda T: T.range(0, 0, -1, dtype=T.int8, requires_grad=True),
    "arange_int64_span_wraps": lambda T: T.arange(INT64_MIN, 2, layout=None, requires_grad=True),
    "arange_int64_span_wraps_down": lambda T: T.arange(2, INT64_MIN, -1),
}


@_cases(RANGE_BOUNDS)
def test_range_bounds_before_truncation(fn: Callable) -> None:
    check_error(fn)


@pytest.mark.parametrize("bounds", [(0.2, 0.5, 1), (-0.9, -0.1, 1), (0, 2.5, 1.5)], ids=str)
def test_range_of_fractions_in_int64(bounds: tuple) -> None:
    check(lambda T: (T.range(*bounds, dtype=T.int64), T.arange(*bounds, dtype=T.int64)), [])


# autograd's refusal to write a leaf (or a view of one) that requires grad comes before uniform_'s bounds check
UNIFORM_LEAF_FIRST = {
    "nan_from": lambda T: T.tensor(0.0, dtype=T.float64, requires_grad=True).uniform_(float("nan")),
    "nan_to": lambda T: T.tensor(0.0, dtype=T.float64, requires_grad=True).uniform_(0, float("nan")),
    "reversed": lambda T: T.tensor(0.0, requires_grad=True).uniform_(2, 1),
    "view_reversed": lambda T: T.ones(2, requires_grad=True)[:1].uniform_(2, 1),
    "expanded_view_reversed": lambda T: T.ones(2, requires_grad=True).expand(2, 2).uniform_(2, 1),
    "expanded_reversed": lambda T: T.ones(2).expand(2, 2).uniform_(2, 1),
}


@_cases(UNIFORM_LEAF_FIRST)
def test_uniform_leaf_check_first(fn: Callable) -> None:
    check_error(fn)


def _slice_inverse_backward(T: Any, step: int) -> Any:
    a = T.ones(2, 1, 2, requires_grad=True)
    T.slice_inverse(a, T.ones(1, 2), dim=0, step=step).sum().backward()
    return a.grad


@pytest.mark.parametrize("step", [-2, 0])
def test_slice_inverse_backward_refuses_nonpositive_step(step: int) -> None:
    check_error(lambda T: _slice_inverse_backward(T, step))


# conv with a padding string checks the input's dims, then the string, before the bias dtype (int padding: the
# bias dtype first)
CONV_PADDING_STRING_ORDER = {
    "conv2d_same_dims_first": lambda T: T.conv2d(T.zeros(1, 3), T.ones(1, 1, 1, 1, dtype=T.float64),
                                                 bias=T.zeros(1, dtype=T.float64), padding="same"),
    "conv2d_bad_string_dims_first": lambda T: T.conv2d(T.zeros(1, 3, dtype=T.bool), T.tensor(-2.3, dtype=T.float64),
                                                       bias=T.zeros(0, 3, dtype=T.float64), stride=INT64_MIN,
                                                       padding="mean"),
    "conv2d_bad_string_before_bias": lambda T: T.conv2d(T.zeros(1, 1, 3, 3), T.ones(1, 1, 1, 1, dtype=T.float64),
                                                        bias=T.zeros(1, dtype=T.float64), padding="mean"),
    "conv2d_same_mixed_dtypes": lambda T: T.conv2d(T.zeros(1, 1, 3, 3), T.ones(1, 1, 1, 1, dtype=T.float64),
                                                   bias=T.zeros(1, dtype=T.float64), padding="same"),
    "conv1d_valid_dims_first": lambda T: T.nn.functional.conv1d(T.zeros(3), T.ones(1, 1, 1),
                                                                bias=T.zeros(1, dtype=T.float64), padding="valid"),
    "conv2d_int_padding_bias_first": lambda T: T.conv2d(T.zeros(1, 3), T.ones(1, 1, 1, 1),
                                                        bias=T.zeros(1, dtype=T.float64)),
}


@_cases(CONV_PADDING_STRING_ORDER)
def test_conv_padding_string_check_order(fn: Callable) -> None:
    check_error(fn)


# max_pool1d's own kernel checks its arguments, then its dtype at dispatch
MAX_POOL1D_ARGUMENTS_FIRST = {
    "stride_int64_min": lambda T: T.max_pool1d(T.zeros(3, 3, dtype=T.int16), 2, INT64_MIN),
    "stride_negative": lambda T: T.nn.functional.max_pool1d(T.zeros(3, 3, dtype=T.int16), 2, -1),
    "kernel_zero": lambda T: T.max_pool1d(T.zeros(3, 3, dtype=T.int16), 0),
    "padding_over_half": lambda T: T.max_pool1d(T.zeros(3, 3, dtype=T.int16), 2, 1, 3),
    "dilation_zero": lambda T: T.max_pool1d(T.zeros(3, 3, dtype=T.int16), 2, 1, 0, 0),
    "output_empty": lambda T: T.max_pool1d(T.zeros(3, 3, dtype=T.bool), 5),
    "dtype_last": lambda T: T.max_pool1d(T.zeros(3, 3, dtype=T.int16), 2, 1),
}


@_cases(MAX_POOL1D_ARGUMENTS_FIRST)
def test_max_pool1d_arguments_before_dtype(fn: Callable) -> None:
    check_error(fn)
