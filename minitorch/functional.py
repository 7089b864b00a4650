"""torch.functional: the functions torch defines in Python over its ops. minitorch's versions of
those it has; the others raise AttributeError naming what is not implemented."""
from __future__ import annotations

from ._missing import missing_names_getattr
from ._ops.registry import FUNCTIONS

_TORCH_NAMES = frozenset((
    "atleast_1d", "atleast_2d", "atleast_3d", "broadcast_shapes", "broadcast_tensors", "cartesian_prod",
    "block_diag", "cdist", "chain_matmul", "einsum", "istft", "lu", "norm", "meshgrid", "pca_lowrank", "split",
    "stft", "svd_lowrank", "tensordot", "unique", "unique_consecutive", "unravel_index",
))

globals().update({name: FUNCTIONS[name] for name in _TORCH_NAMES if name in FUNCTIONS})
__all__ = sorted(name for name in _TORCH_NAMES if name in FUNCTIONS)
__getattr__ = missing_names_getattr(__name__, _TORCH_NAMES)
