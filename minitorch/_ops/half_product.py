"""float16 products in the order of torch's CPU ``prod`` kernel, which multiplies in float16 (each product
rounded), so that the order decides the answer.

torch reduces along the dim of smallest stride ("inner") with four 16-lane accumulators over blocks of 64
elements, then the lanes one by one, then the elements left over; along any other dim ("outer"), one
element after another. A single product of more than 32768 elements is split in ``get_num_threads()``
chunks whose products are then multiplied in order.
"""
from __future__ import annotations

import numpy as np

from .._threads import get_num_threads
from .dims import flat_batch

_LANES = 16
_BLOCK = 4 * _LANES
_GRAIN = 32768  # torch's internal::GRAIN_SIZE


def _times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """float16 ``a * b``: the float32 product rounded to float16, as torch's Half arithmetic."""
    return (a.astype(np.float32) * b).astype(np.float16)


def _sequential(rows: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``out`` times each column of ``rows`` (shape (m, n)), in order."""
    for j in range(rows.shape[1]):
        out = _times(out, rows[:, j])
    return out


def _inner(rows: np.ndarray) -> np.ndarray:
    """The product of each row of ``rows`` (m, n) as torch's vectorized inner reduction."""
    m, n = rows.shape
    out = np.ones(m, np.float16)
    blocks = n // _BLOCK
    if blocks:
        acc = rows[:, :_BLOCK].reshape(m, 4, _LANES)
        for i in range(1, blocks):
            acc = _times(acc, rows[:, i * _BLOCK:(i + 1) * _BLOCK].reshape(m, 4, _LANES))
        lanes = _times(_times(acc[:, 0], acc[:, 1]), _times(acc[:, 2], acc[:, 3]))
        out = _sequential(lanes, out)
    return _sequential(rows[:, blocks * _BLOCK:], out)


def _whole(flat: np.ndarray) -> np.ndarray:
    """The product of a 1-d array, in the chunks torch's threads take."""
    n = flat.size
    if not n:
        return np.ones((), np.float16)
    tasks = min(get_num_threads(), -(-n // _GRAIN)) if n > _GRAIN else 1
    chunk = -(-n // tasks)
    parts = [_inner(flat[i:i + chunk].reshape(1, -1)) for i in range(0, n, chunk)]
    return _sequential(np.stack(parts, axis=1), np.ones(1, np.float16))[0]


def _memory_order(data: np.ndarray) -> np.ndarray:
    """The elements of ``data`` in the order of their addresses (a permuted layout reads as contiguous)."""
    order = sorted(range(data.ndim), key=lambda d: -abs(data.strides[d]))
    return data.transpose(order).ravel()


def half_prod(data: np.ndarray, axis: int | None, keepdims: bool) -> np.ndarray:
    """The float16 product of ``data`` (float16) over ``axis`` (None: all of it), as torch's CPU kernel."""
    if axis is None or data.ndim <= 1:
        out = np.asarray(_whole(_memory_order(data)))
        return out.reshape((1,) * data.ndim) if keepdims else out
    moved = np.moveaxis(data, axis, -1)
    rows = flat_batch(moved)
    others = [abs(s) for d, (s, size) in enumerate(zip(data.strides, data.shape)) if d != axis and size > 1]
    if data.shape[axis] == 1 or not others or abs(data.strides[axis]) < min(others):
        out = _inner(rows) if rows.shape[0] != 1 else _whole(rows[0]).reshape(1)
    else:
        out = _sequential(rows, np.ones(rows.shape[0], np.float16))
    out = out.reshape(moved.shape[:-1])
    return np.expand_dims(out, axis) if keepdims else out
