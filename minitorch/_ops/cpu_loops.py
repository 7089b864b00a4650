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
its scalar value (``on_scalar_lanes``). The two also round a float32 NaN to bfloat16 differently
(``round_to_bfloat16``).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .. import _dtype as D, _threads
from ..backends.cpu import get_cpu_capability

BLOCK_BYTES = 64  # one step of the vectorized loop: two 256-bit vectors (32 elements of a 16-bit float)
# the step of a kernel whose vectorized body is compiled for AVX512: two 512-bit vectors on a CPU with AVX512; where
# the CPU has none, torch dispatches every kernel to its AVX2 build (measured: pow's float32 lanes on an AMD EPYC)
AVX512_BLOCK_BYTES = 128 if get_cpu_capability() == "AVX512" else BLOCK_BYTES
AVX512_BFLOAT16_BLOCK = AVX512_BLOCK_BYTES // 2  # (that step in bfloat16 elements)
GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE: iterations from which TensorIterator runs in parallel


def iteration_order(shape: Sequence[int], strides: Sequence[Sequence[int]], reduction: bool = False) -> list:
    """The dimensions innermost first, as TensorIterator's reorder_dimensions sorts them: by the operands' strides
    (in order, skipping a broadcast operand), a tie going to the smaller dimension; otherwise kept as they are.
    With one operand, this is also c10's ``infer_dense_strides`` order. ``reduction``: the first operand is a
    reduction's output, whose zero strides mark the reduced dimensions: they go first."""
    def should_swap(d0: int, d1: int) -> int:
        for k, s in enumerate(strides):
            s0, s1 = s[d0], s[d1]
            if reduction and k == 0 and (s0 == 0) != (s1 == 0):
                return 1 if s1 == 0 else -1
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


class _Rows:
    """How torch's loop runs over ``shape``: the dimensions in iteration order, the row (the innermost dimensions
    merged) and its kind (``"contiguous"``: every operand advances one element at a time; ``"broadcast"``: one
    input stays put, the rest advance one at a time; ``"strided"``), and the thread chunk."""

    def __init__(self, shape: tuple, operands: Sequence[np.ndarray]) -> None:
        self.shape, self.numel = shape, int(np.prod(shape))
        kept = [d for d, n in enumerate(shape) if n != 1]  # (size-1 dimensions merge with any neighbour)
        self.sizes = tuple(shape[d] for d in kept)
        strides = []
        for a in operands:
            s = np.broadcast_to(a, shape).strides
            strides.append([s[d] // a.itemsize for d in kept])
        self.perm = iteration_order(self.sizes, strides)
        # merge the innermost dimensions that are contiguous in every operand: the row the loop runs over
        row, inner = (self.sizes[self.perm[0]], [s[self.perm[0]] for s in strides]) if kept else (1, [1] * len(strides))
        for d in self.perm[1:]:
            if any(s[d] != row * i for s, i in zip(strides, inner)):
                break
            row *= self.sizes[d]
        self.row = row
        contiguous = [i == 1 for i in inner]
        self.kind = "contiguous" if all(contiguous) else "broadcast" if (
            inner.count(0) == 1 and contiguous.count(False) == 1) else "strided"
        threads = _threads.get_num_threads()
        chunks = min(threads, -(-self.numel // GRAIN_SIZE)) if self.numel >= GRAIN_SIZE and threads > 1 else 1
        self.chunk = -(-self.numel // chunks)
        self._pieces: tuple[np.ndarray, np.ndarray] | None = None

    def order(self) -> np.ndarray:
        """Each element's index in the loop's order (over ``shape``)."""
        step, place = 1, np.zeros(self.sizes, np.int64)
        for d in self.perm:
            index_shape = [1] * len(self.sizes)
            index_shape[d] = self.sizes[d]
            place = place + np.arange(self.sizes[d], dtype=np.int64).reshape(index_shape) * step
            step *= self.sizes[d]
        return place.reshape(self.shape)

    def pieces(self) -> tuple[np.ndarray, np.ndarray]:
        """Each element's place in its piece of a row (a row cut by a chunk boundary is two), and that piece's
        length."""
        place = self.order().reshape(self.sizes)
        row_start = place - place % self.row
        chunk_start = place - place % self.chunk
        start = np.maximum(row_start, chunk_start)
        length = np.minimum(row_start + self.row, np.minimum(chunk_start + self.chunk, self.numel)) - start
        return (place - start).reshape(self.shape), length.reshape(self.shape)


def scalar_lanes(shape: tuple, operands: Sequence[np.ndarray], itemsize: int = 2,
                 block_bytes: int = BLOCK_BYTES) -> np.ndarray | None:
    """Over ``shape``: True where torch's loop computes the element with its scalar lambda; None where no element
    is. ``operands``: the arrays the loop reads and writes in place (broadcast to ``shape``); an output torch
    allocates is laid out in the iteration order, contiguous, and needs no place here. ``itemsize``: the bytes
    of the loop's dtype. ``block_bytes``: the bytes of one step of the kernel's vectorized loop (two 512-bit vectors
    where its vectorized body is compiled for AVX512: elu's backward, measured)."""
    return _scalar_lanes_and_rows(shape, operands, itemsize, block_bytes)[0]


def _scalar_lanes_and_rows(shape: tuple, operands: Sequence[np.ndarray], itemsize: int,
                           block_bytes: int) -> tuple[np.ndarray | None, _Rows | None]:
    """``scalar_lanes``, and the ``_Rows`` it looked at (None where the shape alone decided)."""
    block = block_bytes // itemsize
    numel = int(np.prod(shape))
    if numel < block:
        return (np.ones(shape, bool) if numel else None), None
    rows = _Rows(shape, operands)
    if rows.kind == "strided":
        return np.ones(shape, bool), rows
    if rows.row % block == 0 and rows.chunk % rows.row == 0 and rows.chunk % block == 0:
        return None, rows
    place, length = rows.pieces()
    return place >= length - length % block, rows


# A float32 NaN rounded to bfloat16 by the vectorized conversion (whatever its sign and payload: vec512_bfloat16.h's
# cvtfp32_bf16 blends in 0xffff where the value is unordered); the scalar lambda's is c10's (``D.BFLOAT16_C10_NAN``)
VECTORIZED_BFLOAT16_NAN = 0xFFFF


def round_to_bfloat16(values: np.ndarray, scalar: bool | Sequence[np.ndarray] = False, block: int = 32) -> np.ndarray:
    """float32 ``values`` rounded to bfloat16 as torch's loop rounds its kernel's float32 results: to nearest, ties
    to even (ml_dtypes' cast), a NaN 0xFFFF where the vectorized body converts it and 0x7FC0 where the scalar lambda
    does (ml_dtypes keeps a NaN's sign). ``scalar``: True where the scalar lambda converts every element, False
    where the vectorized body does (tail included), or the operands ``scalar_lanes`` tells the lanes by, with
    ``block`` elements a step of the vectorized body."""
    rounded = np.asarray(values.astype(D.bfloat16.np))
    nan = np.isnan(values)
    if not nan.any():
        return rounded
    rounded.view(np.uint16)[nan] = VECTORIZED_BFLOAT16_NAN
    lanes = scalar if isinstance(scalar, bool) else scalar_lanes(rounded.shape, scalar, block_bytes=2 * block)
    return rounded if lanes is None or lanes is False else D.bfloat16_c10_nans(rounded, values, lanes)


def fused_complex_lanes(shape: tuple, operands: Sequence[np.ndarray], itemsize: int,
                        scaled_add: bool = False) -> np.ndarray | None:
    """Over ``shape``: True where torch's complex multiplication runs fused (``fma``), as the compiler vectorized
    the scalar loop of torch 2.13's AVX512 build (measured: the vectorized body and the loop's 512-bit blocks
    multiply and subtract, its narrower epilogue fuses); None where no element is. ``itemsize``: 8 (complex64)
    or 16 (complex128). ``scaled_add``: the product ``alpha * other`` of add's kernel, whose contiguous complex64
    epilogue differs from mul's."""
    rows = _Rows(shape, operands)
    kind, block = rows.kind, 64 // itemsize
    if not rows.numel or kind != "strided" and rows.row % block == 0 and rows.chunk % rows.row == 0:
        return None
    place, length = rows.pieces()
    if itemsize == 16:  # blocks of 4 unfused, the rest fused; a strided row fused throughout
        return np.ones(shape, bool) if kind == "strided" else place >= length - length % 4
    rest, blocked = length % 8, length - length % 8
    if kind == "strided":  # pairs fused, an odd last element not
        return place < length - length % 2
    if kind == "broadcast":  # a remainder of 5 to 7: one unfused, four fused, the rest unfused
        return (rest >= 5) & (place > blocked) & (place <= blocked + 4)
    if scaled_add:  # a remainder of 4 to 7: its first four fused
        return (rest >= 4) & (place >= blocked) & (place < blocked + 4)
    return (place >= blocked) & (place < blocked + rest - rest % 2)


def fused_power_lanes(shape: tuple, operands: Sequence[np.ndarray], itemsize: int,
                      in_fours: bool = False) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Over ``shape``: True where torch's complex ``pow`` by 2, 3 or -2 multiplies fused, as the compiler built the
    scalar lambda of torch 2.13's AVX512 build (measured): the elements past the vectorized body's 128-byte blocks
    (a strided row: all of it); and, with ``in_fours`` (complex64's cube, whose second product fuses fewer), those of
    them in whole groups of four, the last ``length % 4`` not, or on a row of one broadcast element only the tail's
    first, or its first nine where it has nine or more (else the same lanes again). None where no element is."""
    lanes, rows = _scalar_lanes_and_rows(shape, operands, itemsize, AVX512_BLOCK_BYTES)
    if lanes is None or not in_fours:
        return lanes, lanes
    rows = rows or _Rows(shape, operands)
    place, length = rows.pieces()
    if rows.kind != "strided":  # (the tail of each row: its place and length)
        block = AVX512_BLOCK_BYTES // itemsize
        tail_start = length - length % block
        place, length = place - tail_start, length % block
    if rows.kind == "broadcast":
        return lanes, lanes & ((place == 0) | ((length >= 9) & (place < 9)))
    return lanes, lanes & (place < length - length % 4)


def by_lanes(vectorized: Callable, scalar: Callable, operands: Sequence[Any], itemsize: int,
             block_bytes: int = BLOCK_BYTES) -> np.ndarray:
    """A kernel's result as torch's loop computes it: ``vectorized(*operands)`` on the elements its vectorized body
    computes, ``scalar(*operands)`` on those of its scalar lambda (``scalar_lanes``), each called on its own elements
    only (for a costly emulation of either). ``operands``: arrays (broadcast) or numbers; ``itemsize``: the bytes of
    the loop's dtype; ``block_bytes`` as ``scalar_lanes``'."""
    arrays = [np.asarray(x) for x in operands]
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    lanes = scalar_lanes(shape, arrays, itemsize, block_bytes)
    if lanes is None:
        return np.asarray(vectorized(*arrays))
    if lanes.all():
        return np.asarray(scalar(*arrays))

    def picked(where: np.ndarray) -> list:
        return [np.broadcast_to(a, shape)[where] if a.ndim else a for a in arrays]
    vector_values = np.asarray(vectorized(*picked(~lanes)))
    result = np.empty(shape, vector_values.dtype)
    result[~lanes] = vector_values
    result[lanes] = scalar(*picked(lanes))
    return result


def on_scalar_lanes(result: np.ndarray, operands: Sequence[np.ndarray], scalar: Callable,
                    inplace: Sequence[np.ndarray] = (), block_bytes: int = BLOCK_BYTES) -> np.ndarray:
    """``result`` (the vectorized body's values) with the elements torch's scalar lambda computes replaced by
    ``scalar(*operands)`` on those elements; ``operands`` are the kernel's inputs (arrays or numbers), ``inplace``
    its output when it writes into an operand, ``block_bytes`` as ``scalar_lanes``'."""
    arrays = [np.asarray(x) for x in operands]
    lanes = scalar_lanes(result.shape, arrays + [np.asarray(x) for x in inplace], result.itemsize, block_bytes)
    if lanes is None:
        return result
    picked = [np.broadcast_to(x, result.shape)[lanes] if x.ndim else x for x in arrays]
    result = np.array(result, copy=True) if not result.flags.writeable else result
    result[lanes] = scalar(*picked)
    if result.dtype == D.bfloat16.np:  # (c10's conversion of a NaN the lambda makes)
        return D.bfloat16_c10_nans(result, result, lanes)
    return result


def complex_lerp_lanes(shape: tuple, operands: Sequence[np.ndarray], itemsize: int) -> tuple[np.ndarray, np.ndarray]:
    """How torch 2.13's AVX512 lerp kernel computes each complex element over ``shape`` (measured): the first
    mask is True where it multiplies unfused (the vectorized body, and the compiler's 512-bit blocks of the scalar
    loop's tail: a row's elements before its last ``length % 8`` of complex64, ``length % 4`` of complex128; none
    of a strided row), False where fused. The second array gives, for each element, the flat index (over
    ``shape``) of the element whose weight chooses its branch: itself, except on complex64's unfused lanes, where
    an odd element takes its even neighbour's (the vectorized ``blendv`` widens a mask made per float lane
    ``xy -> xxyy``, while ``is_lerp_weight_small`` set it per complex element)."""
    rows = _Rows(shape, operands)
    own = np.arange(rows.numel).reshape(shape)
    if not rows.numel or rows.kind == "strided":
        return np.zeros(shape, bool), own
    place, length = rows.pieces()
    unfused = place < length - length % (64 // itemsize)
    if itemsize != 8:
        return unfused, own
    by_order = np.empty(rows.numel, np.int64)
    order = rows.order()
    by_order[order.ravel()] = own.ravel()
    return unfused, np.where(unfused, by_order[order - place % 2], own)
