"""The chunked path of ``linear_cross_entropy`` (``options`` given): cross entropy of ``x W^T + b``
computed ``batch_chunk_size`` rows at a time, so the ``(N, C)`` logits never exist whole.

As torch's two custom ops (the grad_fn names are theirs):

- mean / sum: the forward also computes the gradients of the inputs that need one, and keeps them on
  the node; backward scales them by the upstream gradient. Unless ``allow_retain_graph``, backward
  hands over the kept buffers, so a second backward is refused with torch's error. The gradients carry
  no history (torch supports no double backward here).
- none: the forward computes the per-row losses only; backward recomputes the chunked gradients with
  the per-row upstream gradient folded into the row weights.

Arithmetic runs in ``acc_dtype`` (float32 for float16 / bfloat16 inputs on CPU), results in the input's
dtype; the parameters' gradients accumulate across chunks in the input's dtype (torch's final buffers).

``LinearCrossEntropyOptions`` resolve their ``"auto"`` settings per call (``_adjust``) as torch's: on
CPU, float16 and bfloat16 inputs accumulate in float32 with ``acc_policy="accurate"`` and chunks sized
by ``"aspect_ratio"``; other dtypes use the fallback (``"compact"``, ``"aspect_ratio:2"``) in their own
dtype. minitorch computes every policy as torch's default ("accurate") does: in torch the memory-saving
policies keep some intermediate buffers (float16 logits) in the input's dtype, which rounds them otherwise.
"""
from __future__ import annotations

import dataclasses
from typing import Any, Literal, NamedTuple

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.function import Function
from ...autograd.grad_mode import is_grad_enabled
from ..linalg.products import _same_dtype

# (device type, input dtype) -> (acc_policy, chunking_method) for "auto"
_AUTO_DEFAULTS = {("cpu", D.bfloat16): ("accurate", "aspect_ratio"), ("cpu", D.float16): ("accurate", "aspect_ratio")}
_AUTO_FALLBACK = ("compact", "aspect_ratio:2")
_ACC_DTYPES = (D.float16, D.bfloat16, D.float32, D.float64)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


@dataclasses.dataclass(slots=True, frozen=True)
class LinearCrossEntropyOptions:
    """How ``linear_cross_entropy`` chunks the batch (see torch's documentation of each field)."""

    allow_retain_graph: bool = False
    batch_chunk_size: int | None = None
    chunking_method: str | None = "auto"
    acc_policy: Literal["accurate", "balanced", "compact", "auto"] = "auto"
    acc_dtype: D.dtype | None = None

    def __post_init__(self) -> None:
        if self.acc_policy not in ("auto", "accurate", "balanced", "compact"):
            raise ValueError("invalid acc_policy: %r" % (self.acc_policy,))
        if self.chunking_method is not None and self.chunking_method != "auto":
            name, sep, factor = self.chunking_method.partition(":")
            factor = factor if sep else "1"
            if not (name == "aspect_ratio" and factor.isdigit() and int(factor) > 0):
                raise ValueError("invalid chunking_method: %r" % (self.chunking_method,))
        size = self.batch_chunk_size
        if not (size is None or isinstance(size, int) and size > 0):
            raise ValueError("batch_chunk_size must be positive int or None, got %r" % (size,))
        if self.acc_dtype is not None and self.acc_dtype not in _ACC_DTYPES:
            raise ValueError("acc_dtype must be one of {None, torch.float16, torch.bfloat16, torch.float32, "
                             "torch.float64}, got %r. Pass acc_dtype=None to let the op pick automatically."
                             % (self.acc_dtype,))

    @staticmethod
    def _aspect_ratio_chunk(method: str, num_batches: int, in_features: int, num_classes: int) -> int:
        """The chunk whose logits take about the memory of the input (divided by the method's factor):
        the next power of two of ``ceil(N / ceil(C / F))``."""
        factor = int(method.partition(":")[2] or 1)
        target = _ceil_div(num_batches, _ceil_div(num_classes, in_features))
        return min((1 << (target - 1).bit_length()) // factor, num_batches)

    def _adjust(self, num_batches: int, in_features: int, num_classes: int, dtype: D.dtype,
                device: Any = None) -> LinearCrossEntropyOptions:
        """These options with "auto" and None resolved for one call."""
        method = self.chunking_method
        if method == "auto" and self.batch_chunk_size is not None:
            method = None  # an explicit chunk size wins over the automatic one
        auto = _AUTO_FALLBACK if device is None else _AUTO_DEFAULTS.get((device.type, dtype), _AUTO_FALLBACK)
        policy: Any = auto[0] if self.acc_policy == "auto" else self.acc_policy
        method = auto[1] if method == "auto" else method
        chunk = num_batches if self.batch_chunk_size is None else min(self.batch_chunk_size, num_batches)
        if method is not None:
            chunk = self._aspect_ratio_chunk(method, num_batches, in_features, num_classes)
            if self.batch_chunk_size is not None and self.batch_chunk_size != chunk:
                raise ValueError("batch_chunk_size (=%d) and chunking_method ('%s') give different chunk sizes (%d "
                                 "vs %d); pass only one." % (self.batch_chunk_size, method, self.batch_chunk_size,
                                                             chunk))
        acc_dtype = self.acc_dtype
        if acc_dtype is None:
            mixed = (self.acc_policy == "auto" and device is not None and device.type == "cpu"
                     and dtype in (D.float16, D.bfloat16))
            acc_dtype = D.float32 if mixed else dtype
        return dataclasses.replace(self, acc_policy=policy, chunking_method=method, batch_chunk_size=max(1, chunk),
                                   acc_dtype=acc_dtype)

    @classmethod
    def _of(cls, options: Any) -> LinearCrossEntropyOptions:
        """``options`` as this class: any object with its fields is read field by field (so torch's own
        options, handed over by a differential test, mean the same)."""
        if isinstance(options, cls):
            return options
        fields = {f.name: getattr(options, f.name) for f in dataclasses.fields(cls)}
        if fields["acc_dtype"] is not None and not isinstance(fields["acc_dtype"], D.dtype):
            fields["acc_dtype"] = getattr(D, str(fields["acc_dtype"]).replace("torch.", ""))
        return cls(**fields)


_CALLED_TWICE = ("linear_cross_entropy chunked backward called twice; retain_graph=True / double backward are not "
                 "supported.")


class _Problem(NamedTuple):
    """One call's data as NumPy arrays in the accumulation dtype."""
    input: np.ndarray         # (N, F)
    linear_weight: np.ndarray  # (C, F)
    target: np.ndarray        # (N,), ignored rows pointed at class 0
    linear_bias: np.ndarray | None
    row_weight: np.ndarray    # (N,): the class weight of each row's target, 0 on ignored rows
    chunk: int


def _problem(input: Tensor, linear_weight: Tensor, target: Tensor, linear_bias: Tensor | None,
             weight: Tensor | None, ignore_index: int, chunk: int, acc_dtype: D.dtype) -> _Problem:
    acc = acc_dtype.np
    num_classes = linear_weight.shape[0]
    t = target._data
    ignored = t == ignore_index
    classes = np.where(ignored, 0, t)
    bad = classes[(classes < 0) | (classes >= num_classes)]
    if bad.size:
        if weight is not None:
            raise IndexError("index out of range in self")
        raise RuntimeError("index %d is out of bounds for dimension 1 with size %d" % (bad[0], num_classes))
    row_weight = np.ones(t.shape, acc) if weight is None else weight._data[classes].astype(acc)
    row_weight[ignored] = 0
    bias = None if linear_bias is None else linear_bias._data.astype(acc)
    return _Problem(input._data.astype(acc), linear_weight._data.astype(acc), classes, bias, row_weight, chunk)


def _chunks(p: _Problem) -> Any:
    """Per chunk of rows: its slice and its logits shifted by their row maximum."""
    for start in range(0, p.input.shape[0], p.chunk):
        rows = slice(start, start + p.chunk)
        logits = p.input[rows] @ p.linear_weight.T
        if p.linear_bias is not None:
            logits += p.linear_bias
        yield rows, logits - logits.max(axis=1, keepdims=True, initial=-np.inf)


def _row_losses(p: _Problem) -> np.ndarray:
    """``logsumexp(z_n) - z_n[t_n]`` per row (before the class weight)."""
    out = np.empty(p.input.shape[0], p.input.dtype)
    for rows, z in _chunks(p):
        picked = np.take_along_axis(z, p.target[rows, None], axis=1)[:, 0]
        out[rows] = np.log(np.exp(z).sum(axis=1)) - picked
    return out


def _gradients(p: _Problem, row_scale: np.ndarray, needs: tuple[bool, bool, bool], dtype: np.dtype) -> list:
    """The input, linear_weight and linear_bias gradients (None where not needed) of ``sum_n row_scale_n *
    loss_n``: the logits' gradient of a row is ``row_scale_n (softmax(z_n) - onehot(t_n))``. As torch's, the
    parameters' gradients accumulate in the input's ``dtype`` (a float16 one rounded after each chunk): a chunk's
    weight gradient is added in ``acc_dtype`` then rounded, its bias gradient rounded first."""
    acc = p.input.dtype
    grad_input = np.zeros_like(p.input) if needs[0] else None
    grad_weight = np.zeros(p.linear_weight.shape, dtype) if needs[1] else None
    grad_bias = np.zeros(p.linear_weight.shape[0], dtype) if needs[2] else None
    for rows, z in _chunks(p):
        e = np.exp(z)
        g = e * (row_scale[rows] / e.sum(axis=1))[:, None]
        np.subtract.at(g, (np.arange(g.shape[0]), p.target[rows]), row_scale[rows])
        if grad_input is not None:
            grad_input[rows] = g @ p.linear_weight
        if grad_weight is not None:
            grad_weight = (grad_weight.astype(acc) + g.T @ p.input[rows]).astype(dtype)
        if grad_bias is not None:
            grad_bias = (grad_bias.astype(acc) + g.sum(axis=0).astype(dtype).astype(acc)).astype(dtype)
    return [grad_input, grad_weight, grad_bias]


def _as_tensor(data: np.ndarray | None, like: Tensor) -> Tensor | None:
    return None if data is None else Tensor._make(data.astype(like._data.dtype))


def _check(input: Tensor, linear_weight: Tensor, acc_dtype: D.dtype) -> None:
    dtype = input.dtype
    if dtype is not acc_dtype and not (dtype in (D.float16, D.bfloat16) and acc_dtype is D.float32):
        raise RuntimeError("linear_cross_entropy supports float32 acc_dtype with float16/bfloat16 inputs, but got %s "
                           "acc_dtype and %s inputs." % (acc_dtype, dtype))
    _same_dtype(input, linear_weight)


class GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_default(Function):
    """mean / sum: gradients computed with the loss, kept on the node until backward."""

    @staticmethod
    def forward(ctx: Any, input: Tensor, linear_weight: Tensor, target: Tensor, linear_bias: Tensor | None,
                weight: Tensor | None, reduction: str, ignore_index: int, chunk: int, acc_dtype: D.dtype,
                allow_retain_graph: bool, needs: tuple[bool, bool, bool]) -> Tensor:
        _check(input, linear_weight, acc_dtype)
        p = _problem(input, linear_weight, target, linear_bias, weight, ignore_index, chunk, acc_dtype)
        row_scale = p.row_weight
        if reduction == "mean":
            total = row_scale.sum()
            row_scale = row_scale / total if total != 0 else np.full_like(row_scale, np.nan)
        loss = (row_scale * _row_losses(p)).sum() if p.input.shape[0] else row_scale.dtype.type(
            np.nan if reduction == "mean" else 0)
        grads = _gradients(p, row_scale, needs, input._data.dtype)
        ctx.kept = [_as_tensor(g, input) for g in grads]
        ctx.needs = needs
        ctx.allow_retain_graph = allow_retain_graph
        return Tensor._make(np.asarray(loss, input._data.dtype))

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple:
        result: list = [None] * 11
        for i, slot in zip(range(3), (0, 1, 3)):  # input, linear_weight, linear_bias
            if not ctx.needs[i]:
                continue
            kept = ctx.kept[i]
            if not ctx.allow_retain_graph:
                ctx.kept[i] = None
                if kept is None:
                    raise RuntimeError(_CALLED_TWICE)
            result[slot] = kept * grad_output
        return tuple(result)


class GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_no_reduction_default(Function):
    """none: per-row losses; backward recomputes the chunked gradients, weighted by the upstream gradient."""

    @staticmethod
    def forward(ctx: Any, input: Tensor, linear_weight: Tensor, target: Tensor, linear_bias: Tensor | None,
                weight: Tensor | None, ignore_index: int, chunk: int, acc_dtype: D.dtype) -> Tensor:
        _check(input, linear_weight, acc_dtype)
        p = _problem(input, linear_weight, target, linear_bias, weight, ignore_index, chunk, acc_dtype)
        ctx.save_for_backward(input, linear_weight, target, linear_bias, weight)
        ctx.call = (ignore_index, chunk, acc_dtype)
        return Tensor._make((p.row_weight * _row_losses(p)).astype(input._data.dtype))

    @staticmethod
    def backward(ctx: Any, grad_output: Tensor) -> tuple:
        input, linear_weight, target, linear_bias, weight = ctx.saved_tensors
        needs = ctx.needs_input_grad
        wanted = (needs[0], needs[1], linear_bias is not None and needs[3])
        result: list = [None] * 8
        if any(wanted):
            p = _problem(input, linear_weight, target, linear_bias, weight, *ctx.call)
            grads = _gradients(p, p.row_weight * grad_output._data.astype(p.row_weight.dtype), wanted,
                               input._data.dtype)
            for slot, g in zip((0, 1, 3), grads):
                result[slot] = _as_tensor(g, input)
        return tuple(result)


def chunked(input: Tensor, linear_weight: Tensor, target: Tensor, linear_bias: Tensor | None,
            weight: Tensor | None, reduction: str, ignore_index: int, chunk: int, acc_dtype: D.dtype,
            allow_retain_graph: bool) -> Tensor:
    if reduction == "none":
        return GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_no_reduction_default.apply(
            input, linear_weight, target, linear_bias, weight, ignore_index, chunk, acc_dtype)
    # (decided here: forward runs with grad mode off)
    grad_on = is_grad_enabled()
    needs = (input.requires_grad and grad_on, linear_weight.requires_grad and grad_on,
             linear_bias is not None and linear_bias.requires_grad and grad_on)
    return GeneratedBackwardFor_torch_nn__linear_cross_entropy_batch_chunked_default.apply(
        input, linear_weight, target, linear_bias, weight, reduction, ignore_index, chunk, acc_dtype,
        allow_retain_graph, needs)
