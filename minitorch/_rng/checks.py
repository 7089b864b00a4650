"""Argument checks of torch's random fills, raising torch's exception types and messages."""
from __future__ import annotations

import numpy as np

from .._dtype import FLOATING_NP, finfo_np, from_numpy_dtype
from .._complex_half_storage import STORAGE as COMPLEX_HALF
from .._float8 import FLOAT8_NP
from .._fp_warnings import warn_from_caller
from .._ops.cpp_format import cpp_double

FLOATS = FLOATING_NP
# c10's isFloatingType, which argument checks read: the float8s too (the kernels after them refuse those)
FLOATING_TYPES = frozenset((*FLOATS, *FLOAT8_NP))


def scalar_name(dtype: np.dtype) -> str:
    return from_numpy_dtype(np.dtype(dtype))._cast_name


def require_float(dtype: np.dtype, kernel: str) -> None:
    """torch's AT_DISPATCH error for a float-only kernel given another dtype."""
    if np.dtype(dtype) not in FLOATS:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')


def refuse_complex(dtype: np.dtype, kernel: str) -> None:
    """torch's AT_DISPATCH error for a kernel that takes every real dtype but no complex one (complex32's storage is
    a pair of float16)."""
    if np.dtype(dtype).kind == "c" or dtype == COMPLEX_HALF:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{scalar_name(dtype)}\'')


def _bounds(var: float, name: str, dtype: np.dtype) -> None:
    d = np.dtype(dtype)
    if d.kind == "b":
        lo, hi = 0, 1
    else:
        floating = d in FLOATS
        info = finfo_np(d) if floating else np.iinfo(d)
        lo, hi = (float(info.min), float(info.max)) if floating else (info.min, info.max)
    if not lo <= var <= hi:
        raise RuntimeError(f"{name} is out of bounds for {from_numpy_dtype(d).cpp_name}")


def check_uniform_bounds(a: float, b: float, dtype: np.dtype) -> None:
    require_float(dtype, "check_uniform_bounds")
    _bounds(a, "from", dtype)
    _bounds(b, "to", dtype)
    if not a <= b:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={cpp_double(a)} > "
                           f"to={cpp_double(b)}")
    if b - a > float(finfo_np(dtype).max):
        raise RuntimeError(f"uniform_ expects to-from <= std::numeric_limits<{scalar_name(dtype)}>::max(), "
                           f"but found to={cpp_double(b)} and from={cpp_double(a)} which result in to-from to exceed "
                           "the limit")


def check_normal_std(std: float) -> None:
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {cpp_double(std)}")


def check_probability(p: float) -> None:
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={cpp_double(p)}")


def check_probability_tensor(p: np.ndarray) -> None:
    if p.size and not ((p >= 0) & (p <= 1)).all():
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")


def check_exponential(lambd: float, dtype: np.dtype, empty: bool = False) -> None:
    """The lambda, then the dtype (where torch's kernel runs: not for an empty tensor)."""
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={cpp_double(lambd)}")
    if not empty and np.dtype(dtype) not in FLOATS:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. dtype must be a "
                           f"floating point but you specified {scalar_name(dtype)}")


def check_random_range(low: int, high_inclusive: int, dtype: np.dtype) -> None:
    """torch's check_from_to_in_range, including its precision warning for float dtypes."""
    _bounds(low, "from", dtype)
    _bounds(high_inclusive, "to - 1", dtype)
    d = np.dtype(dtype)
    if d in FLOATS:
        digits = finfo_np(d).nmant + 1
        for var, name, line in ((low, "from", 110), (high_inclusive, "to - 1", 111)):
            if var < -(1 << digits) or var > (1 << digits):
                warn_from_caller(f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision limitations "
                                 f"{from_numpy_dtype(d).cpp_name} can support discrete uniform distribution only "
                                 "within this range. This warning will become an error in version 1.7 release, please "
                                 "fix the code in advance (Triggered internally at "
                                 f"/__w/pytorch/pytorch/aten/src/ATen/native/DistributionTemplates.h:{line}.)")
