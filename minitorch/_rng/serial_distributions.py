"""``cauchy_``, ``log_normal_`` and ``geometric_``: torch's serial double kernels (one draw per element, in
memory order, computed in double with libm and cast to the tensor's dtype).

* ``cauchy_(median, sigma)``: ``median + sigma * tan(pi * (U53() - 0.5))``;
* ``log_normal_(mean, std)``: ``exp`` of the serial ``normal_(mean, std)`` double (its cached second sample
  included);
* ``geometric_(p)``: ``ceil(log(U53()) / log1p(-p))``, for integer tensors too.

The ``a * b + c`` of cauchy rounds once on the FMA path, as the serial normal's.
"""
from __future__ import annotations

import math

import numpy as np

from .._dtype import from_numpy_dtype
from . import libm
from .._ops.cpp_format import cpp_double
from .checks import FLOATS, require_float, scalar_name
from .cpu_path import uses_fma
from .engine import Generator, resolve
from .fp import fma64
from .layout import write
from .normal import cast_double, serial_values

_INTEGERS_AND_FLOATS = "iuf"


def cauchy_(out: np.ndarray, median: float = 0.0, sigma: float = 1.0, gen: Generator | None = None) -> np.ndarray:
    if not sigma > 0.0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={cpp_double(sigma)}")
    if np.dtype(out.dtype) not in FLOATS:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {from_numpy_dtype(out.dtype).cpp_name}")
    if out.size:
        spread = libm.apply(math.tan, math.pi * (resolve(gen).uniform53(out.size) - 0.5))
        v = fma64(sigma, spread, median) if uses_fma() else median + sigma * spread
        write(out, cast_double(v, out.dtype))
    return out


def log_normal_(out: np.ndarray, mean: float = 1.0, std: float = 2.0, gen: Generator | None = None) -> np.ndarray:
    if not std > 0.0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={cpp_double(std)}")
    if out.size:  # (torch's kernel, and its dtype check, only run for a non-empty tensor)
        require_float(out.dtype, "log_normal_cpu")
        normals = serial_values(resolve(gen), out.size, mean, std, np.dtype(np.float64))
        write(out, cast_double(libm.apply(_exp, normals), out.dtype))
    return out


def geometric_(out: np.ndarray, p: float, gen: Generator | None = None) -> np.ndarray:
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={cpp_double(p)}")
    if out.size and out.dtype.kind not in _INTEGERS_AND_FLOATS:  # (an empty tensor reaches no kernel)
        raise NotImplementedError(f"\"geometric_cpu\" not implemented for '{scalar_name(out.dtype)}'")
    if out.size:
        v = np.ceil(libm.apply(_log, resolve(gen).uniform53(out.size)) / math.log1p(-p))
        write(out, cast_double(v, out.dtype) if out.dtype.kind == "f" else v.astype(out.dtype))
    return out


def _exp(v: float) -> float:
    """libm's exp, which overflows to inf (Python's raises)."""
    try:
        return math.exp(v)
    except OverflowError:
        return math.inf


def _log(u: float) -> float:
    """libm's log of a uniform, which is -inf at 0 (Python's raises)."""
    return math.log(u) if u > 0 else -math.inf
