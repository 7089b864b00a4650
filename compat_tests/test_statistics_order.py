"""quantile/nanquantile and histc check their arguments in torch's order: the error torch raises first for
an input with several faults is the one minitorch raises."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check_error

INTS, FLOATS, EMPTY = np.array([1, 2]), np.array([1.0, 2.0], np.float32), np.zeros(0, np.float32)
CASES = {
    "q range before the dtype": (lambda T, x: T.quantile(x, 1.5), INTS),
    "interpolation before the dtype": (lambda T, x: T.quantile(x, 0.5, interpolation="floor"), INTS),
    "q range before interpolation": (lambda T, x: T.quantile(x, 1.5, interpolation="floor"), FLOATS),
    "q dims before the dtype": (lambda T, x: T.quantile(x, T.ones(2, 2)), INTS),
    "q dims before q dtype": (lambda T, x: T.quantile(x, T.ones(2, 2, dtype=T.float64)), FLOATS),
    "interpolation before emptiness": (lambda T, x: T.quantile(x, 0.5, interpolation="x"), EMPTY),
    "emptiness before q values": (lambda T, x: T.quantile(x, T.tensor([2.0])), EMPTY),
    "nanquantile interpolation": (lambda T, x: T.nanquantile(x, 0.5, interpolation="floor"), INTS),
    "histc range given before the dtype": (lambda T, x: T.histc(x, bins=3, min=2 ** 63), INTS),
    "histc bins before the dtype": (lambda T, x: T.histc(x, bins=0), INTS),
    "histc infinite range before the dtype": (lambda T, x: T.histc(x, min=float("inf"), max=1), INTS),
    "histc dtype": (lambda T, x: T.histc(x), INTS),
}


@pytest.mark.parametrize("case", CASES)
def test_first_error(case: str) -> None:
    fn, value = CASES[case]
    check_error(fn, [value])
