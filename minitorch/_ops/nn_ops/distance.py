"""Distances between vectors: torch.pairwise_distance and torch.cosine_similarity.

pairwise_distance calls ``at::norm`` over one dimension, an older kernel than torch.norm's
linalg.vector_norm, with a node of its own (``NormBackward1``): values and derivatives are
linalg.vector_norm's, under that node."""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.recording import record
from ..promotion import check_broadcast
from ..reduction import ATEN_NORM_DIMS, vector_norm
from ..registry import LINALG, op
from ..scalar_overloads import add_scalar

def norm_along(input: Tensor, p: float, dim: int, keepdim: bool) -> Tensor:
    """The p-norm of ``input`` along ``dim``."""
    value = vector_norm(input.detach(), p, dim, keepdim)
    return record(ATEN_NORM_DIMS, value._data, (input,), {"ord": p, "dims": (dim,), "keepdim": keepdim})


@op("pairwise_distance(Tensor x1, Tensor x2, double p=2, double eps=1e-06, bool keepdim=False)")
def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """The p-norm of ``x1 - x2 + eps`` along the last dimension (``eps`` keeps equal points
    differentiable)."""
    last = max(x1.dim(), x2.dim()) - 1
    return norm_along(add_scalar(x1 - x2, eps), p, last, keepdim)


@op("cosine_similarity(Tensor x1, Tensor x2, int64_t dim=1, double eps=1e-08)")
def cosine_similarity(x1: Tensor, x2: Tensor, dim: int = 1, eps: float = 1e-8) -> Tensor:
    common = D.result_type(x1, x2)  # (a 0-d operand of a lower category takes no part: no float8 promotion)
    if common.category != D.FLOATING:
        raise RuntimeError("expected common dtype to be floating point, yet common dtype is %s" % common._cast_name)
    if not eps >= 0:  # (NaN refused too)
        raise RuntimeError("eps must be non-negative, got: %g" % eps)
    check_broadcast(x1._data, x2._data)
    # torch converts an integral operand only: a floating one's norm is in its own dtype, the result's from the ops
    x1, x2 = (x if x.dtype.category == D.FLOATING else x.to(common) for x in (x1, x2))
    if x1.shape != x2.shape:  # (torch's expand_outplace of a pair: both expanded, ExpandBackward0 each)
        size = tuple(np.broadcast_shapes(tuple(x1.shape), tuple(x2.shape)))
        x1, x2 = x1.expand(size), x2.expand(size)
    # each vector is divided by its norm first, for a result within [-1, 1]; the norms are floored at
    # eps without a node of their own (the gradient flows as if they were not)
    # (the namespace's norm, gated: a float8 operand whose dtype the pair does not promote to is refused by its norm)
    norm1 = LINALG["vector_norm"](x1, 2, dim, True).clone()
    norm2 = LINALG["vector_norm"](x2, 2, dim, True).clone()
    with grad_mode.no_grad():
        norm1.clamp_min_(eps)
        norm2.clamp_min_(eps)
    return ((x1 / norm1) * (x2 / norm2)).sum(dim)
