"""glibc's math functions, element by element, as torch's kernels call them.

torch's scalar kernels call libm, whose results are not always correctly rounded; NumPy's own
``np.log``/``np.sin`` differ from glibc on a fraction of inputs, so they are never used for random
streams. Python's ``math`` module calls the same libm for doubles; the float32 functions (logf,
sinf, cosf, atan2f) are reached through ctypes.
"""
from __future__ import annotations

import ctypes
import math
from typing import Callable

import numpy as np


def _typed_fn(lib: ctypes.CDLL, name: str, ctype: type) -> Callable[[float], float]:
    fn = getattr(lib, name)
    fn.restype = ctype
    fn.argtypes = [ctype]
    return fn


def _float_fn(lib: ctypes.CDLL, name: str) -> Callable[[float], float]:
    return _typed_fn(lib, name, ctypes.c_float)


def _open_libm() -> ctypes.CDLL:
    """The C math library: glibc's by its name; elsewhere as ``ctypes.util`` finds it (that module imports shutil
    and subprocess, and its search runs ldconfig: on Linux, most of ``import minitorch``'s cost of this module)."""
    try:
        return ctypes.CDLL("libm.so.6")
    except OSError:
        from ctypes.util import find_library  # (not a glibc system)
        return ctypes.CDLL(find_library("m"))


_libm = _open_libm()
logf = _float_fn(_libm, "logf")
lgamma = _libm.lgamma
lgamma.restype, lgamma.argtypes = ctypes.c_double, [ctypes.c_double]
lgammaf = _float_fn(_libm, "lgammaf")
sinf = _float_fn(_libm, "sinf")
cosf = _float_fn(_libm, "cosf")
atan2f = _libm.atan2f
atan2f.restype, atan2f.argtypes = ctypes.c_float, [ctypes.c_float, ctypes.c_float]
expf = _float_fn(_libm, "expf")
expm1f = _float_fn(_libm, "expm1f")
# (the double ones through ctypes too, where ``math``'s raise on overflow and domain errors: C returns inf or NaN)
c_sin, c_cos, c_exp, c_expm1 = (_typed_fn(_libm, name, ctypes.c_double) for name in ("sin", "cos", "exp", "expm1"))


def apply(fn: Callable[[float], float], x: np.ndarray, dtype: type = np.float64) -> np.ndarray:
    """``fn`` of every element of the 1-D array ``x``, as an array of ``dtype``."""
    return np.fromiter(map(fn, x.tolist()), dtype=dtype, count=x.size)


def apply_pairs(fn: Callable[[float, float], float], x: np.ndarray, y: np.ndarray,
                dtype: type = np.float64) -> np.ndarray:
    """``fn`` of every pair of elements of the 1-D arrays ``x`` and ``y``, as an array of ``dtype``."""
    return np.fromiter(map(fn, x.tolist(), y.tolist()), dtype=dtype, count=x.size)


def log(x: np.ndarray) -> np.ndarray:
    return apply(math.log, x)


def log1p(x: np.ndarray) -> np.ndarray:
    return apply(math.log1p, x)


def sin(x: np.ndarray) -> np.ndarray:
    return apply(math.sin, x)


def cos(x: np.ndarray) -> np.ndarray:
    return apply(math.cos, x)
