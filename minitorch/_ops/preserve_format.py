"""The memory a tensor made "like" another gets (``clone`` and the ``*_like`` factories, whose default memory format
is ``torch.preserve_format``): torch's ``empty_like`` keeps the strides of a non-overlapping and dense input (a
transposed or permuted tensor), and gives any other input dense strides that order its dims as the input does."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._device import contiguous_format
from .cpu_loops import iteration_order
from .dims import element_strides, new_strided, strided
from .dims import non_overlapping_and_dense


def _dense_strides_in_order(shape: Sequence[int], strides: Sequence[int]) -> list[int]:
    """Dense strides ordering the dims as ``strides`` do (torch's ``infer_dense_strides``: its dims sorted as
    TensorIterator sorts one operand's)."""
    result, step = [0] * len(shape), 1
    for d in iteration_order(shape, [strides]):
        result[d] = step
        step *= shape[d] if shape[d] > 1 else 1
    return result


def empty_like_array(like: np.ndarray, np_dtype: np.dtype | type, memory_format: Any = None) -> np.ndarray:
    """An uninitialised array of ``like``'s shape in ``np_dtype``, laid out as torch's preserve_format (the default)
    lays out a tensor made like it, or in C order for torch.contiguous_format."""
    if memory_format is contiguous_format:
        return np.empty(like.shape, np_dtype)
    shape, strides = like.shape, element_strides(like)
    if not non_overlapping_and_dense(shape, strides):
        strides = tuple(_dense_strides_in_order(shape, strides))
    fresh = np.empty(shape, np_dtype)
    if fresh.size and element_strides(fresh) == strides:
        return fresh
    if not fresh.size:
        return strided(fresh, shape, [s * fresh.itemsize for s in strides])
    return new_strided(shape, strides, np_dtype)


def laid_out_like(like: np.ndarray, data: np.ndarray) -> np.ndarray:
    """``data`` (of ``like``'s shape) in the layout preserve_format gives a tensor made like ``like``: itself when it
    has it, else a copy."""
    laid_out = empty_like_array(like, data.dtype)
    if data.size and element_strides(laid_out) == element_strides(data):  # (an empty one: its strides are marked)
        return data
    np.copyto(laid_out, data)
    return laid_out
