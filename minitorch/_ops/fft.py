"""The real-valued part of torch.fft: sample frequencies (fftfreq, rfftfreq) and the spectrum shifts
(fftshift, ifftshift, rolls by half of each dim). Transforms need complex tensors, which minitorch lacks."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .dims import wrap_dims
from .registry import fft_op

_FACTORY = ("(int64_t n, double d=1.0, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
            "bool pin_memory=False, bool requires_grad=False, Tensor out=None)")


def _frequencies(values: np.ndarray, dtype: D.dtype | None, requires_grad: bool) -> Tensor:
    out = Tensor._make(values.astype((dtype or D.get_default_dtype()).np))
    return out.requires_grad_() if requires_grad else out


@fft_op("fft_fftfreq" + _FACTORY)
def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, layout: Any = None, device: Any = None,
            pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    return _frequencies(np.fft.fftfreq(n, d), dtype, requires_grad)


@fft_op("fft_rfftfreq" + _FACTORY)
def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, layout: Any = None, device: Any = None,
             pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    return _frequencies(np.fft.rfftfreq(n, d), dtype, requires_grad)


def _shift(input: Tensor, dim: Any, sign: int) -> Tensor:
    dims = list(range(input.ndim)) if dim is None else wrap_dims([dim] if isinstance(dim, int) else dim, input.ndim)
    return input.roll([sign * (input.shape[d] // 2) for d in dims], dims)


@fft_op("fft_fftshift(Tensor input, IntArrayRef[1]? dim=None)")
def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    return _shift(input, dim, 1)


@fft_op("fft_ifftshift(Tensor input, IntArrayRef[1]? dim=None)")
def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    return _shift(input, dim, -1)
