"""The NumPy storage of complex32 (torch's ComplexHalf): NumPy has no complex32, so a complex32 tensor holds a
structured array of float16 pairs, ``STORAGE``.

Why this layout rather than complex64 values rounded to float16: a pair of float16 is torch's memory layout
itself, so ``element_size()`` is 4, strides and storage offsets are torch's, and ``view_as_real`` or
``view(torch.float16)`` are true views of the same memory (``data.view(np.float16)``). Shape and indexing ops
move the pairs as NumPy moves any element; NumPy has no arithmetic on them, so nothing computes on complex32
data unnoticed: an op torch allows converts to complex64 (``widen``), computes there (torch's CPU kernels
compute ComplexHalf in ``complex<float>``) and rounds each part to float16 once (``narrow``).
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ._warn_once import warn_once

STORAGE = np.dtype([("real", np.float16), ("imag", np.float16)])


def narrow(values: Any) -> np.ndarray:
    """``values`` (an array, NumPy scalar or Python number, real or complex) as complex32 storage, each part
    rounded to float16 as c10 converts: a double is rounded to float first, then to Half."""
    values = np.asarray(values)
    if values.dtype == STORAGE:
        return values.copy()
    if values.dtype.kind == "V":  # bfloat16 (ml_dtypes): exact in float32
        values = values.astype(np.float32)
    if values.dtype.kind != "c":
        values = values.astype(np.float32) if values.dtype != np.float16 else values
        out = np.zeros(values.shape, STORAGE)
        out["real"] = values
        return out
    with np.errstate(over="ignore", invalid="ignore"):
        parts = values.astype(np.complex64) if values.dtype != np.complex64 else values
        out = np.empty(values.shape, STORAGE)
        out["real"] = parts.real
        out["imag"] = parts.imag
    return out


def widen(data: np.ndarray) -> np.ndarray:
    """complex32 storage as complex64 values (exact)."""
    out = np.empty(data.shape, np.complex64)
    out.real = data["real"]
    out.imag = data["imag"]
    return out


def conjugate(data: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``np.conjugate`` that also takes complex32 storage (its imaginary float16 part negated)."""
    if data.dtype != STORAGE:
        return np.conjugate(data, out=out)
    if out is None:
        out = np.empty(data.shape, STORAGE)
    out["real"] = data["real"]
    np.negative(data["imag"], out=out["imag"])
    return out


def values_of(data: np.ndarray) -> np.ndarray:
    """A tensor's data as NumPy values: complex32 storage widened to complex64, any other array as it is."""
    return widen(data) if data.dtype == STORAGE else data


def warn_experimental(stacklevel: int = 3) -> None:
    """torch's warning (once per process) where a complex32 tensor is allocated."""
    warn_once("complex_half", "ComplexHalf support is experimental and many operators don't support it yet. "
              "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/EmptyTensor.cpp:54.)",
              stacklevel=stacklevel + 1)


def is_fresh(data: np.ndarray) -> bool:
    """Whether ``data`` is newly allocated memory rather than a view: no base. (An empty array counts as fresh:
    it is restrided to torch's strides, a view of memory it does not have.)"""
    return data.base is None or not data.size
