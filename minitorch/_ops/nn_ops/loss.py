"""Losses, layer 1 of 3 - the kernels: the fused losses as op rows (NumPy forward, VJPs, node names
as torch's ``NllLossBackward0``...): nll_loss (and nll_loss2d), mse, smooth L1, Huber, binary
cross-entropy (on probabilities and on logits).

The three loss layers, as in torch: kernels here (``_ops/nn_ops/loss.py``, torch's ATen ops), the
``torch.nn.functional`` functions (``nn/_functional_losses.py``: Python signatures, argument checks,
legacy flags, composition) and the ``nn.Module`` classes (``nn/modules/loss.py``: options, then a
call to the function). Every loss here takes ``reduction`` as a string already validated by the
functional layer. Weights are constants of the op (torch does not differentiate them either).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ..cpu_loops import on_scalar_lanes
from ..inplace import check_cast, same_dtype_out
from ..limited_dtypes import checked_before_kernel, kernel_reached
from ..pointwise import _no_bool_neg
from ..promotion import binary_arrays, check_broadcast, check_broadcast_all, operand_key, promoted, to_float
from ...autograd.grad_mode import is_grad_enabled, no_grad
from ...autograd.recording import check_no_requires_grad, check_output_shape, defop, record
from ..registry import FUNCTIONS, nn_op, op, warn_resized
from .activation import log_sigmoid
from ..scalar_overloads import add_scalar, div_scalar, mul_scalar, sub_scalar
from .common import opmath, reduce_np, require_float
from .distance import pairwise_distance


# ---- nll_loss -------------------------------------------------------------------------------
class _Picks:
    """Which entry of each sample's class axis a nll loss reads, and with what weight."""

    __slots__ = ("key", "weight", "ignored", "total")

    def __init__(self, key: tuple, weight: np.ndarray | None, ignored: np.ndarray | None) -> None:
        self.key = key          # fancy index of each sample's target entry (ignored ones at class 0)
        self.weight = weight    # per-sample weight (zero where ignored), None when all are 1
        self.ignored = ignored  # mask of ignored samples, None when there are none
        self.total: Any = None  # the sum of the weights, for the mean


def _target_key(ndim: int, index: np.ndarray) -> tuple:
    """``x[key]`` is x[n, index[n, ...], ...]: the class axis is 1 (0 for an unbatched input)."""
    if ndim == 1:
        return (index,)
    if ndim == 2:
        return (np.arange(index.shape[0]), index)
    key: list[np.ndarray] = list(np.indices(index.shape, sparse=True))
    key.insert(1, index)
    return tuple(key)


def _picks(x: np.ndarray, t: np.ndarray, w: np.ndarray | None, ignore_index: int) -> _Picks:
    n_classes = x.shape[1] if x.ndim > 1 else x.shape[0]
    ignored = None
    unsigned = t.view(np.uint64)  # negative targets wrap around to huge values
    # (the largest target alone tells whether any is out of range: no mask, no ndarray.any's Python frames)
    if np.maximum.reduce(unsigned, axis=None, initial=0) >= n_classes or 0 <= ignore_index < n_classes:
        ignored = t == ignore_index
        bad = (unsigned >= n_classes) & ~ignored
        if bad.any():
            raise IndexError("Target %d is out of bounds." % t[bad].reshape(-1)[0])
        ignored = ignored if ignored.any() else None
    index = t if ignored is None else np.where(ignored, 0, t)
    weight = None if w is None else w[index]
    if ignored is not None:
        weight = np.where(ignored, x.dtype.type(0), x.dtype.type(1) if weight is None else weight)
    return _Picks(_target_key(x.ndim, index), weight, ignored)


_CASCADE_LEVELS = 8


def _run_sums(items: np.ndarray, closes: np.ndarray) -> np.ndarray:
    """The sums of the runs of ``items`` each closed by an item where ``closes`` is True, then of the open run after
    the last (maybe empty): each from +0, adding one item at a time, rounding in the items' dtype."""
    starts = np.concatenate(([0], np.flatnonzero(closes) + 1))
    lengths = np.diff(np.append(starts, items.size))
    run = np.repeat(np.arange(starts.size), lengths)
    padded = np.full((starts.size, int(lengths.max())), -0.0, items.dtype)  # (x + -0 is x, signed zeros too)
    padded[run, np.arange(items.size) - starts[run]] = items
    sums = np.zeros(starts.size, items.dtype)
    for column in padded.T:
        sums = sums + column
    return sums


def _cascade_sum(items: np.ndarray, positions: np.ndarray, count: int) -> Any:
    """torch's CPU nll_loss sum, in the items' dtype: of ``count`` loop positions, the item at each of ``positions``
    (the others ignored) is added into level 0 of 8 partial sums; after an item at a position that is a multiple of
    step ** (j + 1) (step 16 below 2 ** 128 positions), level j is added into level j + 1 and cleared; at the end the
    levels are added up, from 0 and level 0."""
    power = max(4, ((count - 1).bit_length() if count > 2 else 1) // _CASCADE_LEVELS)  # (utils::CeilLog2)
    left = []
    for level in range(_CASCADE_LEVELS - 1):
        closes = positions % (1 << (power * (level + 1))) == 0
        sums = _run_sums(items, closes)
        left.append(sums[-1])
        items, positions = sums[:-1], positions[closes]
    left.append(_run_sums(items, np.zeros(items.size, bool))[-1])  # (the last level is never carried)
    total = items.dtype.type(0)
    for value in left:
        total = total + value
    return total


def _reduced_nll_sums(picked: np.ndarray, p: _Picks) -> tuple[Any, Any]:
    """The loss and the total weight of a float16/bfloat16 nll_loss, added as torch's kernel adds them: a cascade of
    partial sums in the dtype over the target's positions in order, skipping ignored ones (the weighted losses are
    subtracted, as torch does)."""
    flat = picked.reshape(-1)
    positions = np.arange(flat.size) if p.ignored is None else np.flatnonzero(~p.ignored.reshape(-1))
    loss = _cascade_sum(np.negative(flat[positions]), positions, flat.size)
    if p.weight is None:
        return loss, flat.dtype.type(positions.size)
    return loss, _cascade_sum(p.weight.reshape(-1)[positions], positions, flat.size)


def _nll_np(x: np.ndarray, p: _Picks, reduction: str) -> np.ndarray:
    picked = x[p.key]
    if p.weight is not None:
        picked = picked * p.weight
    if reduction == "none":
        return np.asarray(np.negative(picked))
    if x.dtype in D.REDUCED_NP:  # (numpy's pairwise sum in float32 is within a float32 rounding of torch's cascade)
        total, p.total = _reduced_nll_sums(picked, p)
        return np.asarray(total if reduction == "sum" else total / p.total, dtype=x.dtype)
    p.total = np.asarray(picked.size if p.weight is None else np.add.reduce(p.weight, axis=None), dtype=x.dtype)
    # the sum of the negated losses, negated once at the end: rounding is symmetric in sign, so every partial sum is
    # the same value negated and the bits are those of summing the negated losses (one pass over them less)
    total = -np.add.reduce(picked, axis=None)
    return np.asarray(total if reduction == "sum" else total / p.total, dtype=x.dtype)


def _nll_backward_np(g: np.ndarray, shape: tuple, p: _Picks, reduction: str) -> np.ndarray:
    coeff = np.negative(g)
    if reduction == "mean":
        coeff = coeff / p.total
    if p.weight is not None:
        coeff = coeff * p.weight
    if p.ignored is not None:  # no gradient for ignored samples, even when the mean is 0/0
        coeff = np.where(p.ignored, g.dtype.type(0), coeff)
    out = np.zeros(shape, g.dtype)
    out[p.key] = coeff
    return out


def _nll_vjp(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: str,
             ignore_index: int, picks: _Picks) -> Tensor:
    return record(NLL_LOSS_BACKWARD, _nll_backward_np(grad._data, self._data.shape, picks, reduction), (grad, self),
                  {"target": target, "weight": weight, "reduction": reduction, "ignore_index": ignore_index})


# (the backward kernels compute in the dtype: -(grad / total_weight) * weight rounds twice in float16/bfloat16)
NLL_LOSS = defop("nll_loss", ("self",), {"self": _nll_vjp}, grad_name="NllLossBackward0", widen=False)
NLL_LOSS2D = defop("nll_loss2d", ("self",), {"self": _nll_vjp}, grad_name="NllLoss2DBackward0", widen=False)
# nll_loss is linear in its input: the VJP of its backward is nll_loss itself (and zero for the input,
# which the backward reads only for its shape: torch's formula keeps it in the graph all the same)
NLL_LOSS_BACKWARD = defop("nll_loss_backward", ("grad_output", "self"), {
    "grad_output": lambda grad, target, weight, reduction, ignore_index: nll_loss(
        grad, target, weight, reduction, ignore_index),
    "self": lambda grad: Tensor._make(np.zeros_like(grad._data))})


def _check_target_dtype(target: Tensor) -> None:
    if target.dtype not in (D.int64, D.uint8):
        raise RuntimeError("expected target dtype to be Long or Byte, but got " + target.dtype._cast_name)


def _check_nll(input: Tensor, target: Tensor, weight: Tensor | None) -> None:
    x, t = input._data, target._data
    if x.ndim == 4:
        if t.ndim != 3:
            raise RuntimeError("only batches of spatial targets supported (3D tensors) but got targets of "
                               "dimension: %d" % t.ndim)
        if weight is not None and weight._data.size != x.shape[1]:
            raise RuntimeError("weight tensor should be defined either for all or no classes")
        if x.shape[0] != t.shape[0] or x.shape[2:] != t.shape[1:]:
            raise RuntimeError("size mismatch (got input: %s , target: %s" % (list(x.shape), list(t.shape)))
        _check_target_dtype(target)
        return
    if not 1 <= x.ndim <= 2:
        raise RuntimeError("input tensor should be 1D or 2D")
    if t.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    _check_target_dtype(target)  # (before the sizes, unlike the 2-d loss's)
    if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise ValueError("For 1D input, 1D target must have size 1, but got target size: %d" % t.shape[0])
    # (a 0-d target's size(0) raises torch's IndexError; a 1-d one's is read from the array: the size call's argument
    # parsing was a tenth of the loss's interpreter work)
    if not (x.ndim == 1 and t.ndim == 0) and x.shape[0] != (t.shape[0] if t.ndim else target.size(0)):
        raise RuntimeError("size mismatch (got input: %s, target: %s)" % (list(x.shape), list(t.shape)))
    n_classes = x.shape[-1]
    if weight is not None and (weight._data.ndim != 1 or weight._data.size != n_classes):
        raise RuntimeError("weight tensor should be defined either for all %d classes or no classes but got "
                           "weight tensor of shape: %s" % (n_classes, list(weight._data.shape)))


_NLL_KERNEL_DTYPES = frozenset((D.float32, D.float64, D.float16, D.bfloat16))


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str, ignore_index: int) -> Tensor:
    """torch's ``nll_loss`` (1-D or 2-D input) or ``nll_loss2d`` (4-D input)."""
    if weight is not None:  # (the only argument it checks)
        check_no_requires_grad("nll_loss2d_forward" if input._data.ndim == 4 else "nll_loss_forward", weight=weight)
    _check_nll(input, target, weight)
    x = input._data
    if weight is not None and weight.dtype is not input.dtype:
        raise RuntimeError("expected scalar type %s but found %s" % (input.dtype._cast_name, weight.dtype._cast_name))
    if input.dtype not in _NLL_KERNEL_DTYPES:
        raise NotImplementedError('"%s" not implemented for \'%s\'' % (
            "nll_loss2d_forward_out_frame" if x.ndim == 4 else "nll_loss_out_frame", input.dtype._cast_name))
    t = target._data.astype(np.int64, copy=False)
    picks = _picks(x, t, None if weight is None else weight._data, ignore_index)
    out = _nll_np(x, picks, reduction)
    return record(NLL_LOSS2D if x.ndim == 4 else NLL_LOSS, out, (input,),
                  {"target": target, "weight": weight, "reduction": reduction, "ignore_index": ignore_index,
                   "picks": picks})


# ---- regression losses ---------------------------------------------------------------------
def _operands(name: str, input: Tensor, target: Tensor) -> tuple[np.ndarray, np.ndarray]:
    x, t, dt = binary_arrays(input, target, name)
    if dt.category != D.FLOATING:
        raise NotImplementedError('"%s_cpu" not implemented for \'%s\'' % (name, dt._cast_name))
    return x, t


def _loss_norm(scale: float, reduction: str, numel: int) -> float:
    """The factor torch's loss backward kernels scale by: ``scale``, over the count for a mean (of the operand whose
    gradient is computed: its own numel, not the broadcast one; a mean of nothing divides by zero, as in C++)."""
    if reduction != "mean":
        return scale
    return scale / numel if numel else math.inf


def _mse_backward(grad: Tensor, self: Tensor, target: Tensor, reduction: str) -> Tensor:
    # torch's mse_backward kernel: norm * (self - target) * grad, in the dtype (its norm rounded to it)
    # (its operands promoted to the gradient's dtype first: a bool operand is a number there, not a refused bool
    # subtraction)
    norm = self.new_tensor(_loss_norm(2.0, reduction, self.numel()), dtype=grad.dtype)
    return (self.to(grad.dtype) - target.to(grad.dtype)) * norm * grad


# derivatives.yaml's: the target's gradient is the backward with the operands swapped (its norm counts the target)
MSE_LOSS = defop("mse_loss", ("self", "target"), {
    "self": lambda grad, self, target, reduction: _mse_backward(grad, self, target, reduction),
    "target": lambda grad, self, target, reduction: _mse_backward(grad, target, self, reduction)}, widen=False)


def mse_loss(input: Tensor, target: Tensor, reduction: str) -> Tensor:
    x, t = _operands("mse", input, target)
    d = np.asarray(x - t)
    return record(MSE_LOSS, reduce_np(np.multiply(d, d, out=d), reduction), (input, target),
                  {"reduction": reduction})


def _smooth_l1_backward_np(g: np.ndarray, x: np.ndarray, t: np.ndarray, reduction: str, beta: float) -> np.ndarray:
    """torch's smooth_l1_backward kernel: norm * ((x - t) / beta, or its sign from +-beta on) * grad, each step rounding
    in the dtype (float16's and bfloat16's kernel computes in float32, rounding once); the vectorized body compares
    with and divides by beta in that type (a zero difference beyond a beta that rounds to 0 is -1), the scalar lambda
    (the loop's tail) by the double beta, last."""
    dtype = x.dtype
    if dtype in D.REDUCED_NP:
        g, x, t = g.astype(np.float32), x.astype(np.float32), t.astype(np.float32)
    compute = x.dtype
    norm, bound = (D.cast_np(np.float64(v), compute) for v in (_loss_norm(1.0, reduction, x.size), beta))
    d = x - t
    with np.errstate(all="ignore"):
        inside = d / bound
    out = np.where(np.abs(d) >= bound, np.where(d > 0, compute.type(1), compute.type(-1)), inside)

    def scalar(g: np.ndarray, d: np.ndarray) -> np.ndarray:
        wide = d.astype(np.float64)
        with np.errstate(all="ignore"):
            inside = D.cast_np((norm * d * g).astype(np.float64) / beta, compute)
        return np.where(wide <= -beta, -norm * g, np.where(wide >= beta, norm * g, inside))
    return D.cast_np(on_scalar_lanes(np.asarray(norm * out * g), (g, d), scalar, (x, t)), dtype)


def smooth_l1_loss_backward(grad: Tensor, self: Tensor, target: Tensor, reduction: str, beta: float) -> Tensor:
    # (its operands promoted to a common dtype, the gradient's, and the result cast to self's)
    x, t = (a._data.astype(grad._data.dtype, copy=False) for a in (self, target))
    out = _smooth_l1_backward_np(grad._data, x, t, reduction, beta)
    return record(SMOOTH_L1_LOSS_BACKWARD, D.cast_np(out, self.dtype.np), (grad, self, target),
                  {"reduction": reduction, "bound": beta})


def _smooth_l1_double_backward(grad: Tensor, self: Tensor, target: Tensor, reduction: str, beta: float) -> Tensor:
    if beta == 0:  # (FunctionsManual's guard against a division by zero)
        return grad.new_zeros(grad.shape)
    out = grad * ((self - target).abs() < beta).to(grad.dtype) / beta
    return out / self.numel() if reduction == "mean" else out


def _mean_norm(numel: int, reduction: str) -> float:
    """The ``norm`` of torch's loss backward kernels: 1 / numel for a mean (C++'s ``1. / 0`` is inf: an empty
    input's, which no element reads), else 1."""
    if reduction != "mean":
        return 1.0
    return 1.0 / numel if numel else float("inf")


def _huber_backward_np(g: np.ndarray, x: np.ndarray, t: np.ndarray, reduction: str, delta: float) -> np.ndarray:
    """torch's huber_backward kernel, each step rounding in the dtype (float16 and bfloat16 too): norm * (x - t
    clamped to +-delta) * grad, where norm is 1 / numel for a mean; the scalar lambda (the loop's tail) compares
    with the double delta and multiplies by it last, in double."""
    dt = x.dtype.type
    norm, bound = dt(_mean_norm(x.size, reduction)), dt(delta)
    d = x - t
    clamped = np.where(np.abs(d) >= bound, np.where(d > 0, dt(1), dt(-1)) * bound, d)

    def scalar(g: np.ndarray, d: np.ndarray) -> np.ndarray:
        wide = d.astype(np.float64)
        saturated = D.cast_np((np.where(wide > 0, norm, -norm) * g).astype(np.float64) * delta, d.dtype)
        return np.where((wide <= -delta) | (wide >= delta), saturated, norm * d * g)
    return on_scalar_lanes(np.asarray(norm * clamped * g), (g, d), scalar, (x, t))


def huber_loss_backward(grad: Tensor, self: Tensor, target: Tensor, reduction: str, delta: float) -> Tensor:
    if target.dtype is not self.dtype:  # (its kernel's operands are not promoted)
        raise RuntimeError("Found dtype %s but expected %s" % (target.dtype._cast_name, self.dtype._cast_name))
    return record(HUBER_LOSS_BACKWARD, _huber_backward_np(grad._data, self._data, target._data, reduction, delta),
                  (grad, self, target), {"reduction": reduction, "bound": delta})


def _huber_double_backward(grad: Tensor, self: Tensor, target: Tensor, reduction: str, delta: float) -> Tensor:
    out = grad * ((self - target).abs() < delta)
    return out / self.numel() if reduction == "mean" else out


def _double_backward_grad_output(backward: Any, grad: Tensor, grad_output: Tensor, self: Tensor, target: Tensor,
                                 reduction: str, parameter: float) -> Tensor:
    """FunctionsManual's {huber,smooth_l1}_loss_double_backward_grad_output: the backward's derivative in its
    incoming gradient (for a reduced loss, the backward of ones times ``grad``, summed)."""
    if reduction == "none":
        return backward(grad, self, target, reduction, parameter)
    return (backward(grad_output.new_ones(grad_output.shape), self, target, reduction, parameter) * grad).sum()


def _kernel_backward_loss(name: str, backward: Any, double_backward: Any) -> tuple[Any, Any]:
    """derivatives.yaml's records of a loss whose backward is a kernel (smooth_l1_loss, huber_loss; ``bound`` is its
    beta or delta): the loss's gradients are the backward (the target's with the operands swapped), and the
    backward's FunctionsManual's double backward and grad_output rule, each in the dtype."""
    loss = defop(name, ("self", "target"), {
        "self": lambda grad, self, target, reduction, bound: backward(grad, self, target, reduction, bound),
        "target": lambda grad, self, target, reduction, bound: backward(grad, target, self, reduction, bound)},
        widen=False)
    loss_backward = defop(name + "_backward", ("grad_output", "self", "target"), {
        "grad_output": lambda grad, grad_output, self, target, reduction, bound: _double_backward_grad_output(
            backward, grad, grad_output, self, target, reduction, bound),
        "self": lambda grad, grad_output, self, target, reduction, bound: double_backward(
            grad * grad_output, self, target, reduction, bound),
        "target": lambda grad, grad_output, self, target, reduction, bound: -double_backward(
            grad * grad_output, self, target, reduction, bound)}, widen=False)
    return loss, loss_backward


SMOOTH_L1_LOSS, SMOOTH_L1_LOSS_BACKWARD = _kernel_backward_loss("smooth_l1_loss", smooth_l1_loss_backward,
                                                                _smooth_l1_double_backward)
HUBER_LOSS, HUBER_LOSS_BACKWARD = _kernel_backward_loss("huber_loss", huber_loss_backward, _huber_double_backward)


def smooth_l1_loss(input: Tensor, target: Tensor, reduction: str, beta: float) -> Tensor:
    x, t = _operands("smooth_l1", input, target)
    # torch's kernel: float16 step by step in float16 (its beta too), bfloat16 in float32 with a float32 beta
    z = np.abs(x - t) if x.dtype == np.float16 else np.abs(opmath(x) - opmath(t))
    half, bound = z.dtype.type(0.5), z.dtype.type(beta)
    out = np.where(z < bound, half * z * z / bound, z - half * bound) if bound else z
    return record(SMOOTH_L1_LOSS, reduce_np(out.astype(x.dtype, copy=False), reduction), (input, target),
                  {"reduction": reduction, "bound": beta})


def huber_loss(input: Tensor, target: Tensor, reduction: str, delta: float) -> Tensor:
    x, t = _operands("huber", input, target)
    dtype = input._data.dtype  # (torch computes into a tensor made like the input)
    if dtype == np.float16:  # torch's float16 kernel computes in float32 (its bfloat16 kernel rounds each step)
        x, t = x.astype(np.float32), t.astype(np.float32)
    z = np.abs(x - t)
    half, bound = z.dtype.type(0.5), z.dtype.type(delta)
    out = np.where(z < bound, half * z * z, bound * (z - half * bound)).astype(dtype, copy=False)
    return record(HUBER_LOSS, reduce_np(out, reduction), (input, target), {"reduction": reduction, "bound": delta})


# ---- binary cross-entropy ------------------------------------------------------------------
# torch's kernel clamps the denominator of the input's gradient at its EPSILON, a float (0 in float16); its double
# backward formulas add or clamp at the double 1e-12
_BCE_EPS = float(np.float32(1e-12))
_BCE_DOUBLE_EPS = 1e-12


def _weighted(x: Tensor, weight: Tensor | None) -> Tensor:
    return x if weight is None else x * weight


def _as_input(target: Tensor, input: Tensor) -> Tensor:
    """The target as binary_cross_entropy's kernels read it, squeezed as the input is: in the input's shape when it
    holds as many elements (its squeezed shape is then the input's, or the call was refused)."""
    return target.reshape(input.shape) if target.shape != input.shape and target.numel() == input.numel() else target


def _weighted_mean_scaled(out: Tensor, weight: Tensor | None, reduction: str) -> Tensor:
    """The last steps of torch's binary cross-entropy backward formulas, each in the dtype: the weight's product,
    then the mean's division."""
    out = _weighted(out, weight)
    return div_scalar(out, out.numel()) if reduction == "mean" else out


def _bce_grad(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None, reduction: str) -> Tensor:
    """binary_cross_entropy_backward: its kernel, each step in the input's dtype, grad * (x - t) / max((1 - x) x,
    EPSILON), recorded as one node with derivatives.yaml's double backward formulas."""
    target = _as_input(target, self)
    with no_grad():
        value = _weighted_mean_scaled(grad * (self - target) / ((1 - self) * self).clamp_min(_BCE_EPS), weight,
                                      reduction)
    return record(BCE_BACKWARD, value._data, (grad, self, target), {"weight": weight, "reduction": reduction})


def _bce_double_backward(grad: Tensor, grad_output: Tensor, self: Tensor, target: Tensor, weight: Tensor | None,
                         reduction: str) -> Tensor:
    # FunctionsManual's binary_cross_entropy_double_backward, op by op
    eps = _BCE_DOUBLE_EPS
    grad_input = (self * self - 2 * self * target + target) / ((self + eps).pow(2) * (1 - self + eps).pow(2))
    grad_input = grad_input * (grad * grad_output)
    return _weighted_mean_scaled(grad_input, weight, reduction)


def _bce_double_backward_target(grad: Tensor, grad_output: Tensor, self: Tensor, weight: Tensor | None,
                                reduction: str) -> Tensor:
    # FunctionsManual's binary_cross_entropy_double_backward_target: -grad * grad_output (* weight) over the clamped
    # (1 - x) x, then the mean's division
    result = _weighted(-grad * grad_output, weight)
    with no_grad():
        denominator = ((1 - self) * self).clamp_min(_BCE_DOUBLE_EPS)
    result = result / denominator
    return div_scalar(result, result.numel()) if reduction == "mean" else result


BCE_BACKWARD = defop("binary_cross_entropy_backward", ("grad_output", "self", "target"), {
    "grad_output": lambda grad, self, target, weight, reduction: _bce_grad(grad, self, target, weight, reduction),
    "self": lambda grad, grad_output, self, target, weight, reduction: _bce_double_backward(
        grad, grad_output, self, target, weight, reduction),
    "target": lambda grad, grad_output, self, weight, reduction: _bce_double_backward_target(
        grad, grad_output, self, weight, reduction)}, widen=False)


def _bce_target_grad(grad: Tensor, self: Tensor, weight: Tensor | None, reduction: str) -> Tensor:
    # (binary_cross_entropy_target_backward: -logit(x) times grad)
    return _weighted_mean_scaled(-self.logit() * grad, weight, reduction)


BINARY_CROSS_ENTROPY = defop("binary_cross_entropy", ("self", "target"), {
    "self": lambda grad, self, target, weight, reduction: _bce_grad(grad, self, target, weight, reduction),
    "target": lambda grad, self, weight, reduction: _bce_target_grad(grad, self, weight, reduction)}, widen=False)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None, reduction: str) -> Tensor:
    check_no_requires_grad("binary_cross_entropy", weight=weight)
    # (its kernel computes into the squeezed input-like output: the squeezed operands' broadcast shape, then their
    # dtypes, then the output resized to that shape)
    squeezed = np.squeeze(input._data)
    shape = check_broadcast_all(squeezed, np.squeeze(target._data))
    if target.dtype is not input.dtype:
        raise RuntimeError("Found dtype %s but expected %s" % (target.dtype._cast_name, input.dtype._cast_name))
    warn_resized(squeezed, shape, 2)
    require_float("binary_cross_entropy", input)  # (its kernel's dispatch, before the range checks inside it)
    x, t = input._data, _as_input(target, input)._data
    bad_input, bad_target = np.broadcast_arrays(~((x >= 0) & (x <= 1)), ~((t >= 0) & (t <= 1)))
    bad = (bad_input | bad_target).ravel()
    if bad.any():  # (torch's kernel checks each element's input, then its target, element by element)
        first = int(np.argmax(bad))
        raise RuntimeError("all elements of %s should be between 0 and 1"
                           % ("input" if bad_input.ravel()[first] else "target"))
    floor = x.dtype.type(-100)  # torch's clamp of log(0)
    out = (t - 1) * np.maximum(np.log1p(-x), floor) - t * np.maximum(np.log(x), floor)
    if weight is not None:  # (torch's loss.mul_(weight), in place: a weight broadcasting past the loss is refused)
        check_output_shape(Tensor._make(out), check_broadcast_all(out, weight._data), overlapping=True)
        out = out * weight._data
    return record(BINARY_CROSS_ENTROPY, reduce_np(np.asarray(out, x.dtype), reduction), (input, target),
                  {"weight": weight, "reduction": reduction})


def _kept_in(acc: Tensor, result: Tensor) -> Tensor:
    """``result`` as an in-place op writes it into ``acc`` (in acc's dtype): FunctionsManual's formulas write in place
    where they need no graph (so a result broadcast past acc's shape is refused: a 0-d input's gradient against a
    larger target), and compose out of place under create_graph."""
    if is_grad_enabled():
        return result
    check_output_shape(acc, result._data.shape, overlapping=True)
    return result.to(acc.dtype)


def _bce_logits_grad(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None,
                     pos_weight: Tensor | None, reduction: str) -> Tensor:
    # FunctionsManual's binary_cross_entropy_with_logits_backward, op by op
    if pos_weight is None:
        sigmoid = self.sigmoid()
        out = _kept_in(sigmoid, sigmoid - target)
    else:
        t = pos_weight * target
        out = _kept_in(t, t + 1)
        out = _kept_in(out, _kept_in(out, out - target) * self.sigmoid())
        out = _kept_in(out, out - t)
    out = _kept_in(out, out * grad)
    if weight is not None:
        out = _kept_in(out, out * weight)
    return _kept_in(out, out / self.numel()) if reduction == "mean" else out


def _bce_logits_target_grad(grad: Tensor, self: Tensor, target: Tensor, weight: Tensor | None,
                            pos_weight: Tensor | None, reduction: str) -> Tensor:
    # FunctionsManual's binary_cross_entropy_with_logits_target_backward, op by op (in place whatever the grad mode;
    # its mean divides by the target's numel)
    if pos_weight is None:
        out = -self * grad
    else:
        below = log_sigmoid(-self)
        above = log_sigmoid(self)
        out = below - above.mul(pos_weight).to(above.dtype)
        out = (out.to(below.dtype) * grad).to(below.dtype)
    if weight is not None:
        out = (out * weight).to(out.dtype)
    return (out / target.numel()).to(out.dtype) if reduction == "mean" else out


BINARY_CROSS_ENTROPY_WITH_LOGITS = defop("binary_cross_entropy_with_logits", ("self", "target"), {
    "self": lambda grad, self, target, weight, pos_weight, reduction: _bce_logits_grad(
        grad, self, target, weight, pos_weight, reduction),
    "target": lambda grad, self, target, weight, pos_weight, reduction: _bce_logits_target_grad(
        grad, self, target, weight, pos_weight, reduction)}, widen=False)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None,
                                     pos_weight: Tensor | None, reduction: str) -> Tensor:
    check_no_requires_grad("binary_cross_entropy_with_logits", weight=weight, pos_weight=pos_weight)
    # torch's composite, op by op: its refusals (each operand's dtype and shape, met in its order), its dtype (the loss
    # is written in place into a tensor derived from the target) and its roundings; the node is one, as torch's
    with no_grad():
        x, t = input.detach(), target.detach()
        log_sigmoid_input = log_sigmoid(x)
        if pos_weight is not None:
            log_sigmoid_input.mul_((pos_weight - 1).mul(t).add_(1))
        # (C++'s ``1 - target``: a tensor like the target filled with 1, minus the target in place)
        loss = FUNCTIONS["empty_like"](t).fill_(1).sub_(t).mul_(x).sub_(log_sigmoid_input)
        if weight is not None:
            loss.mul_(weight)
        loss = reduce_as(loss, reduction)
    return record(BINARY_CROSS_ENTROPY_WITH_LOGITS, loss._data, (input, target),
                  {"weight": weight, "pos_weight": pos_weight, "reduction": reduction})


# ---- torch-level records (``torch.margin_ranking_loss``...): ``reduction`` is torch's enum ---------
# Omitted, it is 0 ('none'): torch's Python parser reads the schema's ``at::Reduction::Mean`` default as 0.
REDUCTIONS = ("none", "mean", "sum")  # at::Reduction: None, Mean, Sum


def applied_reduction(reduction: int) -> str:
    """The reduction ATen's apply_loss_reduction applies for an enum value: any value but Mean and Sum leaves the
    loss unreduced (-1 too, which would index REDUCTIONS from its end)."""
    return REDUCTIONS[reduction] if reduction in (1, 2) else "none"


def reduce_as(loss: Tensor, reduction: str) -> Tensor:
    """ATen's apply_loss_reduction over a composed elementwise loss."""
    return loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss


@op("binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight=None, Tensor? pos_weight=None, "
    "int64_t reduction=0)")
def _binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                      pos_weight: Tensor | None = None, reduction: int = 0) -> Tensor:
    return binary_cross_entropy_with_logits(input, target, weight, pos_weight, applied_reduction(reduction))


# ---- the torch._C._nn bindings torch.nn.functional calls (``reduction`` is torch's enum: 0 when omitted) ----------
def _structured_loss_meta(input: Tensor, target: Tensor, reduction: int, assert_line: int) -> None:
    """The meta function of torch's structured losses (mse_loss, smooth_l1_loss): the operands' broadcast and
    promotion, then an internal assert on a reduction enum other than none, mean and sum (deterministic: torch's
    message)."""
    check_broadcast_all(input._data, target._data)
    promoted((operand_key(input, "loss", 1, "input"), operand_key(target, "loss")), (input, target))
    if reduction not in (0, 1, 2):
        raise RuntimeError('reduction == Reduction::Mean || reduction == Reduction::Sum INTERNAL ASSERT FAILED at '
                           '"/__w/pytorch/pytorch/aten/src/ATen/native/Loss.cpp":%d, please report a bug to PyTorch. '
                           % assert_line)


@nn_op("mse_loss(Tensor input, Tensor target, int64_t reduction=0, *, Tensor out=None)")
def _mse_loss_binding(input: Tensor, target: Tensor, reduction: int = 0) -> Tensor:
    _structured_loss_meta(input, target, reduction, 97)
    return mse_loss(input, target, applied_reduction(reduction))


@nn_op("l1_loss(Tensor input, Tensor target, int64_t reduction=0)")
def _l1_loss_binding(input: Tensor, target: Tensor, reduction: int = 0) -> Tensor:
    # (a composite in torch: its refusals and errors are those of the difference, abs and the reduction)
    return reduce_as((input - target).abs(), applied_reduction(reduction))


@nn_op("smooth_l1_loss(Tensor input, Tensor target, int64_t reduction=0, double beta=1.0, *, Tensor out=None)")
def _smooth_l1_loss_binding(input: Tensor, target: Tensor, reduction: int = 0, beta: float = 1.0) -> Tensor:
    if not beta >= 0:  # (NaN too)
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    _structured_loss_meta(input, target, reduction, 86)
    return smooth_l1_loss(input, target, applied_reduction(reduction), beta)


@nn_op("huber_loss(Tensor input, Tensor target, int64_t reduction=0, double delta=1.0, *, Tensor out=None)")
def _huber_loss_binding(input: Tensor, target: Tensor, reduction: int = 0, delta: float = 1.0) -> Tensor:
    if not delta > 0:  # (NaN too)
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    # (torch computes into a tensor made like the input: the common dtype's cast to it checked, then the tensor resized
    # to the operands' broadcast shape)
    shape = check_broadcast_all(input._data, target._data)
    check_cast(promoted((operand_key(input, "huber_loss", 1, "input"), operand_key(target, "huber_loss")),
                        (input, target)), input.dtype)
    warn_resized(input._data, shape, 2)
    return huber_loss(input, target, applied_reduction(reduction), delta)


@nn_op("binary_cross_entropy(Tensor input, Tensor target, Tensor? weight=None, int64_t reduction=0, *, "
       "Tensor out=None)")
def _binary_cross_entropy_binding(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                  reduction: int = 0) -> Tensor:
    return binary_cross_entropy(input, target, weight, applied_reduction(reduction))


def kl_div(input: Tensor, target: Tensor, reduction: str, log_target: bool) -> Tensor:
    """The pointwise KL divergence, reduced ('batchmean' is the caller's division of the sum)."""
    if input.dtype.is_complex or target.dtype.is_complex:
        raise RuntimeError("kl_div: Complex inputs not supported.")
    if input.dtype.category < D.FLOATING or target.dtype.category < D.FLOATING:
        raise RuntimeError("kl_div: Integral inputs not supported.")
    # (the right operand's node first, as in poisson_nll_loss)
    if log_target:
        difference = target - input
        pointwise = target.exp() * difference
    else:
        product = target * input
        pointwise = FUNCTIONS["xlogy"](target, target) - product
    return reduce_as(pointwise, reduction)


@op("kl_div(Tensor input, Tensor target, int64_t reduction=0, *, bool log_target=False)")
def _kl_div(input: Tensor, target: Tensor, reduction: int = 0, *, log_target: bool = False) -> Tensor:
    return kl_div(input, target, applied_reduction(reduction), log_target)


@op("margin_ranking_loss(Tensor input1, Tensor input2, Tensor target, double margin=0.0, int64_t reduction=0)")
def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                        reduction: int = 0) -> Tensor:
    # margin is a double in torch's kernel: integer inputs give a float loss; the difference is taken first
    difference = input1 - input2
    return reduce_as(add_scalar(-target * difference, float(margin)).clamp_min_(0), applied_reduction(reduction))


@op("hinge_embedding_loss(Tensor input, Tensor target, double margin=1.0, int64_t reduction=0)")
def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, reduction: int = 0) -> Tensor:
    # ATen's ``margin - input`` fills a tensor like input with margin (input's dtype, an integer one too): fill_
    # checks the value's range in that dtype before any kernel (an integer's, a float8's; a float's overflows to inf)
    checked_before_kernel(margin, input.dtype, input.numel())
    zeros = FUNCTIONS["zeros_like"](input)
    beyond_margin = FUNCTIONS["where"](target != 1, (FUNCTIONS["full_like"](input, margin) - input).clamp_min_(0),
                                       zeros)
    own = FUNCTIONS["where"](target != -1, input, zeros)
    return reduce_as(beyond_margin + own, applied_reduction(reduction))


_COSINE_EPS = 1e-12  # ATen's EPSILON in cosine_embedding_loss


@op("cosine_embedding_loss(Tensor input1, Tensor input2, Tensor target, double margin=0.0, int64_t reduction=0)")
def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0.0,
                          reduction: int = 0) -> Tensor:
    dim = target.dim()
    if dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if input1.dim() != dim + 1 or input2.dim() != dim + 1:
        raise RuntimeError("%dD target tensor expects %dD input tensors, but found inputs with sizes %s and %s."
                           % (dim, dim + 1, list(input1.shape), list(input2.shape)))
    products = (input1 * input2).sum(dim)
    squares1 = add_scalar((input1 * input1).sum(dim), _COSINE_EPS)
    squares2 = add_scalar((input2 * input2).sum(dim), _COSINE_EPS)
    cos = products / (squares1 * squares2).sqrt_()
    zeros = FUNCTIONS["zeros_like"](cos)
    # (ATen's ``1 - cos`` for a Scalar 1 is empty_like(cos).fill_(1).sub_(cos): SubBackward0 without an edge for 1)
    similar = FUNCTIONS["where"](target == 1, FUNCTIONS["full_like"](cos, 1).sub_(cos), zeros)
    dissimilar = FUNCTIONS["where"](target == -1, sub_scalar(cos, margin).clamp_min_(0), zeros)
    return reduce_as(similar + dissimilar, applied_reduction(reduction))


@op("poisson_nll_loss(Tensor input, Tensor target, bool log_input, bool full, double eps, int64_t reduction)")
def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool, full: bool, eps: float,
                     reduction: int) -> Tensor:
    # torch's composite is C++, whose compiler evaluates an operator's right operand first: its nodes are made in that
    # order, which is the order the engine adds a tensor's gradients up in (three or more differ in the last bit)
    if log_input:
        product = target * input
        loss = input.exp() - product
    else:
        product = target * add_scalar(input, eps).log()
        loss = input - product
    if full:  # Stirling's approximation of log(target!), for targets above 1
        half_log = mul_scalar(mul_scalar(target, 2 * math.pi).log(), 0.5)
        stirling = target * target.log() - target + half_log
        loss += stirling.masked_fill(target <= 1, 0)
    return reduce_as(loss, applied_reduction(reduction))


@op("triplet_margin_loss(Tensor anchor, Tensor positive, Tensor negative, double margin=1.0, double p=2, "
    "double eps=1e-06, bool swap=False, int64_t reduction=0)")
def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, reduction: int = 0) -> Tensor:
    dims = (anchor.dim(), positive.dim(), negative.dim())
    if len(set(dims)) != 1:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the same number of "
                           "dimensions, but got: anchor %dD, positive %dD, and negative %dD inputs" % dims)
    to_positive = pairwise_distance(anchor, positive, p, eps)
    to_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        to_negative = FUNCTIONS["min"](to_negative, pairwise_distance(positive, negative, p, eps))
    return reduce_as((add_scalar(to_positive, margin) - to_negative).clamp_min(0), applied_reduction(reduction))


def _soft_margin_grad(grad: Tensor, self: Tensor, target: Tensor, reduction: str) -> Tensor:
    # torch's soft_margin_loss_backward step by step: z = exp(-target * self) (an unsigned target's negation wraps),
    # then target * z written into a gradient of self's dtype, times -norm (measured: rounded to that dtype first,
    # unlike a Python scalar's product), divided by 1 + z, times grad
    norm = _mean_norm(self.numel(), reduction)
    z = (-target * self).exp()
    scaled = (target * z).to(self.dtype) * Tensor._make(np.asarray(-norm, self._data.dtype))
    return (scaled / (z + 1)).to(self.dtype) * grad


SOFT_MARGIN_LOSS = defop("soft_margin_loss", ("self", "target"), {"self": _soft_margin_grad}, widen=False,
                          complex_grad=False)


@nn_op("soft_margin_loss(Tensor input, Tensor target, int64_t reduction=0, *, Tensor out=None)",
       out_rule=same_dtype_out())
def soft_margin_loss(input: Tensor, target: Tensor, reduction: int = 0) -> Tensor:
    check_no_requires_grad("soft_margin_loss", target=target)
    # torch computes in place in a new tensor of input's shape and dtype: neg_out(input), mul_(target), exp_(),
    # log1p_() (the output is fresh: its shape is checked, it has no shared memory to refuse)
    _no_bool_neg(input)
    kernel_reached()  # (neg's kernel, which refuses a limited dtype before mul_'s and exp_'s checks)
    check_broadcast(input._data, target._data)  # (mul_'s output checks, then its promotion)
    check_output_shape(input, np.broadcast_shapes(input.shape, target.shape), overlapping=True)
    x, t, dt = binary_arrays(input, target, "soft_margin_loss")
    check_cast(dt, input.dtype)
    check_cast(to_float(dt), input.dtype)
    with np.errstate(all="ignore"):
        out = np.log1p(np.exp((-x * t).astype(input.dtype.np, copy=False)))
    if reduction in (0, 1, 2):
        return record(SOFT_MARGIN_LOSS, reduce_np(out, REDUCTIONS[reduction]), (input, target),
                      {"reduction": REDUCTIONS[reduction]})
    # any other enum value: torch reduces nothing, then resizes its unreduced output to 0-d, keeping the first
    # element; its backward scales as for "sum" (an empty input's 0-d result is uninitialized memory in torch)
    first = out.reshape(-1)[:1]
    return record(SOFT_MARGIN_LOSS, first.reshape(()) if first.size else np.zeros((), out.dtype), (input, target),
                  {"reduction": "sum"})
