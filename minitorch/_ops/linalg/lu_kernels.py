"""LAPACK's LU kernels on NumPy arrays, as torch's (MKL) run them: getrf's partially pivoted elimination and getrs's
substitutions, which give torch's infinities and NaN where a matrix holds them (NumPy's LAPACK turns them otherwise),
and a singular matrix's partial results."""
from __future__ import annotations

import numpy as np

from ..fused import fused_multiply_add

from ..complex_product import complex_product
from ..dims import flat_batch


def pivot_magnitude(x: np.ndarray) -> np.ndarray:
    """What LAPACK's partial pivoting maximises: |x| for real entries, |Re x| + |Im x| for complex ones (izamax)."""
    return np.abs(x.real) + np.abs(x.imag) if np.iscomplexobj(x) else np.abs(x)


def pivot_row(x: np.ndarray) -> np.ndarray:
    """LAPACK's i?amax along the last axis of ``x`` (the column below the diagonal): the first entry of the largest
    magnitude, scanning for a strictly larger one, so that a NaN is never chosen unless it comes first."""
    magnitude = pivot_magnitude(x)
    with np.errstate(invalid="ignore"):
        scanned = np.argmax(np.where(np.isnan(magnitude), -np.inf, magnitude), axis=-1)
    return np.where(np.isnan(magnitude[..., 0]), 0, scanned)


def multipliers(column: np.ndarray, pivot: np.ndarray) -> np.ndarray:
    """The entries of ``column`` below their pivot over it, as getrf computes them (``pivot``: one per column, the
    batch's shape): a real column divided; a complex one scaled by the pivot's reciprocal computed unscaled,
    (c - di) / (c^2 + d^2) (an infinite pivot's is NaN: so are the multipliers), save a pivot below safmin, and a
    finite one whose c^2 + d^2 overflows: its reciprocal scaled (Smith's, the denominator fused: MKL's within the
    last bit, measured; unscaled, every multiplier was 0)."""
    pivot = np.asarray(pivot)[..., None]
    if not np.iscomplexobj(column):
        return column / pivot
    reciprocal = _unscaled_reciprocal(pivot)
    overflowed = (reciprocal == 0) & np.isfinite(pivot)  # (c^2 + d^2 is inf: 1 / |pivot| is not below tiny)
    if overflowed.any():
        reciprocal = np.where(overflowed, smith_reciprocal(pivot), reciprocal)
    tiny = np.abs(pivot) < np.finfo(column.real.dtype).tiny
    return np.where(tiny, column / pivot, complex_product(column, reciprocal))


def smith_reciprocal(x: np.ndarray) -> np.ndarray:
    """``1 / x`` of complex ``x`` by Smith's scaling, the denominator fused, as MKL's LAPACK divides (within the last
    bit, measured): 1 / (1e-310 + 0j) is inf - 0j, where NumPy's is inf + nanj."""
    c, d = np.real(x), np.imag(x)
    wide = np.abs(c) >= np.abs(d)
    with np.errstate(all="ignore"):
        r = np.where(wide, d / c, c / d)
        den = np.where(wide, fused_multiply_add(d, r, c), fused_multiply_add(c, r, d))
        out = np.empty(np.shape(x), np.result_type(x))
        out.real, out.imag = np.where(wide, 1 / den, r / den), -np.where(wide, r / den, 1 / den)
    return out


def _unscaled_reciprocal(x: np.ndarray) -> np.ndarray:
    """``1 / x`` of complex ``x`` as (c - di) / (c^2 + d^2), each part divided (NumPy's complex-by-real division
    multiplies by the denominator's reciprocal: 7 / 49 is an ulp below 1 / 7 in complex64, and the exactly singular
    [[1..9]] then had a nonzero last pivot): NaN for an infinite or zero x."""
    denominator = x.real * x.real + x.imag * x.imag
    out = np.empty(np.shape(x), x.dtype)
    out.real, out.imag = x.real / denominator, -x.imag / denominator
    return out


def adjoint_data(x: np.ndarray) -> np.ndarray:
    """The conjugate transpose of (a batch of) matrices (the transpose, when real)."""
    return np.conjugate(np.swapaxes(x, -1, -2))


def _substitute(a: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """Back (upper) or forward substitution, row by row as LAPACK's trsm: a zero pivot gives inf/nan."""
    shape = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    a = np.broadcast_to(a, shape + a.shape[-2:])
    x = np.array(np.broadcast_to(b, shape + b.shape[-2:]))
    n = a.shape[-1]
    for i in (range(n - 1, -1, -1) if upper else range(n)):
        done = slice(i + 1, n) if upper else slice(0, i)
        x[..., i, :] -= np.einsum("...k,...kj->...j", a[..., i, done], x[..., done, :])
        x[..., i, :] /= a[..., i, i][..., None]
    return x


def getrf(a: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """LAPACK getf2 on a batch of matrices at once: the packed factors, the pivots and ``info`` (the 1-based
    column of the first exactly-zero pivot, whose column is then left unscaled; 0 if none)."""
    m, n = a.shape[-2:]
    k = min(m, n)
    batch = a.shape[:-2]
    lu = np.array(flat_batch(a, 2), copy=True)
    rows = np.arange(lu.shape[0])
    pivots = np.zeros((lu.shape[0], k), np.int32)
    info = np.zeros(lu.shape[0], np.int32)
    with np.errstate(all="ignore"):
        for j in range(k if lu.size else 0):  # (an empty batch: nothing to eliminate, in any dtype)
            p = j + pivot_row(lu[:, j:, j])
            pivots[:, j] = p + 1
            pivot = lu[rows, p, j]
            zero = pivot == 0
            info[(info == 0) & zero] = j + 1
            swapped = lu[rows, p].copy()
            lu[rows, p] = lu[:, j]
            lu[:, j] = swapped
            lu[:, j + 1:, j] = multipliers(lu[:, j + 1:, j], np.where(zero, 1, pivot))
            lu[:, j + 1:, j + 1:] -= lu[:, j + 1:, j, None] * lu[:, j, None, j + 1:]
    return lu.reshape(a.shape), pivots.reshape(batch + (k,)), info.reshape(batch)


def _permutation(pivots: np.ndarray, m: int) -> np.ndarray:
    """The row order the interchanges produce: row i of P^T A is row ``order[i]`` of A."""
    order = np.broadcast_to(np.arange(m), pivots.shape[:-1] + (m,)).copy()
    flat_order, flat_pivots = flat_batch(order), flat_batch(pivots) - 1
    for b in range(flat_order.shape[0]):
        for i, p in enumerate(flat_pivots[b]):
            flat_order[b, [i, p]] = flat_order[b, [p, i]]
    return order


def _lu_solve_data(lu: np.ndarray, pivots: np.ndarray, b: np.ndarray, adjoint: bool) -> np.ndarray:
    """A X = B (A^H X = B when ``adjoint``) with A = P L U: permute, then two triangular substitutions."""
    n = lu.shape[-1]
    L = np.tril(lu, -1) + np.eye(n, dtype=lu.dtype)
    U = np.triu(lu)
    order = _permutation(pivots, n)
    batch = np.broadcast_shapes(lu.shape[:-2], b.shape[:-2])
    order = np.broadcast_to(order, batch + (n,))
    with np.errstate(all="ignore"):
        if not adjoint:  # U X = L^-1 P^T B
            pb = np.take_along_axis(np.broadcast_to(b, batch + b.shape[-2:]), order[..., None], axis=-2)
            return _eliminate(U, _eliminate(L, pb, False), True)
        # A^H X = B: U^H L^H P^T X = B
        y = _substitute(adjoint_data(L), _substitute(adjoint_data(U), b, False), True)
        x = np.empty(np.broadcast_shapes(y.shape, batch + b.shape[-2:]), y.dtype)
        np.put_along_axis(x, order[..., None], np.broadcast_to(y, x.shape), axis=-2)
        return x


def solve_by_factors(a: np.ndarray, b: np.ndarray, adjoint: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A X = B (A^H X = B when ``adjoint``; batches, broadcast) by ``getrf`` and getrs's substitutions, and getrf's
    ``info``. On a matrix holding an infinity or a NaN these give torch's (MKL's) NaN and infinities where NumPy's
    LAPACK does not (measured)."""
    lu, pivots, info = getrf(np.broadcast_to(a, np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + a.shape[-2:]))
    return _lu_solve_data(lu, pivots, b, adjoint), info


def _eliminate(a: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """Back (upper) or forward substitution column-oriented, as getrs's trsm runs it: each solved row of X is
    scaled by its diagonal element, then eliminated from all the rows below (above) it at once. Its sums run in
    another order than row-by-row dot products: an overflow, and so an infinity or NaN, can differ."""
    x = np.array(np.broadcast_to(b, np.broadcast_shapes(a.shape[:-2], b.shape[:-2]) + b.shape[-2:]))
    n = a.shape[-1]
    for k in (range(n - 1, -1, -1) if upper else range(n)):
        # (by the diagonal's reciprocal, measured: a subnormal one's is inf, and 0 * inf NaN; a complex zero's is
        # NaN + NaNj, so is then the whole solution, as torch's)
        diagonal = a[..., k, k, None]
        if x.dtype.kind == "c":
            x[..., k, :] = complex_product(x[..., k, :], _unscaled_reciprocal(diagonal))
        else:
            x[..., k, :] *= 1 / diagonal
        rest = slice(0, k) if upper else slice(k + 1, n)
        x[..., rest, :] -= complex_product(a[..., rest, k, None], x[..., None, k, :]) if x.dtype.kind == "c" else \
            a[..., rest, k, None] * x[..., None, k, :]
    return x
