"""torch.special's orthogonal polynomials and Bessel functions, differential against torch: values (float32
computed in float32) and torch's refusal to differentiate them (their results do not require grad).

Not compared: NaN arguments to the polynomials, for which torch returns an uninitialised value (its
recurrence loop stops on NaN before assigning its result)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check, check_error

POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
               "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p"]
TOL = {"float64": {"rtol": 1e-10, "atol": 1e-10}, "float32": {"rtol": 1e-4, "atol": 1e-5}}

# inside, on the ends of and outside [-1, 1] and [0, 1]; degrees -1 (zero) to 13 (the trigonometric forms)
_X, _N = np.meshgrid(np.concatenate([np.linspace(-1.5, 1.5, 13), [-1, 0, 1, 0.5, 3.5, -7.25]]), np.arange(-1, 14))


@pytest.mark.parametrize("name", POLYNOMIALS)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_polynomials(name: str, dtype: str) -> None:
    def fn(T: Any, x: Any, n: Any) -> tuple:
        f = getattr(T.special, name)
        return f(x, n), f(x, 3)
    check(fn, [_X.astype(dtype), _N.astype(dtype)], **TOL[dtype])
    # a Python number with an integer tensor, two integer tensors: the default dtype
    check(lambda T, x, n: (getattr(T.special, name)(0.5, n), getattr(T.special, name)(x, n)),
          [_X.astype("int32"), _N], **TOL["float32"])


@pytest.mark.parametrize("fn", [
    lambda T: T.special.hermite_polynomial_h(T.ones(2), T.ones(3)),
    lambda T: T.special.legendre_polynomial_p(T.ones(2), "a"),
    lambda T: T.special.laguerre_polynomial_l(1.0, 2.0),
])
def test_polynomial_errors(fn: Any) -> None:
    check_error(fn)


BESSEL = ["bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0", "modified_bessel_i1",
          "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
          "airy_ai"]
# both sides of 0, the series/expansion crossovers (|x| = 20 for J and Y, 30 for K, -8 and 2 for Ai), tiny and
# huge arguments, and the special values
_POINTS = np.concatenate([np.linspace(-40, 40, 641), np.geomspace(1e-8, 700, 60), -np.geomspace(1e-8, 150, 60),
                          [0.0, np.inf, -np.inf, np.nan]])
# torch's float64 kernels for J, Y and Ai are accurate to a few 1e-6 only (measured against SciPy, with which
# minitorch agrees to 1e-9 or better), its I and K ones to double precision: the tolerances say so.
_ROUGH = ("bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "airy_ai")


def _tolerance(name: str, dtype: str) -> dict:
    if dtype == "float32":
        return {"rtol": 2e-5, "atol": 1e-5 if name == "airy_ai" else 1e-6}
    return {"rtol": 1e-6, "atol": 5e-6} if name in _ROUGH else {"rtol": 1e-12, "atol": 1e-14}


@pytest.mark.parametrize("name", BESSEL)
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_bessel_functions(name: str, dtype: str) -> None:
    check(lambda T, x: getattr(T.special, name)(x), [_POINTS.astype(dtype)], **_tolerance(name, dtype))


@pytest.mark.parametrize("name", BESSEL)
def test_bessel_of_integers_and_errors(name: str) -> None:
    check(lambda T, x: getattr(T.special, name)(x), [np.arange(-3, 4)], **_tolerance(name, "float32"))
    check_error(lambda T: getattr(T.special, name)(T.ones(2), T.ones(2)))
    check_error(lambda T: getattr(T.special, name)([1.0]))
