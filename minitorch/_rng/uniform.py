"""``uniform_(a, b)`` and ``rand`` (RNG_SPEC.md section 2)."""
from __future__ import annotations

import numpy as np

from .._dtype import REDUCED_NP
from .checks import check_uniform_bounds
from .cpu_path import uses_fma
from .engine import Generator, resolve
from .fp import fma32, fma64
from .layout import as_real_parts, write


def uniform_values(gen: Generator, n: int, a: float, b: float, dtype: np.dtype) -> np.ndarray:
    """n draws of ``uniform_(a, b)`` for a float tensor of ``dtype``, in draw order."""
    dtype = np.dtype(dtype)
    if dtype == np.float64:
        lo, hi = float(a), float(b)
        x = gen.uniform53(n)
        v = _scale(x, hi - lo, lo, fma64)
        np.putmask(v, v == hi, lo)  # a value that rounded up to `to` becomes `from`
        return v
    # float32, float16 and bfloat16 all compute in float32 (the reduced floats' opmath type) from 24-bit uniforms
    lo, hi = np.float32(a), np.float32(b)
    x = gen.uniform24(n)
    v = _scale(x, np.float32(hi - lo), lo, fma32)
    if dtype in REDUCED_NP:
        # the bounds go double -> float -> half, as c10::Half (and c10::BFloat16) have only a float constructor
        v, hi, lo = v.astype(dtype), hi.astype(dtype), lo.astype(dtype)
    np.putmask(v, v == hi, lo)
    return v


def _scale(x: np.ndarray, w: float, lo: float, fma) -> np.ndarray:
    """``x * w + lo`` as torch's kernel rounds it: fused on the avx2 path, two roundings otherwise."""
    if w == 1 and lo == 0:
        return x  # torch.rand: exact on both paths
    if uses_fma():
        return fma(x, w, lo)
    v = x * w
    v += lo
    return v


def uniform_(out: np.ndarray, a: float = 0.0, b: float = 1.0, gen: Generator | None = None) -> np.ndarray:
    """Fill the float array ``out`` in place like ``Tensor.uniform_(a, b)`` (memory order); a complex one as
    its real view (both parts uniform)."""
    out_parts = as_real_parts(out)
    if out_parts is not out:
        if out.size:  # (torch does not check an empty complex tensor's bounds)
            uniform_(out_parts, a, b, gen)
        return out
    check_uniform_bounds(a, b, out.dtype)
    if out.size:
        write(out, uniform_values(resolve(gen), out.size, a, b, out.dtype))
    return out

