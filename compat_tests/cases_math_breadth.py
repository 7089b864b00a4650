"""Op-table cases for the breadth of torch's top-level math: angle conversion, sign and floating-point
decomposition, gcd/lcm, heaviside, ldexp, float_power; statistics, searching, windows and creation helpers."""
from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from op_table import OpCase, binary, ndarray, unary
from strategies import ALL, FLOATS, INTS, array, broadcast_shapes

NUMERIC = FLOATS + INTS


def _pair(draw: Any, dtype: str, domain: str | None = None, other_dtype: str | None = None) -> list:
    """Two broadcastable arrays (the second of ``other_dtype``, default ``dtype``)."""
    a, b = draw(broadcast_shapes(2))
    return [array(draw, dtype, tuple(a), domain), array(draw, other_dtype or dtype, tuple(b), domain)]


POINTWISE = [
    unary("deg2rad", dtypes=ALL), unary("rad2deg", dtypes=ALL),
    unary("signbit", dtypes=ALL, edge=True, grad=False),
    unary("positive", dtypes=NUMERIC),
    OpCase("frexp", lambda T, x: T.frexp(x), dtypes=FLOATS, edge=True),
    OpCase("frexp_method", lambda T, x: x.frexp().mantissa * 3),
    binary("copysign", dtypes=ALL, edge=True),
    OpCase("copysign_scalar", lambda T, x: (T.copysign(x, -2.0), x.copysign(0.0))),
    binary("nextafter", edge=True),
    binary("gcd", dtypes=INTS), binary("lcm", dtypes=INTS),
    OpCase("gcd_lcm_inplace", lambda T, x, y: (x.clone().gcd_(y), T.lcm_(x.clone(), y)), inputs=lambda d, t: [
        array(d, t, (3,)), array(d, t, (3,))], dtypes=INTS),
    binary("heaviside", dtypes=ALL, grad=False),
    OpCase("ldexp", lambda T, x, e: T.ldexp(x, e), inputs=lambda d, t: _pair(d, t, "small", "int64")),
    OpCase("ldexp_float_exponent", lambda T, x, e: (T.ldexp(x, e), x.clone().ldexp_(e)),
           inputs=lambda d, t: _pair(d, t, "small")),
    OpCase("float_power", lambda T, x, y: T.float_power(x, y), inputs=lambda d, t: _pair(d, t, "positive"),
           dtypes=NUMERIC),
    OpCase("float_power_scalars", lambda T, x: (T.float_power(x, 2), T.float_power(1.5, x), x.float_power(-0.5)),
           domain="positive", dtypes=NUMERIC),
    OpCase("float_power_inplace", lambda T, x: (x * 1).float_power_(3), dtypes=("float64",)),
    OpCase("inplace_functions", lambda T, x: (T.exp_(x * 1), T.arccos_(x / 4), T.relu_(x - 1), T.round_(x * 1, decimals=1),
                                              T.deg2rad_(x * 1), T.xlogy_(x * 1, 2.0)), domain="small"),
]

CASES = POINTWISE
