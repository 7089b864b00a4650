"""ctc_loss: the connectionist temporal classification loss (Graves et al. 2006), by the
forward-backward algorithm in log space, vectorized over the batch and the label states.

The loss of each sequence is ``-log p(target | log_probs)``. Its gradient is torch's own formula:
``exp(log_probs) - exp(log(sum of alpha * beta over the states of each label) + nll - log_probs)``,
which is the derivative with respect to the logits under a log_softmax, not with respect to
``log_probs`` themselves (torch's CPU kernel assumes log_probs are normalized); zero past each input
length, and zero for an infinite loss under ``zero_infinity``. torch defines no derivative of it.

torch does not check that labels lie in ``[0, C)``: its kernel reads ``log_probs`` at the label's
unchecked address (a label past ``C`` reads the next sequence's row) and its backward collects into
the gradient's (contiguous) cell at that address. ``_label_cells`` reproduces the reads on the elements
of ``log_probs`` (a read that leaves them, into memory undefined in torch, is NaN here) and
``_grad_cells`` the writes (one that leaves the gradient is dropped).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..conversion import discard_imaginary
from ..registry import FUNCTIONS, op
from .loss import REDUCTIONS

_CHECKED = "(while checking arguments for ctc_loss_allocate_outputs)"


@dataclass(frozen=True)
class Alignment:
    """The label states of each sequence (blank, label 1, blank, label 2, ..., blank) and its alphas."""
    states: np.ndarray  # (N, S): the class of each state, padded with blanks
    valid: np.ndarray  # (N, S): the states that exist (s <= 2 * target_length)
    skip: np.ndarray  # (N, S): a path may reach state s from s - 2 (a label unlike the previous one)
    input_lengths: np.ndarray  # (N,)
    target_lengths: np.ndarray  # (N,)
    log_alpha: np.ndarray  # (T, N, S)
    nll: np.ndarray  # (N,)
    cells: np.ndarray  # (T, N, S): the element of log_probs each state reads, -1 outside it (_label_cells)


def _label_cells(lp: np.ndarray, states: np.ndarray) -> np.ndarray:
    """For each (t, n, s), the C-order flat index into ``lp`` (T, N, C) of the element torch's kernel reads
    for state s: the address ``t * stride_t + n * stride_n + label * stride_c``, mapped back to the element
    it falls on; -1 where it falls outside ``lp`` (or, for a label outside ``[0, C)``, when ``lp``'s
    elements are not one dense block)."""
    T, N, C = lp.shape
    t, n, labels = np.arange(T)[:, None, None], np.arange(N)[None, :, None], states[None]
    in_range = (labels >= 0) & (labels < C)
    plain = np.where(in_range, (t * N + n) * C + np.where(in_range, labels, 0), -1)
    strides = np.array(lp.strides) // lp.itemsize
    order = sorted((a for a in range(3) if lp.shape[a] > 1), key=lambda a: strides[a])  # innermost first
    span = 1
    for axis in order:
        if strides[axis] != span:
            return plain
        span *= lp.shape[axis]
    offset = t * strides[0] + n * strides[1] + labels * strides[2]
    inside = (offset >= 0) & (offset < lp.size)
    coords, rest = [np.zeros_like(offset)] * 3, np.where(inside, offset, 0)
    for axis in reversed(order):
        coords[axis], rest = np.divmod(rest, strides[axis])
    return np.where(inside, np.ravel_multi_index(tuple(coords), (T, N, C)), -1)


def _grad_cells(shape: tuple, a: Alignment) -> np.ndarray:
    """For each (t, n, s), the flat index of the cell of the contiguous (T, N, C) gradient that torch's
    backward collects state s into; ``T * N * C`` (a scratch cell) where that address leaves the gradient,
    or where a later sequence's backward overwrites the cell: it assigns (not adds) its last step's
    blank and last label."""
    T, N, C = shape
    rows = np.arange(N)
    cells = np.arange(T)[:, None, None] * (N * C) + rows[None, :, None] * C + a.states[None]
    outside = (cells < 0) | (cells >= T * N * C)
    t, rest = np.divmod(np.where(outside, 0, cells), N * C)
    n, c = np.divmod(rest, C)
    last = a.states[rows, np.maximum(2 * a.target_lengths - 1, 0)]  # each sequence's last label (or blank)
    overwritten = (n > rows[None, :, None]) & (t == a.input_lengths[n] - 1) & ((c == a.states[n, 0]) | (c == last[n]))
    return np.where(outside | overwritten, T * N * C, cells)


def _emissions(lp: np.ndarray, cells: np.ndarray) -> np.ndarray:
    """The log probability each (t, n, s) reads; NaN where torch reads outside the tensor."""
    return np.where(cells >= 0, lp.reshape(-1)[np.maximum(cells, 0)], np.nan)


def _exp(x: np.ndarray) -> np.ndarray:
    """exp rounded once to the input's precision (as C's expf: NumPy's float32 SIMD exp is a few ulps off,
    and the recursions carry such differences from torch's values far)."""
    return np.exp(x.astype(np.float64)).astype(x.dtype, copy=False)


def _log(x: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(x.astype(np.float64)).astype(x.dtype, copy=False)


def _logsumexp3(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    m = np.maximum(np.maximum(a, b), c)
    m = np.where(m == -np.inf, 0.0, m)  # all -inf: the sum is empty, its log -inf
    return _log(_exp(a - m) + _exp(b - m) + _exp(c - m)) + m


def _shift(x: np.ndarray, by: int) -> np.ndarray:
    """``x[..., s - by]`` along the last axis (``s + |by|`` for a negative ``by``), -inf where out of range."""
    out = np.full_like(x, -np.inf)
    if by > 0:
        out[..., by:] = x[..., :-by]
    else:
        out[..., :by] = x[..., -by:]
    return out


def _states(targets: list, target_lengths: np.ndarray, blank: int) -> tuple:
    """Each sequence's label states, which exist, and where a skip over a blank is allowed."""
    n, longest = len(target_lengths), int(target_lengths.max(initial=0))
    states = np.full((n, 2 * longest + 1), blank, np.int64)
    for b, labels in enumerate(targets):
        states[b, 1:2 * len(labels):2] = labels
    s = np.arange(states.shape[1])
    valid = s <= 2 * target_lengths[:, None]
    skip = np.zeros_like(valid)
    skip[:, 2:] = (s[2:] % 2 == 1) & (states[:, 2:] != states[:, :-2])
    return states, valid, skip


def _forward(lp: np.ndarray, cells: np.ndarray, valid: np.ndarray, skip: np.ndarray, input_lengths: np.ndarray,
             target_lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The log alphas (T, N, S) and each sequence's negative log likelihood."""
    T, N = lp.shape[:2]
    emit = _emissions(lp, cells)  # (T, N, S)
    alpha = np.full(emit.shape, -np.inf, lp.dtype)
    if T:
        alpha[0, :, :2] = np.where(valid[:, :2], emit[0, :, :2], -np.inf)
    for t in range(1, T):
        prev = alpha[t - 1]
        reach = _logsumexp3(prev, _shift(prev, 1), np.where(skip, _shift(prev, 2), -np.inf))
        alpha[t] = np.where(valid, reach + emit[t], -np.inf)
    rows = np.arange(N)
    last = alpha[np.maximum(input_lengths - 1, 0), rows]  # (N, S)
    end_blank = last[rows, 2 * target_lengths]
    end_label = np.where(target_lengths > 0, last[rows, np.maximum(2 * target_lengths - 1, 0)], -np.inf)
    log_likelihood = _logsumexp3(end_blank, end_label, np.full_like(end_blank, -np.inf))
    # an empty input aligns only with an empty target
    log_likelihood = np.where(input_lengths == 0, np.where(target_lengths == 0, 0.0, -np.inf), log_likelihood)
    return alpha, -log_likelihood.astype(lp.dtype)


def _log_beta(lp: np.ndarray, a: Alignment) -> np.ndarray:
    T = lp.shape[0]
    emit = _emissions(lp, a.cells)
    s = np.arange(a.states.shape[1])
    twice = 2 * a.target_lengths[:, None]
    ends = (s == twice) | ((s == twice - 1) & (twice > 0))  # the final blank and the final label
    skip_back = np.zeros_like(a.skip)
    skip_back[:, :-2] = a.skip[:, 2:]  # state s reaches s + 2 when s + 2 may be reached by a skip
    beta = np.full(emit.shape, -np.inf, lp.dtype)
    following = np.full(emit.shape[1:], -np.inf, lp.dtype)
    for t in range(T - 1, -1, -1):
        reach = _logsumexp3(following, _shift(following, -1), np.where(skip_back, _shift(following, -2), -np.inf))
        step = np.where(a.valid, reach + emit[t], -np.inf)
        first = np.where(ends, emit[t], -np.inf)  # each sequence's last input step starts its betas
        at = (t - (a.input_lengths - 1))[:, None]
        following = beta[t] = np.where(at == 0, first, np.where(at < 0, step, -np.inf))
    return beta


def _grad_log_probs(grad: Tensor, log_probs: Tensor, alignment: Alignment, zero_infinity: bool) -> Tensor:
    lp = log_probs._data
    a = alignment
    T, N, C = lp.shape
    both = a.log_alpha + _log_beta(lp, a)  # (T, N, S)
    # per element of log_probs, the log of the sum of alpha * beta over the states that read it
    collected = np.full(T * N * C + 1, -np.inf, lp.dtype)  # (the last cell takes the dropped writes)
    targets = _grad_cells((T, N, C), a)
    with np.errstate(invalid="ignore", over="ignore"):
        for s in range(both.shape[2] - 1, -1, -1):  # summed as torch's kernel sums them, the last state first
            cells = targets[:, :, s]
            so_far, here = collected[cells], both[:, :, s]
            m = np.maximum(so_far, here)
            summed = _log(_exp(so_far - m) + _exp(here - m)) + m
            collected[cells] = np.where(so_far == -np.inf, here, summed)
        g = _exp(lp) - _exp(collected[:-1].reshape(T, N, C) + a.nll[None, :, None] - lp)
    g = np.where(np.arange(T)[:, None, None] < a.input_lengths[None, :, None], g, 0.0)
    if zero_infinity:
        g = np.where(np.isinf(a.nll)[None, :, None], 0.0, g)
    g = g * grad._data[None, :, None]
    return record(CTC_LOSS_BACKWARD, g.astype(lp.dtype, copy=False), (grad, log_probs))


def _no_derivative(grad: Tensor) -> Tensor:
    raise RuntimeError("derivative for aten::_ctc_loss_backward is not implemented")


CTC_LOSS = defop("_ctc_loss", ("log_probs",), {"log_probs": _grad_log_probs}, grad_name="CtcLossBackward0")
CTC_LOSS_BACKWARD = defop("_ctc_loss_backward", ("grad", "log_probs"), {"grad": _no_derivative,
                                                                        "log_probs": _no_derivative},
                          grad_name="NotImplemented")


def _lengths(lengths: Tensor | tuple, what: str) -> np.ndarray:
    if isinstance(lengths, Tensor):
        if lengths.dtype.category != D.INTEGRAL:
            raise RuntimeError("%s must be integral" % what)
        return lengths._data.reshape(-1).astype(np.int64)
    return np.asarray(lengths, np.int64).reshape(-1)


def _split_targets(targets: np.ndarray, target_lengths: np.ndarray, batch: int) -> list:
    """Each sequence's labels, from padded (N, S) or concatenated targets, with torch's checks."""
    for length in target_lengths:
        if length < 0:
            raise RuntimeError("Expected target_lengths to have value at least 0, but got value %d %s"
                               % (length, _CHECKED))
    if targets.ndim == 1:
        total = int(target_lengths.sum())
        if len(targets) != total:
            raise RuntimeError("Expected tensor to have size %d at dimension 0, but got size %d for argument #2 "
                               "'targets' %s" % (total, len(targets), _CHECKED))
        return np.split(targets, np.cumsum(target_lengths)[:-1]) if batch else []
    if len(targets) != batch:
        raise RuntimeError("Expected tensor to have size %d at dimension 0, but got size %d for argument #2 "
                           "'targets' %s" % (batch, len(targets), _CHECKED))
    longest = int(target_lengths.max(initial=0))
    if targets.shape[1] < longest:
        raise RuntimeError("Expected tensor to have size at least %d at dimension 1, but got size %d for argument #2 "
                           "'targets' %s" % (longest, targets.shape[1], _CHECKED))
    return [row[:length] for row, length in zip(targets, target_lengths)]


def ctc_nll(log_probs: Tensor, targets: Tensor, input_lengths: np.ndarray, target_lengths: np.ndarray, blank: int,
            zero_infinity: bool) -> Tensor:
    """Each sequence's negative log likelihood (torch's ``_ctc_loss``), for (T, N, C) log_probs."""
    if log_probs.dtype not in (D.float32, D.float64):
        raise NotImplementedError("\"ctc_loss_cpu\" not implemented for '%s'" % log_probs.dtype._cast_name)
    if log_probs.numel() == 0:
        raise RuntimeError("log_probs tensor must not be empty")
    if log_probs.dim() != 3:
        raise RuntimeError("Expected 3-dimensional tensor, but got %d-dimensional tensor for argument #1 'log_probs' %s"
                           % (log_probs.dim(), _CHECKED))
    if targets.dim() not in (1, 2):
        raise RuntimeError("Expected 1 to 2 dimensions, but got %d-dimensional tensor for argument #2 'targets' %s"
                           % (targets.dim(), _CHECKED))
    T, N, C = log_probs.shape
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if len(input_lengths) != N:
        raise RuntimeError("input_lengths must be of size batch_size")
    if len(target_lengths) != N:
        raise RuntimeError("target_lengths must be of size batch_size")
    labels = _split_targets(targets._data.astype(np.int64), target_lengths, N)
    for length in input_lengths:
        if not 0 <= length <= T:
            bound = ("at least", 0) if length < 0 else ("at most", T)
            raise RuntimeError("Expected input_lengths to have value %s %d, but got value %d %s"
                               % (*bound, length, _CHECKED))
    states, valid, skip = _states(labels, target_lengths, blank)
    cells = _label_cells(log_probs._data, states)
    alpha, nll = _forward(log_probs._data, cells, valid, skip, input_lengths, target_lengths)
    alignment = Alignment(states, valid, skip, input_lengths, target_lengths, alpha, nll, cells)
    return record(CTC_LOSS, nll, (log_probs,),
                  {"alignment": alignment, "zero_infinity": zero_infinity})


def _as_long(targets: Tensor) -> Tensor:
    """torch's ``targets.to(kLong)`` before _ctc_loss (complex targets: its warning), a plain array: targets take no
    gradient, and the conversion is no computation a pending refusal of a limited dtype stops."""
    data = discard_imaginary(targets._data) if targets.dtype.is_complex else targets._data
    return Tensor._make(D.cast_np(data, np.dtype(np.int64)))


@op("ctc_loss(Tensor log_probs, Tensor targets, IntArrayRef input_lengths, IntArrayRef target_lengths, "
    "int64_t blank=0, int64_t reduction=at::Reduction::Mean, bool zero_infinity=False)",
    "ctc_loss(Tensor log_probs, Tensor targets, Tensor input_lengths, Tensor target_lengths, int64_t blank=0, "
    "int64_t reduction=at::Reduction::Mean, bool zero_infinity=False)")
def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | tuple, target_lengths: Tensor | tuple,
             blank: int = 0, reduction: int = 0, zero_infinity: bool = False) -> Tensor:
    """torch.ctc_loss: ``reduction`` is torch's enum (0 none, 1 mean over target lengths then the batch, 2 sum);
    (T, C) log_probs are one unbatched sequence."""
    il = _lengths(input_lengths, "input_lengths")
    tl = _lengths(target_lengths, "target_lengths")
    batched = log_probs.dim() == 3
    log_probs = log_probs if batched else log_probs.unsqueeze(1)
    loss = ctc_nll(log_probs, _as_long(targets), il, tl, blank, zero_infinity)
    if zero_infinity:
        loss = FUNCTIONS["where"](loss == float("inf"), Tensor._make(np.zeros((), loss._data.dtype)), loss)
    if reduction == REDUCTIONS.index("mean"):
        return (loss / Tensor._make(np.maximum(tl, 1).astype(loss._data.dtype))).mean()
    if reduction == REDUCTIONS.index("sum"):
        return loss.sum()
    return loss if batched else loss.squeeze(0)
