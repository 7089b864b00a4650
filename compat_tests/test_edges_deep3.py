"""Silent value and gradient mismatches and refusals the fourth deep fuzz sweep found (issue 10), each class with
differential cases that would have caught it."""
from __future__ import annotations

from typing import Callable

import numpy as np
import pytest

from harness import check

NAN = float("nan")
INF = float("inf")
HALF, FLOAT, DOUBLE = np.float16, np.float32, np.float64
DMAX = float(np.finfo(DOUBLE).max)

# (fn, input arrays, check's options)
CASES: dict[str, tuple[Callable, list, dict]] = {
    # complex and polar set each part on its own: an infinite part never meets the other part's zero (inf * 0j)
    **{"complex_infinite_parts_%s" % np.dtype(dt).name: (
        lambda T, re, im: T.complex(re, im),
        [np.array([-INF, INF, -INF, 1., NAN], dt), np.array([NAN, 1., INF, -INF, 0.], dt)], {})
       for dt in (HALF, FLOAT, DOUBLE)},
    "complex_broadcast_infinite_real": (lambda T, re, im: T.complex(re, im),
                                        [np.array(-INF), np.array([[NAN], [-DMAX], [INF]])], {}),
    **{"polar_infinite_abs_%s" % np.dtype(dt).name: (
        lambda T, r, theta: T.polar(r, theta),
        [np.array([INF, INF, INF, NAN, INF, 1.], dt), np.array([0., 1., 3., 1., NAN, -INF], dt)], {})
       for dt in (FLOAT, DOUBLE)},
    # ldexp's exponent gradient multiplies the gradient by the result (self * 2 ** other), not by self first: a
    # float16 gradient times a tiny self underflows to 0 (then 0 * inf), times a large one overflows differently
    **{"ldexp_half_exponent_grad_scale_%s" % scale: (
        (lambda scale: lambda T, x, e: T.ldexp(x, e) * scale)(scale),
        [np.array([6e-8, 6e4, 2., 0.], HALF), np.array([INF, 10., 16., INF], HALF)], {})
       for scale in (0.5, 1e-3, -0.25)},
    "ldexp_float32_exponent_grad": (lambda T, x, e: T.ldexp(x, e) * 1e-30,
                                    [np.array([1e-45, 3e38, 1.], FLOAT), np.array([INF, 2., 127.], FLOAT)], {}),
}


@pytest.mark.filterwarnings("ignore:ComplexHalf support is experimental")  # both libraries warn for complex32
@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str) -> None:
    fn, arrays, options = CASES[name]
    check(fn, arrays, **options)
