"""The arithmetic of a C++ kernel templated on its scalar type, in NumPy: torch's special functions
(aten/src/ATen/native/Math.h) are templates evaluated in the input's own type, so a float32 input is computed
in float: its constants rounded to float, each +, -, *, / rounded to float (NumPy's float32 arithmetic is
IEEE's, as C's), and libm's float functions (sinf, expf, logf...), which glibc rounds correctly, here the
double function rounded once to float. A float16/bfloat16 input (the scalar lambda of a few kernels, see
``cpu_loops``) is computed in c10's arithmetic of those types: each +, -, *, / rounds to the type, libm's functions
take and give float. At the extremes (huge arguments, near zeros, tails) the float
result differs from the double one by far more than its last bit: this is torch's value.

A kernel takes ``Typed(x.dtype)`` and writes torch's steps with it; branches become masks (every branch
evaluated on safe values, the right one selected), loops that run until convergence become ``until``."""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .. import _dtype as D
from .._rng import libm
from .fused import fused_multiply_add
from .pointwise_math import _erfc64


def _correctly_rounded(ufunc: Callable) -> Callable:
    def apply(self: "Typed", x: np.ndarray) -> np.ndarray:
        if self.dtype == np.float64:
            return ufunc(x)
        return ufunc(np.asarray(x, np.float64)).astype(self.libm)
    return apply


class Typed:
    """The scalar type ``T`` of a templated kernel: ``T(c)`` rounds a constant to it, and its libm functions
    answer in it."""

    def __init__(self, dtype: np.dtype) -> None:
        self.dtype = np.dtype(dtype)
        self.type = self.dtype.type
        self.eps = self.type(D.finfo_np(self.dtype).eps)
        # a float16/bfloat16 argument converts to float for libm, whose float result stays float in the expression
        self.libm = np.dtype(np.float32) if self.dtype in D.REDUCED_NP else self.dtype

    def __call__(self, value: float) -> np.floating:
        return self.type(value)

    def full(self, like: np.ndarray, value: float) -> np.ndarray:
        return np.full(np.shape(like), value, self.dtype)

    def horner(self, x: np.ndarray, coefficients: Sequence[float]) -> np.ndarray:
        """``p = p * x + c`` over the coefficients (highest power first), from ``p = 0``, as torch's loops."""
        p = self.full(x, 0.0)
        for c in coefficients:
            p = p * x + self.type(c)
        return p

    def horner_fused(self, x: np.ndarray, coefficients: Sequence[float]) -> np.ndarray:
        """``horner`` with each ``p * x + c`` rounded once: the fma the compiler contracts it into in the kernels
        torch builds for AVX2/AVX512 (with -mfma), where a loop's plain C arithmetic is not vectorized."""
        p = self.full(x, 0.0)
        for c in coefficients:
            p = fused_multiply_add(p, x, self.full(x, c))
        return p

    def clenshaw(self, x: np.ndarray, coefficients: Sequence[float]) -> np.ndarray:
        """Cephes' ``chbevl``: the Chebyshev series at ``x`` by Clenshaw's recurrence, ``0.5 (b0 - b2)``."""
        b0, b1, b2 = self.full(x, coefficients[0]), self.full(x, 0.0), self.full(x, 0.0)
        for c in coefficients[1:]:
            b2, b1 = b1, b0
            b0 = x * b1 - b2 + self.type(c)
        return self.type(0.5) * (b0 - b2)

    sin = _correctly_rounded(np.sin)
    cos = _correctly_rounded(np.cos)
    tan = _correctly_rounded(np.tan)
    acos = _correctly_rounded(np.arccos)
    exp = _correctly_rounded(np.exp)
    log = _correctly_rounded(np.log)
    log1p = _correctly_rounded(np.log1p)
    expm1 = _correctly_rounded(np.expm1)
    erfc = _correctly_rounded(_erfc64)

    def lgamma(self, x: np.ndarray) -> np.ndarray:
        """glibc's lgammaf or lgamma (not rounded from double: lgammaf overflows to inf a little early)."""
        fn = libm.lgamma if self.dtype == np.float64 else libm.lgammaf
        return libm.apply(fn, np.ravel(x), self.type).reshape(np.shape(x))

    def sqrt(self, x: np.ndarray) -> np.ndarray:
        return np.sqrt(np.asarray(x, self.libm))  # IEEE's square root is correctly rounded in every precision


def until(converged: Callable[..., np.ndarray], step: Callable[..., tuple], state: tuple,
          limit: int = 10_000) -> tuple:
    """A C ``while (!converged) step`` run on every element at once: ``state`` is a tuple of arrays, ``step``
    maps it to the next, and elements stop changing at their own convergence (NaN tests false, as in C)."""
    active = ~converged(*state)
    for _ in range(limit):
        if not active.any():
            break
        nxt = step(*state)
        state = tuple(np.where(active, n, s) for n, s in zip(nxt, state))
        active &= ~converged(*state)
    return state
