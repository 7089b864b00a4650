"""The multi-class hinge losses, as ATen's CPU kernels: ``torch._C._nn.multi_margin_loss`` and
``torch._C._nn.multilabel_margin_loss``.

Both read an input of shape (C) or (N, C) (a 0-d input is one sample of one class). Per sample, with
target class y, ``multi_margin_loss`` sums ``w[y] max(0, margin - x[y] + x[j])^p`` over the classes
j != y; ``multilabel_margin_loss`` sums ``max(0, 1 - x[y] + x[j])`` over the sample's targets y (its
target row up to the first -1) and its non-target classes j. Each divides by C. Torch has no second
derivative for either: their backward nodes refuse (``NotImplemented``).
"""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import check_no_requires_grad, defop, record
from ..pointwise_math import _not_implemented
from ..registry import nn_op
from ..scalar_cast import checked_scalar
from .loss import REDUCTIONS


def _frames(input: Tensor) -> tuple[int, int]:
    """(samples, classes) of a (C) or (N, C) input, with torch's refusal of anything else."""
    shape = input.shape
    if not ((len(shape) == 2 and shape[1] != 0) or (len(shape) == 1 and shape[0] != 0) or len(shape) == 0):
        raise RuntimeError("Expected non-empty vector or matrix with optional 0-dim batch size, but got: %s"
                           % list(shape))
    if len(shape) <= 1:
        return 1, shape[0] if shape else 1
    return shape[0], shape[1]


def _require_dtype(t: Tensor, dtype: D.dtype) -> None:
    """ATen's ``data_ptr<T>()`` check."""
    if t.dtype is not dtype:
        raise RuntimeError("expected scalar type %s but found %s" % (dtype._cast_name, t.dtype._cast_name))


def _reduced(per_frame: np.ndarray, reduction: str, dtype: np.dtype, frame_shape: tuple) -> np.ndarray:
    """The per-sample losses (computed in ``dtype``) as they are, or summed / averaged in double."""
    if reduction == "none":
        return per_frame.astype(dtype, copy=False).reshape(frame_shape)
    total = per_frame.astype(np.float64).sum()
    return np.asarray(total / per_frame.size if reduction == "mean" else total, dtype)


def _element_scale(dtype: np.dtype, nframe: int, dim: int, reduction: str) -> np.floating:
    """The factor of each element's term in a margin loss's gradient: 1 / C, or 1 / (N C) for a mean (infinite for
    an empty input, whose gradient no element reads)."""
    with np.errstate(divide="ignore"):
        return dtype.type(np.float64(1.0) / (nframe * dim if reduction == "mean" else dim))


def _gradient_scale(grad: Tensor, reduction: str, nframe: int) -> np.ndarray:
    """The upstream gradient, one value per sample (a scalar for a reduced loss or a 0-d output)."""
    g = grad._data
    return g.reshape(nframe, 1) if reduction == "none" and g.ndim else g.reshape(())


# ---- multi_margin_loss ----------------------------------------------------------------------
def _multi_margin_terms(x: np.ndarray, y: np.ndarray, p: int, margin: float, w: np.ndarray | None
                        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z, active, weight of each sample's target) for x of shape (N, C): ``z = margin - x[y] + x[j]``."""
    rows = np.arange(x.shape[0])
    z = (x.dtype.type(margin) - x[rows, y])[:, None] + x
    active = z > 0
    active[rows, y] = False
    scale = w[y][:, None] if w is not None else x.dtype.type(1)
    return z, active, scale


def _multi_margin_backward(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, p: int,
                           margin: float, reduction: str) -> Tensor:
    nframe, dim = _frames(self)
    x = self._data.reshape(nframe, dim)
    y = target._data.reshape(nframe)
    z, active, scale = _multi_margin_terms(x, y, p, margin, None if weight is None else weight._data)
    g = _element_scale(x.dtype, nframe, dim, reduction)
    h = np.where(active, (g if p == 1 else (2 * g) * z) * scale, 0).astype(x.dtype, copy=False)
    h[np.arange(nframe), y] = -h.sum(1)
    data = (h * _gradient_scale(grad, reduction, nframe)).reshape(self.shape)
    return record(MULTI_MARGIN_LOSS_BACKWARD, data, (grad, self))


MULTI_MARGIN_LOSS_BACKWARD = defop("multi_margin_loss_backward", ("grad_output", "self"), {
    "grad_output": _not_implemented("multi_margin_loss_backward"),
    "self": _not_implemented("multi_margin_loss_backward")}, grad_name="NotImplemented")
MULTI_MARGIN_LOSS = defop("multi_margin_loss", grads={"self": _multi_margin_backward})


@nn_op("multi_margin_loss(Tensor input, Tensor target, Scalar p=1, Scalar margin=1, Tensor? weight=None, "
       "int64_t reduction=0, *, Tensor out=None)")
def multi_margin_loss(input: Tensor, target: Tensor, p: float = 1, margin: float = 1, weight: Tensor | None = None,
                      reduction: int = 0) -> Tensor:
    check_no_requires_grad("multi_margin_loss", weight=weight)
    p = int(checked_scalar(p, D.int32))  # the kernel reads p as a C int
    if p not in (1, 2):
        raise RuntimeError("only p == 1 and p == 2 supported")
    nframe, dim = _frames(input)
    if not (target.dim() <= 1 and target.numel() == nframe):
        raise RuntimeError("multi_margin_loss: target tensor should be 1-D with size equal to the number of input "
                           "samples (batch size). Expected target size [%d], but got %s. Input has shape %s."
                           % (nframe, list(target.shape), list(input.shape)))
    if weight is not None and not (weight.dim() <= 1 and weight.numel() == dim):
        raise RuntimeError("inconsistent weight size, expected %d but got %s" % (dim, list(weight.shape)))
    _check_kernel_dtypes("multi_margin_loss_cpu_kernel", input, target)
    if weight is not None:
        _require_dtype(weight, input.dtype)
    x = input._data.reshape(nframe, dim)
    y = target._data.reshape(nframe)
    if ((y < 0) | (y >= dim)).any():
        raise RuntimeError("target out of range")
    z, active, scale = _multi_margin_terms(x, y, p, margin, None if weight is None else weight._data.reshape(dim))
    terms = np.where(active, (z if p == 1 else z * z) * scale, 0).astype(x.dtype, copy=False)
    per_frame = terms.sum(1) / x.dtype.type(dim)
    name = REDUCTIONS[reduction]
    frame_shape = (nframe,) if target.dim() > 0 else ()
    return record(MULTI_MARGIN_LOSS, _reduced(per_frame, name, x.dtype, frame_shape), (input,),
                  {"target": target, "weight": weight, "p": p, "margin": margin, "reduction": name})


def _check_kernel_dtypes(kernel: str, input: Tensor, target: Tensor) -> None:
    """The CPU kernels take float32/float64 inputs (AT_DISPATCH_FLOATING_TYPES: no float16, bfloat16, float8) and
    int64 targets."""
    if input.dtype not in (D.float32, D.float64):
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, input.dtype._cast_name))
    _require_dtype(target, D.int64)


# ---- multilabel_margin_loss -----------------------------------------------------------------
def _multilabel_terms(x: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(z, active, valid) for x and t of shape (N, C): slot k of a sample holds target t[k] while no
    -1 came before it (``valid``); ``z[n, k, j] = 1 - x[n, t[n, k]] + x[n, j]``, active where positive
    and j is none of the sample's targets."""
    valid = np.cumprod(t >= 0, axis=1).astype(bool)
    safe = np.where(valid, t, 0)
    is_target = np.zeros(x.shape, bool)
    rows, slots = np.nonzero(valid)
    is_target[rows, safe[rows, slots]] = True
    z = (x.dtype.type(1) - np.take_along_axis(x, safe, 1))[:, :, None] + x[:, None, :]
    active = (z > 0) & valid[:, :, None] & ~is_target[:, None, :]
    return z, active, safe


def _multilabel_backward(grad: Tensor, self: Tensor, target: Tensor, reduction: str) -> Tensor:
    nframe, dim = _frames(self)
    x = self._data.reshape(nframe, dim)
    _, active, safe = _multilabel_terms(x, target._data.reshape(nframe, dim))
    g = _element_scale(x.dtype, nframe, dim, reduction)
    out = active.sum(1) * g  # each class j, once per target it is within the margin of
    rows = np.repeat(np.arange(nframe), dim)
    np.subtract.at(out, (rows, safe.reshape(-1)), (active.sum(2) * g).reshape(-1))
    data = (out.astype(x.dtype, copy=False) * _gradient_scale(grad, reduction, nframe)).reshape(self.shape)
    return record(MULTILABEL_MARGIN_LOSS_BACKWARD, data, (grad, self))


MULTILABEL_MARGIN_LOSS_BACKWARD = defop("multilabel_margin_loss_backward", ("grad_output", "self"), {
    "grad_output": _not_implemented("multilabel_margin_loss_backward"),
    "self": _not_implemented("multilabel_margin_loss_backward")}, grad_name="NotImplemented")
MULTILABEL_MARGIN_LOSS = defop("multilabel_margin_loss", grads={"self": _multilabel_backward})


@nn_op("multilabel_margin_loss(Tensor input, Tensor target, int64_t reduction=0, *, Tensor out=None)")
def multilabel_margin_loss(input: Tensor, target: Tensor, reduction: int = 0) -> Tensor:
    nframe, dim = _frames(input)
    if input.dim() <= 1:
        consistent = target.dim() <= 1 and target.numel() == dim
    else:
        consistent = tuple(target.shape) == (nframe, dim)
    if not consistent:
        raise RuntimeError("inconsistent target size: %s for input of size: %s"
                           % (list(target.shape), list(input.shape)))
    frame_shape = (nframe,) if target.dim() > 1 else ()
    if input._data.size == 0:  # (torch returns before it reads the target or dispatches: its output uninitialised)
        shape = frame_shape if REDUCTIONS[reduction] == "none" else ()
        return record(MULTILABEL_MARGIN_LOSS, np.zeros(shape, input._data.dtype), (input,),
                      {"target": target, "reduction": REDUCTIONS[reduction]})
    t = target._data.reshape(nframe, dim)
    # torch reads target.min() and target.max() as int64s (their kernels refuse the limited dtypes and complex; a NaN
    # or a huge float target overflows)
    least, greatest = (checked_scalar(extreme._data[()], D.int64) for extreme in (target.min(), target.max()))
    if int(least) < -1 or int(greatest) >= dim:
        raise RuntimeError("argument #2 'target' is out of range")
    _check_kernel_dtypes("multilabel_margin_loss_forward_out_frame", input, target)
    x = input._data.reshape(nframe, dim)
    z, active, _ = _multilabel_terms(x, t)
    # the sums accumulate in double; a sample's own loss is rounded before its division by C
    per_frame = np.where(active, z, 0).astype(np.float64).sum((1, 2))
    name = REDUCTIONS[reduction]
    if name == "none":
        per_frame = per_frame.astype(x.dtype) / x.dtype.type(dim)
    else:
        per_frame = per_frame / dim
    return record(MULTILABEL_MARGIN_LOSS, _reduced(per_frame, name, x.dtype, frame_shape), (input,),
                  {"target": target, "reduction": name})
