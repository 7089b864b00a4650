"""nn.LinearCrossEntropyLoss, and nn.LinearCrossEntropyOptions (the chunked path's configuration,
defined with that path in ``_ops/nn_ops/linear_cross_entropy.py``)."""
from __future__ import annotations

import math
from typing import Any

from ..._ops.nn_ops.linear_cross_entropy import LinearCrossEntropyOptions
from ..._tensor import Tensor
from .. import functional as F
from .linear import Linear
from .loss import _WeightedLoss

__all__ = ["LinearCrossEntropyLoss", "LinearCrossEntropyOptions"]

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
