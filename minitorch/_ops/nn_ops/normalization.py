"""layer_norm, batch_norm and group_norm: one node each (``NativeLayerNormBackward0``,
``NativeBatchNormBackward0``, ``NativeGroupNormBackward0``), sharing one normalization kernel and one
set of VJPs. Group norm takes its statistics over a view of the input (``NormParams.view``:
``(N, groups, -1)``) while its weight and bias are per channel.

The VJPs recompute the normalized input from the saved input with minitorch ops, so that second
derivatives include how the statistics depend on the input. In batch norm's evaluation mode the
statistics are the running ones: constants captured at forward time.
"""
from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np

from ... import _dtype as D, _threads
from ..._tensor import Tensor
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...autograd.joint import joint_vjps
from ...autograd.recording import defop, record, record_multi
from ..dims import check_nonnegative, check_symint_sizes
from ..joining import cat
from ..reduction import _mean_dims_grad, _var_grad
from ..scalar_overloads import div_scalar, mul_scalar
from ..fused import fused_multiply_add
from ..result_layout import contiguous, in_suggested_format
from ..sum_order import rows_in_order
from ..vec_reduce import AVX2_LANES, fma, fused_in, reduced_float_sums, rowwise_moments, vector_sums
from .common import fused_gradient, in_float, require_float


class NormParams(NamedTuple):
    axes: tuple[int, ...]         # the axes statistics are taken over
    param_axes: tuple[int, ...]   # the axes weight and bias gradients are summed over
    param_shape: tuple[int, ...]  # weight and bias viewed to broadcast against the input
    eps: float
    stats: tuple[Tensor, Tensor] | None  # constant (mean, invstd), or None to use the input's own
    view: tuple[int, ...] | None = None  # the shape the input is viewed as for its statistics (group norm)
    # a float16/bfloat16 input's (mean, invstd) as torch's forward saves them for its backward kernel: in the input's
    # dtype, or unrounded in float32 beside float32 parameters (torch's "mixed" kernel)
    saved: tuple[np.ndarray, np.ndarray] | None = None
    reduced: np.dtype | None = None  # that input's dtype (the backward's arrays are widened to float32)
    # batch norm's statistics as its double backward reads them: in training the (mean, 1/std) arrays it returns, in
    # evaluation the running (mean, var) tensors
    double_backward: tuple[Any, Any] | None = None


def _viewed(t: Tensor, p: NormParams) -> Tensor:
    return t if p.view is None else t.reshape(p.view)


def _unviewed(t: Tensor, shape: tuple[int, ...], p: NormParams) -> Tensor:
    return t if p.view is None else t.reshape(shape)


def _saved_statistics(p: NormParams) -> tuple[np.ndarray, np.ndarray]:
    """The forward's saved mean and 1/std in the kernel's arithmetic: a reduced float's in float32, a float32 or
    float64 input's in its dtype."""
    mean, invstd = (s.astype(np.promote_types(s.dtype, np.float32)) for s in p.saved or ())
    return mean, invstd


def _centered_scaled(x: Tensor, p: NormParams) -> tuple[Tensor, Tensor]:
    """(x - mean) and 1/std, as differentiable functions of ``x`` (or with the constant stats). A reduced float
    input's backward kernel (without create_graph: computed in float32, rounded once) reads the statistics its
    forward saved, rounded."""
    if p.saved is not None and not is_grad_enabled():
        mean, invstd = (Tensor._make(s) for s in _saved_statistics(p))
        return x - mean, invstd
    if p.stats is not None:
        mean, invstd = p.stats
        return x - mean, invstd
    centered = x - x.mean(p.axes, keepdim=True)
    return centered, ((centered * centered).mean(p.axes, keepdim=True) + p.eps).sqrt().reciprocal()


def _input_grad(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    g = grad if weight is None else grad * weight.reshape(params.param_shape)
    centered, invstd = _centered_scaled(_viewed(input, params), params)
    if params.stats is not None:  # (batch norm's evaluation: under create_graph, native_batch_norm_backward's node)
        return g * invstd
    g = _viewed(g, params)
    xhat = centered * invstd
    dx = invstd * (g - g.mean(params.axes, keepdim=True) - xhat * (g * xhat).mean(params.axes, keepdim=True))
    return _unviewed(dx, tuple(input.shape), params)


def _weight_grad(grad: Tensor, input: Tensor, weight_shape: tuple[int, ...], params: NormParams) -> Tensor:
    centered, invstd = _centered_scaled(_viewed(input, params), params)
    xhat = _unviewed(centered * invstd, tuple(input.shape), params)
    return _summed_to_params(grad * xhat, params).reshape(weight_shape)


def _summed_to_params(t: Tensor, params: NormParams) -> Tensor:
    # no axes to sum when the whole input is normalized (sum over () would sum every axis)
    return t.sum(params.param_axes) if params.param_axes else t


_GRADS = {
    "input": lambda grad, input, weight, params: _input_grad(grad, input, weight, params),
    "weight": lambda grad, input, weight_shape, params: _weight_grad(grad, input, weight_shape, params),
    "bias": lambda grad, input, weight, bias_shape, params: fused_gradient(
        _summed_to_params(grad, params).reshape(bias_shape), input, weight),
}
def _rows_summed_in_dtype(terms: np.ndarray, dtype: np.dtype, factors: np.ndarray | None = None,
                          result_dtype: np.dtype | None = None) -> np.ndarray:
    """torch's layer_norm backward kernel sums its ``(M, N)`` per-row terms (or products ``terms * factors``, each
    fused into its addition) into dgamma or dbeta: each thread's chunk of rows added into a zeroed buffer of the
    dtype (one rounding per row), the buffers then added in the dtype's opmath type (float32 for a reduced float)
    and rounded once to the parameters' ``result_dtype`` (by default ``dtype``)."""
    rows = terms.shape[0]
    chunk = max(1, -(-rows // max(1, min(_threads.get_num_threads(), rows))))  # (no rows: no chunk)
    acc = np.dtype(np.float64 if dtype == np.float64 else np.float32)
    total = np.zeros(terms.shape[1:], acc)
    for start in range(0, rows, chunk):
        block = slice(start, min(start + chunk, rows))
        if dtype == acc:
            buffer = _rows_in_order(terms[block], None if factors is None else factors[block])
        else:  # (a reduced float's buffer: each row's sum rounded to its dtype)
            buffer = np.zeros(terms.shape[1:], acc)
            for i in range(block.start, block.stop):
                summed = buffer + terms[i] if factors is None else fma(terms[i], factors[i], buffer)
                buffer = summed.astype(dtype).astype(acc)
        total += buffer
    return total.astype(result_dtype or dtype)


def _rows_in_order(terms: np.ndarray, factors: np.ndarray | None) -> np.ndarray:
    """A zeroed float32/float64 buffer with each row of ``terms`` (or of ``terms * factors``, the product fused into
    the addition) added in turn."""
    if factors is None:  # (the zero makes a -0.0 sum +0.0)
        return np.add(rows_in_order(np.ascontiguousarray(terms)), terms.dtype.type(0))
    buffer = np.zeros(terms.shape[1:], terms.dtype)
    if terms.dtype == np.float32:  # (the exact float64 products, each added in float64 and rounded into the buffer)
        for product in np.multiply(terms, factors, dtype=np.float64):
            np.add(product, buffer, out=buffer, casting="unsafe")
        return buffer
    for term, factor in zip(terms, factors):
        buffer = fused_multiply_add(term, factor, buffer)
    return buffer


def _in_kernel(params: NormParams) -> bool:
    """Whether a VJP runs as torch's backward kernel of a reduced float input: without create_graph."""
    return params.reduced is not None and params.saved is not None and not is_grad_enabled()


def _in_float_kernel(params: NormParams) -> bool:
    """Whether a float32/float64 layer norm's VJP runs as torch's backward kernel (the forward saved its statistics
    for it): without create_graph."""
    return params.reduced is None and params.saved is not None and not is_grad_enabled()


def _in_float32(t: Tensor) -> np.ndarray:
    return t._data.astype(np.float32, copy=False)


def _mixed(params: NormParams) -> bool:
    """Whether torch's mixed kernel (float32 parameters, a reduced float input) made the saved statistics."""
    return params.saved is not None and params.saved[0].dtype == np.float32


def _layer_norm_rows(params: NormParams, input: Tensor) -> tuple[int, int, np.ndarray, np.ndarray]:
    """The ``(M, N)`` rows torch's layer norm kernel runs over and each row's saved mean and 1/std, in float32."""
    rows = int(np.prod(input.shape[:len(params.param_axes)]))
    columns = int(np.prod(input.shape[len(params.param_axes):]))
    mean, invstd = (s.reshape(rows) for s in _saved_statistics(params))
    return rows, columns, mean, invstd


def _layer_norm_param_grad(grad: Tensor, input: Tensor, shape: tuple[int, ...], params: NormParams,
                           of_weight: bool) -> Tensor | None:
    """dgamma (``dy * (rstd * x - rstd * mean)``, contracted into two fused multiply-adds) or dbeta (``dy``) as
    torch's kernel sums them (``_in_kernel``, ``_in_float_kernel``); None otherwise."""
    if not input.numel():
        return None
    if _in_float_kernel(params):
        rows, columns, mean, a = _layer_norm_rows(params, input)
        dy, dtype = grad._data.reshape(rows, columns), input._data.dtype
        factors = fused_in(dtype)(a[:, None], input._data.reshape(rows, columns), (-a * mean)[:, None]) \
            if of_weight else None
        return Tensor._make(_rows_summed_in_dtype(dy, dtype, factors).reshape(shape))
    if not _in_kernel(params):
        return None
    rows, columns, mean, a = _layer_norm_rows(params, input)
    dy = _in_float32(grad).reshape(rows, columns)
    factors = fma(a[:, None], _in_float32(input).reshape(rows, columns), (-a * mean)[:, None]) if of_weight else None
    # (the mixed kernel's results are float32, as its parameters and statistics)
    summed = _rows_summed_in_dtype(dy, params.reduced, factors, mean.dtype if _mixed(params) else None)
    return Tensor._make(summed.reshape(shape))


def _layer_norm_input_grad(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    """dX as torch's layer norm backward kernel computes it for a reduced float input (``_in_kernel``), from the
    row sums ``ds = sum(dy * gamma * x)`` and ``db = sum(dy * gamma)`` in float32 (in its vectorized order:
    ``reduced_float_sums``): ``dx = rstd * dy * gamma + b * x + c``, with the fused multiply-adds GCC contracted.
    The mixed kernel (float32 parameters) multiplies ``dy * gamma`` first and sums that product as it is."""
    if _in_float_kernel(params) and input.numel():
        return _layer_norm_float_input_grad(grad, input, weight, params)
    if not _in_kernel(params) or not input.numel():
        return _input_grad(grad, input, weight, params)
    rows, columns, mean, a = _layer_norm_rows(params, input)
    dy, x = _in_float32(grad).reshape(rows, columns), _in_float32(input).reshape(rows, columns)
    gamma = None if weight is None else _in_float32(weight).reshape(1, columns)
    if gamma is None:
        ds, db = reduced_float_sums(dy, x), reduced_float_sums(dy)
    elif _mixed(params):
        scaled = dy * gamma
        ds, db = reduced_float_sums(x, scaled, short_by_halves=True), reduced_float_sums(scaled, short_by_halves=True)
    else:
        ds, db = reduced_float_sums(dy * x, gamma), reduced_float_sums(dy, gamma)
    scale = np.float32(1) / np.float32(columns)
    b = fma(db, mean, -ds) * a * a * a * scale
    c = fma(-b, mean, -(db * a * scale))
    first = a[:, None] * dy if gamma is None else a[:, None] * dy * gamma
    dx = fma(b[:, None], x, first) + c[:, None]
    return Tensor._make(dx.astype(params.reduced).reshape(input.shape))


def _layer_norm_float_input_grad(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    """dX as torch's layer norm backward kernel computes it for a float32/float64 input (``_in_float_kernel``): the
    row sums ``ds`` and ``db`` in its vectorized order (``vector_sums``), then ``dx = rstd * dy * gamma + b * x + c``
    with the fused multiply-adds GCC contracted."""
    rows, columns, mean, a = _layer_norm_rows(params, input)
    dy, x = grad._data.reshape(rows, columns), input._data.reshape(rows, columns)
    dtype, fused = x.dtype.type, fused_in(x.dtype)
    gamma = None if weight is None else np.broadcast_to(weight._data.reshape(1, columns), dy.shape)
    if gamma is None:
        ds, db = vector_sums(dy, x), vector_sums(dy)
    else:
        ds, db = vector_sums(dy * x, gamma), vector_sums(dy, gamma)
    scale = dtype(1) / dtype(columns)
    b = fused(db, mean, -ds) * a * a * a * scale
    c = fused(-b, mean, -(db * a * scale))
    first = a[:, None] * dy if gamma is None else a[:, None] * dy * gamma
    dx = fused(b[:, None], x, first) + c[:, None]
    return Tensor._make(dx.reshape(input.shape))


def _layer_norm_weight_grad(grad: Tensor, input: Tensor, weight_shape: tuple[int, ...], params: NormParams) -> Tensor:
    kernel = _layer_norm_param_grad(grad, input, weight_shape, params, True)
    return _weight_grad(grad, input, weight_shape, params) if kernel is None else kernel


def _layer_norm_bias_grad(grad: Tensor, input: Tensor, weight: Tensor | None, bias_shape: tuple[int, ...],
                          params: NormParams) -> Tensor:
    kernel = _layer_norm_param_grad(grad, input, bias_shape, params, False)
    summed = _summed_to_params(grad, params).reshape(bias_shape) if kernel is None else kernel
    return fused_gradient(summed, input, weight)


# (unwidened: a reduced float input's VJPs are torch's kernel, which computes in float32 itself and gives the mixed
# kernel's float32 parameters float32 gradients, not rounded to the input's dtype)
NATIVE_LAYER_NORM = defop("native_layer_norm", ("input", "weight", "bias"), dict(
    _GRADS, input=_layer_norm_input_grad, weight=_layer_norm_weight_grad, bias=_layer_norm_bias_grad), widen=False)
def _batch_norm_sums(grad: Tensor, input: Tensor, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's ``sum(dy)`` and ``sum((x - mean) * dy)`` in float32 as torch's contiguous backward kernel adds
    them: sample by sample, the 16-element vectors' float halves into 8 lanes (the products fused), the elements past
    them one by one, then the lanes in order added to those."""
    n, c = input.shape[:2]
    dy, x = _in_float32(grad).reshape(n, c, -1), _in_float32(input).reshape(n, c, -1)
    lanes, plane = AVX2_LANES, dy.shape[2]
    whole = plane - plane % (2 * lanes)
    sum_lanes = dot_lanes = np.zeros((c, lanes), np.float32)
    sum_rest = dot_rest = np.zeros(c, np.float32)
    centered = x - mean.reshape(1, c, 1)
    for i in range(n):
        for j in range(0, whole, 2 * lanes):
            low, high = slice(j, j + lanes), slice(j + lanes, j + 2 * lanes)
            sum_lanes = sum_lanes + dy[i, :, low] + dy[i, :, high]
            dot_lanes = fma(centered[i, :, high], dy[i, :, high], fma(centered[i, :, low], dy[i, :, low], dot_lanes))
        for j in range(whole, plane):
            sum_rest, dot_rest = sum_rest + dy[i, :, j], fma(centered[i, :, j], dy[i, :, j], dot_rest)
    return sum_rest + _in_order(sum_lanes), dot_rest + _in_order(dot_lanes)


def _in_batch_norm_kernel(input: Tensor, params: NormParams) -> bool:
    """Whether torch's contiguous backward kernel of a reduced float input runs (without create_graph; a
    channels-last input has a kernel of its own). In evaluation ``NormParams.saved`` holds the running mean and
    1/std of the running variance taken in double, as the kernel takes them."""
    return _in_kernel(params) and input._data.flags.c_contiguous and input.numel() > 0


def _batch_norm_statistics(params: NormParams, channels: int) -> tuple[np.ndarray, np.ndarray]:
    mean, invstd = (s.astype(np.float32).reshape(channels) for s in params.saved or ())
    return mean, invstd


def in_float_batch_norm_kernel(input: np.ndarray) -> bool:
    """Whether torch's float32 batch norm kernels run over ``input`` as ``float_batch_sums`` and
    ``_float_batch_norm_grads`` compute them: a contiguous input with channels (planes of one element, an (N, C)
    input, run the channels-last kernels: ``_one_per_plane``)."""
    return input.dtype == np.float32 and input.flags.c_contiguous and input.ndim > 1 and input.size > 0


def _one_per_plane(input: np.ndarray) -> bool:
    return input.size == input.shape[0] * input.shape[1]


def _thread_rows(n: int) -> list[slice]:
    """The rows ``parallel_for(0, n, 1)`` gives each thread (one row at least each; the threads past them none)."""
    threads = min(_threads.get_num_threads(), n) if n > 1 else 1
    chunk = -(-n // threads)
    return [slice(start, min(n, start + chunk)) for start in range(0, n, chunk)]


def _fused_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``acc = a[i] * b[i] + acc`` over the rows in order from 0, each fused (float32)."""
    acc = np.zeros(a.shape[1:], np.float64)
    for product in np.multiply(a, b, dtype=np.float64):
        acc += product
        acc = acc.astype(np.float32).astype(np.float64)
    return acc.astype(np.float32)


def _per_thread(rows: np.ndarray, total: Any) -> np.ndarray:
    """The threads' buffers of the channels-last kernels (each thread's rows reduced by ``total``), added per channel
    in double over the threads."""
    buffers = [total(rows[part]) for part in _thread_rows(rows.shape[0])]
    return np.add.accumulate(np.array(buffers, np.float64), axis=0)[-1]


def _channels_last_batch_sums(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """batch_norm_cpu_collect_stats_channels_last_impl over (N, C): past a row per thread, the rows summed per thread
    in float, the threads' sums in double (the squared deviations' products fused); otherwise in tiles of channels in
    float (one thread, at most 16 or more than 2,048 channels; the mean a float quotient), or per channel in double
    as the contiguous kernel."""
    rows, channels = x.shape
    threads = _threads.get_num_threads()
    if rows > threads:
        mean = (_per_thread(x, lambda part: np.add.accumulate(part, axis=0)[-1]) / rows).astype(np.float32)
        return mean, _per_thread(x - mean, lambda part: _fused_rows(part, part)).astype(np.float32)
    if threads == 1 or channels <= 16 or channels > 2048:
        mean = np.add.accumulate(x, axis=0)[-1] / np.float32(rows)
        return mean, _fused_rows(x - mean, x - mean)
    mean = (np.add.accumulate(x, axis=0, dtype=np.float64)[-1] / rows).astype(np.float32)
    return mean, np.add.accumulate((x - mean) * (x - mean), axis=0, dtype=np.float64)[-1].astype(np.float32)


def _in_float_batch_norm_backward(input: Tensor, params: NormParams) -> bool:
    """Whether a float32 batch norm's VJP runs as torch's backward kernel (``in_float_batch_norm_kernel``), without
    create_graph: the forward saved the statistics it read (``NormParams.saved``)."""
    return _in_float_kernel(params) and in_float_batch_norm_kernel(input._data)


def _float_batch_norm_sums(grad: Tensor, input: Tensor, mean: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each channel's ``sum(dy)`` and ``sum((x - mean) * dy)`` as torch's float32 backward kernel adds them, in
    double. Over planes: each sample's plane in ``reduce_all``'s order (the centered value rounded, its product with
    dy fused into the last vector's addition), the samples' sums added in double. One element per plane (the
    channels-last kernel): each thread's rows added in float (the products fused), the threads' sums in double,
    rounded to float."""
    n, c = input.shape[:2]
    if _one_per_plane(input._data):
        dy, centered = grad._data.reshape(n, c), input._data.reshape(n, c) - mean
        total = _per_thread(dy, lambda part: np.add.accumulate(part, axis=0)[-1])
        dot = _per_thread(np.arange(n), lambda part: _fused_rows(centered[part], dy[part]))
        return total.astype(np.float32).astype(np.float64), dot.astype(np.float32).astype(np.float64)
    dy, x = grad._data.reshape(n * c, -1), input._data.reshape(n, c, -1)
    centered = (x - mean.reshape(1, c, 1)).reshape(n * c, -1)
    planes = [vector_sums(dy), vector_sums(centered, dy)]
    return tuple(np.add.accumulate(t.reshape(n, c), axis=0, dtype=np.float64)[-1] for t in planes)


def _float_batch_norm_grads(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams
                            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """torch's float32 batch norm backward kernels: dx, dweight and dbias. In training
    ``dx = (dy - sum / N - (x - mean) * k) * invstd * w`` (``k = dot * invstd * invstd / N`` in float, the subtraction
    of ``(x - mean) * k`` fused but in the channels-last kernel's last partial vector of channels), in evaluation
    ``dy * invstd * w``; ``dweight = dot * invstd``, ``dbias = sum``. The contiguous kernel keeps its sums in
    double to the end (``sum / N`` a double quotient); the channels-last one rounds them to float first."""
    c = input.shape[1]
    shape = (1, c) + (1,) * (input.dim() - 2)
    mean, invstd = (t.reshape(c) for t in params.saved or ())
    w = np.float32(1) if weight is None else weight._data.reshape(shape)
    dy, x = grad._data, input._data
    total, dot = _float_batch_norm_sums(grad, input, mean)
    one_per_plane = _one_per_plane(x)
    if params.stats is not None:
        dx = dy * invstd.reshape(shape) * w
    else:
        count = input.numel() // c
        k = (dot.astype(np.float32) * invstd * invstd / np.float32(count)).reshape(shape)
        grad_mean = (total.astype(np.float32) / np.float32(count) if one_per_plane else
                     (total / count).astype(np.float32)).reshape(shape)
        centered = x - mean.reshape(shape)
        dx = fma(-centered, k, dy - grad_mean)
        if one_per_plane and c % AVX2_LANES:  # (the channels past the last whole vector: the product rounded apart)
            tail = slice(c - c % AVX2_LANES, c)
            dx[:, tail] = dy[:, tail] - grad_mean[:, tail] - centered[:, tail] * k[:, tail]
        dx = dx * invstd.reshape(shape) * w
    dweight = dot.astype(np.float32) * invstd if one_per_plane else (dot * invstd).astype(np.float32)
    return dx, dweight, total.astype(np.float32)


def _batch_norm_input_grad(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    """dx = (dy - sum / N - (x - mean) * k) * invstd * w with k = dot * invstd * invstd / N in training,
    ``dy * invstd * w`` in evaluation, as torch's contiguous kernel computes it for a reduced float
    (``_in_batch_norm_kernel``) or float32 (``_float_batch_norm_grads``); the generic VJP otherwise."""
    if _in_float_batch_norm_backward(input, params):
        return Tensor._make(_float_batch_norm_grads(grad, input, weight, params)[0])
    if not _in_batch_norm_kernel(input, params):
        return _input_grad(*_in_kernel_precision(params, (grad, input, weight)), params)
    c = input.shape[1]
    mean, invstd = _batch_norm_statistics(params, c)
    shape = (1, c) + (1,) * (input.dim() - 2)
    w = np.float32(1) if weight is None else _in_float32(weight).reshape(shape)
    dy = _in_float32(grad)
    if params.stats is not None:
        return Tensor._make((dy * invstd.reshape(shape) * w).astype(params.reduced).astype(np.float32))
    total, dot = _batch_norm_sums(grad, input, mean)
    count = np.float32(input.numel() // c)
    k, grad_mean = (dot * invstd * invstd / count).reshape(shape), (total / count).reshape(shape)
    centered = _in_float32(input) - mean.reshape(shape)
    dx = fma(-centered, k, dy - grad_mean) * invstd.reshape(shape) * w
    return Tensor._make(dx.astype(params.reduced).astype(np.float32))


def _batch_norm_weight_grad(grad: Tensor, input: Tensor, weight_shape: tuple[int, ...], params: NormParams) -> Tensor:
    if _in_float_batch_norm_backward(input, params):
        return Tensor._make(_float_batch_norm_grads(grad, input, None, params)[1].reshape(weight_shape))
    if not _in_batch_norm_kernel(input, params):
        return _weight_grad(*_in_kernel_precision(params, (grad, input)), weight_shape, params)
    mean, invstd = _batch_norm_statistics(params, input.shape[1])
    return Tensor._make((_batch_norm_sums(grad, input, mean)[1] * invstd).reshape(weight_shape))


def _batch_norm_bias_grad(grad: Tensor, input: Tensor, weight: Tensor | None, bias_shape: tuple[int, ...],
                          params: NormParams) -> Tensor:
    if _in_float_batch_norm_backward(input, params):
        summed = Tensor._make(_float_batch_norm_grads(grad, input, None, params)[2].reshape(bias_shape))
        return fused_gradient(summed, input, weight)
    if not _in_batch_norm_kernel(input, params):
        return _GRADS["bias"](*_in_kernel_precision(params, (grad,)), input, weight, bias_shape, params)
    mean, _ = _batch_norm_statistics(params, input.shape[1])
    return fused_gradient(Tensor._make(_batch_norm_sums(grad, input, mean)[0].reshape(bias_shape)), input, weight)


def _batch_norm_backward(grad: Tensor, input: Tensor, weight: Tensor | None, bias: Tensor | None, params: NormParams,
                         output_mask: tuple) -> tuple:
    """native_batch_norm's backward: its kernel's gradients, and under create_graph one op of torch's,
    native_batch_norm_backward (NativeBatchNormBackwardBackward0, differentiated by batchnorm_double_backward)."""
    if not is_grad_enabled():
        return (_batch_norm_input_grad(grad, input, weight, params) if output_mask[0] else None,
                _batch_norm_weight_grad(grad, input, tuple(weight.shape), params)
                if output_mask[1] and weight is not None else None,
                _batch_norm_bias_grad(grad, input, weight, tuple(bias.shape), params)
                if output_mask[2] and bias is not None else None)
    with no_grad():  # (the kernel's values, as torch's op computes them)
        values = _batch_norm_backward(grad, input, weight, bias, params, output_mask)
    training = params.stats is None
    stats = params.double_backward or (None, None)
    saved = [Tensor._make(np.asarray(t).reshape(-1)) if training else Tensor._make(np.empty(0, input._data.dtype))
             for t in stats]
    # (in the dtypes torch's op returns: the input's, the parameters')
    datas = [np.zeros(input.shape[1], input._data.dtype) if v is None else v._data.astype(
        (input if t is None else t)._data.dtype, copy=False) for v, t in zip(values, (input, weight, bias))]
    outputs = record_multi(NATIVE_BATCH_NORM_BACKWARD, datas, (grad, input, weight, *saved), {
        "running_mean": None if training else stats[0], "running_var": None if training else stats[1],
        "training": training, "eps": params.eps})
    return tuple(o if needed else None for o, needed in zip(outputs, output_mask))


# (unwidened: the VJPs widen a reduced float themselves, and the mixed kernel's float32 parameters get float32
# gradients, not rounded to the input's dtype)
NATIVE_BATCH_NORM = defop("native_batch_norm", ("input", "weight", "bias"),
                          joint_vjps(_batch_norm_backward, ("input", "weight", "bias")), widen=False)


# ---- batch norm's double backward: FunctionsManual's batchnorm_double_backward, op for op ------------------------
def _sum_exclude_dim1(t: Tensor, keepdim: bool = True) -> Tensor:
    summed = t.sum(0, keepdim)
    for dim in range(summed.dim() - 1, 1 if keepdim else 0, -1):
        summed = summed.sum(dim, keepdim)
    return summed


def _trailing_dims_added(src: Tensor, target: Tensor) -> Tensor:
    """A per-channel tensor with size-1 dims after its channels, one short of ``target``'s dims."""
    while src.dim() < target.dim() - 1:
        src = src.unsqueeze(1)
    return src


def _unsqueeze_dim1(src: Tensor, target: Tensor) -> Tensor:
    """A per-channel tensor shaped as a reduction over all dims but 1 with keepdim would be."""
    src = _trailing_dims_added(src, target)
    return src.unsqueeze(0) if src.dim() == target.dim() - 1 else src


def _expand_as_dim1(src: Tensor, target: Tensor) -> Tensor:
    return _trailing_dims_added(src, target).expand_as(target)


def _batchnorm_double_backward(grad: tuple, input: Tensor, weight: Tensor | None, grad_out: Tensor,
                               running_mean: Tensor | None, running_var: Tensor | None, training: bool, eps: float,
                               save_mean: Tensor, save_invstd: Tensor, output_mask: tuple) -> tuple:
    """The gradients of native_batch_norm_backward's (grad_input, grad_weight, grad_bias) with respect to its input,
    weight and grad_out. An output's gradient that is zeros and outside any graph is torch's undefined one."""
    ggI, ggG, ggB = (g if g is not None and (g.requires_grad or g._data.any()) else None for g in grad)
    gO = grad_out
    affine = weight is not None
    if affine:
        gamma = _expand_as_dim1(weight, input)
        ggG_expanded = None if ggG is None else _expand_as_dim1(ggG, input)
        ggB_expanded = None if ggB is None else _expand_as_dim1(ggB, input)
    else:
        gamma = Tensor._make(np.ones((), input._data.dtype))
    count = input.shape[0] * math.prod(input.shape[2:])
    assert running_mean is not None and running_var is not None or training
    mu = _unsqueeze_dim1(save_mean.to(input.dtype) if training else running_mean, input)
    input_sub_mu = input - mu
    invstd = _unsqueeze_dim1(save_invstd.to(input.dtype) if training else running_var.add(eps).pow(-0.5), input)
    invstd_2, invstd_3 = invstd.pow(2), invstd.pow(3)

    input_mu_invstd_3 = input_sub_mu * invstd_3
    gO_in_mu_sum = _sum_exclude_dim1(gO * input_sub_mu)
    gO_sum = _sum_exclude_dim1(gO)
    gI = None
    if ggI is not None and training:
        ggI_sum = _sum_exclude_dim1(ggI)
        ggI_in_mu_sum = _sum_exclude_dim1(ggI * input_sub_mu)
        all_sub = (div_scalar(ggI_sum * gO_sum, count) - _sum_exclude_dim1(gO * ggI)) + mul_scalar(
            invstd_2 * gO_in_mu_sum * ggI_in_mu_sum, 3. / count)
        gI_0t = div_scalar(input_mu_invstd_3 * all_sub, count)
        gI_1t = div_scalar(ggI_in_mu_sum * invstd_3, count) * (div_scalar(gO_sum, count) - gO)
        gI_2t = div_scalar(gO_in_mu_sum * invstd_3, count) * (div_scalar(ggI_sum, count) - ggI)
        gI = gamma * (gI_0t + gI_1t + gI_2t)
    if affine and ggG is not None:  # the gamma term's contribution to gI
        if training:
            t0 = gO * invstd
            t1 = div_scalar(invstd * gO_sum, -count)
            t2 = div_scalar(input_mu_invstd_3 * _sum_exclude_dim1(gO * input_sub_mu), -count)
            term = ggG_expanded * (t0 + t1 + t2)
        else:
            term = ggG_expanded * invstd * gO
        gI = term if gI is None else gI + term

    def first_back_grad_input(g: Tensor, gamma: Tensor) -> Tensor:
        h0 = div_scalar(gamma * invstd, count)
        h1 = (mul_scalar(g, count) - _sum_exclude_dim1(g)) - input_sub_mu * invstd_2 * _sum_exclude_dim1(
            g * input_sub_mu)
        return h0 * h1

    gG = None
    if affine and ggI is not None:
        if training:  # the first backward without gamma
            ones = Tensor._make(np.ones((), invstd._data.dtype))
            gG = _sum_exclude_dim1(ggI * first_back_grad_input(gO, ones), False)
        else:
            gG = _sum_exclude_dim1(ggI * gO * invstd, False)
    ggO = None
    if ggI is not None:
        ggO = first_back_grad_input(ggI, gamma) if training else ggI * invstd * gamma
    if affine and ggG is not None:
        term = ggG_expanded * input_sub_mu * invstd
        ggO = term if ggO is None else ggO + term
    if affine and ggB is not None:
        ggO = ggB_expanded if ggO is None else ggO + ggB_expanded
    return gI, gG, ggO


def _statistic_grad_not_implemented(name: str) -> Any:
    def vjp(grad: Any) -> Tensor:
        raise RuntimeError("the derivative for '%s' is not implemented." % name)
    return vjp


NATIVE_BATCH_NORM_BACKWARD = defop(
    "native_batch_norm_backward", ("grad_out", "input", "weight", "save_mean", "save_invstd"),
    {**joint_vjps(_batchnorm_double_backward, ("input", "weight", "grad_out")),
     "save_mean": _statistic_grad_not_implemented("native_batch_norm_backward save_mean"),
     "save_invstd": _statistic_grad_not_implemented("native_batch_norm_backward save_invstd")},
    grad_name="NativeBatchNormBackwardBackward0", num_outputs=3, widen=False)


def _statistics_grad(grad_mean: Tensor, grad_invstd: Tensor, input: Tensor, params: NormParams) -> Tensor:
    """The input's gradient through the mean and 1/std that native_group_norm also returns."""
    centered, invstd = _centered_scaled(_viewed(input, params), params)
    stat_shape = tuple(centered.shape[:-1]) + (1,)
    count = centered.shape[-1]
    dx = (grad_mean.reshape(stat_shape) - grad_invstd.reshape(stat_shape) * invstd.pow(3) * centered) / count
    return _unviewed(dx, tuple(input.shape), params)


def _in_kernel_precision(params: NormParams, values: tuple) -> tuple:
    """``values`` (tensors or None) in float32 where a reduced float input's backward runs as torch's kernel
    (without create_graph: ``NormParams.saved``), for the unwidened ops' generic VJPs (native_group_norm's three
    outputs' gradients, native_batch_norm's) to compute as a fused kernel: in float32, rounded once."""
    if not _in_kernel(params):
        return values
    return tuple(v if v is None else Tensor._make(v._data.astype(np.float32)) for v in values)


def _rounded_to(t: Tensor, like: Tensor) -> Tensor:
    return t if t.dtype is like.dtype else Tensor._make(t._data.astype(like._data.dtype))


def _in_group_norm_kernel(grad: tuple, input: Tensor, params: NormParams) -> bool:
    """Whether torch runs native_group_norm_backward's kernel (of a reduced float input, or of a float32/float64 one:
    its forward saved the statistics): without create_graph, the statistics' gradients undefined (zeros here), and
    the contiguous kernel (a channels-last input has its own)."""
    return ((_in_kernel(params) or _in_float_kernel(params)) and input._data.flags.c_contiguous
            and input.numel() > 0 and not any(g._data.any() for g in grad[1:]))


def _in_order(lanes: np.ndarray) -> np.ndarray:
    """``std::accumulate`` of stored lanes (rows x lanes) from 0."""
    total = np.zeros(lanes.shape[0], lanes.dtype)
    for i in range(lanes.shape[1]):
        total = total + lanes[:, i]
    return total


def _group_norm_arrays(t: Tensor, params: NormParams) -> np.ndarray:
    """A tensor's data in the group norm kernel's arithmetic: a reduced float's in float32."""
    return _in_float32(t) if params.reduced is not None else t._data


def _group_norm_sums(grad: Tensor, input: Tensor, params: NormParams) -> tuple[np.ndarray, np.ndarray]:
    """ComputeInternalGradients: each (sample, channel) plane's ``ds = sum(dy * x)`` and ``db = sum(dy)`` (shape
    (N, C)). A float32/float64 plane is ``map2_reduce_all``'s and ``reduce_all``'s (``vector_sums``); a reduced
    float's is added in float32: the 16-element vectors' float halves accumulated lane-wise (products fused), the
    lanes added in order, then the elements past the last whole vector."""
    n, c = input.shape[:2]
    if params.reduced is None:  # (the float32 instantiation's products all rounded apart, float64's last ones fused)
        dy, x = grad._data.reshape(n * c, -1), input._data.reshape(n * c, -1)
        ds = vector_sums(dy * x) if dy.dtype == np.float32 else vector_sums(dy, x)
        return ds.reshape(n, c), vector_sums(dy).reshape(n, c)
    dy, x = _in_float32(grad).reshape(n * c, -1), _in_float32(input).reshape(n * c, -1)
    lanes, plane = AVX2_LANES, dy.shape[1]
    whole = plane - plane % (2 * lanes)
    ds = db = np.zeros((n * c, lanes), np.float32)
    for j in range(0, whole, 2 * lanes):
        low, high = slice(j, j + lanes), slice(j + lanes, j + 2 * lanes)
        ds = fma(dy[:, high], x[:, high], fma(dy[:, low], x[:, low], ds))
        db = db + dy[:, low] + dy[:, high]
    ds_sum, db_sum = _in_order(ds), _in_order(db)
    for j in range(whole, plane):
        ds_sum, db_sum = fma(dy[:, j], x[:, j], ds_sum), db_sum + dy[:, j]
    return ds_sum.reshape(n, c), db_sum.reshape(n, c)


def _group_norm_input_kernel(grad: Tensor, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    """GroupNormInputBackward: each group's ``sum(ds * gamma)`` and ``sum(db * gamma)`` over its channels as
    CalcDsDb adds them (a vector of the parameters' dtype at a time into the accumulator's lanes, products fused: 16
    channels of a reduced float, 8 of float32, 4 of float64; the rest one by one), then
    ``dx = rstd * gamma * dy + c2 * x + c3`` with layer norm's coefficients and GCC's fused multiply-adds."""
    n, c = input.shape[:2]
    groups = params.view[1] if params.view else 1
    per_group = c // groups
    ds, db = _group_norm_sums(grad, input, params)
    dtype = ds.dtype.type
    fused = fused_in(ds.dtype)
    gamma = np.ones(c, dtype) if weight is None else _group_norm_arrays(weight, params)
    ds, db = (t.reshape(n * groups, per_group) for t in (ds, db))
    gammas = np.tile(gamma.reshape(groups, per_group), (n, 1))
    lanes = AVX2_LANES * 4 // ds.dtype.itemsize
    whole = per_group - per_group % (lanes if params.reduced is None else 2 * lanes)
    ds_acc = db_acc = np.zeros((n * groups, lanes), dtype)
    for j in range(0, whole, lanes):
        ds_acc = fused(ds[:, j:j + lanes], gammas[:, j:j + lanes], ds_acc)
        db_acc = fused(db[:, j:j + lanes], gammas[:, j:j + lanes], db_acc)
    ds_sum, db_sum = _in_order(ds_acc), _in_order(db_acc)
    for j in range(whole, per_group):
        ds_sum, db_sum = fused(ds[:, j], gammas[:, j], ds_sum), fused(db[:, j], gammas[:, j], db_sum)
    mean, rstd = (t.astype(dtype).reshape(n * groups) for t in params.saved or ())
    scale = dtype(1) / dtype(per_group * (input.numel() // (n * c)))
    c2 = fused(db_sum, mean, -ds_sum) * rstd * rstd * rstd * scale
    # (GCC contracted the reduced floats' instantiation and the float32/float64 one differently, measured)
    c3 = fused(-c2, mean, -(db_sum * rstd * scale)) if params.reduced is not None else \
        fused(-(db_sum * rstd), scale, -c2 * mean)
    c1 = (rstd.reshape(n, groups, 1) * gamma.reshape(1, groups, per_group)).reshape(n, c, 1)
    c2, c3 = (np.repeat(t.reshape(n, groups, 1), per_group, 1).reshape(n, c, 1) for t in (c2, c3))
    dy, x = (_group_norm_arrays(t, params).reshape(n, c, -1) for t in (grad, input))
    dx = (fused(c2, x, c1 * dy) if params.reduced is not None else fused(c1, dy, c2 * x)) + c3
    return Tensor._make(dx.astype(input._data.dtype).reshape(input.shape))


def _regrouped(grad: tuple, input: Tensor, grouped: tuple[int, int, int] | None) -> tuple[tuple, Tensor]:
    """The output's gradient and the input read as ``(N, C, HxW)`` where N and C are not the input's first sizes
    (torch's node takes the input as it is and its backward reads it so)."""
    if grouped is None:
        return grad, input
    return (grad[0].reshape(grouped), *grad[1:]), input.reshape(grouped)


def _in_group_norm_formula(params: NormParams) -> bool:
    """Whether torch computes native_group_norm's gradients by infinitely_differentiable_native_group_norm_backward
    from its saved statistics, op by op in the input's dtype: without create_graph when the mean's or 1/std's
    gradient is defined (zeros here), and the kernel does not apply."""
    return params.saved is not None and not is_grad_enabled()


def _group_norm_formula_sums(grad: Tensor, input: Tensor, params: NormParams) -> tuple[Tensor, ...]:
    """The formula's (dY, X, mean, rstd, ds, db) viewed as (N, G, D, HxW), the statistics as (N, G, 1, 1)."""
    n, c = input.shape[:2]
    groups = params.view[1] if params.view else 1
    shape = (n, groups, c // groups, input.numel() // (n * c) if n * c else 0)
    dy, x = grad.reshape(shape), input.reshape(shape)
    mean, rstd = (Tensor._make(t).reshape(n, groups, 1, 1) for t in params.saved or ())
    return dy, x, mean, rstd, (dy * x).sum(3).unsqueeze(-1), dy.sum(3).unsqueeze(-1)


def _group_norm_formula_input_grad(grad: tuple, input: Tensor, weight: Tensor | None, params: NormParams) -> Tensor:
    """infinitely_differentiable_native_group_norm_backward's dX."""
    dy, x, mean, rstd, ds, db = _group_norm_formula_sums(grad[0], input, params)
    n, groups, per_group, hxw = x.shape
    s = 1.0 / (per_group * hxw) if per_group * hxw else math.inf  # (torch's SymFloat division by 0: inf)
    gamma = None if weight is None else weight.reshape(1, groups, per_group, 1)
    rstd_cube = rstd * rstd * rstd
    a = rstd if gamma is None else rstd * gamma
    b = (ds if gamma is None else ds * gamma).sum(2).unsqueeze(-2)
    c = (db if gamma is None else db * gamma).sum(2).unsqueeze(-2)
    b = (c * mean - b) * rstd_cube * s
    c = -b * mean - c * rstd * s
    dx = a * dy + b * x + c
    dvar = -0.5 * rstd_cube * grad[2].view(n, groups, 1, 1)
    dx = dx + (_var_grad(dvar, x, (2, 3), 0, True)
               + _mean_dims_grad(grad[1].view(n, groups, 1, 1), x.shape, (2, 3), True))
    return dx.reshape(input.shape)


def _group_norm_formula_param_grad(grad: Tensor, input: Tensor, params: NormParams, of_weight: bool) -> Tensor:
    """infinitely_differentiable_native_group_norm_backward's dgamma or dbeta (per channel)."""
    _, _, mean, rstd, ds, db = _group_norm_formula_sums(grad, input, params)
    return ((ds - db * mean) * rstd if of_weight else db).sum(0).reshape(-1)


def _group_input_grad(grad: tuple, input: Tensor, weight: Tensor | None, params: NormParams,
                      grouped: tuple[int, int, int] | None) -> Tensor:
    grad, x = _regrouped(grad, input, grouped)
    if _in_group_norm_kernel(grad, x, params):
        result = _group_norm_input_kernel(grad[0], x, weight, params)
    elif _in_group_norm_formula(params):
        result = _group_norm_formula_input_grad(grad, x, weight, params)
    else:
        g, g_mean, g_invstd, xk, w = _in_kernel_precision(params, (*grad, x, weight))
        result = _rounded_to(_input_grad(g, xk, w, params) + _statistics_grad(g_mean, g_invstd, xk, params), x)
    return result if grouped is None else result.reshape(input.shape)


def _group_norm_param_kernel(grad: Tensor, input: Tensor, params: NormParams, of_weight: bool) -> Tensor:
    """GammaBackward (``sum over samples of (ds - db * mean) * rstd``, fused) or BetaBackward (``sum of db``) per
    channel, in float32 rounded once to the parameters' dtype."""
    n, c = input.shape[:2]
    groups = params.view[1] if params.view else 1
    ds, db = _group_norm_sums(grad, input, params)
    fused = fused_in(ds.dtype)
    total = np.zeros(c, ds.dtype)
    if of_weight:
        mean, rstd = (np.repeat(t.astype(ds.dtype).reshape(n, groups, 1), c // groups, 2).reshape(n, c)
                      for t in params.saved or ())
        for i in range(n):
            total = fused(fused(-db[i], mean[i], ds[i]), rstd[i], total)
    else:
        for i in range(n):
            total = total + db[i]
    return Tensor._make(total.astype(np.float32 if _mixed(params) else params.reduced or ds.dtype))


def _group_weight_grad(grad: tuple, input: Tensor, weight_shape: tuple[int, ...], params: NormParams,
                       grouped: tuple[int, int, int] | None) -> Tensor:
    grad, input = _regrouped(grad, input, grouped)
    if _in_group_norm_kernel(grad, input, params):
        return _group_norm_param_kernel(grad[0], input, params, True).reshape(weight_shape)
    if _in_group_norm_formula(params):
        return _group_norm_formula_param_grad(grad[0], input, params, True).reshape(weight_shape)
    g, x = _in_kernel_precision(params, (grad[0], input))
    return _rounded_to(_weight_grad(g, x, weight_shape, params), grad[0])


def _group_bias_grad(grad: tuple, input: Tensor, bias_shape: tuple[int, ...], params: NormParams,
                     grouped: tuple[int, int, int] | None) -> Tensor:
    grad, input = _regrouped(grad, input, grouped)
    if _in_group_norm_kernel(grad, input, params):
        return _group_norm_param_kernel(grad[0], input, params, False).reshape(bias_shape)
    if _in_group_norm_formula(params):
        return _group_norm_formula_param_grad(grad[0], input, params, False).reshape(bias_shape)
    g, = _in_kernel_precision(params, (grad[0],))
    return _rounded_to(_summed_to_params(g, params).reshape(bias_shape), grad[0])


# native_group_norm's three outputs (normalized input, mean, 1/std) are all differentiable
NATIVE_GROUP_NORM = defop("native_group_norm", ("input", "weight", "bias"), {
    "input": _group_input_grad, "weight": _group_weight_grad, "bias": _group_bias_grad}, num_outputs=3)


def batch_sums(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sum of squared deviations from it over ``axes`` (kept), in float32 for reduced-float input."""
    x = x.astype(D.opmath_np(x.dtype), copy=False)
    if not x.size:  # nan, as torch gives it silently (NumPy warns of an empty mean)
        nan = np.full(tuple(1 if i in axes else s for i, s in enumerate(x.shape)), np.nan, x.dtype)
        return nan, nan.copy()
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    return mean, np.sum(centered * centered, axis=axes, keepdims=True)


def float_batch_sums(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The mean and sum of squared deviations (kept dims) of a float32 input's channels as torch's contiguous kernel
    collects them (``in_float_batch_norm_kernel``): the values added in double in order (sample by sample, each
    plane through), the mean rounded to float, the float squares of the deviations from it added in double, the sum
    rounded to float."""
    n, c = x.shape[:2]
    kept = (1, c) + (1,) * (x.ndim - 2)
    if _one_per_plane(x):
        mean, squares = _channels_last_batch_sums(x.reshape(n, c))
        return mean.reshape(kept), squares.reshape(kept)
    planes = np.moveaxis(x.reshape(n, c, -1), 1, 0).reshape(c, -1)
    mean = (np.add.accumulate(planes, axis=1, dtype=np.float64)[:, -1] / planes.shape[1]).astype(np.float32)
    centered = planes - mean[:, None]
    squares = np.add.accumulate(centered * centered, axis=1, dtype=np.float64)[:, -1].astype(np.float32)
    return mean.reshape(kept), squares.reshape(kept)


def float_batch_norm_np(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, w: np.ndarray | None,
                        b: np.ndarray | None, p: NormParams) -> np.ndarray:
    """torch's float32 batch norm kernels' output: ``x * alpha + beta`` per channel (``alpha = invstd * w``,
    ``beta = b - mean * alpha``), each fused into one multiply-add."""
    alpha = invstd if w is None else invstd * w.reshape(p.param_shape)
    beta = fma(-mean, alpha, np.float32(0) if b is None else b.reshape(p.param_shape))
    return fma(x, alpha, beta)


def batch_stats(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and biased variance over ``axes`` (kept), in float32 for reduced-float input."""
    mean, squares = batch_sums(x, axes)
    return mean, squares / max(1, int(np.prod([x.shape[a] for a in axes])))


_ROWWISE_MOMENTS = frozenset((np.dtype(np.float32), np.dtype(np.float64), *D.REDUCED_NP))


def row_stats(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and biased variance over the trailing ``axes`` (kept) as torch's layer and group norm kernels take them:
    a non-empty floating input's by its ``RowwiseMoments`` (float16/bfloat16 in float32), others' as
    ``batch_stats``."""
    if x.dtype not in _ROWWISE_MOMENTS or not x.size:
        return batch_stats(x, axes)
    rows = int(np.prod(x.shape[:x.ndim - len(axes)]))
    mean, var = rowwise_moments(x.reshape(rows, -1))
    kept = x.shape[:x.ndim - len(axes)] + (1,) * len(axes)
    return mean.reshape(kept), var.reshape(kept)


def _bf16_steps(*values: Any) -> np.ndarray:
    """``values`` rounded to bfloat16 (held in float32): c10's BFloat16 arithmetic rounds each operation's result."""
    return np.asarray(values[0] if len(values) == 1 else values).astype(D.bfloat16.np).astype(np.float32)


def batch_norm_saved_stats(dtype: np.dtype, mean: np.ndarray, squares: np.ndarray, count: int,
                           eps: float) -> tuple[np.ndarray, np.ndarray]:
    """The mean and 1/std torch's training batch norm saves (and normalizes by) from the batch's ``mean`` and sum of
    squared deviations ``squares`` (``batch_sums``) over ``count`` values per channel. A reduced float's are rounded
    to its dtype; bfloat16's kernel keeps the sum in bfloat16 and divides it by the count converted to bfloat16, in
    bfloat16 (float16's: in float32). 1/std is 0 where the variance and eps are both 0 (InvStd)."""
    if dtype == D.bfloat16.np:
        var = _bf16_steps(_bf16_steps(squares) / _bf16_steps(count))
    else:
        var = squares / squares.dtype.type(max(count, 1))
    with np.errstate(divide="ignore"):  # (the variance 0 with eps 0: replaced below)
        invstd = (1 / np.sqrt(var.astype(np.float64) + eps)).astype(var.dtype)
    if eps == 0:
        invstd[var == 0] = 0
    return as_saved(dtype, mean, invstd)


def updated_running_stats(dtype: np.dtype, running_mean: np.ndarray | None, running_var: np.ndarray | None,
                          mean: np.ndarray, squares: np.ndarray, count: int, momentum: float,
                          float_kernel: bool = False) -> None:
    """``running = momentum * batch + (1 - momentum) * running`` in place, the variance unbiased, as torch's kernel
    computes it from the batch's ``mean`` and sum of squared deviations ``squares`` (``batch_sums``): in double,
    rounded once; bfloat16's in c10's BFloat16 arithmetic (the momentum and the sum rounded to bfloat16, each
    product rounded, but the variance's by the momentum made in float32). ``float_kernel``: the contiguous float32
    kernel's (``in_float_batch_norm_kernel``), whose momentum is a float: the mean's update in float, the variance's
    ``momentum * unbiased`` in double plus ``(1 - momentum) * running`` in float."""
    if float_kernel:
        rate = np.float32(momentum)
        keep = np.float32(1) - rate
        if running_mean is not None:
            running_mean[...] = rate * mean.reshape(running_mean.shape) + keep * running_mean
        if running_var is not None:
            with np.errstate(divide="ignore", invalid="ignore"):
                unbiased = (squares / np.float32(count - 1)).reshape(running_var.shape)
            running_var[...] = np.float64(rate) * unbiased + (keep * running_var).astype(np.float64)
        return
    if dtype == D.bfloat16.np:
        rate = _bf16_steps(momentum)
        keep = _bf16_steps(1 - rate)
        if running_mean is not None:
            batch_mean = _bf16_steps(mean.reshape(running_mean.shape))
            running_mean[...] = _bf16_steps(_bf16_steps(rate * batch_mean) + _bf16_steps(keep * running_mean))
        if running_var is not None:
            unbiased = _bf16_steps(_bf16_steps(squares) / _bf16_steps(count - 1)).reshape(running_var.shape)
            running_var[...] = rate * unbiased + _bf16_steps(keep * running_var)
        return
    with np.errstate(divide="ignore", invalid="ignore"):  # (one value per channel: inf or nan, as torch's)
        unbiased = squares / squares.dtype.type(count - 1)
    for running, batch in ((running_mean, mean), (running_var, unbiased)):
        if running is not None:
            running[...] = (momentum * batch.reshape(running.shape).astype(np.float64)
                            + (1 - momentum) * running.astype(np.float64))


def _normalize_np(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, w: np.ndarray | None,
                  b: np.ndarray | None, p: NormParams) -> np.ndarray:
    y = (x - mean) * invstd if p.view is None else ((x.reshape(p.view) - mean) * invstd).reshape(x.shape)
    if w is not None:
        y *= w.reshape(p.param_shape)
    if b is not None:
        y += b.reshape(p.param_shape)
    return y


def layer_norm_np(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, w: np.ndarray | None, b: np.ndarray | None,
                  p: NormParams) -> np.ndarray:
    """torch's float32/float64 layer norm kernel: ``(x - mean) * rstd``, then ``* gamma + beta`` as one fused
    multiply-add (a missing gamma is 1, a missing beta 0; float32's build, with a beta and no gamma, fuses ``rstd``'s
    product into the addition instead)."""
    centered = x - mean
    if w is None and b is None:
        return centered * invstd
    if w is None and x.dtype == np.float32:
        return fused_in(x.dtype)(centered, invstd, b.reshape(p.param_shape))
    return fused_in(x.dtype)(centered * invstd, x.dtype.type(1) if w is None else w.reshape(p.param_shape),
                              x.dtype.type(0) if b is None else b.reshape(p.param_shape))


def reduced_layer_norm_np(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, w: np.ndarray | None,
                          b: np.ndarray | None, p: NormParams) -> np.ndarray:
    """torch's layer norm kernel of a reduced float (``x`` in float32): ``(x * rstd + -rstd * mean) * gamma + beta``,
    contracted into two fused multiply-adds (a missing gamma is 1, a missing beta 0)."""
    y = fma(x, invstd, -invstd * mean)
    return fma(y, np.float32(1) if w is None else w.reshape(p.param_shape),
               np.float32(0) if b is None else b.reshape(p.param_shape))


def _contiguous_group_norm_np(x: np.ndarray, mean: np.ndarray, invstd: np.ndarray, w: np.ndarray | None,
                              b: np.ndarray | None, p: NormParams) -> np.ndarray:
    """torch's contiguous group norm kernel (a reduced float's ``x`` in float32): ``(x - mean) * rstd`` without
    affine parameters, else ``scale * x + bias`` per channel (``scale = rstd * gamma``, ``bias = -scale * mean +
    beta``) in fused multiply-adds."""
    if w is None and b is None:
        return _normalize_np(x, mean, invstd, None, None, p)
    per_channel = (x.shape[0], x.shape[1]) + (1,) * (x.ndim - 2)
    channels = x.shape[1]
    rstd = np.repeat(invstd.reshape(p.view[:2]), channels // p.view[1], 1).reshape(per_channel)
    means = np.repeat(mean.reshape(p.view[:2]), channels // p.view[1], 1).reshape(per_channel)
    scale = rstd if w is None else rstd * w.reshape(p.param_shape)
    bias = fused_in(x.dtype)(-scale, means, x.dtype.type(0) if b is None else b.reshape(p.param_shape))
    return fused_in(x.dtype)(scale, x, bias)


def _normalized(input: Tensor, weight: Tensor | None, bias: Tensor | None, params: NormParams, mean: np.ndarray,
                invstd: np.ndarray, formula: Any = None, reduced_formula: Any = None) -> np.ndarray:
    """``(input - mean) * invstd * weight + bias`` as ``formula`` computes it (a float16/bfloat16 input's as
    ``reduced_formula``, in float32), by default each step rounded."""
    chosen = (reduced_formula if input._data.dtype in D.REDUCED_NP else None) or formula or _normalize_np
    data = in_float(chosen, input._data, mean, invstd,
                    None if weight is None else weight._data, None if bias is None else bias._data, params)
    return data.astype(input._data.dtype, copy=False)


def as_saved(dtype: np.dtype, mean: np.ndarray, invstd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Batch statistics as torch saves them for an input of ``dtype``: a reduced float's rounded to it (held in
    float32)."""
    if dtype not in D.REDUCED_NP:
        return mean, invstd
    return np.asarray(mean).astype(dtype).astype(np.float32), np.asarray(invstd).astype(dtype).astype(np.float32)


def statistics_dtype(input: Tensor, *parameters: Tensor | None) -> np.dtype:
    """The dtype torch's CPU norm kernels keep their mean and 1/std in: float32 where a reduced float input meets
    float32 parameters (their "mixed" kernels), else the input's."""
    dtype = input._data.dtype
    if dtype in D.REDUCED_NP and any(p is not None and p.dtype is D.float32 for p in parameters):
        return np.dtype(np.float32)
    return dtype


def _with_saved(params: NormParams, dtype: np.dtype, mean: np.ndarray, invstd: np.ndarray,
                stats_dtype: np.dtype, float_kernel: bool = False) -> NormParams:
    """``params`` with the batch statistics a reduced float input's backward reads (``NormParams.saved``), kept in
    ``stats_dtype``; ``float_kernel``: a float32/float64 input's too (layer norm's backward kernel)."""
    if float_kernel and dtype in (np.float32, np.float64) and params.stats is None:
        return params._replace(saved=(np.asarray(mean, dtype), np.asarray(invstd, dtype)))
    if dtype not in D.REDUCED_NP or params.stats is not None:
        return params
    return params._replace(saved=(np.asarray(mean).astype(stats_dtype), np.asarray(invstd).astype(stats_dtype)),
                           reduced=dtype)


def normalize(op: Any, input: Tensor, weight: Tensor | None, bias: Tensor | None, params: NormParams,
              mean: np.ndarray, invstd: np.ndarray, formula: Any = None, reduced_formula: Any = None,
              float_kernel: bool = False, stats_dtype: np.dtype | None = None) -> Tensor:
    """Record ``(input - mean) * invstd * weight + bias`` as the norm op ``op`` (``_normalized``'s formulas;
    ``float_kernel``: ``_with_saved``'s), laid out as torch allocates it: batch norm's in the input's suggested
    memory format, layer norm's contiguous. ``stats_dtype``: the saved statistics' (batch norm's running statistics
    make its kernel mixed too), by default ``statistics_dtype`` of the weight and bias."""
    data = _normalized(input, weight, bias, params, mean, invstd, formula, reduced_formula)
    data = in_suggested_format(data, input._data) if op is NATIVE_BATCH_NORM else contiguous(data)
    return record(op, data, (input, weight, bias), {"params": _with_saved(
        params, input._data.dtype, mean, invstd, stats_dtype or statistics_dtype(input, weight, bias), float_kernel)})


def check_mixed_dtypes(input: Tensor, *parameters: Tensor | None) -> None:
    """torch's CPU batch, layer and group norms: parameters of another dtype than the input's ("mixed", as the first
    given one tells) must be float32, and the input then a reduced float; not mixed, the kernel reads each parameter
    in the input's dtype (a tensor accessor's check)."""
    given = [p for p in parameters if p is not None]
    if not given:
        return
    if given[0].dtype is input.dtype:
        other = next((p for p in given if p.dtype is not input.dtype), None)
        if other is not None:
            raise RuntimeError("expected scalar type %s but found %s"
                               % (input.dtype._cast_name, other.dtype._cast_name))
        return
    if any(p.dtype is not D.float32 for p in given):
        raise RuntimeError("mixed dtype (CPU): expect parameter to have scalar type of Float")
    if input.dtype not in D.REDUCED_FLOATS + D.FLOAT8:  # (c10's reduced floating types: their kernel refuses float8)
        raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")


def check_group_norm_inputs(input: Tensor, weight: Tensor | None, bias: Tensor | None, c: int, group: int) -> None:
    """torch's checks of the groups and the affine parameters against the ``c`` channels (torch.group_norm makes
    them before native_group_norm's own)."""
    if group <= 0:
        raise RuntimeError("Expected num groups to be greater than 0, got %d" % group)
    if c % group:
        raise RuntimeError("Expected number of channels in input to be divisible by num_groups, but got input of "
                           "shape %s and num_groups=%d" % (list(input.shape), group))
    # (torch's bias message prints the weight's shape, [0] when there is none)
    weight_shape = [0] if weight is None else list(weight.shape)
    for name, t, shown in (("weight", weight, weight_shape), ("bias", bias, weight_shape)):
        if t is not None and (t.dim() != 1 or t.numel() != c):
            raise RuntimeError("Expected %s to be a vector of size equal to the number of channels in input, but got "
                               "%s of shape %s and input of shape %s" % (name, name, shown, list(input.shape)))


def check_contiguous_as_suggested(input: Tensor) -> None:
    """native_group_norm's check that its input is contiguous in the memory format torch suggests for it:
    channels-last (channels innermost) for a 4-d or 5-d input laid out so, else the default one (torch.group_norm
    makes it so before)."""
    x = input._data
    if not (x.flags.c_contiguous or x.ndim in (4, 5) and np.moveaxis(x, 1, -1).flags.c_contiguous):
        raise RuntimeError("Expected X.is_contiguous(memory_format) to be true, but got false.  (Could this error "
                           "message be improved?  If so, please report an enhancement request to PyTorch.)")


def native_group_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, n: int, c: int, hxw: int,
                      group: int, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """torch.native_group_norm: the input read as ``(N, C, HxW)``, normalized over each group of
    ``C // group`` channels; returns the output and the per-(sample, group) mean and 1/std."""
    check_group_norm_inputs(input, weight, bias, c, group)
    check_mixed_dtypes(input, weight, bias)
    check_symint_sizes((n, group))  # (torch makes the (N, group) statistics before its kernel runs)
    check_nonnegative((n, group))
    require_float("GroupNormKernelImpl", input)
    if input.numel() != n * c * hxw:
        raise RuntimeError("Expected X.numel() == N * C * HxW to be true, but got false.  (Could this error message be "
                           "improved?  If so, please report an enhancement request to PyTorch.)")
    x = input if tuple(input.shape[:2]) == (n, c) else input.reshape(n, c, hxw)
    view = (n, group, x.numel() // (n * group) if n * group else 0)
    dtype, stats_dtype = input._data.dtype, statistics_dtype(input, weight, bias)
    contiguous = x._data.flags.c_contiguous  # (a channels-last input's kernel sums its statistics otherwise)
    mean, var = (row_stats if contiguous else batch_stats)(x._data.reshape(view), (2,))
    if contiguous and dtype != np.float64:  # (its 1/std in double: eps is one)
        invstd = (1 / np.sqrt(np.maximum(var, 0).astype(np.float64) + eps)).astype(np.float32)
    else:
        invstd = 1 / np.sqrt(var + eps)
    params = NormParams((2,), (0,) + tuple(range(2, x.dim())), (1, c) + (1,) * (x.dim() - 2), eps, None, view)
    formula = _contiguous_group_norm_np if contiguous else _normalize_np
    out = in_suggested_format(_normalized(x, weight, bias, params, mean, invstd, formula), x._data)
    grouped = None if x is input else (n, c, hxw)  # (the node takes the input as it is, as torch's)
    saved = _with_saved(params, dtype, mean, invstd, stats_dtype, float_kernel=contiguous)
    return tuple(record_multi(
        NATIVE_GROUP_NORM, (out if grouped is None else out.reshape(input.shape),
                            mean.reshape(n, group).astype(stats_dtype), invstd.reshape(n, group).astype(stats_dtype)),
        (input, weight, bias), {"grouped": grouped, "params": saved}))


# ---- CrossMapLRN2d (the legacy Lua-torch kernel, replayed step for step) -------------------------
def cross_map_lrn2d_scale(x: np.ndarray, size: int, alpha: float, k: float) -> np.ndarray:
    """``k + alpha / size * (running sum of squares over channels)``, updated channel by channel as
    torch's kernel does: its window never drops channel 0 once it has passed it, and this is kept."""
    squares = x * x
    channels = x.shape[1]
    pre_pad = int((size - 1) / 2 + 1)
    scale = np.empty_like(x)
    scale[:, 0] = squares[:, :min(pre_pad, channels)].sum(axis=1)
    for c in range(1, channels):
        scale[:, c] = scale[:, c - 1]
        if c < channels - pre_pad + 1:
            scale[:, c] += squares[:, c + pre_pad - 1]
        if c > pre_pad:
            scale[:, c] -= squares[:, c - pre_pad]
    return scale * x.dtype.type(alpha / size) + x.dtype.type(k)


def cross_map_lrn2d_backward(grad: np.ndarray, x: np.ndarray, output: np.ndarray, scale: np.ndarray, size: int,
                             alpha: float, beta: float) -> np.ndarray:
    """torch's hand-written backward of CrossMapLRN2d (a centred window of ``grad * output / scale``)."""
    channels = x.shape[1]
    ratio = np.zeros((x.shape[0], channels + size - 1) + x.shape[2:], x.dtype)
    inverse_pre_pad = int(size - (size - 1) / 2)
    ratio[:, inverse_pre_pad:inverse_pre_pad + channels] = grad * output / scale
    grad_input = scale ** x.dtype.type(-beta) * grad
    accum = ratio[:, :size - 1].sum(axis=1)
    cache = x.dtype.type(2 * alpha * beta / size)
    for c in range(channels):
        accum += ratio[:, c + size - 1]
        grad_input[:, c] -= cache * x[:, c] * accum
        accum -= ratio[:, c]
    return grad_input


# ---- weight normalization: w = v * g / ||v|| (the norm over every dim but ``dim``) -------------------
def _except(dim: int, ndim: int) -> tuple[int, ...]:
    return tuple(d for d in range(ndim) if d != dim)


def _read_g(g: Tensor, v: Tensor, dim: int) -> Tensor:
    """The values of ``g`` torch's kernel reads: its first ``v.size(dim)`` elements, whatever its shape."""
    shape = tuple(v.shape[d] if d == dim else 1 for d in range(v.dim()))
    return g.reshape(shape) if g.numel() == v.shape[dim] else g.reshape(-1)[:v.shape[dim]].reshape(shape)


def _summed_except(x: Tensor, axes: tuple[int, ...]) -> Tensor:
    """``x`` summed over ``axes`` (kept): none for a 1-d v, where torch's ``sum(())`` would sum everything."""
    return x.sum(axes, keepdim=True) if axes else x


def _weight_norm_v_grad(grad: Tensor, v: Tensor, g: Tensor, dim: int) -> Tensor:
    axes = _except(dim, v.dim())
    norm = _summed_except(v * v, axes).sqrt()
    return _read_g(g, v, dim) / norm * (grad - v * (_summed_except(grad * v, axes) / (norm * norm)))


def _weight_norm_g_grad(grad: Tensor, v: Tensor, g_shape: tuple[int, ...], dim: int) -> Tensor:
    axes = _except(dim, v.dim())
    read = (_summed_except(grad * v, axes) / _summed_except(v * v, axes).sqrt()).reshape(-1)
    unread = math.prod(g_shape) - read.numel()
    # (the elements the kernel does not read get zeros; torch's gradient leaves them uninitialised)
    return (read if not unread else cat((read, read.new_zeros(unread)))).reshape(g_shape)


def _weight_norm_backward(grad: Tensor, v: Tensor, g: Tensor, dim: int, norms: Tensor, output_mask: tuple
                          ) -> tuple[Tensor | None, Tensor | None]:
    """WeightNormInterfaceBackward0: the fused backward kernel, or under create_graph torch's
    ``_weight_norm_differentiable_backward``, in which the forward's norms are a constant (their dependence on v
    does not reach the second derivative, as torch's)."""
    if not is_grad_enabled():
        return (_weight_norm_v_grad(grad, v, g, dim) if output_mask[0] else None,
                _weight_norm_g_grad(grad, v, tuple(g.shape), dim) if output_mask[1] else None)
    norms = norms.to(g.dtype)  # (a reduced float's kernel computed them in float32)
    g_shape = tuple(g.shape)
    if g_shape != tuple(norms.shape):  # (a g of another shape: the kernel's reading of it, differentiated)
        g = _read_g(g, v, dim)
    product = grad.contiguous() * v
    if dim == 0:
        sums = product.view(v.shape[0], -1).sum(1).view(tuple(norms.shape))
    else:
        sums = product.view(-1, v.shape[-1]).sum(0).view(tuple(norms.shape))
    grad_v = (g / norms) * (grad - v * (sums / (norms * norms))) if output_mask[0] else None
    grad_g = sums / norms if output_mask[1] else None
    return grad_v, grad_g if grad_g is None or g_shape == tuple(grad_g.shape) else grad_g.reshape(g_shape)


WEIGHT_NORM = defop("weight_norm_interface", ("v", "g"), joint_vjps(_weight_norm_backward, ("v", "g")))


def weight_norm(v: Tensor, g: Tensor, dim: int) -> Tensor:
    """``v * g / ||v||`` for ``dim`` one of v's dims (torch's fused kernel, WeightNormInterfaceBackward0)."""
    require_float("weight_norm_kernel", v)  # (its dtype dispatch, before it reads v.size(dim))
    size = v.size(dim)  # (read before g's data)
    if g.dtype is not v.dtype:  # (the kernel reads g's data as v's scalar type)
        raise RuntimeError("expected scalar type %s but found %s" % (v.dtype._cast_name, g.dtype._cast_name))
    if g.numel() < size:
        # torch's kernel reads the first v.size(dim) values of g's memory, past its end here: refused
        raise RuntimeError("minitorch: _weight_norm needs g with v.size(%d) = %d elements, got g of shape %s"
                           % (dim, v.shape[dim], list(g.shape)))

    norms: list[np.ndarray] = []

    def kernel(vd: np.ndarray, gd: np.ndarray) -> np.ndarray:
        norms.append(np.sqrt((vd * vd).sum(axis=_except(dim, vd.ndim), keepdims=True)))
        return vd * (gd.reshape(-1)[:vd.shape[dim]].reshape(norms[0].shape) / norms[0])
    data = in_float(kernel, v._data, g._data)
    return record(WEIGHT_NORM, data.astype(np.result_type(v._data, g._data), copy=False), (v, g),
                  {"dim": dim, "norms": Tensor._make(norms[0])})
