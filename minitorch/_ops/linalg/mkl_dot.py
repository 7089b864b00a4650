"""float32 and float64 dot products added in the order of torch's CPU build, bit for bit.

torch's ``dot`` (and ``vdot`` of real vectors) calls BLAS ``?dot`` for every size (``dot_impl`` in
ATen/native/BlasKernel.cpp); its wheel's BLAS is MKL, whose kernel on this AMD CPU works on 16-byte vectors
(``lanes``: 4 floats or 2 doubles), multiplies and adds without FMA, and depends on the operands' addresses.
Measured (a huge product and its negation among ones tell which products each partial sum holds, for every pair;
then random vectors of every size to 10,000 at every alignment):
  * a strided operand (an element stride other than 1, a single element excepted): one sum in order for floats; for
    doubles, the even and the odd products in two lanes (an odd last one to the first);
  * else the products before ``y``'s first 16-byte boundary are summed in order into lane 0 (the peel).
    - float32 with ``x`` not aligned like ``y``: the next vector of 4 products goes to the 4 lanes, every later
      product to lane 0 in order;
    - else 4 accumulators of ``lanes`` take 4 vectors per step, in order; the vectors left over go to accumulators
      0, 1, 0 (float32) or all to 0 (float64); the scalars left over to lane 0 of accumulator 0. The accumulators are
      added ((0 + 1) + 2) + 3;
  * the lanes are added as SSE's horizontal sum: (0 + 2) + (1 + 3) for floats, 0 + 1 for doubles.
From ``THREADED`` bytes per operand MKL splits the sum over torch's threads (not modelled: NumPy's order then).
"""
from __future__ import annotations

import numpy as np

from ... import _threads
from ..sum_order import rows_in_order

THREADED = 32768  # (MKL's ?dot runs on several threads from this many bytes: 8192 floats; measured with 2)
_LANES = {np.dtype(np.float32): 4, np.dtype(np.float64): 2}
MODELLED = frozenset(_LANES)
# the accumulator each vector left over after the 4-accumulator loop goes to
_LEFTOVER_TARGETS = {4: (0, 1, 0), 2: (0, 0, 0)}


def mkl_dot(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """``x @ y`` (1-d, one dtype of ``MODELLED``) as torch's MKL adds it; None from ``THREADED`` bytes on several
    threads."""
    n = len(x)
    if n * x.itemsize >= THREADED and _threads.get_num_threads() > 1:
        return None
    products = x * y
    lanes = _LANES[x.dtype]
    if n > 1 and (x.strides[0] != x.itemsize or y.strides[0] != y.itemsize):
        if lanes == 4:
            return _chain(0, products)
        pairs = len(products) // 2
        acc = np.add.accumulate(products[:2 * pairs].reshape(pairs, 2), axis=0)[-1] if pairs else np.zeros(2)
        acc[0] = _chain(acc[0], products[2 * pairs:])
        return _horizontal_sum(acc)
    x_lane, y_lane = (_address(a) // a.itemsize % lanes for a in (x, y))
    peel = min(-y_lane % lanes, n)
    head = _chain(0, products[:peel])
    rest = products[peel:]
    if lanes == 4 and x_lane != y_lane:  # (float32 with x misaligned: MKL's loop of unaligned loads)
        acc = np.zeros(lanes, x.dtype)
        acc[0] = head
        if len(rest) >= lanes:
            acc += rest[:lanes]
            rest = rest[lanes:]
        acc[0] = _chain(acc[0], rest)
        return _horizontal_sum(acc)
    accs = np.zeros((4, lanes), x.dtype)
    accs[0, 0] = head
    vectors = len(rest) // lanes
    steps = vectors // 4
    accs = rows_in_order(np.concatenate((accs.reshape(1, -1), rest[:steps * 4 * lanes].reshape(steps, 4 * lanes))))
    accs = accs.reshape(4, lanes)
    leftover = rest[steps * 4 * lanes:vectors * lanes].reshape(-1, lanes)
    for target, vector in zip(_LEFTOVER_TARGETS[lanes], leftover):
        accs[target] += vector
    accs[0, 0] = _chain(accs[0, 0], rest[vectors * lanes:])
    return _horizontal_sum(accs[0] + accs[1] + accs[2] + accs[3])


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


def _chain(start: object, values: np.ndarray) -> np.ndarray:
    """``values`` added one after another into ``start`` (0: MKL's accumulators start at +0, so a sum of -0 products is
    +0), as a 0-d array. (NumPy's cumsum adds in order; its sum would be pairwise.)"""
    return np.cumsum(np.concatenate((np.asarray([start], values.dtype), values)))[-1:].reshape(())


def _horizontal_sum(acc: np.ndarray) -> np.ndarray:
    if len(acc) == 2:
        return np.asarray(acc[0] + acc[1])
    return np.asarray((acc[0] + acc[2]) + (acc[1] + acc[3]))
