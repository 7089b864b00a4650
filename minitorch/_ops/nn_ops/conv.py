"""N-d convolution (conv1d, conv2d, conv3d) as im2col + one batched BLAS matmul.

The receptive fields come from ``sliding_window_view`` (a strided view, no copy), gathered once
into a column matrix per sample; a ``(groups, out/groups, in/groups * kernel)`` weight multiplies
it. The gradient of the input scatters columns back with one vectorized add per kernel offset
(never a loop over pixels). Three ops close under differentiation: the convolution, its
input-gradient (a transposed convolution) and its weight-gradient; each one's VJPs are written
with the other two, so double backward works.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..._tensor import Tensor
from ...autograd.recording import defop, record


class ConvParams(NamedTuple):
    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]  # (before, after) per spatial dim
    dilation: tuple[int, ...]
    groups: int


def _padded(x: np.ndarray, p: ConvParams) -> np.ndarray:
    if not any(lo or hi for lo, hi in p.padding):
        return x
    return np.pad(x, ((0, 0), (0, 0)) + p.padding)


def output_size(size: tuple[int, ...], kernel: tuple[int, ...], p: ConvParams) -> tuple[int, ...]:
    return tuple((n + lo + hi - d * (k - 1) - 1) // s + 1
                 for n, k, (lo, hi), s, d in zip(size, kernel, p.padding, p.stride, p.dilation))


def _columns(x: np.ndarray, kernel: tuple[int, ...], p: ConvParams) -> np.ndarray:
    """im2col: ``(N, groups, in/groups * prod(kernel), prod(out))``, one copy of the input."""
    xp = _padded(x, p)
    nd = len(kernel)
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel, p.dilation))
    win = sliding_window_view(xp, span, axis=tuple(range(2, 2 + nd)))
    win = win[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in p.stride)
              + tuple(slice(None, None, d) for d in p.dilation)]          # (N, C, *out, *kernel)
    order = (0, 1) + tuple(range(2 + nd, 2 + 2 * nd)) + tuple(range(2, 2 + nd))
    n, c = x.shape[:2]
    cols = np.ascontiguousarray(win.transpose(order))                    # (N, C, *kernel, *out)
    return cols.reshape(n, p.groups, -1, int(np.prod(win.shape[2:2 + nd])))


def _grouped_weight(w: np.ndarray, groups: int) -> np.ndarray:
    return w.reshape(groups, w.shape[0] // groups, -1)


def conv_np(x: np.ndarray, w: np.ndarray, p: ConvParams) -> np.ndarray:
    out_size = output_size(x.shape[2:], w.shape[2:], p)
    out = _grouped_weight(w, p.groups) @ _columns(x, w.shape[2:], p)   # (N, groups, out/groups, P)
    return out.reshape((x.shape[0], w.shape[0]) + out_size)


def conv_input_grad_np(g: np.ndarray, w: np.ndarray, input_shape: tuple, p: ConvParams) -> np.ndarray:
    """col2im of ``w^T g``: each kernel offset's columns added back onto the padded input."""
    n, c = input_shape[:2]
    kernel, out_size = w.shape[2:], g.shape[2:]
    gw = _grouped_weight(w, p.groups)
    cols = np.swapaxes(gw, 1, 2) @ g.reshape(n, p.groups, -1, int(np.prod(out_size)))
    cols = cols.reshape((n, c) + tuple(kernel) + tuple(out_size))
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(input_shape[2:], p.padding))
    gx = np.zeros((n, c) + padded, g.dtype)
    for offset in np.ndindex(*kernel):
        region = tuple(slice(k * d, k * d + s * (o - 1) + 1, s)
                       for k, d, s, o in zip(offset, p.dilation, p.stride, out_size))
        gx[(slice(None), slice(None)) + region] += cols[(slice(None), slice(None)) + offset]
    crop = tuple(slice(lo, lo + s) for s, (lo, _) in zip(input_shape[2:], p.padding))
    return gx[(slice(None), slice(None)) + crop]


def conv_weight_grad_np(x: np.ndarray, g: np.ndarray, weight_shape: tuple, p: ConvParams) -> np.ndarray:
    cols = _columns(x, weight_shape[2:], p)                               # (N, G, CgK, P)
    go = g.reshape(g.shape[0], p.groups, -1, cols.shape[-1])              # (N, G, Og, P)
    gw = np.einsum("ngop,ngkp->gok", go, cols, optimize=True)
    return gw.reshape(weight_shape)


CONVOLUTION = defop("convolution", ("input", "weight", "bias"), {
    "input": lambda grad, weight, input_shape, params: conv_input_grad(grad, weight, input_shape, params),
    "weight": lambda grad, input, weight_shape, params: conv_weight_grad(input, grad, weight_shape, params),
    "bias": lambda grad: grad.sum((0,) + tuple(range(2, grad.dim()))),
})
CONV_INPUT_GRAD = defop("convolution_backward_input", ("grad_output", "weight"), {
    "grad_output": lambda grad, weight, params: convolution(grad, weight, None, params),
    "weight": lambda grad, grad_output, weight_shape, params: conv_weight_grad(grad, grad_output, weight_shape,
                                                                               params),
})
CONV_WEIGHT_GRAD = defop("convolution_backward_weight", ("input", "grad_output"), {
    "input": lambda grad, grad_output, input_shape, params: conv_input_grad(grad_output, grad, input_shape, params),
    "grad_output": lambda grad, input, params: convolution(input, grad, None, params),
})


def convolution(input: Tensor, weight: Tensor, bias: Tensor | None, params: ConvParams) -> Tensor:
    """The convolution of checked, batched operands (``nn.functional`` validates and unbatches)."""
    out = conv_np(input._data, weight._data, params)
    if bias is not None:
        out += bias._data.reshape((-1,) + (1,) * (out.ndim - 2))
    return record(CONVOLUTION, out, (input, weight, bias), {"params": params})


def conv_input_grad(grad: Tensor, weight: Tensor, input_shape: tuple, params: ConvParams) -> Tensor:
    return record(CONV_INPUT_GRAD, conv_input_grad_np(grad._data, weight._data, input_shape, params),
                  (grad, weight), {"params": params})


def conv_weight_grad(input: Tensor, grad: Tensor, weight_shape: tuple, params: ConvParams) -> Tensor:
    return record(CONV_WEIGHT_GRAD, conv_weight_grad_np(input._data, grad._data, weight_shape, params),
                  (input, grad), {"params": params})


def check_convolution(name: str, input: Tensor, weight: Tensor, bias: Tensor | None, params: ConvParams) -> None:
    """torch's refusals, in torch's order, for batched operands."""
    x, w = input._data, weight._data
    if any(s <= 0 for s in params.stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(lo < 0 or hi < 0 for lo, hi in params.padding):
        raise RuntimeError("negative padding is not supported")
    if any(d <= 0 for d in params.dilation):
        raise RuntimeError("dilation should be greater than zero")
    if params.groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if w.shape[0] % params.groups:
        raise RuntimeError("Given groups=%d, expected weight to be divisible by %d at dimension 0, but got weight "
                           "of size [%s] instead" % (params.groups, params.groups, list(w.shape)))
    if x.shape[1] != w.shape[1] * params.groups:
        raise RuntimeError("Given groups=%d, weight of size %s, expected input%s to have %d channels, but got %d "
                           "channels instead" % (params.groups, list(w.shape), list(x.shape),
                                                 w.shape[1] * params.groups, x.shape[1]))
    if bias is not None and (bias._data.ndim != 1 or bias._data.shape[0] != w.shape[0]):
        raise RuntimeError("Given weight of size %s, expected bias to be 1-dimensional with %d elements, but got "
                           "bias of size %s instead" % (list(w.shape), w.shape[0], list(bias._data.shape)))
    padded = [n + lo + hi for n, (lo, hi) in zip(x.shape[2:], params.padding)]
    span = [d * (k - 1) + 1 for k, d in zip(w.shape[2:], params.dilation)]
    if any(s > n for s, n in zip(span, padded)):
        raise RuntimeError("Calculated padded input size per channel: (%s). Kernel size: (%s). Kernel size can't "
                           "be greater than actual input size" % (" x ".join(map(str, padded)),
                                                                  " x ".join(map(str, span))))
    for other in (weight, bias):
        if other is not None and other.dtype is not input.dtype:
            raise RuntimeError("expected scalar type %s but found %s" % (input.dtype._cast_name,
                                                                         other.dtype._cast_name))
