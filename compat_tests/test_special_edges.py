"""torch.special at its edges. float16: most of its CPU kernels exist in single and double precision only, and
torch refuses half precision with the kernel's name (i1 and i1e compute it, but not their derivatives). zeta:
Cephes' order of its domain checks."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check

UNARY = ("airy_ai", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0", "modified_bessel_i1",
         "modified_bessel_k0", "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
         "spherical_bessel_j0", "erfcx", "ndtri", "log_ndtr", "i1", "i1e")
BINARY = ("chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v", "chebyshev_polynomial_w",
          "shifted_chebyshev_polynomial_t", "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
          "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he", "laguerre_polynomial_l",
          "legendre_polynomial_p", "zeta")
X = np.array([0.25, 1.5], np.float16)


@pytest.mark.parametrize("name", UNARY)
def test_unary_half(name: str) -> None:
    check(lambda T, x: getattr(T.special, name)(x), [X])


@pytest.mark.parametrize("name", BINARY)
def test_binary_half(name: str) -> None:
    check(lambda T, x, n: getattr(T.special, name)(x, n), [X, np.array([2.0, 3.0], np.float16)], grad=False)
    check(lambda T, x: getattr(T.special, name)(x, 2), [X.astype(np.float32)], grad=False)


def test_zeta_domain_checks_in_cephes_order() -> None:
    """s < 1 is outside the domain (nan) even where q is a pole (q a non-positive integer)."""
    values = np.array([-1e308, -2.5, -2.0, -0.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, np.nan])
    s, q = np.meshgrid(values, values)
    check(lambda T, s, q: T.special.zeta(s, q), [s, q], grad=False)
