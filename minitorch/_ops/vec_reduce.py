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

from typing import Any

import numpy as np

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



# ---- RowwiseMoments (ATen/native/cpu/moments_utils.h): the mean and variance of layer and group norm's rows ----------
_CHUNK = 16  # kChunkSize: the vectors of one Welford pass, before it is merged into the cascade
_RECIPROCALS = [np.float32(1) / np.float32(j + 1) for j in range(_CHUNK)]
_Moments = list[Any]  # [count, m1, m2]: a count of values, their mean and sum of squared deviations


def _added_moments(add: _Moments, into: _Moments) -> _Moments:
    """AddMoments: the moments ``add`` merged into ``into`` (the products contracted into fused multiply-adds)."""
    count_add, m1_add, m2_add = add
    count, m1, m2 = into
    total = count + count_add
    c = np.float32(0) if total == 0 else np.float32(count_add) / np.float32(total)
    delta = m1_add - m1
    return [total, fma(c, delta, m1), m2 + fma(delta * delta * c, np.float32(count), m2_add)]


def rowwise_moments(x: np.ndarray, fused_tail: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each row's mean and biased variance (``x``: float32 values of a float16/bfloat16 tensor, rows x n > 0) as
    torch's ``RowwiseMoments`` computes them in float32 (its AVX2 build): each 16-element vector read as two float
    vectors, Welford's update per lane over chunks of 16 vectors, the chunks' moments merged in a cascade (a binary
    counter), the elements past the last whole vector added one by one (``fused_tail``: float16's build contracts
    that update into a fused multiply-add, bfloat16's does not), then each lane's moments merged into theirs.

    Measured against torch: exact for rows of fewer than 32 elements; from two vectors on, the variance differs in
    the last float32 bit for a few rows in ten (the vectors' merge is not fully reproduced) and from 300 elements
    the mean for a few rows in a hundred -- still far closer than a two-pass variance."""
    rows, n = x.shape
    lanes, width = AVX2_LANES, 2 * AVX2_LANES
    vectors = n // width
    chunks = -(-vectors // _CHUNK)
    depth = max(chunks - 1, 0).bit_length()  # CeilLog2
    empty = [0, np.zeros((rows, lanes), np.float32), np.zeros((rows, lanes), np.float32)]
    # (a single chunk has depth 0, yet its moments go to slot 0: the stack's inline storage)
    stack: list[_Moments] = [empty] * max(depth, 1)
    for i in range(chunks):
        count = min(_CHUNK, vectors - i * _CHUNK)
        for half in (0, 1):  # the vector's two float halves, each its own accumulators
            m1, m2 = empty[1:]
            for j in range(count):
                start = (i * _CHUNK + j) * width + half * lanes
                values = x[:, start:start + lanes]
                delta = values - m1
                m1 = fma(delta, _RECIPROCALS[j], m1)
                m2 = fma(delta, values - m1, m2)
            stack[0] = _added_moments([count, m1, m2], stack[0])
        level, mask = 1, i + 1
        while level < depth and mask & 1 == 0:
            stack[level], stack[level - 1] = _added_moments(stack[level - 1], stack[level]), empty
            level, mask = level + 1, mask >> 1
    for level in range(1, depth):
        stack[0] = _added_moments(stack[level], stack[0])
    moments: _Moments = [0, np.zeros(rows, np.float32), np.zeros(rows, np.float32)]
    for i in range(vectors * width, n):
        count, m1, m2 = moments
        delta = x[:, i] - m1
        m1 = m1 + delta / np.float32(count + 1)
        moments = [count + 1, m1, fma(delta, x[:, i] - m1, m2) if fused_tail else m2 + delta * (x[:, i] - m1)]
    for lane in range(lanes):
        moments = _added_moments([2 * vectors, stack[0][1][:, lane], stack[0][2][:, lane]], moments)
    return moments[1], moments[2] / np.float32(n)
