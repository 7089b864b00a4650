"""torch.nn.functional.linear_cross_entropy: the cross entropy of ``linear(input, linear_weight,
linear_bias)`` (reshaped to ``(N, C, *out_features)`` for a K-dimensional loss).

``options=None`` is the reference path, composed of ``linear`` and ``cross_entropy`` as torch composes
it (its graph, its double backward). With a ``LinearCrossEntropyOptions``, the supported cases
(``reduction`` mean/sum/none, no label smoothing, int64 class targets, ``out_features == ()``) take the
chunked path (``_ops/nn_ops/linear_cross_entropy.py``); the others warn and fall back, as torch does.
"""
from __future__ import annotations

import math
import warnings
from typing import Any

from .. import _dtype as D
from .._ops.nn_ops import linear_cross_entropy as _chunked
from .._ops.registry import NN
from .._tensor import Tensor
from ._functional_dispatch import handle_torch_function, has_torch_function_variadic
from ._functional_losses import cross_entropy


def _check_shapes(input: Tensor, linear_weight: Tensor, linear_bias: Tensor | None) -> None:
    if input.dim() < 1 or input.dim() > 2:
        raise RuntimeError("expected input with dimensionality 1 or 2, got %d" % input.dim())
    if linear_weight.dim() < 2:
        raise RuntimeError("expected linear_weight with dimensionality at least 2, got %d" % linear_weight.dim())
    if input.shape[-1] != linear_weight.shape[-1]:
        raise RuntimeError("expected equal input and linear_weight last dimensions (in_features), got %d and %d, "
                           "respectively" % (input.shape[-1], linear_weight.shape[-1]))
    class_shape = tuple(linear_weight.shape[:-1])
    if linear_bias is not None and tuple(linear_bias.shape) != class_shape:
        raise RuntimeError("expected linear_bias shape %s, got %s" % (class_shape, tuple(linear_bias.shape)))
    if len(class_shape) > 1 and input.dim() == 1:
        raise RuntimeError("K-dimensional loss defined by linear_weight shape %s requires batched input, (N, %d), got "
                           "unbatched input with shape %s" % (tuple(linear_weight.shape), input.shape[-1],
                                                               tuple(input.shape)))


def linear_cross_entropy(input: Tensor, linear_weight: Tensor, target: Tensor, *, linear_bias: Tensor | None = None,
                         weight: Tensor | None = None, reduction: str = "mean", ignore_index: int | None = None,
                         label_smoothing: float = 0.0, options: Any = None) -> Tensor:
    if has_torch_function_variadic(input, linear_weight, target, linear_bias, weight):
        return handle_torch_function(
            linear_cross_entropy, (input, linear_weight, target, linear_bias, weight), input, linear_weight, target,
            linear_bias=linear_bias, weight=weight, reduction=reduction, ignore_index=ignore_index,
            label_smoothing=label_smoothing, options=options)
    _check_shapes(input, linear_weight, linear_bias)
    in_features = input.shape[-1]
    num_classes, *out_features = linear_weight.shape[:-1]
    logits_shape = tuple(input.shape[:-1]) + (num_classes, *out_features)
    # (as cross_entropy decides: a target of the logits' shape holds class probabilities)
    if tuple(target.shape) == logits_shape and ignore_index is not None:
        raise RuntimeError("ignore_index cannot be specified when target contains probabilities")
    ignore_index = -100 if ignore_index is None else ignore_index

    if options is not None:
        if (out_features or reduction not in ("mean", "sum", "none") or label_smoothing != 0.0
                or target.dtype is not D.int64):
            warnings.warn("linear_cross_entropy: ``options`` ignored; chunked path needs reduction in "
                          "{'mean','sum','none'}, label_smoothing == 0, target.dtype == int64, out_features == (). "
                          "Got reduction=%r, label_smoothing=%s, target.dtype=%s, out_features=%s, tracing=False, "
                          "linear_bias.shape=%s." % (reduction, label_smoothing, target.dtype, tuple(out_features),
                                                     None if linear_bias is None else tuple(linear_bias.shape)),
                          stacklevel=2)
        else:
            return _chunked_path(input, linear_weight, target, linear_bias, weight, reduction, ignore_index, options)

    if out_features:
        classes = math.prod(out_features, start=num_classes)
        linear_weight = linear_weight.reshape((classes, in_features))
        if linear_bias is not None:
            linear_bias = linear_bias.reshape(classes)
    logits = NN["linear"](input, linear_weight, linear_bias).reshape(logits_shape)
    return cross_entropy(logits, target, weight=weight, reduction=reduction, ignore_index=ignore_index,
                         label_smoothing=label_smoothing)


def _chunked_path(input: Tensor, linear_weight: Tensor, target: Tensor, linear_bias: Tensor | None,
                  weight: Tensor | None, reduction: str, ignore_index: int, options: Any) -> Tensor:
    batched = input.dim() == 2
    if not batched:
        input, target = input.unsqueeze(0), target.unsqueeze(0)
    options = _chunked.LinearCrossEntropyOptions._of(options)._adjust(
        num_batches=input.shape[0], in_features=input.shape[1], num_classes=linear_weight.shape[0], dtype=input.dtype,
        device=input.device)
    result = _chunked.chunked(input, linear_weight, target, linear_bias, weight, reduction, ignore_index,
                              options.batch_chunk_size, options.acc_dtype, options.allow_retain_graph)
    return result if batched else result.squeeze(0)
