"""Errors, their order and warnings as torch's (session 17, round 2 of issue 10).

- bincount counts in weights.to(double): complex weights warn as torch's copy ("Casting complex values to real").
- log_softmax/softmax with a dtype convert the input before wrapping dim: a conversion to complex32 warns first.
- _safe_softmax tests -inf by isneginf (refused for a complex input) and zeroes dead rows of a complex32 result.
"""
from __future__ import annotations

from typing import Any

import pytest

from harness import check, check_error
from test_checks17 import _same_as_in_a_fresh_process


# ---- warnings of conversions ------------------------------------------------------------------------------------
@pytest.mark.parametrize("weights", ["complex128", "complex64", "complex32", "float16"])
def test_bincount_converts_its_weights_as_torch(weights: str) -> None:
    _same_as_in_a_fresh_process(lambda T: T.bincount(T.tensor([1, 2], dtype=T.uint8),
                                                     weights=T.ones(2, dtype=getattr(T, weights))))


@pytest.mark.parametrize("name", ["log_softmax", "softmax", "_safe_softmax"])
@pytest.mark.parametrize("input", ["bool", "float16", "complex64"])
def test_softmax_converts_before_the_dim_check(name: str, input: str) -> None:
    def fn(T: Any) -> Any:
        x = T.ones((), dtype=getattr(T, input))
        return getattr(T, name)(x, 3, dtype=T.complex32)
    _same_as_in_a_fresh_process(fn)


@pytest.mark.parametrize("dtype", ["complex64", "complex32"])
def test_safe_softmax_refuses_a_complex_input_at_isneginf(dtype: str) -> None:
    check_error(lambda T: T._safe_softmax(T.ones(2, 0, dtype=getattr(T, dtype)), 1))


def test_safe_softmax_of_an_empty_complex32_result() -> None:
    _same_as_in_a_fresh_process(lambda T: T._safe_softmax(T.ones(2, 0, dtype=T.float16), 1, dtype=T.complex32))


def test_safe_softmax_zeroes_rows_of_minus_infinity() -> None:
    check(lambda T: T._safe_softmax(T.tensor([[1., float("-inf")], [float("-inf")] * 2]), 1), ())
