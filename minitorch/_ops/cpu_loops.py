"""Which elements torch's CPU pointwise loop computes with its vectorized body and which with its scalar lambda.

torch's kernels give TensorIterator two functions of the same op: a vectorized one and a scalar one. For float16
and bfloat16 the vectorized one computes in float32 and rounds once, but the scalar one is written in the dtype
itself, and where it takes more than one step (``1 / sqrt(x)``, ``self + alpha * other``, a Chebyshev series) each
step rounds: the two disagree in the last bits. Which one an element gets depends on the operands' layout only:

- TensorIterator orders the dimensions by the operands' strides (the fastest-moving innermost), merges those that
  are contiguous together, and runs the loop row by row over the innermost (merged) dimension;
- a row whose operands all advance one element at a time (or where one input stays put: a broadcast scalar) runs
  the vectorized body over blocks of two vectors (32 elements of a 16-bit float, 16 of a float, 8 of a double)
  and the scalar lambda over the rest; any other row runs the scalar lambda throughout;
- from ``GRAIN_SIZE`` elements on, the iteration is split among the intra-op threads, each chunk a loop of its own
  (with its own tail).

``scalar_lanes`` gives the mask of the elements the scalar lambda computes, for a kernel to overwrite them with
its scalar value (``on_scalar_lanes``).
"""
from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from .. import _threads

BLOCK_BYTES = 64  # one step of the vectorized loop: two 256-bit vectors (32 elements of a 16-bit float)
GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE: iterations from which TensorIterator runs in parallel


def iteration_order(shape: Sequence[int], strides: Sequence[Sequence[int]]) -> list:
    """The dimensions innermost first, as TensorIterator's reorder_dimensions sorts them: by the operands' strides
    (in order, skipping a broadcast operand), a tie going to the smaller dimension; otherwise kept as they are.
    With one operand, this is also c10's ``infer_dense_strides`` order."""
    def should_swap(d0: int, d1: int) -> int:
        for s in strides:
            s0, s1 = s[d0], s[d1]
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = list(range(len(shape) - 1, -1, -1))
    for i in range(1, len(perm)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            comparison = should_swap(perm[d0], perm[d1])
            if comparison > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif comparison < 0:
                break
    return perm


def scalar_lanes(shape: tuple, operands: Sequence[np.ndarray], itemsize: int = 2) -> np.ndarray | None:
    """Over ``shape``: True where torch's loop computes the element with its scalar lambda; None where no element
    is. ``operands``: the arrays the loop reads and writes in place (broadcast to ``shape``); an output torch
    allocates is laid out in the iteration order, contiguous, and needs no place here. ``itemsize``: the bytes
    of the loop's dtype."""
    block = BLOCK_BYTES // itemsize
    numel = int(np.prod(shape))
    if numel < block:
        return np.ones(shape, bool) if numel else None
    kept = [d for d, n in enumerate(shape) if n != 1]  # (size-1 dimensions merge with any neighbour)
    sizes = tuple(shape[d] for d in kept)
    strides = []
    for a in operands:
        s = np.broadcast_to(a, shape).strides
        strides.append([s[d] // a.itemsize for d in kept])
    perm = iteration_order(sizes, strides)
    # merge the innermost dimensions that are contiguous in every operand: the row the loop runs over
    row, inner = sizes[perm[0]], [s[perm[0]] for s in strides]
    for d in perm[1:]:
        if any(s[d] != row * i for s, i in zip(strides, inner)):
            break
        row *= sizes[d]
    contiguous = [i == 1 for i in inner]
    vectorized = all(contiguous) or (inner.count(0) == 1 and contiguous.count(False) == 1)
    if not vectorized:
        return np.ones(shape, bool)
    threads = _threads.get_num_threads()
    chunks = min(threads, -(-numel // GRAIN_SIZE)) if numel >= GRAIN_SIZE and threads > 1 else 1
    chunk = -(-numel // chunks)
    if row % block == 0 and chunk % row == 0 and chunk % block == 0:
        return None
    # each element's place in the iteration, then in its piece of a row (a row cut by a chunk boundary is two)
    step, place = 1, np.zeros(sizes, np.int64)
    for d in perm:
        index_shape = [1] * len(sizes)
        index_shape[d] = sizes[d]
        place = place + np.arange(sizes[d], dtype=np.int64).reshape(index_shape) * step
        step *= sizes[d]
    row_start = place - place % row
    chunk_start = place - place % chunk
    start = np.maximum(row_start, chunk_start)
    length = np.minimum(row_start + row, np.minimum(chunk_start + chunk, numel)) - start
    tail = (place - start) >= length - length % block
    return tail.reshape(shape)


def on_scalar_lanes(result: np.ndarray, operands: Sequence[np.ndarray], scalar: Callable,
                    inplace: Sequence[np.ndarray] = ()) -> np.ndarray:
    """``result`` (the vectorized body's values) with the elements torch's scalar lambda computes replaced by
    ``scalar(*operands)`` on those elements; ``operands`` are the kernel's inputs (arrays or numbers), ``inplace``
    its output when it writes into an operand."""
    arrays = [np.asarray(x) for x in operands]
    lanes = scalar_lanes(result.shape, arrays + [np.asarray(x) for x in inplace], result.itemsize)
    if lanes is None:
        return result
    picked = [np.broadcast_to(x, result.shape)[lanes] if x.ndim else x for x in arrays]
    result = np.array(result, copy=True) if not result.flags.writeable else result
    result[lanes] = scalar(*picked)
    return result
