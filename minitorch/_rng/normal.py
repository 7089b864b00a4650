"""``normal_(mean, std)`` and ``randn`` (RNG_SPEC.md section 3).

Two kernels, chosen as torch's ``normal_kernel`` does: the 16-wide "fill" kernel for a contiguous
tensor of at least 16 elements, the serial double Box-Muller (with the generator's cached second
sample) for everything else.
"""
from __future__ import annotations

import math

import numpy as np

from .._dtype import REDUCED_NP
from . import cephes, libm
from .checks import check_normal_std, require_float
from .cpu_path import uses_fma
from .engine import Generator, resolve
from .fp import fma32, fma64
from .layout import as_real_parts, write

_TWO_PI = 2.0 * math.pi
_BLOCK_ROWS = 2048  # 16-element blocks transformed per NumPy pass: keeps the working set in cache


def normal_(out: np.ndarray, mean: float = 0.0, std: float = 1.0, gen: Generator | None = None) -> np.ndarray:
    """Fill the float array ``out`` in place like ``Tensor.normal_(mean, std)``; a complex one as its real
    view with std / sqrt(2) (so that each element has variance std**2), mean added to both parts."""
    check_normal_std(std)
    n = out.size
    if n == 0:  # (torch's kernel, and its dtype check, only run for a non-empty tensor)
        return out
    parts = as_real_parts(out)
    if parts is not out:  # (complex, complex32 too)
        normal_(parts, mean, std / math.sqrt(2), gen)
        return out
    require_float(out.dtype, "normal_kernel_cpu")
    gen = resolve(gen)
    if n >= 16 and out.flags.c_contiguous:
        out.reshape(-1)[...] = fill_values(gen, n, mean, std, out.dtype)
    else:
        write(out, serial_values(gen, n, mean, std, out.dtype))
    return out


# ---------------------------------------------------------------------------------- fill kernel
def fill_values(gen: Generator, n: int, mean: float, std: float, dtype: np.dtype) -> np.ndarray:
    """The fill kernel's n outputs (n >= 16), for a float32, float64, float16 or bfloat16 tensor."""
    dtype = np.dtype(dtype)
    if dtype in REDUCED_NP:
        return _fill_half(gen, n, mean, std, dtype)
    double = dtype == np.float64
    u = gen.uniform53(n) if double else gen.uniform24(n)
    full = n - n % 16
    _transform_blocks(u[:full].reshape(-1, 16), mean, std, double)
    if n % 16:
        # 16 fresh uniforms overwrite the last 16 slots (leftovers and part of the last block)
        tail = (gen.uniform53(16) if double else gen.uniform24(16)).reshape(1, 16)
        _transform_blocks(tail, mean, std, double)
        u[n - 16:] = tail.reshape(-1)
    return u


def _fill_half(gen: Generator, n: int, mean: float, std: float, dtype: np.dtype) -> np.ndarray:
    """float16 and bfloat16 compute in float32 16 uniforms at a time, so their tail uses fresh draws only."""
    blocks = gen.uniform24(n - n % 16).reshape(-1, 16)
    _transform_blocks(blocks, mean, std, False)
    out = blocks.reshape(-1).astype(dtype)
    if n % 16 == 0:
        return out
    tail = gen.uniform24(16).reshape(1, 16)
    _transform_blocks(tail, mean, std, False)
    return np.concatenate([out[:n - 16], tail.reshape(-1).astype(dtype)])


def _transform_blocks(blocks: np.ndarray, mean: float, std: float, double: bool) -> None:
    """Box-Muller in place on (m, 16) uniforms: pair (j, j+8) -> cos into j, sin into j+8."""
    for start in range(0, blocks.shape[0], _BLOCK_ROWS):
        rows = blocks[start:start + _BLOCK_ROWS]
        a, b = rows[:, :8].reshape(-1), rows[:, 8:].reshape(-1)
        if double:
            rc, rs = _box_muller_f64(a, b)
            rows[:, :8] = _affine(rc, mean, std, fma64).reshape(-1, 8)
            rows[:, 8:] = _affine(rs, mean, std, fma64).reshape(-1, 8)
        else:
            rc, rs = cephes.box_muller(a, b) if uses_fma() else _box_muller_f32_libm(a, b)
            m32, s32 = np.float32(mean), np.float32(std)
            rows[:, :8] = _affine(rc, m32, s32, fma32).reshape(-1, 8)
            rows[:, 8:] = _affine(rs, m32, s32, fma32).reshape(-1, 8)


def _affine(z: np.ndarray, mean, std, fma) -> np.ndarray:
    """``fma(z, std, mean)``; with std == 1 that is the single rounding of ``z + mean``."""
    if std == 1:
        return z + mean  # also turns a -0.0 into +0.0, as the fma does
    return fma(z, std, mean)


def _box_muller_f64(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NormalFill16<double>: libm log/sin/cos (both CPU paths)."""
    r = np.sqrt(-2.0 * libm.log(1.0 - a))
    theta = _TWO_PI * b
    return r * libm.cos(theta), r * libm.sin(theta)


def _box_muller_f32_libm(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NormalFill16<float> on the default path: glibc logf/sinf/cosf, theta rounded via double."""
    r = np.sqrt(np.float32(-2) * libm.apply(libm.logf, np.float32(1) - a, np.float32))
    theta = (_TWO_PI * b.astype(np.float64)).astype(np.float32)
    return r * libm.apply(libm.cosf, theta, np.float32), r * libm.apply(libm.sinf, theta, np.float32)


# ---------------------------------------------------------------------------------- serial kernel
def serial_values(gen: Generator, n: int, mean: float, std: float, dtype: np.dtype) -> np.ndarray:
    """n outputs of the serial kernel in draw order, using and refilling the cached normal."""
    z = standard_normal_doubles(gen, n)
    v = _affine(z, float(mean), float(std), fma64) if uses_fma() else z * std + mean
    return cast_double(v, dtype)


def standard_normal_doubles(gen: Generator, n: int) -> np.ndarray:
    """n draws of ``normal_distribution<double>`` before its mean/std step (cache included)."""
    head = []
    if n and gen.next_double_normal is not None:
        head = [gen.next_double_normal]
        gen.next_double_normal = None
        n -= 1
    pairs = (n + 1) // 2
    u = gen.uniform53(2 * pairs).reshape(-1, 2)  # u1 (angle) drawn before u2 (radius)
    r = np.sqrt(-2.0 * libm.log1p(-u[:, 1]))
    theta = _TWO_PI * u[:, 0]
    z = np.empty((pairs, 2))
    z[:, 0] = r * libm.cos(theta)
    z[:, 1] = r * libm.sin(theta)
    z = z.reshape(-1)
    if n % 2:
        gen.next_double_normal = float(z[-1])  # the unused sin sample waits for the next call
    return np.concatenate([head, z[:n]]) if head else z[:n]


def cast_double(v: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """``static_cast<scalar_t>(double)``: float16 and bfloat16 go through float32 (their only constructor)."""
    dtype = np.dtype(dtype)
    if dtype in REDUCED_NP:
        return v.astype(np.float32).astype(dtype)
    return v.astype(dtype, copy=False)
