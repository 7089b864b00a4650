"""float16 products and scans round as torch's CPU kernels (issue 10, class 2): prod multiplies in float16 in
its kernel's order, cumsum/cumprod accumulate in float32 after casting to the requested dtype."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

from harness import check

_RNG = np.random.default_rng(0)
CASES: dict[str, tuple[Callable[..., Any], tuple]] = {
    "prod_all": (lambda T, x: x.prod(), (2000,)),
    "prod_all_threads": (lambda T, x: x.prod(), (40000,)),
    "prod_inner": (lambda T, x: x.prod(1), (7, 300)),
    "prod_inner_keepdim": (lambda T, x: x.prod(-1, keepdim=True), (3, 4, 70)),
    "prod_outer": (lambda T, x: x.prod(0), (300, 7)),
    "prod_transposed": (lambda T, x: x.t().prod(0), (7, 300)),
    "prod_permuted_all": (lambda T, x: x.t().prod(), (30, 70)),
    "prod_dtype": (lambda T, x: x.double().prod(0, dtype=T.float16), (300,)),
    "cumprod": (lambda T, x: x.cumprod(0), (2000,)),
    "cumsum_dtype": (lambda T, x: (x.double() * 100).cumsum(0, dtype=T.float16), (2000,)),
    "cumprod_dtype": (lambda T, x: x.double().cumprod(0, dtype=T.float16), (300,)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_half_products(name: str) -> None:
    fn, shape = CASES[name]
    x = _RNG.uniform(0.9, 1.1, shape).astype(np.float16)
    check(fn, [x], grad=False, rtol=0, atol=0)


def test_cumsum_dtype_casts_first() -> None:
    check(lambda T, x: x.cumsum(0, dtype=T.float16), [np.full(5, 0.1)], grad=False, rtol=0, atol=0)
