"""Window functions for spectral analysis: hann, hamming, blackman, bartlett and kaiser windows.

Each follows torch's arithmetic step by step in the requested dtype (an arange scaled, then the cosines), so
that float32 windows round as torch's do. A periodic window is the symmetric one of length + 1 without its
last sample.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._creation import arange_length, check_arange_kernel, requiring_grad
from .._device import check_factory_device
from .._tensor import Tensor
from .bessel_kernels import i0
from .dims import as_int64
from .registry import op
from .signature import check_pin_memory

_OPTIONS = ("*, ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, "
            "bool? requires_grad=False")


def _signatures(name: str, *extras: str) -> list[str]:
    """torch's overloads: the length alone, then with periodic and each further parameter in turn."""
    params = ["int64_t window_length", "bool periodic", *extras]
    return ["%s(%s, %s)" % (name, ", ".join(params[:n]), _OPTIONS) for n in range(1, len(params) + 1)]


def _window(name: str, length: int, periodic: bool, dtype: D.dtype | None, device: Any, pin_memory: bool | None,
            requires_grad: bool, symmetric: Callable[[int, np.dtype], np.ndarray]) -> Tensor:
    check_factory_device(device)
    dt = dtype or D.get_default_dtype()
    if not (dt.is_floating_point or dt.is_complex):  # (before the length, as torch)
        raise RuntimeError("%s expects floating point dtypes, got: TensorOptions(dtype=%s, device=cpu, layout=Strided "
                           "(default), requires_grad=false (default), pinned_memory=%s, memory_format=(nullopt))"
                           % (name, dt.cpp_name, "true" if pin_memory else "false"))
    if length < 0:
        raise RuntimeError("%s requires non-negative window_length, got window_length=%d" % (name, length))
    check_pin_memory(pin_memory)
    if length <= 1:
        data = D.cast_np(np.ones(length), dt.np)  # (complex32 storage takes its real part from a real array)
    else:  # torch's arange of the length (one more if periodic, in int64 arithmetic: that may wrap) checks it
        check_arange_kernel(dt)
        data = symmetric(arange_length(0, as_int64(length + 1) if periodic else length, 1, dt), dt.np)[:length]
    return requiring_grad(Tensor._make(np.ascontiguousarray(data)), bool(requires_grad))


def _cosine_sum(n: int, dt: np.dtype, alpha: float, beta: float) -> np.ndarray:
    """alpha - beta * cos(2 pi k / (n - 1))."""
    k = np.arange(n, dtype=dt)
    return np.cos(k * dt.type(math.pi * 2.0 / (n - 1))) * dt.type(-beta) + dt.type(alpha)


def _blackman(n: int, dt: np.dtype) -> np.ndarray:
    k = np.arange(n, dtype=dt) * dt.type(math.pi / (n - 1))
    return np.cos(k * dt.type(4)) * dt.type(0.08) - np.cos(k * dt.type(2)) * dt.type(0.5) + dt.type(0.42)


def _bartlett(n: int, dt: np.dtype) -> np.ndarray:
    k = np.arange(n, dtype=dt) * dt.type(2.0 / (n - 1))
    half = ((n - 1) >> 1) + 1
    k[half:] = k[half:] * dt.type(-1) + dt.type(2)
    return k


def _kaiser(beta: float) -> Callable[[int, np.dtype], np.ndarray]:
    def symmetric(n: int, dt: np.dtype) -> np.ndarray:
        """torch's kernel: i0(beta sqrt|1 - ((k - alpha) / alpha)^2|) / i0(beta) in the dtype's opmath type, beta
        read in it (a float32 window's beta of -1e200 is -inf: NaN throughout), with torch's i0."""
        compute = D.opmath_np(np.dtype(dt))
        alpha, b = compute.type((n - 1) / 2.0), compute.type(beta)
        k = np.arange(n).astype(dt).astype(compute)
        with np.errstate(all="ignore"):
            ratio = (k - alpha) / alpha
            return (i0(b * np.sqrt(np.abs(1 - ratio * ratio))) / i0(np.asarray(b))).astype(dt)
    return symmetric


@op(*_signatures("hann_window"))
def hann_window(window_length: int, periodic: bool = True, *, dtype: D.dtype | None = None, layout: Any = None,
                device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    return _window("hann_window", window_length, periodic, dtype, device, pin_memory, requires_grad,
                   lambda n, dt: _cosine_sum(n, dt, 0.5, 0.5))


@op(*_signatures("hamming_window", "double alpha", "double beta"))
def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54, beta: float = 0.46, *,
                   dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
                   pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    return _window("hamming_window", window_length, periodic, dtype, device, pin_memory, requires_grad,
                   lambda n, dt: _cosine_sum(n, dt, alpha, beta))


@op(*_signatures("blackman_window"))
def blackman_window(window_length: int, periodic: bool = True, *, dtype: D.dtype | None = None, layout: Any = None,
                    device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    return _window("blackman_window", window_length, periodic, dtype, device, pin_memory, requires_grad, _blackman)


@op(*_signatures("bartlett_window"))
def bartlett_window(window_length: int, periodic: bool = True, *, dtype: D.dtype | None = None, layout: Any = None,
                    device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    return _window("bartlett_window", window_length, periodic, dtype, device, pin_memory, requires_grad, _bartlett)


@op(*_signatures("kaiser_window", "double beta"))
def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *, dtype: D.dtype | None = None,
                  layout: Any = None, device: Any = None, pin_memory: bool | None = False,
                  requires_grad: bool | None = False) -> Tensor:
    return _window("kaiser_window", window_length, periodic, dtype, device, pin_memory, requires_grad, _kaiser(beta))
