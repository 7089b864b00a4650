"""Factorisations of empty matrices and empty batches (NumPy's reshape error leaked): linalg.ldl_factor(_ex),
geqrf."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check


@pytest.mark.parametrize("shape", [(0, 0), (2, 0, 0), (0, 3, 3)])
def test_ldl_factor_empty(shape: tuple) -> None:
    check(lambda T, a: T.linalg.ldl_factor_ex(a), [np.zeros(shape)], grad=False)
    check(lambda T, a: T.linalg.ldl_factor(a), [np.zeros(shape, np.float32)], grad=False)


@pytest.mark.parametrize("shape", [(5, 0), (0, 5), (0, 0), (2, 3, 0), (0, 3, 2)])
def test_geqrf_empty(shape: tuple) -> None:
    check(lambda T, a: T.geqrf(a), [np.zeros(shape)], grad=False)
