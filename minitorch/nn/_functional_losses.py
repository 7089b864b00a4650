"""Losses, layer 2 of 3 - the functions of ``torch.nn.functional`` (re-exported there): torch's
Python signatures, argument checks and legacy ``size_average``/``reduce`` flags, over the kernels.

Fused losses (nll, mse, smooth L1, Huber, binary cross-entropy) are op rows of layer 1,
``_ops/nn_ops/loss.py``; the ones torch composes (cross_entropy with label smoothing or
probabilities, l1_loss, kl_div, weighted regression losses) are composed here from the same ops, for
torch's node names. Layer 3, the ``nn.Module`` classes, is ``nn/modules/loss.py``.
"""
from __future__ import annotations

import math
import warnings
from typing import Callable

import numpy as np

from .. import _dtype as D
from .._ops.nn_ops import loss as _loss
from .._ops.nn_ops import softmax as _softmax
from .._ops.scalar_overloads import add_scalar, div_scalar, mul_scalar
from .._ops.nn_ops.loss import reduce_as as _reduce
from .._ops.limited_dtypes import LIMITED
from .._ops.registry import FUNCTIONS, NN
from .._tensor import Tensor
from ..autograd import grad_mode
from ._reduction import get_reduction, legacy_get_string
from .._ops.autocast_policy import autocast_args
from .._ops.cpp_format import cpp_double


def _warn_size(input: Tensor, target: Tensor) -> None:
    """Regression losses warn when the sizes of input and target differ (before reading a legacy reduction)."""
    if input.shape != target.shape:
        warnings.warn("Using a target size (%s) that is different to the input size (%s). This will likely lead to "
                      "incorrect results due to broadcasting. Please ensure they have the same size."
                      % (target.size(), input.size()), stacklevel=3)


def _broadcast(input: Tensor, target: Tensor) -> tuple[Tensor, Tensor]:
    """Regression losses broadcast input and target."""
    if input.shape == target.shape:
        return input, target
    expanded_input, expanded_target = FUNCTIONS["broadcast_tensors"](input, target)
    return expanded_input, expanded_target


def _weighted_regression(errors: Callable[[], Tensor], weight: Tensor, input: Tensor, reduction: str,
                         mean_by_weight: bool = True) -> Tensor:
    """The elementwise ``errors()`` times ``weight``, reduced, once the weight's size is checked; torch's weighted mean
    divides by the weights' sum (mse, l1) or by the count (huber)."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    weighted = errors() * weight
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
    if reduction == "mean" and mean_by_weight:
        return weighted.sum() / weight.sum()
    return _reduce(weighted, reduction)


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    input, target, weight = autocast_args("mse_loss", input, target, weight)
    _warn_size(input, target)
    reduction = _legacy_reduction(reduction, size_average, reduce)
    input_, target_ = _broadcast(input, target)
    if weight is not None:
        return _weighted_regression(lambda: (input_ - target_).pow(2), weight, input, reduction)
    return NN["mse_loss"](input_, target_, _reduction_enum(reduction, None, None))


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    input, target, weight = autocast_args("l1_loss", input, target, weight)
    _warn_size(input, target)
    reduction = _legacy_reduction(reduction, size_average, reduce)
    input_, target_ = _broadcast(input, target)
    if weight is not None:
        return _weighted_regression(lambda: (input_ - target_).abs(), weight, input, reduction)
    return NN["l1_loss"](input_, target_, _reduction_enum(reduction, None, None))


def _legacy_reduction(reduction: str, size_average: bool | None, reduce: bool | None) -> str:
    """The reduction the legacy flags give (with torch's warning), else ``reduction`` as it is (unchecked)."""
    return reduction if size_average is None and reduce is None else legacy_get_string(size_average, reduce)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    input, target = autocast_args("smooth_l1_loss", input, target)
    _warn_size(input, target)
    reduction_enum = _reduction_enum(reduction, size_average, reduce)
    input_, target_ = _broadcast(input, target)
    if beta == 0.0:
        return NN["l1_loss"](input_, target_, reduction_enum)
    return NN["smooth_l1_loss"](input_, target_, reduction_enum, beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    input, target, weight = autocast_args("huber_loss", input, target, weight)
    _warn_size(input, target)
    input_, target_ = _broadcast(input, target)
    if weight is not None:
        return _weighted_regression(lambda: NN["huber_loss"](input_, target_, 0, delta), weight, input, reduction,
                                    False)
    return NN["huber_loss"](input_, target_, _reduction_enum(reduction, None, None), delta)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    input, target, weight = autocast_args("binary_cross_entropy", input, target, weight)
    reduction = get_reduction(reduction, size_average, reduce)
    if target.size() != input.size():
        raise ValueError("Using a target size (%s) that is different to the input size (%s) is deprecated. Please "
                         "ensure they have the same size." % (target.size(), input.size()))
    if weight is not None:
        weight = weight.expand(np.broadcast_shapes(tuple(target.shape), tuple(weight.shape)))
    return NN["binary_cross_entropy"](input, target, weight, _loss.REDUCTIONS.index(reduction))


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    input, target, weight, pos_weight = autocast_args("binary_cross_entropy_with_logits", input, target, weight,
                                                      pos_weight)
    reduction = get_reduction(reduction, size_average, reduce)
    if target.size() != input.size():
        raise ValueError("Target size (%s) must be the same as input size (%s)" % (target.size(), input.size()))
    return FUNCTIONS["binary_cross_entropy_with_logits"](input, target, weight, pos_weight,
                                                         _loss.REDUCTIONS.index(reduction))


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    input, target = autocast_args("kl_div", input, target)
    if size_average is not None or reduce is not None:
        kind = get_reduction(reduction, size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                          "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                          "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                          stacklevel=2)
        kind = "sum" if reduction == "batchmean" else get_reduction(reduction)
    reduced = FUNCTIONS["kl_div"](input, target, _loss.REDUCTIONS.index(kind), log_target=log_target)
    if reduction == "batchmean" and input.dim() != 0:
        reduced = reduced / input.shape[0]
    return reduced


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
             ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    input, target, weight = autocast_args("nll_loss", input, target, weight)
    return _nll_loss_nd(input, target, weight, get_reduction(reduction, size_average, reduce), ignore_index)


def _nll_loss_nd(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, ignore_index: int) -> Tensor:
    """torch's nll_loss_nd: 1-d/2-d and 4-d inputs directly; other ranks viewed as (N, C, 1, -1)."""
    ndim = input._data.ndim
    if ndim < 1:
        raise ValueError("Expected 1 or more dimensions (got %d)" % ndim)
    # (torch reads a 0-d target's batch size past its sizes, where a fresh size list holds 0)
    target_batch = target._data.shape[0] if target._data.ndim else 0
    if ndim != 1 and input._data.shape[0] != target_batch:
        raise ValueError("Expected input batch_size (%d) to match target batch_size (%d)."
                         % (input._data.shape[0], target_batch))
    if ndim <= 2 or ndim == 4:
        return _loss.nll_loss(input, target, weight, reduction, ignore_index)
    n, c = input.shape[:2]
    out_size = (n,) + tuple(input.shape[2:])
    if not target._data.ndim:  # (torch slices the target's sizes from 1)
        raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
    if tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError("Expected target size %s, got %s" % (list(out_size), list(target.shape)))
    x = input.contiguous()
    x = x.view(n, c, 1, -1) if x.numel() > 0 else x.view(n, c, 0, 0)
    t = target.contiguous()
    t = t.view(n, 1, -1) if t.numel() > 0 else t.view(n, 0, 0)
    out = _loss.nll_loss(x, t, weight, reduction, ignore_index)
    return out.view(out_size) if reduction == "none" else out


def _log_softmax(input: Tensor, class_dim: int) -> Tensor:
    """cross_entropy's log_softmax: the kernel itself, or for the limited dtypes torch.log_softmax, which refuses them
    (its kernel, which an empty input does not reach)."""
    if input.dtype in LIMITED:
        return FUNCTIONS["log_softmax"](input, class_dim)
    return _softmax.log_softmax(input, class_dim)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
                  ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    input, target, weight = autocast_args("cross_entropy", input, target, weight)
    reduction = get_reduction(reduction, size_average, reduce)
    class_dim = 0 if input._data.ndim == 1 else 1
    if input._data.shape == target._data.shape:
        if target.dtype.category != D.FLOATING:
            raise RuntimeError("Expected floating point type for target with class probabilities, got "
                               + target.dtype._cast_name)
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing, class_dim)
    if label_smoothing > 0.0:
        _check_label_smoothing(label_smoothing)
        return _cross_entropy_smoothed(input, target, weight, reduction, ignore_index, label_smoothing, class_dim)
    return _nll_loss_nd(_log_softmax(input, class_dim), target, weight, reduction, ignore_index)


def _check_label_smoothing(label_smoothing: float) -> None:
    if label_smoothing > 1.0:  # (the double as C++ streams it: 4.0 is "4")
        raise RuntimeError("label_smoothing must be between 0.0 and 1.0. Got: %s" % cpp_double(label_smoothing))


def _class_weight_view(weight: Tensor, ndim: int, class_dim: int) -> Tensor:
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape)


def _cross_entropy_probs(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                         label_smoothing: float, class_dim: int) -> Tensor:
    n_classes = input.size(class_dim)  # (torch reads the size: a 0-d input raises its IndexError)
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError("cross_entropy: weight tensor should be defined either for all %d classes or no classes but "
                           "got weight tensor of shape: %s" % (n_classes, list(weight.shape)))
    logp = _log_softmax(input, class_dim)
    if label_smoothing > 0.0:
        _check_label_smoothing(label_smoothing)
        target = add_scalar(mul_scalar(target, 1 - label_smoothing), label_smoothing / n_classes)
    terms = logp * target
    if weight is not None:
        terms = terms * (_class_weight_view(weight, input.dim(), class_dim) if input.dim() > 1 else weight)
    if reduction == "none":
        return -terms.sum(class_dim)
    total = -terms.sum()
    if reduction == "sum":
        return total
    if input.numel() == 0:
        return total * float("nan")
    return div_scalar(total, input.numel() // n_classes)


def _cross_entropy_smoothed(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
                            ignore_index: int, label_smoothing: float, class_dim: int) -> Tensor:
    logp = _log_softmax(input, class_dim)
    nll = _nll_loss_nd(logp, target, weight, reduction, ignore_index)
    n_classes = input.size(class_dim)
    ignored = target == ignore_index
    if weight is not None:
        smooth = -(logp * _class_weight_view(weight, input.dim(), class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        kept = target._data[~ignored._data]
        denom = weight._data[kept].sum() if weight is not None else kept.size
        smooth = smooth.sum() / Tensor._make(np.asarray(denom, input._data.dtype))
    elif reduction == "sum":
        smooth = smooth.sum()
    return mul_scalar(nll, 1 - label_smoothing) + mul_scalar(smooth, label_smoothing / n_classes)


# ---- margin, embedding and distribution losses --------------------------------------------------
def _reduction_enum(reduction: str, size_average: bool | None, reduce: bool | None) -> int:
    """torch's _Reduction.get_enum / legacy_get_enum, for the torch-level records."""
    return _loss.REDUCTIONS.index(get_reduction(reduction, size_average, reduce))


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    input1, input2, target = autocast_args("margin_ranking_loss", input1, input2, target)
    enum = _reduction_enum(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError("margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           "input1: %s, input2: %s, target: %s " % (input1.size(), input2.size(), target.size()))
    return FUNCTIONS["margin_ranking_loss"](input1, input2, target, margin, enum)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    input, target = autocast_args("hinge_embedding_loss", input, target)
    return FUNCTIONS["hinge_embedding_loss"](input, target, margin, _reduction_enum(reduction, size_average, reduce))


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    input, target = autocast_args("soft_margin_loss", input, target)
    return NN["soft_margin_loss"](input, target, _reduction_enum(reduction, size_average, reduce))


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    input1, input2, target = autocast_args("cosine_embedding_loss", input1, input2, target)
    return FUNCTIONS["cosine_embedding_loss"](input1, input2, target, margin,
                                              _reduction_enum(reduction, size_average, reduce))


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    reduction = _legacy_reduction(reduction, size_average, reduce)
    loss = -(target * NN["log_sigmoid"](input) + (1 - target) * NN["log_sigmoid"](-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    return _reduce(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    input, target = autocast_args("poisson_nll_loss", input, target)
    reduction = _legacy_reduction(reduction, size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    return FUNCTIONS["poisson_nll_loss"](input, target, log_input, full, eps, _loss.REDUCTIONS.index(reduction))


def _homoscedastic_var(var: Tensor, input: Tensor) -> Tensor:
    """``var`` shaped to broadcast against ``input``: the same size, one dimension short, or
    broadcastable with a single mismatched dimension of size 1."""
    if var.size() == input.size():
        return var
    if input.size()[:-1] == var.size():
        return var.unsqueeze(-1)
    if input.dim() == var.dim() and sum(v for i, v in zip(input.shape, var.shape) if i != v) == 1:
        return var
    raise ValueError("var is of incorrect size")


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        variance: Tensor = var * FUNCTIONS["ones_like"](input)
    else:
        if bool((var < 0).any()):
            raise ValueError("var has negative entry/entries")
        variance = var
    variance = _homoscedastic_var(variance, input)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    variance = variance.clone()
    with grad_mode.no_grad():  # the floor for stability is not differentiated
        variance.clamp_(min=eps)
    loss = 0.5 * (variance.log() + (input - target) ** 2 / variance)
    if full:
        loss += 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    anchor, positive, negative = autocast_args("triplet_margin_loss", anchor, positive, negative)
    enum = _reduction_enum(reduction, size_average, reduce)
    _check_margin(margin)
    return FUNCTIONS["triplet_margin_loss"](anchor, positive, negative, margin, p, eps, swap, enum)


def _check_margin(margin: float) -> None:
    if margin <= 0:
        raise ValueError("margin must be greater than 0, got %s" % margin)


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable[[Tensor, Tensor], Tensor] | None = None,
                                      margin: float = 1.0, swap: bool = False, reduction: str = "mean") -> Tensor:
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    _check_margin(margin)
    dims = (anchor.ndim, positive.ndim, negative.ndim)
    if len(set(dims)) != 1:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the same number of "
                           "dimensions, but got: anchor %dD, positive %dD, and negative %dD inputs" % dims)
    distance = distance_function or FUNCTIONS["pairwise_distance"]
    to_positive = distance(anchor, positive)
    to_negative = distance(anchor, negative)
    if swap:
        to_negative = FUNCTIONS["minimum"](to_negative, distance(positive, negative))
    return _reduce(FUNCTIONS["clamp_min"](margin + to_positive - to_negative, 0), reduction)
