"""Sizes at int64's limits (issue 10): torch's size arithmetic and its errors ("numel: integer multiplication
overflow", "Storage size calculation overflowed", "Stride calculation overflowed", negative dimensions, the
allocator's refusal) in the order torch meets them, never NumPy's; Scalar arguments that do not fit the type a
kernel reads them as; doubles printed in messages as C++ prints them. Every case runs under torch and minitorch
(``harness.check``/``check_error``)."""
from __future__ import annotations

from typing import Any, Callable

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
