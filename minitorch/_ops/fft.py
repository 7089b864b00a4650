"""The real-valued part of torch.fft: sample frequencies (fftfreq, rfftfreq) and the spectrum shifts
(fftshift, ifftshift, rolls by half of each dim). Transforms need complex tensors, which minitorch lacks."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .dims import check_nonnegative, wrap_dims
from .registry import fft_op

_FACTORY = ("(int64_t n, double d=1.0, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
            "bool pin_memory=False, bool requires_grad=False, Tensor out=None)")


def _frequencies(steps: np.ndarray, n: int, d: float, dtype: D.dtype | None, requires_grad: bool) -> Tensor:
    """``steps / (n d)`` as torch computes it: times the double ``1 / (n d)`` (inf when n d is 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        values = steps * (np.float64(1.0) / np.float64(n * d))
    out = Tensor._make(values.astype((dtype or D.get_default_dtype()).np))
    return out.requires_grad_() if requires_grad else out


@fft_op("fft_fftfreq" + _FACTORY)
def fftfreq(n: int, d: float = 1.0, *, dtype: Any = None, layout: Any = None, device: Any = None,
            pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    check_nonnegative((n,))
    steps = np.arange(n, dtype=np.float64)
    steps[(n + 1) // 2:] -= n
    return _frequencies(steps, n, d, dtype, requires_grad)


@fft_op("fft_rfftfreq" + _FACTORY)
def rfftfreq(n: int, d: float = 1.0, *, dtype: Any = None, layout: Any = None, device: Any = None,
             pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    size = int(n / 2) + 1  # C++'s division, truncating toward zero
    check_nonnegative((size,))
    return _frequencies(np.arange(size, dtype=np.float64), n, d, dtype, requires_grad)


def _shift(input: Tensor, dim: Any, sign: int) -> Tensor:
    dims = list(range(input.ndim)) if dim is None else wrap_dims([dim] if isinstance(dim, int) else dim, input.ndim)
    return input.roll([sign * (input.shape[d] // 2) for d in dims], dims)


@fft_op("fft_fftshift(Tensor input, IntArrayRef[1]? dim=None)")
def fftshift(input: Tensor, dim: Any = None) -> Tensor:
    return _shift(input, dim, 1)


@fft_op("fft_ifftshift(Tensor input, IntArrayRef[1]? dim=None)")
def ifftshift(input: Tensor, dim: Any = None) -> Tensor:
    return _shift(input, dim, -1)
