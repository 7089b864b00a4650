"""torch.nn.functional's multi-class hinge losses: Python checks over the ``torch._C._nn`` bindings
(``_ops/nn_ops/margin_loss.py``)."""
from __future__ import annotations

from .._ops.registry import NN
from .._tensor import Tensor
from ._functional_losses import _reduction_enum
from .._ops.autocast_policy import autocast_args


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: bool | None = None, reduce: bool | None = None,
                      reduction: str = "mean") -> Tensor:
    input, target, weight = autocast_args("multi_margin_loss", input, target, weight)
    enum = _reduction_enum(reduction, size_average, reduce)
    if p != 1 and p != 2:
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    return NN["multi_margin_loss"](input, target, p, margin, weight, enum)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    input, target = autocast_args("multilabel_margin_loss", input, target)
    return NN["multilabel_margin_loss"](input, target, _reduction_enum(reduction, size_average, reduce))
