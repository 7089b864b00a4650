"""Sliding blocks: im2col / col2im (``nn.functional.unfold`` / ``fold``) and ``Tensor.unfold``.

im2col and col2im are the convolution's column gathering and its adjoint scatter (``conv.py``), each
the other's VJP. ``Tensor.unfold`` is a strided view of every window along one dim; its VJP sums the
windows back (``unfold_backward``), whose own VJP is the view again.
"""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._float8 import as_strided
from ..._tensor import Tensor
from ...autograd.history import view_step
from ...autograd.recording import defop, record
from ..dims import INT64_MAX, numpy_cannot_hold, wrap_dim
from ..registry import op
from ..views import make_view
from .common import KERNEL_FLOATS, refuse_unless
from .conv import ConvParams, col2im_np, im2col_np

# ---- im2col / col2im: (N, C, H, W) <-> (N, C * kh * kw, L) ---------------------------------------
# (torch's backward is col2im's kernel, which adds the columns up in their dtype: not widened)
IM2COL = defop("im2col", grads={
    "self": lambda grad, self_shape, kernel, params: col2im(grad, self_shape[-2:], kernel, params)},
    grad_name="Im2ColBackward0", widen=False)
COL2IM = defop("col2im", grads={
    "self": lambda grad, kernel, params: im2col(grad, kernel, params)}, grad_name="Col2ImBackward0")


def blocks(size: tuple[int, ...], kernel: tuple[int, ...], params: ConvParams) -> tuple[int, ...]:
    """How many sliding blocks fit along each spatial dim."""
    return tuple((n + lo + hi - d * (k - 1) - 1) // s + 1
                 for n, k, (lo, hi), s, d in zip(size, kernel, params.padding, params.stride, params.dilation))


def im2col(input: Tensor, kernel: tuple[int, ...], params: ConvParams) -> Tensor:
    """Every block of a checked ``([N,] C, H, W)`` input as a column: ``([N,] C * prod(kernel), L)``."""
    x = input._data
    batch = x.shape[:-3]
    x = x.reshape((-1,) + x.shape[-3:])
    rows = x.shape[1] * int(np.prod(kernel))  # (not -1: an empty batch leaves it undetermined)
    out = im2col_np(x, kernel, params).reshape(batch + (rows, int(np.prod(blocks(x.shape[2:], kernel, params)))))
    return record(IM2COL, out, (input,), {"kernel": kernel, "params": params})


def col2im(input: Tensor, size: tuple[int, ...], kernel: tuple[int, ...], params: ConvParams) -> Tensor:
    """The columns of a checked ``([N,] C * prod(kernel), L)`` input summed onto ``([N,] C, *size)``."""
    x = input._data
    batch = x.shape[:-2]
    channels = x.shape[-2] // int(np.prod(kernel))
    cols = x.reshape((int(np.prod(batch)), channels) + tuple(kernel) + blocks(size, kernel, params))
    out = col2im_np(cols, tuple(size), params)
    return record(COL2IM, out.reshape(batch + out.shape[1:]), (input,), {"kernel": kernel, "params": params})


def check_block_dtype(kernel: str, input: Tensor) -> None:
    """im2col's and col2im's CPU kernels take the floating and complex types and bool: the integers, complex32 and
    float8 are refused."""
    refuse_unless(kernel, input, KERNEL_FLOATS | {D.complex64, D.complex128, D.bool})


# the order in which torch's shape checks refuse parameters: im2col_shape_check's, col2im_shape_check's
IM2COL_CHECKS = ("kernel size", "dilation", "padding", "stride")
COL2IM_CHECKS = ("kernel size", "stride", "dilation", "padding")


def check_block_params(kernel: tuple[int, ...], params: ConvParams, order: tuple[str, ...]) -> None:
    """torch's refusals of im2col / col2im parameters, in ``order``."""
    checks = {"kernel size": (kernel, lambda v: v <= 0, "greater than zero"),
              "dilation": (params.dilation, lambda v: v <= 0, "greater than zero"),
              "padding": ([lo for lo, _ in params.padding], lambda v: v < 0, "non-negative"),
              "stride": (params.stride, lambda v: v <= 0, "greater than zero")}
    for what in order:
        values, bad, verb = checks[what]
        if any(bad(v) for v in values):
            short = {"kernel size": "kernel", "padding": "pad"}.get(what, what)
            raise RuntimeError("%s should be %s, but got %s_height: %d %s_width: %d"
                               % (what, verb, short, values[0], short, values[1]))


# ---- Tensor.unfold: the windows of one dim, as a view ----------------------------------------------
UNFOLD_BACKWARD = defop("unfold_backward", ("grad_in",), {
    "grad_in": lambda grad, dim, size, step: grad.unfold(dim, size, step)}, complex_vjps=True)
# (torch's unfold_backward kernel adds float16/bfloat16 windows in their dtype: not widened)
UNFOLD = defop("unfold", grads={
    "self": lambda grad, self_shape, dimension, size, step: unfold_backward(grad, self_shape, dimension, size, step)},
    widen=False, complex_vjps=True)


def unfold_backward(grad: Tensor, input_shape: tuple[int, ...], dim: int, size: int, step: int) -> Tensor:
    """The windows of ``grad`` summed back onto an ``input_shape`` tensor."""
    g = grad._data
    if not input_shape:  # a 0-d input's one window, of one element or none
        return record(UNFOLD_BACKWARD, np.asarray(g.sum(dtype=g.dtype)), (grad,),
                      {"dim": dim, "size": size, "step": step})
    out = np.zeros(input_shape, g.dtype)
    moved = np.moveaxis(out, dim, -1)
    windows = np.moveaxis(g, dim, -2)  # (..., count, size)
    # one vectorized add per offset in the window, the last first: each element adds its windows in their order, as
    # torch's kernel (one rounding per addition in the dtype)
    for k in reversed(range(size)):
        moved[..., k:k + step * (windows.shape[-2] - 1) + 1:step] += windows[..., k]
    return record(UNFOLD_BACKWARD, out, (grad,), {"dim": dim, "size": size, "step": step})


@op(method=["unfold(int64_t dimension, int64_t size, int64_t step)"])
def unfold(input: Tensor, dimension: int, size: int, step: int) -> Tensor:
    x = input._data
    d = wrap_dim(dimension, max(x.ndim, 1))
    length = x.shape[d] if x.ndim else 1
    if size > length:
        raise RuntimeError("maximum size for tensor at dimension %d is %d but size is %d" % (d, length, size))
    if size < 0:
        raise RuntimeError("size is %d but must be >= 0" % size)
    if step <= 0:
        raise RuntimeError("step is %d but must be > 0" % step)
    if not x.ndim:
        data = x.reshape(1)[:size]
    else:
        count = (length - size) // step + 1
        strides = x.strides[:d] + (x.strides[d] * step,) + x.strides[d + 1:] + (x.strides[d],)
        shape = x.shape[:d] + (count,) + x.shape[d + 1:] + (size,)
        if abs(strides[d]) > INT64_MAX:  # (a huge step: torch's stride in elements fits, NumPy's in bytes not)
            raise numpy_cannot_hold(shape, [s // x.itemsize for s in strides])
        data = as_strided(x, shape, strides, writeable=x.flags.writeable)
    return make_view(UNFOLD, data, input, {"dimension": d, "size": size, "step": step},
                     view_step(unfold, d, size, step))
