"""N-d convolution (conv1d, conv2d, conv3d) as im2col + one batched BLAS matmul.

The receptive fields come from ``sliding_window_view`` (a strided view, no copy), gathered once
into a column matrix per sample; a ``(groups, out/groups, in/groups * kernel)`` weight multiplies
it. The gradient of the input scatters columns back with one vectorized add per kernel offset
(never a loop over pixels). Three ops close under differentiation: the convolution, its
input-gradient (a transposed convolution) and its weight-gradient; each one's VJPs are written
with the other two, so double backward works.
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ... import _dtype as D
from ..._tensor import Tensor
from ...backends.cpu import _onednn_float16
from ...autograd.recording import OpDef, defop, record
from ..result_layout import in_suggested_format
from .common import fused_gradient, fused_gradient_op, opmath
from ..registry import FUNCTIONS


class ConvParams(NamedTuple):
    stride: tuple[int, ...]
    padding: tuple[tuple[int, int], ...]  # (before, after) per spatial dim
    dilation: tuple[int, ...]
    groups: int


def _padded(x: np.ndarray, p: ConvParams) -> np.ndarray:
    """``x`` padded with zeros; a negative ``after`` crops (a transposed convolution's output_padding
    leaves positions its adjoint convolution never reads)."""
    if not any(lo or hi for lo, hi in p.padding):
        return x
    crop = (slice(None), slice(None)) + tuple(slice(0, n + min(hi, 0)) for n, (_, hi) in zip(x.shape[2:], p.padding))
    return np.pad(x[crop], ((0, 0), (0, 0)) + tuple((lo, max(hi, 0)) for lo, hi in p.padding))


def output_size(size: tuple[int, ...], kernel: tuple[int, ...], p: ConvParams) -> tuple[int, ...]:
    return tuple((n + lo + hi - d * (k - 1) - 1) // s + 1
                 for n, k, (lo, hi), s, d in zip(size, kernel, p.padding, p.stride, p.dilation))


def im2col_np(x: np.ndarray, kernel: tuple[int, ...], p: ConvParams) -> np.ndarray:
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
    # (sizes spelled out, not -1: an empty batch leaves -1 undetermined)
    return cols.reshape(n, p.groups, c // p.groups * int(np.prod(kernel)), int(np.prod(win.shape[2:2 + nd])))


def _grouped_weight(w: np.ndarray, groups: int) -> np.ndarray:
    return w.reshape(groups, w.shape[0] // groups, int(np.prod(w.shape[1:])))


def conv_np(x: np.ndarray, w: np.ndarray, p: ConvParams) -> np.ndarray:
    out_size = output_size(x.shape[2:], w.shape[2:], p)
    out = _grouped_weight(w, p.groups) @ im2col_np(x, w.shape[2:], p)   # (N, groups, out/groups, P)
    return out.reshape((x.shape[0], w.shape[0]) + out_size)


def col2im_np(cols: np.ndarray, size: tuple[int, ...], p: ConvParams) -> np.ndarray:
    """The adjoint of im2col: ``cols`` ``(N, C, *kernel, *out)`` summed back onto an ``(N, C, *size)``
    input, one vectorized add per kernel offset."""
    nd = len(size)
    kernel, out_size = cols.shape[2:2 + nd], cols.shape[2 + nd:]
    padded = tuple(s + lo + max(hi, 0) for s, (lo, hi) in zip(size, p.padding))
    gx = np.zeros(cols.shape[:2] + padded, cols.dtype)
    for offset in np.ndindex(*kernel):
        region = tuple(slice(k * d, k * d + s * (o - 1) + 1, s)
                       for k, d, s, o in zip(offset, p.dilation, p.stride, out_size))
        gx[(slice(None), slice(None)) + region] += cols[(slice(None), slice(None)) + offset]
    crop = tuple(slice(lo, lo + s) for s, (lo, _) in zip(size, p.padding))
    return gx[(slice(None), slice(None)) + crop]


def conv_input_grad_np(g: np.ndarray, w: np.ndarray, input_shape: tuple, p: ConvParams,
                       columns: np.dtype | None = None) -> np.ndarray:
    """col2im of ``w^T g``: the transposed convolution of ``g`` (``columns``: the dtype ``w^T g`` is rounded to and
    added up in, else the product's)."""
    n, c = input_shape[:2]
    kernel, out_size = w.shape[2:], g.shape[2:]
    gw = _grouped_weight(w, p.groups)
    cols = np.swapaxes(gw, 1, 2) @ g.reshape(n, p.groups, g.shape[1] // p.groups, int(np.prod(out_size)))
    if columns is not None:
        cols = cols.astype(columns)
    return col2im_np(cols.reshape((n, c) + tuple(kernel) + tuple(out_size)), tuple(input_shape[2:]), p)


def conv_weight_grad_np(x: np.ndarray, g: np.ndarray, weight_shape: tuple, p: ConvParams) -> np.ndarray:
    cols = im2col_np(x, weight_shape[2:], p)                               # (N, G, CgK, P)
    go = g.reshape(g.shape[0], p.groups, g.shape[1] // p.groups, cols.shape[-1])  # (N, G, Og, P)
    gw = np.einsum("ngop,ngkp->gok", go, cols, optimize=True)
    return np.ascontiguousarray(gw).reshape(weight_shape)  # (einsum's layout is its own: torch's gradient is dense)


# torch's double backward of a convolution is one node computing every gradient of its backward
_DOUBLE_BACKWARD = "ConvolutionBackwardBackward0"
_CONV_FUSED_GRADIENT = fused_gradient_op(_DOUBLE_BACKWARD)


def _bias_grad(grad: Tensor, input: Tensor, weight: Tensor, bias_shape: tuple) -> Tensor:
    summed = grad.sum((0,) + tuple(range(2, grad.dim())))
    if summed.shape == bias_shape:
        return fused_gradient(summed, input, weight, _CONV_FUSED_GRADIENT)
    # no input channels, so no output channels the bias reached: zeros (torch's Empty backend)
    return record(CHANNELLESS_BIAS_GRAD, np.zeros(bias_shape, grad.dtype.np), (grad, input, weight),
                  {"output_shape": tuple(grad.shape)})


def _bias_term(grad: Tensor, output_shape: tuple) -> None:
    """torch's double backward of a convolution computes its output's term of the bias's gradient first, viewed as
    (1, C, 1...) and expanded to the output's shape: the expand's error for an output of no channels."""
    grad.view((1, -1) + (1,) * (len(output_shape) - 2)).expand(output_shape)


CHANNELLESS_BIAS_GRAD = defop("fused_backward", ("grad_output", "input", "weight"), {
    name: _bias_term for name in ("grad_output", "input", "weight")}, grad_name=_DOUBLE_BACKWARD)


def _empty_input_grad(shape: tuple, input: Tensor, weight: Tensor) -> Tensor:
    """A gradient of a convolution of an empty input: zeros (torch's Empty backend), which torch's double backward
    leaves undifferentiated (it skips an empty input's terms)."""
    return fused_gradient(weight.new_zeros(shape), input, weight, _CONV_FUSED_GRADIENT)


def _input_grad(grad: Tensor, input: Tensor, weight: Tensor, input_shape: tuple, params: ConvParams,
                columns: np.dtype | None, first_order: bool = True) -> Tensor:
    """The input's gradient of a convolution; ``first_order``: an output of torch's backward node, with its edges (a
    gradient of a gradient is torch's plain ops: no edge to what it does not depend on)."""
    if not input._data.size:
        return _empty_input_grad(input_shape, input, weight)
    return conv_input_grad(grad, weight, input_shape, params, columns, input if first_order else None)


def _weight_grad(x: Tensor, g: Tensor, input: Tensor, weight: Tensor, weight_shape: tuple, params: ConvParams,
                 columns: np.dtype | None = None, transposed: bool = False, first_order: bool = True) -> Tensor:
    """The weight's gradient of a (``transposed``) convolution of ``input`` by ``weight``: ``conv_weight_grad(x, g)``
    (for a transposed one, x is the cotangent; ``first_order``: see ``_input_grad``)."""
    if not input._data.size:
        return _empty_input_grad(weight_shape, input, weight)
    return conv_weight_grad(x, g, weight_shape, params, columns, weight if first_order else None,
                            CONV_WEIGHT_GRAD_OF_TRANSPOSED if transposed else CONV_WEIGHT_GRAD)


def _convolution_bias_grad(grad: Tensor, input: Tensor, weight: Tensor, bias_shape: tuple, params: ConvParams,
                           columns: np.dtype | None) -> Tensor:
    """torch's native dilated kernels (slow_conv_dilated2d/3d) add each sample's sum, rounded, to the bias's
    gradient in turn (in ``columns``, whatever the float32 the node widened its cotangent to); every other kernel
    sums the whole cotangent at once."""
    if columns is None or all(d == 1 for d in params.dilation) or not grad.numel():
        return _bias_grad(grad, input, weight, bias_shape)
    sums = grad.sum(tuple(range(2, grad.dim()))).to(D.from_numpy_dtype(columns))
    total = sums[0]
    for n in range(1, sums.shape[0]):
        total = total + sums[n]
    return fused_gradient(total, input, weight, _CONV_FUSED_GRADIENT)


_CONVOLUTION_GRADS = {
    "input": lambda grad, input, weight, input_shape, params, columns: _input_grad(grad, input, weight, input_shape,
                                                                                   params, columns),
    "weight": lambda grad, input, weight, weight_shape, params, columns: _weight_grad(input, grad, input, weight,
                                                                                     weight_shape, params, columns),
    "bias": _convolution_bias_grad,
}
# (a complex convolution is nn.functional's three real ones: torch.convolution refuses complex outputs requiring grad)
CONVOLUTION = defop("convolution", ("input", "weight", "bias"), _CONVOLUTION_GRADS, complex_grad=False)
# The gradients of a convolution's backward are outputs of one node in torch (ConvolutionBackwardBackward0), whose
# edges are the backward's grad_output, input and weight, in that order, whichever each gradient depends on: each
# gradient here is its own node with those three edges (one it does not depend on gives no gradient).
def _no_gradient(grad: Tensor) -> None:
    return None


# the convolution a transposed convolution's input gradient is (the transposed convolution's input: an edge only)
CONVOLUTION_AS_GRADIENT = defop("convolution", ("input", "transposed_input", "weight"), {
    "input": lambda grad, input, weight, input_shape, params, columns: _input_grad(
        grad, input, weight, input_shape, params, columns, first_order=False),
    "transposed_input": _no_gradient,
    "weight": lambda grad, input, weight, weight_shape, params, columns: _weight_grad(
        input, grad, input, weight, weight_shape, params, columns, first_order=False)},
    _DOUBLE_BACKWARD, complex_grad=False)
CONV_INPUT_GRAD = defop("convolution_backward_input", ("grad_output", "input", "weight"), {
    "grad_output": lambda grad, weight, params: convolution(grad, weight, None, params),
    "input": _no_gradient,
    # (torch's double backward computes this term as a forward convolution over the batch: rounded once)
    "weight": lambda grad, grad_output, weight_shape, params: conv_weight_grad(grad, grad_output, weight_shape,
                                                                               params),
}, _DOUBLE_BACKWARD)
_WEIGHT_GRAD_VJPS: dict[str, Callable[..., Any]] = {
    "input": lambda grad, grad_output, input_shape, params, columns: conv_input_grad(grad_output, grad, input_shape,
                                                                                     params, columns),
    "grad_output": lambda grad, input, params: convolution(input, grad, None, params),
    "weight": _no_gradient,
}
CONV_WEIGHT_GRAD = defop("convolution_backward_weight", ("grad_output", "input", "weight"), _WEIGHT_GRAD_VJPS,
                         _DOUBLE_BACKWARD)
# (a transposed convolution's weight gradient correlates its cotangent, in the role of input, with its input: torch's
# edges are still the cotangent's first)
CONV_WEIGHT_GRAD_OF_TRANSPOSED = defop("convolution_backward_weight", ("input", "grad_output", "weight"),
                                       _WEIGHT_GRAD_VJPS, _DOUBLE_BACKWARD)


# A transposed convolution is the input-gradient of a convolution (its ``params`` hold the padding of
# that convolution: ``(padding, padding - output_padding)``), plus a bias; torch names its node alike.
CONV_TRANSPOSE = defop("convolution", ("input", "weight", "bias"), {
    "input": lambda grad, input, weight, input_shape, params: (
        convolution(grad, weight, None, params, CONVOLUTION_AS_GRADIENT, input) if input._data.size
        else _empty_input_grad(input_shape, input, weight)),
    "weight": lambda grad, input, weight, weight_shape, params, columns: _weight_grad(
        grad, input, input, weight, weight_shape, params, columns, transposed=True),
    "bias": _bias_grad,
}, complex_grad=False)


def _add_bias(out: np.ndarray, bias: Tensor | None) -> np.ndarray:
    if bias is not None:
        out += opmath(bias._data).reshape((-1,) + (1,) * (out.ndim - 2))
    return out


# The kernels take their operands through ``opmath``: torch's CPU convolutions of float16 and bfloat16 accumulate
# in float32 (bias included) and round once, forward and backward; ``_rounded`` is that rounding.
def _rounded(out: np.ndarray, like: Tensor) -> np.ndarray:
    return out.astype(like.dtype.np, copy=False)


def native_columns(dtype: np.dtype) -> np.dtype | None:
    """The reduced float torch's native kernels (slow_conv2d, slow_conv3d and their dilated and transposed forms)
    round each sample's columns to and add them up in, when torch takes them for every convolution of ``dtype``:
    float16 on a CPU oneDNN has no float16 for. Their forward still rounds once (the columns are copies of the
    input); an input gradient's columns, col2im's sums and a weight gradient's per-sample sums round."""
    return dtype if dtype == np.float16 and not _onednn_float16() else None


def convolution(input: Tensor, weight: Tensor, bias: Tensor | None, params: ConvParams,
                op: OpDef | None = None, transposed_input: Tensor | None = None) -> Tensor:
    """The convolution of checked, batched operands (``nn.functional`` validates and unbatches), recorded as ``op``
    (``CONVOLUTION`` unless given; ``CONVOLUTION_AS_GRADIENT`` records ``transposed_input`` in the bias's place)."""
    x, w = opmath(input._data), opmath(weight._data)
    if x.shape[1]:
        out = _add_bias(conv_np(x, w, params), bias)
    else:  # no input channels, no output channels (torch's Empty backend, its calc_output_size): no bias to add
        out = np.zeros((x.shape[0], 0) + output_size(x.shape[2:], w.shape[2:], params), x.dtype)
    # (in the input's suggested memory format, as torch allocates it)
    out = in_suggested_format(_rounded(out, input), input._data)
    inputs = (input, transposed_input, weight) if op is CONVOLUTION_AS_GRADIENT else (input, weight, bias)
    return record(op or CONVOLUTION, out, inputs, {"params": params, "columns": native_columns(input._data.dtype)})


def conv_transpose(input: Tensor, weight: Tensor, bias: Tensor | None, params: ConvParams,
                   output_shape: tuple[int, ...]) -> Tensor:
    """The transposed convolution of checked, batched operands to ``output_shape``, whose ``params``
    are those of the convolution it is the adjoint of."""
    x = input._data
    # torch's slow transposed kernel, which it takes for an output_padding at least the stride (else oneDNN's),
    # rounds a reduced float's columns to it and adds them up in it, then the bias
    slow = x.dtype in D.REDUCED_NP and any(lo - hi >= s for (lo, hi), s in zip(params.padding, params.stride))
    columns = x.dtype if slow else native_columns(x.dtype)
    out = _add_bias(conv_input_grad_np(opmath(x), opmath(weight._data), output_shape, params, columns), bias)
    return record(CONV_TRANSPOSE, in_suggested_format(_rounded(out, input), input._data), (input, weight, bias),
                  {"params": params, "columns": columns})


def conv_input_grad(grad: Tensor, weight: Tensor, input_shape: tuple, params: ConvParams,
                    columns: np.dtype | None = None, input: Tensor | None = None) -> Tensor:
    """The input's gradient (``input``: the forward's, an edge of the node only)."""
    data = conv_input_grad_np(opmath(grad._data), opmath(weight._data), input_shape, params, columns)
    return record(CONV_INPUT_GRAD, _rounded(data, grad), (grad, input, weight), {"params": params, "columns": columns})


def conv_weight_grad(input: Tensor, grad: Tensor, weight_shape: tuple, params: ConvParams,
                     columns: np.dtype | None = None, weight: Tensor | None = None,
                     op: OpDef | None = None) -> Tensor:
    """The weight's gradient (``columns``: the reduced float torch's slow transposed kernel adds each sample's
    product into, rounding; ``weight``: the forward's, an edge of the node only; ``op``: its record,
    ``CONV_WEIGHT_GRAD`` unless given)."""
    x, g = opmath(input._data), opmath(grad._data)
    if columns is None:
        data = conv_weight_grad_np(x, g, weight_shape, params)
    else:
        data = np.zeros(weight_shape, columns)
        for i in range(x.shape[0]):
            data = (data + conv_weight_grad_np(x[i:i + 1], g[i:i + 1], weight_shape, params)).astype(columns)
    op = op or CONV_WEIGHT_GRAD
    inputs = (input, grad, weight) if op is CONV_WEIGHT_GRAD_OF_TRANSPOSED else (grad, input, weight)
    return record(op, _rounded(data, input), inputs, {"params": params, "columns": columns})


def check_convolution(input: Tensor, weight: Tensor, bias: Tensor | None, params: ConvParams, transposed: bool,
                      output_padding: tuple[int, ...]) -> None:
    """torch's refusals, in torch's order, for batched operands with parameters expanded to the weight's
    spatial dims (for a transposed convolution, ``params`` holds the user's padding)."""
    x, w = input._data, weight._data
    if any(lo < 0 or hi < 0 for lo, hi in params.padding):
        raise RuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise RuntimeError("negative output_padding is not supported")
    if any(s <= 0 for s in params.stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d < 0 for d in params.dilation):
        raise RuntimeError("dilation should be greater than zero")
    if x.ndim != w.ndim:
        raise RuntimeError("Expected %d-dimensional input for %d-dimensional weight %s, but got %d-dimensional input "
                           "of size %s instead" % (w.ndim, w.ndim, list(w.shape), x.ndim, list(x.shape)))
    if w.shape[0] < params.groups:
        raise RuntimeError("Given groups=%d, expected weight to be at least %d at dimension 0, but got weight of size "
                           "%s instead" % (params.groups, params.groups, list(w.shape)))
    if w.shape[0] % params.groups:
        raise RuntimeError("Given groups=%d, expected weight to be divisible by %d at dimension 0, but got weight "
                           "of size [%s] instead" % (params.groups, params.groups, list(w.shape)))
    if transposed:
        _check_transposed_channels(x, w, bias, params.groups)
    else:
        _check_channels(x, w, bias, params)
    for other in (weight, bias):
        if other is not None and other.dtype is not input.dtype:
            raise RuntimeError("expected scalar type %s but found %s" % (input.dtype._cast_name,
                                                                         other.dtype._cast_name))
    if not (x.shape[0] and x.shape[1]):  # torch's Empty backend (no batch or no channels): no kernel, nor its checks
        if x.shape[1] and not w.size:  # (its product of the input and the weight's first element)
            raise IndexError("select(): index 0 out of range for tensor of size [0] at dimension 0")
        return
    if not x.size:  # (its backend's choice, of the shape a 1-d convolution runs as: a 2-d one of height 1)
        raise RuntimeError("Only zero batch or zero channel inputs are supported, but got input shape: %s"
                           % (list(x.shape[:2]) + [1] * (x.ndim == 3) + list(x.shape[2:])))
    if transposed:
        _check_transposed_kernel(input, w.shape, params, output_padding)
        return
    _check_kernel_size(w.shape[2:], params.dilation)
    if 0 in params.dilation:  # the kernel's own check; torch's 1-d convolution is its 2-d one of a height-1 image
        raise RuntimeError("dilation should be greater than zero, but got %s"
                           % ([1] * (len(params.dilation) == 1) + list(params.dilation)))
    if input.dtype is D.bool and x.size:  # (an empty input never reaches the kernel)
        raise NotImplementedError('"%s" not implemented for \'Bool\''
                                  % ("compute_columns3d" if x.ndim == 5 else "slow_conv2d_cpu"))


def _check_channels(x: np.ndarray, w: np.ndarray, bias: Tensor | None, params: ConvParams) -> None:
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


def _check_transposed_channels(x: np.ndarray, w: np.ndarray, bias: Tensor | None, groups: int) -> None:
    if x.shape[1] != w.shape[0]:
        raise RuntimeError("Given transposed=1, weight of size %s, expected input%s to have %d channels, but got %d "
                           "channels instead" % (list(w.shape), list(x.shape), w.shape[0], x.shape[1]))
    if bias is not None and (bias._data.ndim != 1 or bias._data.shape[0] != w.shape[1] * groups):
        raise RuntimeError("Given transposed=1, weight of size %s, expected bias to be 1-dimensional with %d "
                           "elements, but got bias of size %s instead"
                           % (list(w.shape), w.shape[1] * groups, list(bias._data.shape)))


def transposed_output_size(size: tuple[int, ...], kernel: tuple[int, ...], stride: tuple[int, ...],
                           padding: tuple[int, ...], dilation: tuple[int, ...],
                           output_padding: tuple[int, ...]) -> tuple[int, ...]:
    return tuple((n - 1) * s - 2 * p + d * (k - 1) + op + 1
                 for n, k, s, p, d, op in zip(size, kernel, stride, padding, dilation, output_padding))


def _check_kernel_size(kernel: tuple[int, ...], dilation: tuple[int, ...]) -> None:
    """The slow kernels' refusal of a kernel size of 0 (a 1-d convolution runs as a 2-d one of height 1), in the
    words of the dilated kernels, or of the 2-d or 3-d one."""
    if min(kernel) > 0:
        return
    sizes = (1,) * (len(kernel) == 1) + tuple(kernel)
    if any(d != 1 for d in dilation):
        shown = " %s" % list(sizes)
    elif len(sizes) == 2:
        shown = " kernel_height: %d kernel_width: %d" % sizes
    else:
        shown = ": %d x %d x %d (TxHxW)" % sizes
    raise RuntimeError("kernel size should be greater than zero, but got" + shown)


def _check_transposed_kernel(input: Tensor, weight_shape: tuple[int, ...], params: ConvParams,
                             output_padding: tuple[int, ...]) -> None:
    """The refusals of torch's slow_conv_transpose2d/3d kernels (a 1-d convolution runs as a 2-d one of
    height 1, and its messages say so)."""
    size, kernel = input._data.shape[2:], weight_shape[2:]
    padding = tuple(lo for lo, _ in params.padding)
    out = transposed_output_size(size, kernel, params.stride, padding, params.dilation, output_padding)
    if len(size) == 1:  # the height-1 dim torch adds
        size, out, output_padding, kernel = (1,) + size, (1,) + out, (0,) + output_padding, (1,) + kernel
        params = ConvParams((1,) + params.stride, params.padding, (1,) + params.dilation, params.groups)
        weight_shape = weight_shape[:2] + kernel
    names = ("depth", "height", "width")[-len(size):]

    def labelled(what: str, values: tuple, sep: str) -> str:
        return sep.join("%s_%s: %d" % (what, n, v) for n, v in zip(names, values))
    if len(size) == 2 and min(kernel) <= 0:
        raise RuntimeError("kernel size should be greater than zero, but got %s" % labelled("kernel", kernel, " "))
    if any(d <= 0 for d in params.dilation):
        raise RuntimeError("dilation should be greater than zero, but got %s"
                           % labelled("dilation", params.dilation, ", "))
    if any(op >= s and op >= d for op, s, d in zip(output_padding, params.stride, params.dilation)):
        raise RuntimeError("output padding must be smaller than either stride or dilation, but got %s"
                           % " ".join(labelled(w, v, " ") for w, v in (("output_padding", output_padding),
                                                                      ("stride", params.stride),
                                                                      ("dilation", params.dilation))))
    if 0 in weight_shape:
        expected = "2D or 4D weight tensor expected" if len(size) == 2 else (
            "5D (n_output_plane x n_input_plane x kernel_depth x kernel_height x kernel_width) tensor expected for "
            "weight")
        raise RuntimeError("non-empty %s, but got: %s" % (expected, list(weight_shape)))
    if any(n < 1 for n in out):
        raise RuntimeError("Given input size per channel: (%s). Calculated output size per channel: (%s). Output size "
                           "is too small" % (" x ".join(map(str, size)), " x ".join(map(str, out))))
    if input.dtype.category < D.FLOATING and input.dtype is not D.int64:  # its kernels run floats, complex and int64
        raise NotImplementedError('"slow_conv_transpose%dd_out_cpu" not implemented for \'%s\''
                                  % (len(size), input.dtype._cast_name))


# conv_tbc: a 1-d convolution over (time, batch, channel) input; its VJPs are the convolution's,
# on the (batch, channel, time) views of its operands.
def _tbc_params(pad: int) -> ConvParams:
    return ConvParams((1,), ((pad, pad),), (1,), 1)


def _as_bct(t: Tensor) -> Tensor:
    return t.permute(1, 2, 0)


def _as_oik(weight: Tensor) -> Tensor:
    return weight.permute(2, 1, 0)


def _tbc_input_grad(grad: Tensor, weight: Tensor, self_shape: tuple, pad: int) -> Tensor:
    """The input's gradient: the convolution's of the cropped input for a negative pad, zero on the cropped steps."""
    crop = max(-pad, 0)
    length = self_shape[0] - 2 * crop
    g = conv_input_grad(_as_bct(grad), _as_oik(weight), (self_shape[1], self_shape[2], length),
                        _tbc_params(max(pad, 0))).permute(2, 0, 1)
    # (padding loads on first use: conv is imported with minitorch)
    return FUNCTIONS["constant_pad_nd"](g, [0, 0, 0, 0, crop, crop]) if crop else g


def _tbc_weight_grad(grad: Tensor, self: Tensor, weight_shape: tuple, pad: int) -> Tensor:
    crop = max(-pad, 0)
    x = self.narrow(0, crop, self.shape[0] - 2 * crop) if crop else self
    return conv_weight_grad(_as_bct(x), _as_bct(grad), (weight_shape[2], weight_shape[1], weight_shape[0]),
                            _tbc_params(max(pad, 0))).permute(2, 1, 0)


CONV_TBC = defop("conv_tbc", ("self", "weight", "bias"), {
    "self": _tbc_input_grad, "weight": _tbc_weight_grad, "bias": lambda grad: grad.sum((0, 1))})


def conv_tbc(input: Tensor, weight: Tensor, bias: Tensor, pad: int) -> Tensor:
    """torch.conv_tbc: ``(time, batch, in)`` input, ``(kernel, in, out)`` weight; a negative pad crops."""
    x, w, b = input._data, weight._data, bias._data
    if x.ndim != 3:
        raise RuntimeError("Input must have 3 dims: time, batch, in_channel")
    if w.ndim != 3:
        raise RuntimeError("Weight tensor must have 3 dims: kernel_width, in_channels, out_channels.")
    if b.ndim != 1:
        raise RuntimeError("Bias must be 1-D")
    if x.shape[2] != w.shape[1]:
        raise RuntimeError("Input dim 2 (input channels) is not == dim 1 in the weight tensor")
    if b.shape[0] != w.shape[2]:
        raise RuntimeError("Bias size must equal dim 2 in the weight tensor (output channels).")
    length = x.shape[0] + 2 * pad - w.shape[0] + 1
    if length < 0:
        raise RuntimeError("Trying to create tensor with negative dimension %d: %s"
                           % (length, [length, x.shape[1], w.shape[2]]))
    if pad < 0:  # a negative pad crops the input (torch's node takes the whole input: the VJPs crop too)
        x = x[-pad:x.shape[0] + pad]
    params = _tbc_params(max(pad, 0))
    out = np.ascontiguousarray(conv_np(x.transpose(1, 2, 0), w.transpose(2, 1, 0), params).transpose(2, 0, 1))
    out += b
    return record(CONV_TBC, out, (input, weight, bias), {"pad": pad})
