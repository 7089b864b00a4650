"""Values at the extremes and dtype= paths found by deep fuzz sweep 12 and session 12's deep OpInfo run (session 13).

Reductions with ``dtype=`` convert their input to that dtype first (torch's make_reduction on CPU): a float64 input
summed with dtype=bfloat16 is rounded to bfloat16 element by element and accumulated in float32 (minitorch rounded
it to float32 and summed: 5.1875 where torch has 5.1562); a float16/bfloat16 mean sums with dtype=float32 and rounds
the quotient. Their derivatives follow derivatives.yaml: prod's takes ``self.to(grad's dtype)`` (a float64 input's
bfloat16 product: the gradient in bfloat16, then float64; minitorch divided by the float64 input), cumsum's and
cumprod's take ``grad.to(self's dtype)`` (minitorch scanned the bfloat16 gradient).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check

INF, NAN = float("inf"), float("nan")

_REDUCTIONS = {
    "sum": lambda T, x, dt: (x.sum(dtype=dt), x.sum(1, dtype=dt)),
    "nansum": lambda T, x, dt: x.nansum(1, dtype=dt),
    "mean": lambda T, x, dt: (x.mean(dtype=dt), x.mean(1, dtype=dt)),
    "prod": lambda T, x, dt: x.prod(dtype=dt),
    "prod_dim": lambda T, x, dt: x.prod(1, dtype=dt),
    "cumsum": lambda T, x, dt: x.cumsum(1, dtype=dt),
    "cumprod": lambda T, x, dt: x.cumprod(1, dtype=dt),
}


# ---- reductions with dtype=: the input converted first, the derivative in derivatives.yaml's dtype --------------
@pytest.mark.parametrize("name", list(_REDUCTIONS))
@pytest.mark.parametrize("source,target", [("float64", "bfloat16"), ("float64", "float16"), ("float32", "bfloat16"),
                                           ("float64", "float32"), ("float16", "bfloat16"), ("float32", "float64")])
def test_reduction_dtype_converts_first(name: str, source: str, target: str) -> None:
    x = np.random.default_rng(0).standard_normal((3, 5)) * 7
    exact = target in ("float16", "bfloat16")  # (a float32 sum's last ulp is its kernel's summation order)
    check(lambda T, x: _REDUCTIONS[name](T, x.to(getattr(T, source)), getattr(T, target)), [x],
          rtol=0 if exact else None, atol=0 if exact else None)


def test_prod_dtype_gradient_of_an_expanded_input() -> None:
    """Sweep 12's line: the gradient of a bfloat16 product of a float64 input is computed in bfloat16."""
    check(lambda T, x: x.expand(2, 2, 2).prod(dtype=T.bfloat16), [np.full((1, 1, 1), -9.999999999999998)],
          rtol=0, atol=0)
