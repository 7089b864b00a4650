"""searchsorted at its edges: empty boundaries or values, 0-d operands (torch's first error)."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check

SHAPES = [((), ()), ((), (2,)), ((0,), (0,)), ((0,), (3,)), ((2, 0), (2, 3)), ((0, 3), (0, 2)), ((3,), ()),
          ((2, 3), ()), ((0,), ()), ((2, 0), (2, 0))]


@pytest.mark.parametrize("boundaries,values", SHAPES)
def test_searchsorted_shapes(boundaries: tuple, values: tuple) -> None:
    b, v = np.zeros(boundaries, np.float32), np.ones(values, np.float32)
    check(lambda T, b, v: T.searchsorted(b, v), [b, v], grad=False)
    check(lambda T, b: T.searchsorted(b, 1.0, right=True), [b], grad=False)
