"""torch.functional: the functions torch defines in Python over its ops, those minitorch has."""
from __future__ import annotations

from ._ops.registry import FUNCTIONS

_TORCH_NAMES = frozenset((
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "cartesian_prod",
    "block_diag", "cdist", "chain_matmul", "einsum", "istft", "lu", "norm", "meshgrid", "pca_lowrank", "split",
    "stft", "svd_lowrank", "tensordot", "unique", "unique_consecutive", "unravel_index",
))

globals().update({name: FUNCTIONS[name] for name in _TORCH_NAMES if name in FUNCTIONS})
__all__ = sorted(name for name in _TORCH_NAMES if name in FUNCTIONS)
