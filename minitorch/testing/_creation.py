"""``make_tensor``: a random tensor drawn as torch draws it (the same values after the same seed):
``randint`` for integers and bools, ``uniform_`` for floats, in ``[low, high)``."""
from __future__ import annotations

import collections.abc
import math
import warnings
from typing import Any

import numpy as np

from .. import _dtype as D
from .._creation import empty
from .._rng.tensor_api import randint
from .._tensor import Tensor


def _bounds(dtype: D.dtype, low: float | None, high: float | None) -> tuple[float, float]:
    """Default, check and clamp ``[low, high)`` to what ``dtype`` holds, with torch's errors."""
    if dtype is D.bool:
        lowest, highest, default = 0, 2, (0, 2)
    elif dtype.category == D.INTEGRAL:
        info = np.iinfo(dtype.np)
        lowest, highest, default = int(info.min), int(info.max) + (dtype is not D.int64), (-9, 10)
    else:
        info = D.finfo_np(dtype.np)
        lowest, highest, default = float(info.min), float(info.max), (-9, 9)
    low = default[0] if low is None else low
    high = default[1] if high is None else high
    if any(isinstance(v, float) and math.isnan(v) for v in (low, high)):
        raise ValueError(f"`low` and `high` cannot be NaN, but got low={low!r} and high={high!r}")
    if low == high and dtype.is_floating_point:
        warnings.warn("Passing `low==high` to `torch.testing.make_tensor` for floating or complex types is deprecated "
                      "since 2.1 and will be removed in 2.3. Use `torch.full(...)` instead.", FutureWarning,
                      stacklevel=3)
    elif low >= high:
        raise ValueError(f"`low` must be less than `high`, but got {low} >= {high}")
    elif high < lowest or low >= highest:
        raise ValueError(f"The value interval specified by `low` and `high` is [{low}, {high}), but {dtype} only "
                         f"supports [{lowest}, {highest})")
    low, high = min(max(low, lowest), highest), min(max(high, lowest), highest)
    return (math.ceil(low), math.ceil(high)) if not dtype.is_floating_point else (low, high)


def make_tensor(*shape: Any, dtype: D.dtype, device: Any, low: float | None = None, high: float | None = None,
                requires_grad: bool = False, noncontiguous: bool = False, exclude_zero: bool = False,
                memory_format: Any = None) -> Tensor:
    """A tensor of ``shape`` filled with random values in ``[low, high)`` (defaults: [-9, 9) for
    floats, [-9, 10) for integers); ``noncontiguous`` returns every other column of a wider one,
    ``exclude_zero`` replaces zeros by 1 (the smallest normal number for floats)."""
    if len(shape) == 1 and isinstance(shape[0], collections.abc.Sequence):
        shape = shape[0]
    shape = tuple(shape)
    if noncontiguous and memory_format is not None:
        raise ValueError(f"The parameters `noncontiguous` and `memory_format` are mutually exclusive, but got "
                         f"noncontiguous={noncontiguous!r} and memory_format={memory_format!r}")
    if requires_grad and not dtype.is_floating_point:
        raise ValueError(f"`requires_grad=True` is not supported for boolean and integral dtypes, but got "
                         f"dtype={dtype}")
    noncontiguous = noncontiguous and math.prod(shape) > 1
    if noncontiguous:
        shape = (*shape[:-1], 2 * shape[-1])
    low, high = _bounds(dtype, low, high)
    if not dtype.is_floating_point:
        result = randint(low, high, shape, device=device, dtype=dtype)
    elif high - low >= float(D.finfo_np(dtype.np).max):  # the width would overflow: draw half, then double
        result = empty(shape, device=device, dtype=dtype).uniform_(low / 2, high / 2).mul_(2)
    else:
        result = empty(shape, device=device, dtype=dtype).uniform_(low, high)
    if noncontiguous:
        result = result[..., 1::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        result[result == 0] = 1 if not dtype.is_floating_point else float(D.finfo_np(dtype.np).tiny)
    if dtype.is_floating_point:
        result.requires_grad = requires_grad
    return result
