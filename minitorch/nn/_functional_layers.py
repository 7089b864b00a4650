"""torch.nn.functional's remaining activations and distances: torch's Python signatures over the
op records (``torch.threshold``, ``torch._C._nn.glu``, ``torch.pairwise_distance``...)."""
from __future__ import annotations

from .._ops.registry import FUNCTIONS, NN
from .._tensor import Tensor

hardshrink = FUNCTIONS["hardshrink"]
softshrink = NN["softshrink"]
prelu = FUNCTIONS["prelu"]
threshold_ = FUNCTIONS["threshold_"]
pairwise_distance = FUNCTIONS["pairwise_distance"]
cosine_similarity = FUNCTIONS["cosine_similarity"]


def threshold(input: Tensor, threshold: float, value: float, inplace: bool = False) -> Tensor:
    return FUNCTIONS["threshold_" if inplace else "threshold"](input, threshold, value)


def glu(input: Tensor, dim: int = -1) -> Tensor:
    if input.dim() == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    return NN["glu"](input, dim)
