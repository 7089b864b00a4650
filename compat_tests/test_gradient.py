"""torch.gradient against torch: every overload (uniform spacings, per-dim numbers, coordinate tensors, dims),
both edge orders, integer input, values and first/second-order gradients, and torch's errors."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check, check_error

RNG = np.random.default_rng(3)
X = RNG.standard_normal((4, 5))
COORDS = np.array([0.0, 0.5, 1.5, 3.0])


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient(edge_order: int) -> None:
    def fn(T, x, c):
        return (T.gradient(x, edge_order=edge_order), T.gradient(x, spacing=2.0, edge_order=edge_order),
                T.gradient(x, dim=1, edge_order=edge_order), T.gradient(x, spacing=[1.0, 3.0], edge_order=edge_order),
                T.gradient(x, spacing=(c.detach(),), dim=0, edge_order=edge_order),
                T.gradient(x, spacing=(c.detach(), T.arange(5.0, dtype=x.dtype)), edge_order=edge_order),
                T.gradient(x, spacing=0.5, dim=(1, 0), edge_order=edge_order),
                T.gradient(x, spacing=[2.0], dim=[-1], edge_order=edge_order), T.gradient(x[0], edge_order=edge_order),
                T.gradient(T.arange(5), edge_order=edge_order))
    check(fn, [X, COORDS], second_order=True)
    check(fn, [X.astype(np.float32), COORDS.astype(np.float32)])


ERRORS = [
    lambda T: T.gradient(T.ones(3), "x"),
    lambda T: T.gradient(T.ones(3), spacing="x"),
    lambda T: T.gradient(T.ones(1)),
    lambda T: T.gradient(T.ones(2), edge_order=2),
    lambda T: T.gradient(T.ones(3), edge_order=3),
    lambda T: T.gradient(T.ones(3, 4), spacing=[T.arange(3.0)]),
    lambda T: T.gradient(T.ones(3, 4), spacing=[1.0, 2.0], dim=0),
    lambda T: T.gradient(T.ones(3, 4), dim=(0, 0)),
    lambda T: T.gradient(T.ones(3, 4), dim=2),
    lambda T: T.gradient(T.ones(3, dtype=T.uint8)),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors(index: int) -> None:
    check_error(ERRORS[index])
