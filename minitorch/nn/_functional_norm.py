"""The normalization functions of ``torch.nn.functional`` beyond layer and batch norm (group,
instance, RMS and local response norm, re-exported there), and the ``torch.*`` bindings behind them:
``group_norm``, ``instance_norm``, ``rms_norm`` and the ``native_*`` norms that also return their
statistics.

Group norm is a fused row (``_ops/nn_ops/normalization.py``); instance norm is batch norm over the
input viewed as one sample of ``N * C`` channels, and RMS and local response norm are composed from
table ops, as torch composes them (so their graphs carry torch's node names).
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import _dtype as D
from .._ops.nn_ops import normalization as _norm
from .._ops.nn_ops import padding as _padding
from .._ops.nn_ops.common import require_float
from .._ops.dims import wrap_dim
from .._ops.limited_dtypes import kernel_reached
from .._ops.reduction import aten_norm
from .._ops.registry import FUNCTIONS, op
from .._ops.result_layout import suggests_channels_last
from .._ops.scalar_overloads import add_scalar
from .._tensor import Tensor
from .._warn_once import warn_once
from ..autograd.grad_mode import no_grad
from ..autograd.recording import check_no_requires_grad
from . import _functional_pooling as _pooling
from ._utils import _single


def _verify_batch_size(size: Sequence[int]) -> None:
    values = size[0]
    for s in size[2:]:
        values *= s
    if values == 1:
        raise ValueError("Expected more than 1 value per channel when training, got input size %s" % (size,))


def check_normalized_shape(input: Tensor, normalized_shape: Any, params: dict, shape_sep: str = ", ",
                           rank_first: bool = False) -> tuple[int, ...]:
    """torch's checks of layer_norm's and rms_norm's ``normalized_shape`` against the input and the
    affine ``params`` (name -> tensor or None); returns the shape as a tuple. The two ops spell the
    expected input shape differently (``[*, 3]`` and ``[*3]``): ``shape_sep``; rms_norm refuses an input of too
    few dims with an error of its own (``rank_first``)."""
    shape = tuple(_single(normalized_shape))
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one "
                           "element, but got normalized_shape = []")
    for name, t in params.items():
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError("Expected %s to be of same shape as normalized_shape, but got %s of shape %s and "
                               "normalized_shape = %s" % (name, name, list(t.shape), list(shape)))
    if rank_first and input.dim() < len(shape):
        raise ValueError("Input tensor must have at least %d dimensions, but got %d" % (len(shape), input.dim()))
    if input.dim() < len(shape) or tuple(input.shape[input.dim() - len(shape):]) != shape:
        raise RuntimeError("Given normalized_shape=%s, expected input with shape [*%s%s], but got input of size%s"
                           % (list(shape), shape_sep, ", ".join(map(str, shape)), list(input.shape)))
    return shape


# ---- torch.* bindings ---------------------------------------------------------------------------
@op("native_group_norm(Tensor input, Tensor? weight, Tensor? bias, SymInt N, SymInt C, SymInt HxW, int64_t group, "
    "double eps)")
def native_group_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, N: int, C: int, HxW: int,
                      group: int, eps: float) -> tuple[Tensor, Tensor, Tensor]:
    _norm.check_group_norm_inputs(input, weight, bias, C, group)
    _norm.check_contiguous_as_suggested(input)
    return _norm.native_group_norm(input, weight, bias, N, C, HxW, group, eps)


@op("group_norm(Tensor input, int64_t num_groups, Tensor? weight=None, Tensor? bias=None, double eps=1e-05, "
    "bool cudnn_enabled=True)")
def _torch_group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
                      eps: float = 1e-5, cudnn_enabled: bool = True) -> Tensor:
    n, c = input.size(0), input.size(1)
    _norm.check_group_norm_inputs(input, weight, bias, c, num_groups)
    return _norm.native_group_norm(input, weight, bias, n, c, input.numel() // (n * c) if n * c else 0,
                                   num_groups, eps)[0]


@op("native_layer_norm(Tensor input, SymIntArrayRef normalized_shape, Tensor? weight, Tensor? bias, double eps)")
def native_layer_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None, bias: Tensor | None,
                      eps: float) -> tuple[Tensor, Tensor, Tensor]:
    out = FUNCTIONS["layer_norm"](input, normalized_shape, weight, bias, eps)
    k = len(tuple(_single(normalized_shape)))
    mean, var = _norm.row_stats(input._data, tuple(range(input.dim() - k, input.dim())))
    return out, *_statistics(_norm.statistics_dtype(input, weight, bias), mean, var, eps)


# the dtypes c10's toAccumulateType has no CPU entry for
_NO_ACCUMULATE_TYPE = frozenset((D.uint16, D.uint32, D.uint64, D.complex32, D.float8_e4m3fnuz, D.float8_e5m2fnuz,
                                 D.float8_e8m0fnu))


def aten_batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None,
                    bias: Tensor | None, training: bool, momentum: float, eps: float) -> Tensor:
    """torch.batch_norm: an empty input returns early, before any check ("not to break the gradient chain"), once
    it made its (unused) statistics in the input's accumulate type."""
    if input.numel():
        return batch_norm_kernel(input, running_mean, running_var, weight, bias, training, momentum, eps)[0]
    if input.dtype in _NO_ACCUMULATE_TYPE:
        raise RuntimeError('false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/AccumulateType.cpp"'
                           ":23, please report a bug to PyTorch. Unrecognized ScalarType: %s" % input.dtype._cast_name)
    out = input.clone()
    out = out if weight is None else out * weight.select(0, 0)
    return out if bias is None else out + bias.select(0, 0)


def batch_norm_kernel(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None,
                      bias: Tensor | None, training: bool, momentum: float, eps: float
                      ) -> tuple[Tensor, np.ndarray | None, np.ndarray | None]:
    """The output, and the batch's mean and 1/std as torch saves them (None when the running ones were used)."""
    # torch reads the size of dim 1 unchecked: past the sizes of a 0-d or 1-d input it finds 0 (in practice)
    channels = input.shape[1] if input.dim() > 1 else 0
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        if t is None and name.startswith("running") and not training and input.numel():  # (native's empty input)
            raise RuntimeError("%s must be defined in evaluation mode" % name)
        if t is not None and t.numel() != channels:
            raise RuntimeError("%s should contain %d elements not %d" % (name, channels, t.numel()))
    check_no_requires_grad("native_batch_norm", running_mean=running_mean, running_var=running_var)
    check_batch_norm_kernel(input, training, weight, bias, running_mean, running_var, False)
    axes = (0,) + tuple(range(2, input.dim()))
    shape = (1, channels) + (1,) * (input.dim() - 2) if input.dim() > 1 else (-1,)  # (-1: an empty 1-d input)
    dtype = input._data.dtype
    float_kernel = _norm.in_float_batch_norm_kernel(input._data)
    # (float32 running statistics beside a reduced float input make torch's kernel mixed, as float32 parameters do)
    stats_dtype = _norm.statistics_dtype(input, weight, bias, running_mean)
    if training or running_mean is None or running_var is None:
        x = input._data
        batch_mean, squares = _norm.float_batch_sums(x) if float_kernel else _norm.batch_sums(x, axes)
        count = input.numel() // channels if channels else 0
        # (torch normalizes by the statistics it saves: a reduced float input's rounded to its dtype, unless its
        # parameters are float32)
        mean, invstd = _norm.batch_norm_saved_stats(stats_dtype, batch_mean, squares, count, eps)
        stats = None
        if training:
            _norm.updated_running_stats(dtype, *(None if t is None else t._data for t in (running_mean, running_var)),
                                        batch_mean, squares, count, momentum, float_kernel)
            for t in (running_mean, running_var):
                if t is not None:
                    t._bump_version()
    else:
        # (in the compute type: float32 for the reduced floats)
        mean = running_mean._data.reshape(shape).astype(D.opmath_np(running_mean._data.dtype))
        var = running_var._data.reshape(shape).astype(D.opmath_np(running_var._data.dtype))
        invstd = 1 / np.sqrt(var + var.dtype.type(eps))
        stats = (Tensor._make(mean.astype(dtype, copy=False)), Tensor._make(invstd.astype(dtype, copy=False)))
    params = _norm.NormParams(axes, axes, shape, eps, stats, double_backward=(
        (mean, invstd) if stats is None else (running_mean, running_var)))
    contiguous_float = dtype == np.float32 and input._data.flags.c_contiguous
    if stats is not None and (dtype in D.REDUCED_NP or contiguous_float):
        # (torch's backward kernel takes 1/std in double, unrounded)
        params = params._replace(saved=(mean, (1 / np.sqrt(var.astype(np.float64) + eps)).astype(np.float32)),
                                 reduced=None if contiguous_float else dtype)
    out = _norm.normalize(_norm.NATIVE_BATCH_NORM, input, weight, bias, params, mean, invstd,
                          _norm.float_batch_norm_np if contiguous_float else None, float_kernel=float_kernel,
                          stats_dtype=stats_dtype)
    return (out, None, None) if stats is not None else (out, mean, invstd)


def check_batch_norm_kernel(input: Tensor, training: bool, weight: Tensor | None, bias: Tensor | None,
                            running_mean: Tensor | None, running_var: Tensor | None, native: bool) -> None:
    """native_batch_norm's CPU kernel's checks, in its order: in training the batch's mean of a non-contiguous input,
    the input's checked size(1) (a 0-d or 1-d input has no
    channel dim), both running statistics or neither, the input's dtype, the parameters' (``mixed``), then in
    evaluation the size(1) of a non-empty input."""
    # (native_batch_norm takes that path when weight, bias and running_mean are absent or of the input's dtype)
    if (training and not (native and any(t is not None and t.dtype is not input.dtype
                                         for t in (weight, bias, running_mean)))
            and input.dtype.category < D.FLOATING and not input.is_contiguous()):
        input.mean()  # (the kernel's path for these takes the batch's mean first: its refusal of an integral input)
    if training and input.dim() < 2:  # (in training an empty input's size(1) is read too)
        wrap_dim(1, input.dim())
    if (running_mean is None) != (running_var is None):
        raise ValueError("running_mean and running_var must either both be None or neither be None")
    require_float("batch_norm", input)
    kernel_reached()  # (the limited dtypes' refusal: the same dispatch, before the parameters' dtypes)
    _norm.check_mixed_dtypes(input, weight, bias, running_mean, running_var)
    if input.dim() < 2 and input.numel():
        wrap_dim(1, input.dim())


@op("native_batch_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, "
    "bool training, double momentum, double eps, *, TensorList[3] out=None)")
def native_batch_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
                      running_var: Tensor | None, training: bool, momentum: float, eps: float
                      ) -> tuple[Tensor, Tensor, Tensor]:
    """Batch norm and the batch's mean and 1/std per channel (empty when the running ones were used)."""
    check_no_requires_grad("native_batch_norm", running_mean=running_mean, running_var=running_var)
    check_batch_norm_kernel(input, training, weight, bias, running_mean, running_var, True)
    for t in (weight, bias, running_mean, running_var):
        if t is not None and t.dim() != 1:  # the CPU kernel reads them as vectors
            raise RuntimeError("TensorAccessor expected 1 dims but tensor has %d" % t.dim())
    if training and not input.numel():
        raise RuntimeError("input tensor must have at least one element, but got input_sizes = %s" % list(input.shape))
    out, mean, invstd = batch_norm_kernel(input, running_mean, running_var, weight, bias, training, momentum, eps)
    if mean is None or invstd is None or not input.numel():
        empty = Tensor._make(np.zeros(0, input._data.dtype))
        return out, empty, empty.clone()
    dtype = _norm.statistics_dtype(input, weight, bias, running_mean)
    return out, Tensor._make(mean.reshape(-1).astype(dtype)), Tensor._make(invstd.reshape(-1).astype(dtype))


def _statistics(dtype: np.dtype, mean: np.ndarray, var: np.ndarray, eps: float) -> tuple[Tensor, Tensor]:
    """The mean and 1/std a native norm returns beside its output (no grad), in ``dtype``."""
    return Tensor._make(mean.astype(dtype)), Tensor._make((1 / np.sqrt(var + eps)).astype(dtype))


@op("instance_norm(Tensor input, Tensor? weight, Tensor? bias, Tensor? running_mean, Tensor? running_var, "
    "bool use_input_stats, double momentum, double eps, bool cudnn_enabled)")
def _torch_instance_norm(input: Tensor, weight: Tensor | None, bias: Tensor | None, running_mean: Tensor | None,
                         running_var: Tensor | None, use_input_stats: bool, momentum: float, eps: float,
                         cudnn_enabled: bool) -> Tensor:
    """Batch norm of the input viewed as one sample with ``N * C`` channels; the running statistics
    (given per channel) are repeated per sample, then averaged back over the samples when the input's statistics
    updated them (torch leaves them untouched otherwise: the average of equal values can be an ulp off)."""
    if not use_input_stats and (running_mean is None or running_var is None):
        raise RuntimeError("Expected running_mean and running_var to be defined when use_input_stats is false")
    n, c = input.size(0), input.size(1)
    repeated = [None if t is None else t.repeat(n) for t in (weight, bias, running_mean, running_var)]
    if running_mean is not None and running_mean.dtype is not input.dtype:
        # (torch converts the repeated running statistics of another dtype to the input's: the mean, then the var)
        repeated[2] = repeated[2].to(input.dtype)
        if running_var is None:
            raise RuntimeError("Expected a proper Tensor but got None (or an undefined Tensor in C++) for argument #0 "
                               "'self'")
        repeated[3] = repeated[3].to(input.dtype)
    # (torch's input.contiguous().view(...): CloneBackward0 then ViewBackward0, where reshape records another node)
    out = FUNCTIONS["batch_norm"](input.contiguous().view((1, n * c) + tuple(input.shape[2:])), *repeated,
                                  use_input_stats, momentum, eps, cudnn_enabled)
    for running, updated in zip((running_mean, running_var), repeated[2:]):
        if running is not None and use_input_stats:  # (torch's view and copy_: their errors for another size)
            with no_grad():
                running.copy_(updated.view(n, c).mean(0))
    return out.view(input.shape)


@op("rms_norm(Tensor input, SymIntArrayRef normalized_shape, Tensor? weight=None, double? eps=None)")
def _torch_rms_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
                    eps: float | None = None) -> Tensor:
    """``input / sqrt(mean(input**2) + eps) * weight`` over the last dims, composed as torch does (in
    float32 for float16 input, the weight's product included, then cast back to the input's dtype); ``eps``
    defaults to the computing dtype's machine epsilon."""
    shape = check_normalized_shape(input, normalized_shape, {"weight": weight}, shape_sep="", rank_first=True)
    if weight is not None and weight.dtype is not input.dtype:  # (torch's CPU fused kernel takes one dtype)
        warn_once("rms_norm_mismatch", "Mismatch dtype between input and weight: input dtype = %s, weight dtype = %s, "
                  "Cannot dispatch to fused implementation. (Triggered internally at /__w/pytorch/pytorch/aten/src/"
                  "ATen/native/layer_norm.cpp:346.)" % (input.dtype.cpp_name, weight.dtype.cpp_name), stacklevel=None)
    if input.dtype.category < D.FLOATING or input.dtype is D.complex32:  # (the floating and complex types but
        require_float("rms_norm", input)                                    # ComplexHalf)
    x = input.float() if input.dtype in D.REDUCED_FLOATS else input
    if eps is None:
        eps = float(D.finfo_np(x._data.dtype).eps)
    dims = tuple(range(input.dim() - len(shape), input.dim()))
    out = x * add_scalar(x.pow(2).mean(dims, keepdim=True), eps).rsqrt()
    if weight is not None:
        out = out * weight
    out = out.type_as(input)
    # (torch's composite returns its result in the input's suggested memory format: a clone of another layout)
    return out if suggests_channels_last(input._data) else out.contiguous()


# ---- torch.nn.functional ------------------------------------------------------------------------
def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    if input.dim() < 2:
        raise RuntimeError("Expected at least 2 dimensions for input tensor but received %d" % input.dim())
    _verify_batch_size([input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:]))
    return FUNCTIONS["group_norm"](input, num_groups, weight, bias, eps, False)


def instance_norm(input: Tensor, running_mean: Tensor | None = None, running_var: Tensor | None = None,
                  weight: Tensor | None = None, bias: Tensor | None = None, use_input_stats: bool = True,
                  momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    if use_input_stats:
        size = input.size()
        if int(np.prod(size[2:])) == 1:
            raise ValueError("Expected more than 1 spatial element when training, got input size %s" % (size,))
    return FUNCTIONS["instance_norm"](input, weight, bias, running_mean, running_var, use_input_stats, momentum, eps,
                                      False)


def rms_norm(input: Tensor, normalized_shape: Sequence[int], weight: Tensor | None = None,
             eps: float | None = None) -> Tensor:
    return FUNCTIONS["rms_norm"](input, normalized_shape, weight, eps)


def local_response_norm(input: Tensor, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> Tensor:
    """torch's composition (torch/nn/functional.py): the squares zero-padded at the channel ends and average-pooled
    over ``size`` channels (avg_pool2d for a 3-d input, avg_pool3d else), then ``input / (k + alpha * mean) ** beta``.
    """
    dim = input.dim()
    if dim < 3:
        raise ValueError("Expected 3D or higher dimensionality                          input (got %d dimensions)"
                         % dim)
    if input.numel() == 0:
        return input
    div = input.mul(input)
    if dim == 3:
        div = _padding.pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = _pooling.avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        sizes = input.size()
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = _padding.pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = _pooling.avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).view(sizes)
    div = div.mul(alpha).add(k).pow(beta)
    return input / div


# ---- weight normalization -----------------------------------------------------------------------
@op("norm_except_dim(Tensor v, int64_t pow=2, int64_t dim=0)")
def norm_except_dim(v: Tensor, pow: int = 2, dim: int = 0) -> Tensor:
    """The ``pow``-norm of ``v`` over every dim but ``dim`` (kept, size 1 elsewhere); all of it for -1."""
    if dim == -1:
        return aten_norm(v, pow)
    last = v.dim() - 1
    if dim == 0:
        return aten_norm(v.contiguous().view(v.size(0), -1), pow, 1).view((v.size(0),) + (1,) * last)
    if dim == last:
        return aten_norm(v.contiguous().view(-1, v.size(last)), pow, 0).view((1,) * last + (v.size(last),))
    return norm_except_dim(v.transpose(0, dim), pow, 0).transpose(0, dim)


@op("_weight_norm(Tensor v, Tensor g, int64_t dim=0)")
def _weight_norm(v: Tensor, g: Tensor, dim: int = 0) -> Tensor:
    """``v * g / norm_except_dim(v, 2, dim)``: one fused node when ``dim`` is v's first or last dim,
    composed otherwise (``dim=-1`` is the norm of all of ``v``), as torch chooses."""
    v, g = v.contiguous(), g.contiguous()  # (torch's first step: a CloneBackward0 for a strided operand)
    if dim in (0, v.dim() - 1):
        return _norm.weight_norm(v, g, dim)
    return v * (g / FUNCTIONS["norm_except_dim"](v, 2, dim))  # (the op: its kernel's refusals, as torch's call)
