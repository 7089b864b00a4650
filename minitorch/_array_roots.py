"""The memory a NumPy view shows: down its ``.base`` chain, through the holder NumPy's ``as_strided`` puts
between a strided view and the array it was made from (its result's base is that holder, not the array)."""
from __future__ import annotations

import numpy as np

_STRIDED_HOLDER = type(np.lib.stride_tricks.as_strided(np.zeros(1)).base)


def next_base(x: object) -> object | None:
    """The next object down a view's base chain (an array, a holder, or what owns the memory); None at the end."""
    return getattr(x, "base", None) if isinstance(x, (np.ndarray, _STRIDED_HOLDER)) else None


def memory_owner(x: object) -> object:
    """The last object down ``x``'s base chain: what owns the memory (the array itself if it owns its own)."""
    while (below := next_base(x)) is not None:
        x = below
    return x


def root_array(arr: np.ndarray) -> np.ndarray:
    """The last ndarray down ``arr``'s base chain: the one whose memory ``arr`` views."""
    root = arr
    x: object = arr
    while (x := next_base(x)) is not None:
        if isinstance(x, np.ndarray):
            root = x
    return root
