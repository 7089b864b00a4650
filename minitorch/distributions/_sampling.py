"""Raw draws the distributions need that minitorch has no Tensor method for (``Tensor.cauchy_``),
on torch's CPU stream (RNG_SPEC.md)."""
from __future__ import annotations

import math

import numpy as np

from .._rng import libm
from .._rng.engine import resolve
from .._size import Size
from .._tensor import Tensor
from . import _api as ops


def standard_cauchy(shape: Size, like: Tensor) -> Tensor:
    """``empty(shape).cauchy_()``: ``tan(pi * (U53() - 0.5))`` in double (libm), one per element in
    row-major order, then cast to ``like``'s dtype."""
    n = int(np.prod(shape, dtype=np.int64))
    values = libm.apply(math.tan, math.pi * (resolve(None).uniform53(n) - 0.5))
    return ops.tensor(values.reshape(tuple(shape)), dtype=like.dtype)
