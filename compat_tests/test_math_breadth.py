"""Bad input to the breadth of torch's top-level math: torch's type and message for each refusal."""
from __future__ import annotations

import numpy as np
import pytest

from harness import check_error

X = np.array([0.5, -1.5, 0.0])
LONGS = np.array([4, 6, 9])

ERRORS = {
    "frexp_integers": lambda T, x, i: T.frexp(i),
    "float_power_inplace_float32": lambda T, x, i: x.float().float_power_(2),
    "heaviside_dtypes": lambda T, x, i: T.heaviside(x, i),
    "heaviside_backward": lambda T, x, i: T.heaviside(x.requires_grad_(), x).sum().backward(),
    "gcd_floats": lambda T, x, i: T.gcd(x, x),
    "lcm_bools": lambda T, x, i: T.lcm(i > 4, i > 5),
    "nextafter_integers": lambda T, x, i: T.nextafter(i, i),
    "positive_bool": lambda T, x, i: T.positive(i > 4),
    "copysign_inplace_integers": lambda T, x, i: i.copysign_(x),
    "deg2rad_inplace_integers": lambda T, x, i: T.deg2rad_(i),
    "ldexp_bool_exponent": lambda T, x, i: T.ldexp(x, i > 4),
}


@pytest.mark.parametrize("name", ERRORS)
def test_error(name: str) -> None:
    check_error(ERRORS[name], [X, LONGS])
