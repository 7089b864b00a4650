"""layer_norm and batch_norm: one node each (``NativeLayerNormBackward0``,
``NativeBatchNormBackward0``), sharing one normalization kernel and one set of VJPs.

The VJPs recompute the normalized input from the saved input with minitorch ops, so that second
derivatives include how the statistics depend on the input. In batch norm's evaluation mode the
statistics are the running ones: constants captured at forward time.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ..._tensor import Tensor
from ...autograd.recording import defop, record
from .common import in_float


class NormParams(NamedTuple):
    axes: tuple[int, ...]         # the axes statistics are taken over
    param_axes: tuple[int, ...]   # the axes weight and bias gradients are summed over
    param_shape: tuple[int, ...]  # weight and bias viewed to broadcast against the input
    eps: float
    stats: tuple[Tensor, Tensor] | None  # constant (mean, invstd), or None to use the input's own


def _centered_scaled(x: Tensor, p: NormParams) -> tuple[Tensor, Tensor]:
    """(x - mean) and 1/std, as differentiable functions of ``x`` (or with the constant stats)."""
    if p.stats is not None:
        mean, invstd = p.stats
        return x - mean, invstd
    centered = x - x.mean(p.axes, keepdim=True)
    return centered, ((centered * centered).mean(p.axes, keepdim=True) + p.eps).sqrt().reciprocal()


def _input_grad(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    g = grad if weight is None else grad * weight.reshape(params.param_shape)
    centered, invstd = _centered_scaled(input, params)
    if params.stats is not None:
        return g * invstd
    xhat = centered * invstd
    return invstd * (g - g.mean(params.axes, keepdim=True) - xhat * (g * xhat).mean(params.axes, keepdim=True))


def _weight_grad(grad: Tensor, input: Tensor, params: NormParams) -> Tensor:
    centered, invstd = _centered_scaled(input, params)
    return (grad * (centered * invstd)).sum(params.param_axes).reshape(_squeezed(params.param_shape))


def _squeezed(param_shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(s for s in param_shape if s != 1) or (1,)


_GRADS = {
    "input": lambda grad, input, weight, params: _input_grad(grad, input, weight, params),
    "weight": lambda grad, input, params: _weight_grad(grad, input, params),
    "bias": lambda grad, bias_shape, params: grad.sum(params.param_axes).reshape(bias_shape),
}
NATIVE_LAYER_NORM = defop("native_layer_norm", ("input", "weight", "bias"), _GRADS)
NATIVE_BATCH_NORM = defop("native_batch_norm", ("input", "weight", "bias"), _GRADS)


def batch_stats(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and biased variance over ``axes`` (kept), in float32 for float16 input."""
    x = x.astype(np.float32) if x.dtype == np.float16 else x
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    return mean, np.mean(centered * centered, axis=axes, keepdims=True)


def _normalize_np(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, w: np.ndarray | None,
                  b: np.ndarray | None, shape: tuple) -> np.ndarray:
    y = (x - mean) * invstd
    if w is not None:
        y *= w.reshape(shape)
    if b is not None:
        y += b.reshape(shape)
    return y


def normalize(op: Any, input: Tensor, weight: Tensor | None, bias: Tensor | None, params: NormParams,
              mean: np.ndarray, invstd: np.ndarray) -> Tensor:
    """Record ``(input - mean) * invstd * weight + bias`` as the norm op ``op``."""
    data = in_float(_normalize_np, input._data, mean, invstd,
                    None if weight is None else weight._data, None if bias is None else bias._data,
                    params.param_shape)
    return record(op, data.astype(input._data.dtype, copy=False), (input, weight, bias), {"params": params})
