"""The layout of an elementwise op's result: torch's TensorIterator allocates it from its operands' strides.

NumPy's ufuncs lay a result out by their own rule (``order="K"``): where the operands disagree they keep C order,
and a broadcast (0-stride) dimension goes innermost. TensorIterator's rule (``compute_fast_setup_type``,
``reorder_dimensions``, ``allocate_or_resize_outputs``):

- operands of the result's shape, all contiguous: a contiguous result; all channels-last (4-d): channels-last; all
  non-overlapping and dense with the same strides: those strides;
- otherwise the dimensions are sorted by the operands' strides, the first operand deciding, a broadcast dimension
  ignored (``cpu_loops.iteration_order``), and the result is dense in that order.

The two agree whenever every operand is C-contiguous, and either all have the result's shape (the fast setup) or
none has a dimension of size 1 (whose stride NumPy's flag lets be anything, and which then takes part in the sort:
``x * 2`` of an ``x`` of shape (1, 3, 1, 4) and strides (7, 4, 99, 1) has strides (12, 4, 12, 1), ``x.exp()``
(12, 4, 4, 1)); a hot path checks that before calling ``torch_layout``.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .._tensor import Tensor
from ..autograd.recording import OpDef, record
from .cpu_loops import iteration_order
from .dims import element_strides, new_strided, non_overlapping_and_dense

_CHANNELS_LAST_ORDER = (0, 2, 3, 1)  # a channels-last 4-d tensor's dims, outermost first


def dense_in_order(shape: Sequence[int], order: Sequence[int]) -> tuple[int, ...]:
    """Dense strides with the dims ``order`` lists outermost first (a size-1 dim's stride is its inner neighbours'
    product, as torch's)."""
    strides, step = [0] * len(shape), 1
    for d in reversed(order):
        strides[d] = step
        step *= shape[d]
    return tuple(strides)


def _channels_last(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """c10's ``is_contiguous(channels_last)`` of a 4-d tensor (dims of size 1 are free)."""
    expected = 1
    for d in (1, 3, 2, 0):
        if shape[d] != 1:
            if strides[d] != expected:
                return False
            expected *= shape[d]
    return True


def _operand_strides(shape: tuple, arr: np.ndarray) -> list[int]:
    """An operand's strides over the result's ``shape`` as TensorIterator's ``compute_strides`` takes them: 0 for a
    dim it is broadcast along (missing, or of size 1 where the result's is not), its own elsewhere."""
    own = element_strides(arr)
    offset = len(shape) - arr.ndim
    return [0] * offset + [0 if n == 1 and shape[offset + i] != 1 else own[i] for i, n in enumerate(arr.shape)]


def result_strides(shape: tuple, operands: Sequence[Any]) -> tuple[int, ...]:
    """The strides (in elements) torch gives the result of shape ``shape`` of an elementwise op on ``operands`` (its
    tensor operands' arrays, in order; a Python number torch wraps as a 0-d operand, which only takes the fast setup
    away, given as any non-array)."""
    arrays = [a for a in operands if isinstance(a, np.ndarray)]
    if len(arrays) == len(operands) and all(a.shape == shape for a in arrays):  # compute_fast_setup_type
        strides = [element_strides(a) for a in arrays]
        if all(a.flags.c_contiguous for a in arrays):
            return dense_in_order(shape, range(len(shape)))
        if len(shape) == 4 and all(_channels_last(shape, s) for s in strides):
            return dense_in_order(shape, _CHANNELS_LAST_ORDER)
        if all(s == strides[0] for s in strides) and non_overlapping_and_dense(shape, strides[0]):
            return tuple(strides[0])
    perm = iteration_order(shape, [_operand_strides(shape, a) for a in arrays])
    return dense_in_order(shape, perm[::-1])


def _c_order_is_torchs(operands: Sequence[Any]) -> bool:
    """Whether torch lays out the result of these operands (arrays, or numbers) in C order, as NumPy does, told
    without sorting: all C-contiguous, and all of one shape or none with a size-1 dim (see above)."""
    arrays = [a for a in operands if isinstance(a, np.ndarray)]
    if not all(a.flags.c_contiguous for a in arrays):
        return False
    if all(1 not in a.shape for a in arrays):
        return True
    return len(arrays) == len(operands) and all(a.shape == arrays[0].shape for a in arrays)


def torch_layout(result: np.ndarray, operands: Sequence[Any]) -> np.ndarray:
    """``result`` (an elementwise op's, computed by NumPy) in the layout torch gives it (``result_strides``): a copy
    where NumPy's differs. An empty result keeps its own (its strides are set where arrays become tensors), and so
    does the result of operands torch lays out in C order as NumPy."""
    if result.size == 0 or result.ndim < 2 or _c_order_is_torchs(operands):
        return result
    return with_strides(result, result_strides(result.shape, operands))


def contiguous(result: Any) -> np.ndarray:
    """``result`` (an array or a NumPy scalar) laid out as a tensor torch allocates contiguous: C order, each size-1
    dim's stride the product of the sizes inside it (NumPy's C-contiguity flag lets a size-1 dim's stride be
    anything, and its ufuncs and reductions keep an operand's order): a copy where the layout differs."""
    if type(result) is not np.ndarray:
        result = np.asarray(result)
    if not result.size or not result.ndim or result.flags.c_contiguous and 1 not in result.shape:
        return result  # (C-contiguous without a size-1 dim: its strides are C order's)
    return with_strides(result, dense_in_order(result.shape, range(result.ndim)))


def with_strides(result: np.ndarray, strides: tuple[int, ...]) -> np.ndarray:
    """``result`` with these (dense) strides: itself when it has them, else a copy."""
    if element_strides(result) == strides:
        return result
    laid_out = new_strided(result.shape, strides, result.dtype)
    np.copyto(laid_out, result)
    return laid_out


def _suggests_channels_last(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """c10's ``is_channels_last_strides_2d`` of a 4-d tensor (``suggest_memory_format``): C, W, H, N in increasing
    strides, ambiguous cases (a 0 channel stride, N111) going to contiguous."""
    if strides[1] == 0:
        return False
    least = 0
    for d in (1, 3, 2, 0):
        if shape[d] == 0 or strides[d] < least or d == 0 and least == strides[1]:
            return False
        least = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return True


def suggests_channels_last(like: np.ndarray) -> bool:
    """Whether torch's ``suggest_memory_format`` of a tensor over ``like`` is channels-last (a 4-d one's strides)."""
    return like.ndim == 4 and _suggests_channels_last(like.shape, element_strides(like))


def in_suggested_format(result: np.ndarray, like: np.ndarray) -> np.ndarray:
    """``result`` laid out in the memory format torch suggests for ``like`` (an op allocating its result with
    ``like.suggest_memory_format()``, as roll): channels-last for a 4-d ``like`` whose strides suggest it, else
    contiguous."""
    return in_common_suggested_format(result, (like,))


def in_common_suggested_format(result: np.ndarray, likes: Sequence[np.ndarray]) -> np.ndarray:
    """``result`` in the memory format torch suggests for every one of ``likes`` (cat's
    ``compute_output_memory_format``): channels-last where each is a 4-d array whose strides suggest it, else
    contiguous."""
    if result.size and all(suggests_channels_last(like) for like in likes):
        return with_strides(result, dense_in_order(result.shape, _CHANNELS_LAST_ORDER))
    return contiguous(result)


def record_elementwise(op: OpDef, data: np.ndarray, inputs: tuple, attrs: dict | None = None) -> Tensor:
    """``record`` of an elementwise op whose tensor ``inputs`` are TensorIterator's operands, in order (its numbers
    are the kernel's arguments), its result laid out as torch's."""
    return record(op, torch_layout(data, [x._data for x in inputs if isinstance(x, Tensor)]), inputs, attrs)
