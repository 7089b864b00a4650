"""Sums in the order torch's vectorized reductions add (``at::vec::reduce_all`` and its map variants for float16 and
bfloat16 data: ATen/cpu/vec/functional_bfloat16.h), for fused kernels whose float32 sums must agree bit for bit.

A reduced float row is read in blocks of two float vectors (``2 * lanes`` elements): the first block seeds two
accumulators, each later block adds into them lane by lane, a partial last block adds into its lanes only; the two
accumulators are then added and the lanes summed by halves (the vector's shuffles: lane ``i`` with lane
``i + lanes / 2``, and so on down to one). A row shorter than one block is summed lane by lane in order (its second
vector's lanes first added into the first's) -- the "slow path" of ``vec_reduce_all`` with a size.

Where each term is a product (``map2_reduce_all(x * y, +)``), GCC contracts the product and the accumulator's
addition into one fused multiply-add (``-ffp-contract=fast``): the product is not rounded on its own.

``lanes`` is the width of a float vector in the kernel's build: 8 where the kernel is registered without an AVX512
variant (``REGISTER_DISPATCH``: the AVX2 kernel runs on an AVX512 CPU too).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .fused import fused_multiply_add

AVX2_LANES = 8  # floats in a 256-bit vector


def fma(a: Any, b: Any, c: Any) -> np.ndarray:
    """float32 ``a * b + c`` rounded once (the product of two float32s is exact in float64; the float64 sum rounds
    again only in ties of a double rounding, which float32 inputs of a kernel practically never reach)."""
    return (np.asarray(a, np.float64) * b + c).astype(np.float32)


def _halves_summed(acc: np.ndarray) -> np.ndarray:
    """``vec_reduce_all`` of full vectors (``acc``: rows x lanes): the shuffled halves added down to one lane."""
    while acc.shape[1] > 1:
        half = acc.shape[1] // 2
        acc = acc[:, :half] + acc[:, half:]
    return acc[:, 0]


def _in_order(acc: np.ndarray, count: int) -> np.ndarray:
    """``vec_reduce_all`` with a size: the first ``count`` lanes added one after another."""
    total = acc[:, 0].copy()
    for i in range(1, count):
        total += acc[:, i]
    return total


def reduced_float_sums(terms: np.ndarray, factor: np.ndarray | None = None, lanes: int = AVX2_LANES,
                       short_by_halves: bool = False) -> np.ndarray:
    """Each row's sum of ``terms`` (float32, rows x n), or of ``terms * factor`` with each product fused into its
    addition, in the order torch's ``reduce_all``/``map*_reduce_all`` of a float16 or bfloat16 row adds them.
    ``short_by_halves``: a row of one to two vectors ends summed by halves (layer norm's mixed-dtype kernel inlines
    it so), not lane by lane."""
    terms = np.asarray(terms, np.float32)
    factor = None if factor is None else np.broadcast_to(np.asarray(factor, np.float32), terms.shape)
    rows, n = terms.shape

    def term(start: int, stop: int) -> np.ndarray:
        return terms[:, start:stop].copy() if factor is None else terms[:, start:stop] * factor[:, start:stop]

    def added(acc: np.ndarray, start: int, stop: int) -> np.ndarray:
        if factor is None:
            return acc + terms[:, start:stop]
        return fma(terms[:, start:stop], factor[:, start:stop], acc)

    block = 2 * lanes
    if n < block:
        first = np.zeros((rows, lanes), np.float32)
        first[:, :min(n, lanes)] = term(0, lanes)
        if n <= lanes:
            return _in_order(first, n) if n else np.zeros(rows, np.float32)
        first[:, :n - lanes] = added(first[:, :n - lanes], lanes, n)
        return _halves_summed(first) if short_by_halves else _in_order(first, lanes)
    acc0, acc1 = term(0, lanes), term(lanes, block)
    whole = n - n % block
    for start in range(block, whole, block):
        acc0, acc1 = added(acc0, start, start + lanes), added(acc1, start + lanes, start + block)
    rest = n - whole
    if rest > lanes:
        acc0 = added(acc0, whole, whole + lanes)
        acc1[:, :rest - lanes] = added(acc1[:, :rest - lanes], whole + lanes, n)
    elif rest:
        acc0[:, :rest] = added(acc0[:, :rest], whole, n)
    return _halves_summed(acc0 + acc1)



def vector_sums(terms: np.ndarray, factors: np.ndarray | None = None) -> np.ndarray:
    """Each row's sum of ``terms`` (float32 or float64, rows x n), or of the products ``terms * factors``, in the order
    torch's ``reduce_all``/``map2_reduce_all`` of that dtype adds them (its AVX2 build: vectors of 8 floats or 4
    doubles): the first vector's terms, each later whole vector's added lane by lane (GCC leaves the loop's product
    and sum apart), a partial last vector's product fused into its lanes' addition; then the lanes summed (float's
    shuffles by halves; double's, without a specialization, in order). A row shorter than a vector is summed in
    order."""
    rows, n = terms.shape
    lanes = AVX2_LANES * 4 // terms.dtype.itemsize

    def term(start: int, stop: int) -> np.ndarray:
        return terms[:, start:stop].copy() if factors is None else terms[:, start:stop] * factors[:, start:stop]

    if n < lanes:
        return _in_order(term(0, n), n) if n else np.zeros(rows, terms.dtype)
    acc = term(0, lanes)
    whole = n - n % lanes
    for start in range(lanes, whole, lanes):
        acc += term(start, start + lanes)
    if whole < n:
        rest = acc[:, :n - whole]
        acc[:, :n - whole] = rest + terms[:, whole:] if factors is None else \
            fused_in(terms.dtype)(terms[:, whole:], factors[:, whole:], rest)
    return _halves_summed(acc) if terms.dtype == np.float32 else _in_order(acc, lanes)


# (a Python step per vector: longer rows keep NumPy's pairwise sum)
TWO_NORM_ROW_LIMIT = 4096
_TAIL_UNROLL = 4  # the scalar tail's unrolled steps


def two_norms(rows: np.ndarray) -> np.ndarray | None:
    """Each row's 2-norm (float32 or float64, rows x n, n up to ``TWO_NORM_ROW_LIMIT``) as torch's norm kernel over a
    contiguous last dim computes it (``norm_kernel_tensor_iterator_impl``'s vectorized path, its AVX2 build;
    measured): a vector of accumulators from 0, each whole vector's squares added lane by lane (unfused), its
    lanes added in order, then the rest of the row: in fours the compiler unrolled (squares rounded, added in
    order), the last few fused into the sum one by one; the root of it. None for longer rows."""
    count, n = rows.shape
    if n > TWO_NORM_ROW_LIMIT:
        return None
    lanes = AVX2_LANES * 4 // rows.dtype.itemsize
    acc = np.zeros((count, lanes), rows.dtype)
    whole = n - n % lanes
    for start in range(0, whole, lanes):
        vector = rows[:, start:start + lanes]
        acc += vector * vector
    total = _in_order(acc, lanes)
    unrolled = whole + (n - whole) // _TAIL_UNROLL * _TAIL_UNROLL
    for k in range(whole, unrolled):
        total += rows[:, k] * rows[:, k]
    fused = fused_in(rows.dtype)
    for k in range(unrolled, n):
        total = fused(rows[:, k], rows[:, k], total)
    return np.sqrt(total)


# ---- RowwiseMoments (ATen/native/cpu/moments_utils.h): the mean and variance of layer and group norm's rows ----------
_CHUNK = 16  # kChunkSize: the vectors of one Welford pass, before it is merged into the cascade
_Moments = list[Any]  # [count, m1, m2]: a count of values, their mean and sum of squared deviations


def fused_in(dtype: np.dtype) -> Callable[[Any, Any, Any], np.ndarray]:
    """``a * b + c`` rounded once in ``dtype`` (float32's through float64, whose double rounding float32 kernels
    practically never reach; float64's exactly)."""
    return fma if dtype == np.float32 else fused_multiply_add


def _merge_terms(add: _Moments, into: _Moments) -> tuple[int, Any, np.ndarray, type]:
    """The merged count, the share ``c`` of ``add``'s, the difference of the means and their scalar type (both
    AddMoments forms start so)."""
    total = into[0] + add[0]
    dtype = add[1].dtype.type
    return total, dtype(0) if total == 0 else dtype(add[0]) / dtype(total), add[1] - into[1], dtype


def _added_vectors(add: _Moments, into: _Moments) -> _Moments:
    """AddMomentsVec: vectors of moments ``add`` merged into ``into`` (torch's formula: the two products rounded,
    then one explicit fused multiply-add)."""
    total, c, delta, dtype = _merge_terms(add, into)
    c_delta = c * delta
    return [total, into[1] + c_delta, fused_in(add[1].dtype)(delta * dtype(into[0]), c_delta, into[2] + add[2])]


def _added_moments(add: _Moments, into: _Moments) -> _Moments:
    """AddMoments: scalars (per row) of moments ``add`` merged into ``into``, the products contracted into fused
    multiply-adds as the build compiles the scalar formula."""
    total, c, delta, dtype = _merge_terms(add, into)
    fused = fused_in(add[1].dtype)
    return [total, fused(c, delta, into[1]), into[2] + fused(delta * delta * c, dtype(into[0]), add[2])]


def _fused_into(a: np.ndarray, b: Any, acc: np.ndarray, scratch: np.ndarray | None) -> None:
    """``acc = a * b + acc`` rounded once, in place (float32 through the float64 ``scratch``, as ``fma``)."""
    if scratch is None:
        acc[...] = fused_multiply_add(a, b, acc)
    else:
        np.multiply(a, b, out=scratch, dtype=np.float64)
        np.add(scratch, acc, out=acc, casting="unsafe")  # (added in float64, rounded into acc)


def _chunk_moments(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """UpdateMomentsVec's Welford pass over each chunk (``vectors``: rows x chunks x steps x lanes), every chunk's
    lanes from 0: the mean and sum of squared deviations (rows x chunks x lanes)."""
    dtype = vectors.dtype.type
    steps = np.moveaxis(vectors, 2, 0).copy()  # (each step's vectors contiguous)
    m1, m2 = np.zeros(steps.shape[1:], dtype), np.zeros(steps.shape[1:], dtype)
    scratch = np.empty(m1.shape, np.float64) if dtype is np.float32 else None
    for j, values in enumerate(steps):
        delta = values - m1
        _fused_into(dtype(1) / dtype(j + 1), delta, m1, scratch)
        _fused_into(delta, values - m1, m2, scratch)
    return m1, m2


def rowwise_moments(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's mean and biased variance (``x``: rows x n > 0 of float16, bfloat16, float32 or float64) as torch's
    ``RowwiseMoments`` computes them (its AVX2 build; float16/bfloat16 in float32), bit for bit: vectors of the
    input's dtype (16 reduced floats, each read as two float vectors with accumulators of their own; 8 floats; 4
    doubles), Welford's update per lane over chunks of 16 vectors, each chunk's moments merged into a cascade (a
    binary counter), the elements past the last whole vector added one by one (float16's build contracts that
    update into a fused multiply-add), then each lane's moments merged into theirs.

    The chunks start from zero, so their Welford passes run side by side: 16 steps of NumPy calls for any n."""
    reduced = x.dtype in (np.float16, D.bfloat16.np)
    fused_tail = x.dtype == np.float16
    acc = np.dtype(np.float32) if reduced else x.dtype
    x = x.astype(acc, copy=False)
    rows, n = x.shape
    lanes = AVX2_LANES * 4 // acc.itemsize
    width = 2 * lanes if reduced else lanes
    vectors = n // width
    chunks = -(-vectors // _CHUNK)
    depth = max(chunks - 1, 0).bit_length()  # CeilLog2
    empty = [0, np.zeros((rows, lanes), acc), np.zeros((rows, lanes), acc)]
    # (a single chunk has depth 0, yet its moments go to slot 0: the stack's inline storage)
    stack: list[_Moments] = [empty] * max(depth, 1)
    whole = vectors - vectors % _CHUNK
    parts = []  # (each chunk's moments: the whole chunks' Welford passes together, then the partial one)
    if whole:
        parts.append((_CHUNK, _chunk_moments(x[:, :whole * width].reshape(rows, whole // _CHUNK, _CHUNK, -1))))
    if vectors > whole:
        partial = x[:, whole * width:vectors * width].reshape(rows, 1, vectors - whole, -1)
        parts.append((vectors - whole, _chunk_moments(partial)))
    i = 0
    for count, (m1s, m2s) in parts:
        for k in range(m1s.shape[1]):
            for half in range(width // lanes):  # (a reduced float's two float vectors merge one after the other)
                part = slice(half * lanes, (half + 1) * lanes)
                stack[0] = _added_vectors([count, m1s[:, k, part], m2s[:, k, part]], stack[0])
            level, mask = 1, i + 1
            while level < depth and mask & 1 == 0:
                stack[level], stack[level - 1] = _added_vectors(stack[level - 1], stack[level]), empty
                level, mask = level + 1, mask >> 1
            i += 1
    for level in range(1, depth):
        stack[0] = _added_vectors(stack[level], stack[0])
    moments: _Moments = [0, np.zeros(rows, acc), np.zeros(rows, acc)]
    dtype = acc.type
    for i in range(vectors * width, n):
        count, m1, m2 = moments
        delta = x[:, i] - m1
        m1 = m1 + delta / dtype(count + 1)
        moments = [count + 1, m1, fma(delta, x[:, i] - m1, m2) if fused_tail else m2 + delta * (x[:, i] - m1)]
    for lane in range(lanes):
        moments = _added_moments([vectors * width // lanes, stack[0][1][:, lane], stack[0][2][:, lane]], moments)
    return moments[1], moments[2] / dtype(n)
