"""Session 18's lead fixes: logit's backward by torch's loop (its vectorized body and its scalar lambda treat 0, -0,
a NaN x and a NaN eps apart), checked over lengths that put elements in both; the non-leaf .grad warning."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check

NAN, INF = float("nan"), float("inf")


def _values(dt: type, n: int) -> np.ndarray:
    info = np.finfo(dt)
    base = np.array([0., -0., 1., -1., 0.5, -2.5, float(info.max), INF, -INF, NAN, 0.05, 0.95, 0.3, 1e-20], dt)
    return np.resize(base, n)


@pytest.mark.parametrize("dt", [np.float32, np.float64, np.float16], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("n", [7, 20, 37, 70])
@pytest.mark.parametrize("eps", [None, 0.1, NAN, -3.0, 0.0])
def test_logit_backward_lanes(dt: type, n: int, eps: float | None) -> None:
    check(lambda T, x: x.logit(eps), [_values(dt, n)])
