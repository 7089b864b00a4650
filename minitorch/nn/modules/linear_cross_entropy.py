"""nn.LinearCrossEntropyLoss and nn.LinearCrossEntropyOptions (the chunked path's configuration).

The options resolve their ``"auto"`` settings per call (``_adjust``) as torch's: on CPU, float16 and
bfloat16 inputs accumulate in float32 with ``acc_policy="accurate"`` and chunks sized by
``"aspect_ratio"``; other dtypes use the fallback (``"compact"``, ``"aspect_ratio:2"``) in their own
dtype. minitorch computes every policy alike (in ``acc_dtype``): the policies differ in torch only in
which CUDA buffers they keep.
"""
from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

from ... import _dtype as D
from ..._tensor import Tensor
from .. import functional as F
from .linear import Linear
from .loss import _WeightedLoss

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


class LinearCrossEntropyLoss(_WeightedLoss):
    """Cross entropy of ``input`` projected by an inner ``Linear`` to ``num_classes`` (times
    ``out_features``) logits; the Linear's weight is stored flat and reshaped in ``forward``."""

    def __init__(self, in_features: int, num_classes: int, *, out_features: tuple[int, ...] = (), bias: bool = False,
                 device: Any = None, dtype: Any = None, reduction: str = "mean", weight: Tensor | None = None,
                 ignore_index: int | None = None, label_smoothing: float = 0.0,
                 options: LinearCrossEntropyOptions | None = None) -> None:
        if weight is not None and weight.shape != (num_classes,):
            raise RuntimeError("expected weight shape to be %s, got %s" % ((num_classes,), tuple(weight.shape)))
        if label_smoothing < 0 or label_smoothing > 1.0:
            raise RuntimeError("expected label_smoothing to be in range [0, 1], got %s" % label_smoothing)
        super().__init__(weight=weight, size_average=None, reduce=None, reduction=reduction)
        self.num_classes = num_classes
        self.out_features = out_features
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing
        self.linear = Linear(in_features, math.prod(out_features, start=num_classes), bias=bias, device=device,
                             dtype=dtype)
        self.options = options

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        class_shape = (self.num_classes, *self.out_features)
        linear_weight = self.linear.weight.reshape(class_shape + (self.linear.in_features,))
        linear_bias = None if self.linear.bias is None else self.linear.bias.reshape(class_shape)
        return F.linear_cross_entropy(input, linear_weight, target, linear_bias=linear_bias, weight=self.weight,
                                      reduction=self.reduction, ignore_index=self.ignore_index,
                                      label_smoothing=self.label_smoothing, options=self.options)

    def extra_repr(self) -> str:
        return ("in_features=%s, num_classes=%s, out_features=%s, bias=%s, reduction=%s, ignore_index=%s, "
                "label_smoothing=%s, options=%s" % (self.linear.in_features, self.num_classes, self.out_features,
                                                    self.linear.bias is not None, self.reduction, self.ignore_index,
                                                    self.label_smoothing, self.options))
