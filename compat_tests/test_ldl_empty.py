"""linalg.ldl_factor(_ex) of empty matrices and empty batches (NumPy's reshape error leaked)."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check


@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0), (0, 3, 3)])
def test_ldl_factor_empty(shape: tuple) -> None:
    check(lambda T, a: T.linalg.ldl_factor_ex(a), [np.zeros(shape)], grad=False)
    check(lambda T, a: T.linalg.ldl_factor(a), [np.zeros(shape, np.float32)], grad=False)
