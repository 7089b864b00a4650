"""linalg.ldl_factor(_ex) and linalg.ldl_solve: LAPACK's sytf2 (Bunch-Kaufman diagonal pivoting, lower triangle)
and sytrs, or hetf2 and hetrs for Hermitian complex matrices, with LAPACK's compact output (L below the diagonal,
D's 1x1 and 2x2 blocks on and next to it; a 2x2 block's pivots negative). torch defines no derivative for either:
their nodes refuse to differentiate."""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..dims import broadcast_pair, flat_batch
from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ...return_types import _return_type
from ..registry import linalg_op
from ..complex_product import complex_product
from .lu_kernels import smith_reciprocal
from .solvers import LAPACK_DTYPES, _column_major, check_square_shape

LdlFactorEx = _return_type("linalg_ldl_factor_ex", ("LD", "pivots", "info"))
LdlFactor = _return_type("linalg_ldl_factor", ("LD", "pivots"))
_ALPHA = (1 + math.sqrt(17)) / 8  # Bunch and Kaufman's pivoting threshold


def _refusal(op: str):  # noqa: ANN202 - a VJP factory
    def vjp(grad: Tensor) -> Tensor:
        raise RuntimeError("derivative for aten::%s is not implemented" % op)
    return vjp


LDL_FACTOR = defop("linalg_ldl_factor_ex", ("A",), {"A": _refusal("linalg_ldl_factor_ex")}, grad_name="NotImplemented")
LDL_SOLVE = defop("linalg_ldl_solve", ("LD", "B"), {"LD": _refusal("linalg_ldl_solve"),
                                                    "B": _refusal("linalg_ldl_solve")}, grad_name="NotImplemented")


def _cabs1(z: np.ndarray) -> np.ndarray:
    """LAPACK's pivoting magnitude: |z| for real numbers, |Re z| + |Im z| for complex ones (CABS1, IZAMAX)."""
    return np.abs(z.real) + np.abs(z.imag) if np.iscomplexobj(z) else np.abs(z)


def _fortran_max(a: Any, b: Any) -> Any:
    """Fortran's MAX as x86's maxsd computes it: the second operand when either is NaN."""
    return b if a != a or b != b or b > a else a


def _sytf2(a: np.ndarray, hermitian: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """One matrix from its lower triangle, symmetric (sytf2) or Hermitian (hetf2: complex ones only): the compact
    factors, pivots and info."""
    A = np.tril(a).astype(a.dtype, copy=True)
    conj = np.conj if hermitian else (lambda z: z)
    n = A.shape[0]
    pivots = np.zeros(n, np.int32)
    info, k = 0, 0
    while k < n:
        step, kp = 1, k
        diagonal = abs(A[k, k].real) if hermitian else _cabs1(A[k, k])
        # MKL's i?amax: along a column (unit stride) a NaN is the largest, along a row (strided) it is skipped
        imax = k + 1 + int(np.argmax(_cabs1(A[k + 1:, k]))) if k < n - 1 else k
        colmax = _cabs1(A[imax, k]) if k < n - 1 else 0.0
        singular = _fortran_max(diagonal, colmax) == 0
        if singular:
            info = info or k + 1
        elif not diagonal >= _ALPHA * colmax:  # (LAPACK's test, written so: a NaN colmax takes this branch)
            row = _cabs1(A[imax, k:imax])
            rowmax = row[np.argmax(np.where(np.isnan(row), -np.inf, row))]
            if imax < n - 1:
                rowmax = _fortran_max(rowmax, _cabs1(A[imax + 1:, imax]).max())
            if diagonal >= _ALPHA * colmax * (colmax / rowmax):
                kp = k
            elif (abs(A[imax, imax].real) if hermitian else _cabs1(A[imax, imax])) >= _ALPHA * rowmax:
                kp = imax
            else:
                kp, step = imax, 2
        kk = k + step - 1
        if kp != kk:  # the symmetric interchange of rows and columns kk and kp, in the lower triangle
            A[kp + 1:, [kk, kp]] = A[kp + 1:, [kp, kk]]
            between = A[kk + 1:kp, kk].copy()
            A[kk + 1:kp, kk] = conj(A[kp, kk + 1:kp])
            A[kp, kk + 1:kp] = conj(between)
            A[kp, kk] = conj(A[kp, kk])
            A[kk, kk], A[kp, kp] = A[kp, kp], A[kk, kk]
            if step == 2:
                A[k + 1, k], A[kp, k] = A[kp, k], A[k + 1, k]
        if hermitian:  # (hetf2 keeps the pivots' diagonal real)
            _real_diagonal(A[k:k + step, k:k + step])
        if not singular:
            _eliminate(A, k, step, hermitian)
        pivots[k:k + step] = kp + 1 if step == 1 else -(kp + 1)
        k += step
    return A, pivots, info


def _eliminate(A: np.ndarray, k: int, step: int, hermitian: bool) -> None:
    """The trailing update after pivot block k (1x1 or 2x2), leaving L's column(s) in place, as LAPACK's sytf2 and
    hetf2 compute it (syr/her: each element less x_i * (x_j / d); a Hermitian update's diagonal kept real)."""
    conj = np.conj if hermitian else (lambda z: z)
    trailing = A[k + step:, k + step:]
    if step == 1:
        pivot = A[k, k].real if hermitian else A[k, k]
        reciprocal = smith_reciprocal(pivot) if np.iscomplexobj(pivot) else 1 / pivot
        x = A[k + 1:, k].copy()
        # (syr/her skip the column of a zero x_j: with a subnormal pivot's infinite reciprocal, 0 * inf is not
        # added there)
        read = x != 0
        trailing[:, read] += np.tril(np.outer(x, conj(x) * -reciprocal))[:, read]
        # (a complex column scaled by torch's product formula: (1e-320 + 0j)(inf - 0j) is inf + nanj, NumPy's NaN)
        A[k + 1:, k] = complex_product(x, reciprocal) if np.iscomplexobj(x) else x * reciprocal
    elif hermitian:
        d = abs(A[k + 1, k])
        d11, d22 = A[k + 1, k + 1].real / d, A[k, k].real / d
        t = 1 / (d11 * d22 - 1)
        d21 = A[k + 1, k] / d
        d = t / d
        w0 = d * (d11 * A[k + 2:, k] - d21 * A[k + 2:, k + 1])
        w1 = d * (d22 * A[k + 2:, k + 1] - np.conj(d21) * A[k + 2:, k])
        trailing -= np.tril(np.outer(A[k + 2:, k], np.conj(w0)) + np.outer(A[k + 2:, k + 1], np.conj(w1)))
        A[k + 2:, k], A[k + 2:, k + 1] = w0, w1
    else:
        d21 = A[k + 1, k]
        d11, d22 = A[k + 1, k + 1] / d21, A[k, k] / d21
        t = 1 / (d11 * d22 - 1)
        d21 = t / d21
        w0 = d21 * (d11 * A[k + 2:, k] - A[k + 2:, k + 1])
        w1 = d21 * (d22 * A[k + 2:, k + 1] - A[k + 2:, k])
        trailing -= np.tril(np.outer(A[k + 2:, k], w0) + np.outer(A[k + 2:, k + 1], w1))
        A[k + 2:, k], A[k + 2:, k + 1] = w0, w1
    if hermitian:
        _real_diagonal(trailing)


def _real_diagonal(A: np.ndarray) -> None:
    i = np.arange(A.shape[0])
    A[i, i] = A[i, i].real


def _check_ld(fname: str, A: Tensor) -> None:
    """The checks of a matrix to factor or of its factors, in torch's order."""
    check_square_shape(fname, A)
    if A.dtype.category < D.FLOATING:
        raise RuntimeError("%s: Expected a floating point or complex tensor as input. Got %s"
                           % (fname, A.dtype._cast_name))


def _require_lapack(kernel: str, A: Tensor) -> None:
    """The LAPACK kernel's dtype dispatch, after every check (it has no reduced floats; an empty matrix runs none)."""
    if A.dtype not in LAPACK_DTYPES and A._data.size:
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, A.dtype._cast_name))


def _factor(A: Tensor, hermitian: bool) -> tuple[Tensor, Tensor, np.ndarray]:
    _check_ld("torch.linalg.ldl_factor_ex", A)
    _require_lapack("ldl_factor_kernel_cpu", A)
    flat = flat_batch(A._data, 2)
    with np.errstate(all="ignore"):
        factors = [_sytf2(a, hermitian and A.dtype.is_complex) for a in flat]
    shape = A._data.shape
    LD = np.stack([f for f, _, _ in factors]).reshape(shape) if factors else np.empty(shape, A.dtype.np)
    pivots = np.stack([p for _, p, _ in factors]).reshape(shape[:-1]) if factors else np.empty(shape[:-1], np.int32)
    info = np.array([i for _, _, i in factors], np.int32).reshape(shape[:-2])
    return record(LDL_FACTOR, _column_major(LD), (A,)), Tensor._make(pivots), info


@linalg_op("linalg_ldl_factor_ex(Tensor input, *, bool hermitian=False, bool check_errors=False, "
           "TensorList[3] out=None)", out_check=True)
def ldl_factor_ex(self: Tensor, *, hermitian: bool = False, check_errors: bool = False) -> tuple[Tensor, ...]:
    LD, pivots, info = _factor(self, hermitian)
    if check_errors and info.any():
        _raise_info("torch.linalg.ldl_factor_ex", info)
    return LdlFactorEx(LD, pivots, Tensor._make(info))


def _raise_info(fname: str, info: np.ndarray) -> None:
    """torch has no message for a zero pivot here: its internal assertion's."""
    raise RuntimeError("false INTERNAL ASSERT FAILED at \"/__w/pytorch/pytorch/aten/src/ATen/native/"
                       "BatchLinearAlgebra.cpp\":1642, please report a bug to PyTorch. %s: Unknown error code: %d."
                       % (fname, int(info.reshape(-1)[np.flatnonzero(info.reshape(-1))[0]])))


@linalg_op("linalg_ldl_factor(Tensor input, *, bool hermitian=False, TensorList[2] out=None)", out_check=True)
def ldl_factor(self: Tensor, *, hermitian: bool = False) -> tuple[Tensor, ...]:
    LD, pivots, info = _factor(self, hermitian)
    if info.any():
        _raise_info("torch.linalg.ldl_factor", info)
    return LdlFactor(LD, pivots)


def _sytrs(LD: np.ndarray, pivots: np.ndarray, B: np.ndarray, hermitian: bool) -> np.ndarray:
    """A X = B for one matrix from its compact factors (sytrs, or hetrs for Hermitian ones): L D solved forwards,
    then L^T (L^H) backwards, with the interchanges in LAPACK's order."""
    conj = np.conj if hermitian else (lambda z: z)
    X = B.copy()
    n = LD.shape[0]
    k = 0
    while k < n:
        if pivots[k] > 0:
            kp = pivots[k] - 1
            X[[k, kp]] = X[[kp, k]]
            X[k + 1:] -= np.outer(LD[k + 1:, k], X[k])
            X[k] *= 1 / (LD[k, k].real if hermitian else LD[k, k])
            k += 1
            continue
        kp = -pivots[k] - 1
        X[[k + 1, kp]] = X[[kp, k + 1]]
        X[k + 2:] -= np.outer(LD[k + 2:, k], X[k]) + np.outer(LD[k + 2:, k + 1], X[k + 1])
        d21 = LD[k + 1, k]
        d11, d22 = LD[k, k] / conj(d21), LD[k + 1, k + 1] / d21
        denominator = d11 * d22 - 1
        b0, b1 = X[k] / conj(d21), X[k + 1] / d21
        X[k], X[k + 1] = (d22 * b0 - b1) / denominator, (d11 * b1 - b0) / denominator
        k += 2
    k = n - 1
    while k >= 0:
        if pivots[k] > 0:
            X[k] -= conj(LD[k + 1:, k]) @ X[k + 1:]
            kp = pivots[k] - 1
            X[[k, kp]] = X[[kp, k]]
            k -= 1
            continue
        X[k] -= conj(LD[k + 1:, k]) @ X[k + 1:]
        X[k - 1] -= conj(LD[k + 1:, k - 1]) @ X[k + 1:]
        kp = -pivots[k] - 1
        X[[k, kp]] = X[[kp, k]]
        k -= 2
    return X


@linalg_op("linalg_ldl_solve(Tensor LD, Tensor pivots, Tensor B, *, bool hermitian=False, Tensor out=None)")
def ldl_solve(LD: Tensor, pivots: Tensor, B: Tensor, *, hermitian: bool = False) -> Tensor:
    _check_ld("torch.linalg.ldl_solve", LD)
    if B.dtype is not LD.dtype:
        raise RuntimeError("Expected b and A to have the same dtype, but found b of type %s and A of type %s instead."
                           % (B.dtype._cast_name, LD.dtype._cast_name))
    n = LD._data.shape[-1]
    if B.size(-2) != n:
        raise RuntimeError("Incompatible matrix sizes for torch.linalg.ldl_solve: each A matrix is %d by %d but each b "
                           "matrix is %d by %d" % (n, n, *B._data.shape[-2:]))
    if tuple(LD.shape[:-1]) != tuple(pivots.shape):
        raise RuntimeError("torch.linalg.ldl_solve: Expected LD.shape[:-1] and pivots.shape to be the same, but got "
                           "pivots with shape %s instead" % list(pivots.shape))
    if pivots.dtype.category != D.INTEGRAL:
        raise RuntimeError("torch.linalg.ldl_solve: Expected pivots to be integers. Got %s" % pivots.dtype._cast_name)
    batch = broadcast_pair(B._data.shape[:-2], LD._data.shape[:-2])
    magnitudes = np.abs(pivots._data.astype(np.int64))  # (LAPACK's pivots: k + 1, or -(k + 1) for a 2 x 2 block)
    for holds, bound in ((magnitudes >= 1, ">= 1"), (magnitudes <= n, "<= LD.size(-2)")):
        if not holds.all():
            raise RuntimeError("Pivots given to ldl_solve must all satisfy |pivot| %s. Did you properly pass the "
                               "result of ldl_factor?" % bound)
    _require_lapack("ldl_solve_kernel_cpu", LD)
    lds = flat_batch(np.broadcast_to(LD._data, batch + (n, n)), 2)
    pivs = flat_batch(np.broadcast_to(pivots._data, batch + (n,))).astype(np.int64)
    bs = flat_batch(np.broadcast_to(B._data, batch + B._data.shape[-2:]), 2)
    with np.errstate(all="ignore"):
        solved = [_sytrs(ld, p, b, hermitian and LD.dtype.is_complex) for ld, p, b in zip(lds, pivs, bs)]
    X = np.stack(solved).reshape(batch + B._data.shape[-2:]) if solved else np.empty(batch + B._data.shape[-2:])
    return record(LDL_SOLVE, _column_major(X.astype(B.dtype.np)), (LD, B))
