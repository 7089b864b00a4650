"""Element order of torch's serial random kernels: TensorIterator order, i.e. memory order.

A transposed or otherwise permuted view is filled in storage order, not logical order; a view with
gaps (``x[:, ::2]``) in increasing address order.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .._complex_half_storage import STORAGE as COMPLEX_HALF


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


def as_real_parts(a: np.ndarray) -> np.ndarray:
    """A complex array's real view (``view_as_real``: a trailing axis of its two parts), which torch's
    ``uniform_`` and ``normal_`` fill as a float tensor; any other array as it is."""
    if a.dtype == COMPLEX_HALF:  # (its storage: float16 pairs)
        return a[..., None].view(np.float16)
    if a.dtype.kind != "c":
        return a
    return a[..., None].view(np.dtype("f%d" % (a.itemsize // 2)))


def empty_like(a: np.ndarray, dtype: np.dtype | None = None, memory_format: Any = None) -> np.ndarray:
    """torch's ``empty_like`` (preserve format): ``a``'s layout when its elements are dense and do not overlap
    (a permuted view), else dense strides ordering the dims as ``a``'s do (an expanded or sliced view), or C order
    (torch.contiguous_format asked for): where a random fill of it goes."""
    from .._ops.preserve_format import empty_like_array
    return empty_like_array(a, a.dtype if dtype is None else dtype, memory_format)
