"""Element order of torch's serial random kernels: TensorIterator order, i.e. memory order.

A transposed or otherwise permuted view is filled in storage order, not logical order; a view with
gaps (``x[:, ::2]``) in increasing address order.
"""
from __future__ import annotations

import numpy as np


def memory_order_axes(a: np.ndarray) -> tuple[int, ...]:
    """The axis permutation after which C order is ``a``'s memory order (outermost first)."""
    # TensorIterator puts the smallest stride innermost; strides are compared by magnitude so a
    # NumPy view with a negative stride keeps its axis where torch's (positive) one would be.
    return tuple(sorted(range(a.ndim), key=lambda d: (abs(a.strides[d]) if a.shape[d] > 1 else -1, d),
                        reverse=True))


def write(dst: np.ndarray, values: np.ndarray) -> None:
    """Store ``values`` (1-D, in draw order) into ``dst`` in memory order, casting to dst's dtype."""
    if dst.flags.c_contiguous:
        dst.reshape(-1)[...] = values
    else:
        view = dst.transpose(memory_order_axes(dst))
        view[...] = values.reshape(view.shape)
