"""The memory a tensor made "like" another gets (``clone`` and the ``*_like`` factories, whose default memory format
is ``torch.preserve_format``): torch's ``empty_like`` keeps the strides of a non-overlapping and dense input (a
transposed or permuted tensor), and gives any other input dense strides that order its dims as the input does."""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._device import contiguous_format
from .cpu_loops import iteration_order
from .dims import element_strides, strided


def _non_overlapping_and_dense(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """Whether the elements fill a block of memory exactly once (c10's rule: dims of size 0 or 1 are free; an
    empty tensor counts as contiguous, so whatever its strides, they are kept)."""
    if 0 in shape:
        return True
    if len(shape) == 1:
        return shape[0] < 2 or strides[0] == 1
    need = 1
    for d in sorted((d for d in range(len(shape)) if shape[d] > 1), key=lambda d: strides[d]):
        if strides[d] != need:
            return False
        need *= shape[d]
    return True


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
    if not _non_overlapping_and_dense(shape, strides):
        strides = tuple(_dense_strides_in_order(shape, strides))
    fresh = np.empty(shape, np_dtype)
    if fresh.size and element_strides(fresh) == strides:
        return fresh
    memory = np.empty(fresh.size, np_dtype) if fresh.size else fresh
    return strided(memory, shape, [s * memory.itemsize for s in strides])
