"""Special functions of float32 inputs computed as torch's kernels compute them, in float (typed_math): at the
extremes (huge arguments where float's argument reduction loses everything, int32 extremes promoted to float32,
near zeros, tails, overflow of intermediate values) the float result is far from the double one rounded, and
torch's is the float one. Compared at float32's default tolerances (and float64's, on the same grid), with the
values the deep fuzzer found.

float64 differs from torch on purpose in two places (torch bugs, listed in fuzz_calls.DISAGREEMENTS): torch's port
of Cephes drops the implicit leading 1 of four denominators (J0/J1/Y0/Y1 between 5 and 8, Ai just below -2.09);
those stay with mpmath, and float32 is within tolerance of torch there."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from harness import check, check_error

_RNG = np.random.default_rng(20261206)
_SPECIAL = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-45, -1e-45, 1.1754944e-38, 3.4028235e38, -3.4028235e38,
                     2147483647.0, -2147483648.0, 2.0, 5.0, 8.0, 2.09, -2.09, 8.3203353, 103.892, 1e-5, 0.5])
# a grid through the branch points, magnitudes from subnormal to float's largest (both signs), the specials
_WIDE = np.concatenate([np.linspace(-12, 12, 1201), 10 ** _RNG.uniform(-45, 38.5, 600),
                        -10 ** _RNG.uniform(-45, 38.5, 600), _SPECIAL]).astype(np.float32)
# ints whose float32 conversions are huge: torch's float argument reduction of these is exact garbage
_INT32 = np.array([2147483647, -2147483648, 2147483646, 16777217, -16777217, 1000000007, 0, 1, -1], np.int32)

UNARY = ["special.bessel_j0", "special.bessel_j1", "special.bessel_y0", "special.bessel_y1",
         "special.modified_bessel_i0", "special.modified_bessel_i1", "special.modified_bessel_k0",
         "special.modified_bessel_k1", "special.scaled_modified_bessel_k0", "special.scaled_modified_bessel_k1",
         "special.airy_ai", "special.spherical_bessel_j0", "i0", "special.i0e", "special.i1", "special.i1e",
         "special.erfcx", "special.ndtri", "special.log_ndtr", "lgamma", "digamma", "special.entr"]


def _call(T: Any, name: str, *args: Any) -> Any:
    f: Any = T
    for part in name.split("."):
        f = getattr(f, part)
    return f(*args)


@pytest.mark.parametrize("name", UNARY)
def test_unary_float32_wide(name: str) -> None:
    check(lambda T, x: _call(T, name, x), [_WIDE], grad=False)


@pytest.mark.parametrize("name", UNARY)
def test_unary_int32_extremes_promote_to_float32(name: str) -> None:
    check(lambda T, x: _call(T, name, x), [_INT32], grad=False)


@pytest.mark.parametrize("name", UNARY)
def test_unary_float64_same_grid(name: str) -> None:
    x = _WIDE.astype(np.float64)
    if name in ("special.bessel_j0", "special.bessel_j1", "special.bessel_y0", "special.bessel_y1",
                "special.airy_ai"):
        x = x[(np.abs(x) < 2.09) | (np.abs(x) > 9)]  # torch's float64 bug between (see the module docstring)
    check(lambda T, x: _call(T, name, x), [x], grad=False)


def test_the_fuzzers_values() -> None:
    """The calls of the deep sweeps: airy_ai of float's extremes, J0/J1/Y1 of int32 extremes, scaled K1 of the
    smallest subnormal, the spherical j0 at infinity (0, not NaN)."""
    check(lambda T, x: T.special.airy_ai(x), [np.array([8.07199764251709, 3.4028234663852886e+38,
                                                         -3.4028234663852886e+38, -1e30], np.float32)], grad=False)
    for name in ("bessel_j0", "bessel_j1", "bessel_y1"):
        check(lambda T, x: getattr(T.special, name)(x), [np.array([2147483647, -2147483648], np.int32)], grad=False)
    check(lambda T, x: T.special.scaled_modified_bessel_k1(x), [np.array([1.401298464324817e-45], np.float32)],
          grad=False)
    check(lambda T, x: T.special.spherical_bessel_j0(x), [np.array([np.inf, -np.inf, 1.5967178], np.float32)],
          grad=False)


# polygamma: torch's n! is exp(lgamma(n + 1)) in the type (inf in float32 from n = 35) and zeta's first term is
# the type's pow (q^-(n+1) overflows float for small q)
@pytest.mark.parametrize("n", [1, 2, 3, 6, 34, 35, 60])
def test_polygamma_float32(n: int) -> None:
    x = np.concatenate([np.linspace(-8, 8, 161), [1e-3, 1e-10, 0.03, 50.0, 1e4, 1e30, np.inf, -np.inf, np.nan]])
    check(lambda T, x: T.polygamma(n, x), [x.astype(np.float32)], grad=False)
    check(lambda T, x: T.polygamma(n, x), [x[np.abs(x) < 1e4]], grad=False)


@pytest.mark.parametrize("s", [1.5, 2.0, 5.0, 30.0])
def test_zeta_float32(s: float) -> None:
    q = np.concatenate([np.linspace(-5.5, 20, 103), [1e-6, 1e-20, 3e38, np.inf]]).astype(np.float32)
    check(lambda T, q: T.special.zeta(T.tensor(s), q), [q], grad=False)


def test_ndtri_and_log_ndtr_tails() -> None:
    """ndtri's tails (torch's Cephes in float, where the double answer rounded is off), log_ndtr far below 0
    (x / sqrt 2 squared stays finite in float as torch computes it)."""
    p = np.concatenate([10.0 ** -np.arange(0, 45, 0.25), 1 - 10.0 ** -np.arange(1, 8, 0.25), [0, 1, -0.5, 1.5]])
    check(lambda T, p: T.special.ndtri(p), [p.astype(np.float32)], grad=False)
    check(lambda T, x: T.special.log_ndtr(x), [np.array([-2.5e19, -1e19, -1e5, -30, -1.5, 0.5, 9], np.float32)],
          grad=False)


def test_reduced_floats_compute_in_float32() -> None:
    x = np.linspace(-10, 10, 81).astype(np.float16)
    for name in ("i0", "special.i0e", "special.i1", "special.i1e", "lgamma", "digamma"):
        check(lambda T, x: _call(T, name, x), [x], grad=False)


POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
               "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "laguerre_polynomial_l", "legendre_polynomial_p"]


@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomials_of_int32_sized_degrees(name: str) -> None:
    """Degrees near 2**31 where torch answers by a closed form (the trigonometric one, n converted to float, or the
    interval's ends, or x = 0), at once: the recurrence runs only where no closed form applies; the fuzzer's calls
    (the argument a tiny double that float32 rounds to 0, a bool) are among them."""
    x = np.array([0.0, 1.0, -1.0, 0.5, 0.3, 0.999, -0.25, 2.2250738585072014e-308], np.float32)
    n = np.array([2147483647, 2147483646, -2147483648, 2147483647, 8, 2147483647, 1000000007, 2147483647], np.int32)
    if name in ("laguerre_polynomial_l", "legendre_polynomial_p"):  # no trigonometric form: huge degrees only at
        x = np.where(n == 8, x, np.float32(0.0 if name == "laguerre_polynomial_l" else 1.0))  # 0 or at 1
    call = lambda T, x, n: getattr(T.special, name)(x, n)  # noqa: E731
    check(call, [x, n], grad=False)
    if name != "legendre_polynomial_p":
        check(lambda T, n: getattr(T.special, name)(4.1748657892494894e-168, n), [n[n != 8]], grad=False)
        check(lambda T, n: getattr(T.special, name)(T.tensor(False), n), [n[n != 8]], grad=False)


def test_polygamma_inplace_checks_overlap_before_the_dtype() -> None:
    check_error(lambda T: T.tensor([[True]]).expand(1, 2).polygamma_(2))
    check_error(lambda T: T.tensor([[1.5]]).expand(1, 2).polygamma_(92233720368547))
    check_error(lambda T: T.tensor([[True, False]]).polygamma_(2))
