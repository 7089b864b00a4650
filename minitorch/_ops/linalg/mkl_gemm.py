"""Small float32 matrix products (mm) added in the order of torch's CPU build, bit for bit.

torch's mm calls MKL's sgemm for every size (``cpublas::gemm``). Measured on this AMD CPU (random products, element by
element, against candidate orders; a huge product and its negation among ones for the trees), for row- or
column-major operands, ``m x k @ k x n``:
  * (a row-major ``b``) with fewer than 4 rows or fewer than 12 columns, each entry is the in-order sum of its k
    rounded products (no FMA, any k), except the entries before the first 16-byte boundary of a result row that has
    4 more after it: those are summed 8 products at a time, the first 4 in order into the entry, the other 4 in order
    apart, then added;
  * else, up to ``FUSED_DEPTH`` products, each entry is a chain of fused multiply-adds in order (a longer k is split
    into blocks, not modelled). On several threads, the rows past a multiple of 4 are sometimes the first kind's (for
    5, 6, 9 or 10 rows from some size on, not for 13, 17 or 21: not modelled);
  * a column-major ``b`` takes the same fused chains; its other entries are the in-order sums up to 3 products (MKL's
    kernel for it reads both operands along k in vectors of 4 or 8 from 4 products on, in an order that depends on
    the entry and the alignments: not modelled);
  * a single column from a row-major ``a`` is sgemv's (not modelled).
addmm (beta and alpha 1) is the same kernels, the bias (``C``) added as ``mkl_sgemm`` describes.
Only products of at most ``SMALL`` multiplications take this path: larger ones keep NumPy's BLAS, whose speed matters
more there than the last bit.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ... import _threads
from ..sum_order import rows_in_order

SMALL = 4096  # (m * k * n: past it, the emulation would cost several times NumPy's product and the Python around it)
FUSED_DEPTH = 192  # (MKL's k block: a longer sum is split)
_FLOAT32 = np.dtype(np.float32)


def mkl_sgemm(a: np.ndarray, b: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray | None:
    """``a @ b`` (float32 matrices) as torch's MKL computes it, or None where that is not modelled. ``bias`` (a row
    or a matrix of the result's shape): addmm's ``bias + a @ b`` (beta and alpha 1), which MKL adds to the finished
    fused chains and column-major ``b`` sums, and starts the other in-order sums from (rows with a peel: not
    modelled)."""
    (m, k), n = a.shape, b.shape[1]
    row_major_b = b.flags.c_contiguous
    if m * k * n > SMALL or not (row_major_b or b.flags.f_contiguous) or not (a.flags.c_contiguous or
                                                                                 a.flags.f_contiguous):
        return None
    if n == 1 and a.flags.c_contiguous:
        return None
    if m >= 4 and n >= 12:
        if k > FUSED_DEPTH or (m % 4 and _threads.get_num_threads() > 1):
            return None
        return _fused_chain(a, b) if bias is None else _fused_chain(a, b) + bias
    if not row_major_b and k > 3:
        return None
    peels = n > 4 and n % 4
    if bias is not None and row_major_b and peels:
        return None
    products = a.T[:, :, None] * b[:, None, :]  # (k, m, n): each entry's products down a column
    start = np.zeros((1, m * n), _FLOAT32) if bias is None or not row_major_b else \
        np.broadcast_to(bias, (m, n)).reshape(1, m * n)
    out = rows_in_order(np.concatenate((start, products.reshape(k, m * n))))
    if peels:
        peeled = _peeled(m, n)
        out[peeled] = _peel_sums(products.reshape(k, m * n)[:, peeled])
    out = out.reshape(m, n)
    if bias is None:
        return out + np.float32(0)  # (MKL's sums start at +0: a sum of -0 products is +0)
    return out if row_major_b else out + bias


@lru_cache(maxsize=256)
def _peeled(m: int, n: int) -> np.ndarray:
    """The flat indices of an m x n result's entries before the first 16-byte boundary of their row, in the rows
    with 4 more entries after it."""
    starts = np.arange(m) * n
    peels = -starts % 4
    return np.concatenate([start + np.arange(peel) for start, peel in zip(starts, peels) if n - peel >= 4]
                          + [np.zeros(0, np.intp)]).astype(np.intp)


def _peel_sums(products: np.ndarray) -> np.ndarray:
    """The sums of ``products``' columns (k x e) 8 at a time: each block's first 4 in order into the sum, its last 4
    summed apart, then added; the products left over in order."""
    k, e = products.shape
    blocks = k // 8
    whole = products[:blocks * 8].reshape(blocks, 8, e)
    halves = np.cumsum(whole[:, 4:], axis=1)[:, -1:]  # (blocks, 1, e)
    chain = np.concatenate((np.concatenate((whole[:, :4], halves), axis=1).reshape(blocks * 5, e),
                            products[blocks * 8:]))
    return rows_in_order(chain)


def _fused_chain(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Each entry's products fused into it in order: in float64, where the product of two floats is exact (as
    ``fused_multiply_add``'s float32 form), rounded to float32 after each."""
    products = a.T.astype(np.float64)[:, :, None] * b[:, None, :]
    out = np.zeros(products.shape[1:], _FLOAT32)
    for step in products:
        out = (out + step).astype(_FLOAT32)
    return out
