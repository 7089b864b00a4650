"""Differences session 18's deep fuzz sweep (25 calls per callable over the whole table) found, each as a fixed
differential case: clamp's number bounds on a floating input, which torch's meta function never promotes."""
from __future__ import annotations

from typing import Callable

import pytest

from harness import check

CASES: dict[str, Callable] = {
    # a floating self is clamp's result dtype: bounds past int64 are read as its floats, not promoted (uint64)
    "clamp__float_int_beyond_int64": lambda T: T.tensor(0.0).clamp_(min=149, max=2 ** 63),
    "clip__float_int_beyond_int64": lambda T: T.tensor([0.0, 1e30]).clip_(min=149, max=2 ** 63),
    "clamp__bool_and_beyond": lambda T: T.tensor([1.0, 2.0]).clamp_(True, 2 ** 63),
    "clamp__bfloat16_beyond": lambda T: T.tensor([1.0, 2.0], dtype=T.bfloat16).clamp_(1, 2 ** 63),
    "clamp__float16_overflow": lambda T: T.tensor([1.0, 2.0], dtype=T.float16).clamp_(1, 2 ** 63),
    "clamp__float_complex_zero_imag": lambda T: T.tensor([1.0, 2.0]).clamp_(min=1 + 0j),
    "clamp__float_complex": lambda T: T.tensor([1.0, 2.0]).clamp_(min=1 + 1j),
    "clamp__int_beyond_int64": lambda T: T.tensor([1, 2]).clamp_(min=1, max=2 ** 63),
    "clamp__int_float_bound": lambda T: T.tensor([1, 2]).clamp_(min=1.5),
}


@pytest.mark.parametrize("name", list(CASES))
def test_case(name: str) -> None:
    check(CASES[name], [], grad=False)


def test_empty_float8_of_huge_rows() -> None:
    """An empty float8 result with 2**63 - 1 rows: minitorch holds it (one byte an element), and the harness
    compares its dtype and shape (its float copy would be beyond NumPy's sizes)."""
    check(lambda T: T.eye(2 ** 63 - 1, 0, dtype=T.float8_e4m3fn), [], grad=False)
