"""torch.nn.functional's randomized layers: rrelu, alpha dropouts, gumbel_softmax.

Each draws from torch's CPU stream in torch's order (the kernels are ``_ops/nn_ops/rrelu.py`` and
``_ops/nn_ops/dropout.py``), so the same seed gives the same values.
"""
from __future__ import annotations

import warnings

from .._ops.registry import FUNCTIONS
from .._tensor import Tensor


def rrelu(input: Tensor, lower: float = 1.0 / 8, upper: float = 1.0 / 3, training: bool = False,
          inplace: bool = False) -> Tensor:
    fn = FUNCTIONS["rrelu_"] if inplace else FUNCTIONS["rrelu"]
    return fn(input, lower, upper, training)


rrelu_ = FUNCTIONS["rrelu_"]


def _check_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    _check_p(p)
    return (FUNCTIONS["alpha_dropout_"] if inplace else FUNCTIONS["alpha_dropout"])(input, p, training)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    _check_p(p)
    return (FUNCTIONS["feature_alpha_dropout_"] if inplace else FUNCTIONS["feature_alpha_dropout"])(input, p, training)


def gumbel_softmax(logits: Tensor, tau: float = 1, hard: bool = False, eps: float = 1e-10, dim: int = -1) -> Tensor:
    """A softmax of ``(logits + Gumbel noise) / tau``; ``hard``: the one-hot of its argmax in value, with
    the soft sample's gradient (straight-through)."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    # the noise is drawn in C order (torch's legacy contiguous format), whatever the logits' strides
    gumbels = -FUNCTIONS["empty"](logits.shape, dtype=logits.dtype).exponential_().log()
    y_soft = ((logits + gumbels) / tau).softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = FUNCTIONS["zeros_like"](logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
