"""LU factorisation with partial pivoting, as LAPACK's getrf returns it to torch (L and U packed in one matrix,
1-based int32 row interchanges, ``info``), and what is built on it: linalg.lu_factor(_ex), linalg.lu,
lu_unpack, linalg.lu_solve and the deprecated torch.lu / torch.lu_solve, with torch's gradients (its
FunctionsManual formulas, written in minitorch ops so that they differentiate again)."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import check_no_requires_grad, defop, record
from ...return_types import _return_type
from ..dims import broadcast_pair
from ..joining import cat
from ..limited_dtypes import refuse_kernel
from ..registry import linalg_op, op, python_op, write_out
from ..saved_sizes import read_saved_sizes
from ..signature import Parser
from .decompositions import _batch_prefix, _warn_once, record_factors
from .solvers import (_check_square, _column_major, adjoint_data, check_floating, check_matrix_dims,
                      check_square_shape, require_lapack_dtype)
from .lu_kernels import _lu_solve_data, _permutation, getrf
from .triangular import solve_triangular

LuFactor = _return_type("linalg_lu_factor", ("LU", "pivots"))
LuFactorEx = _return_type("linalg_lu_factor_ex", ("LU", "pivots", "info"))
LuWithInfo = _return_type("_lu_with_info", ("LU", "pivots", "info"))
Lu = _return_type("linalg_lu", ("P", "L", "U"))
LuUnpack = _return_type("lu_unpack", ("P", "L", "U"))


# ---- the factorisation -------------------------------------------------------------------------------
def _permutation_matrix(pivots: np.ndarray, m: int, dtype: Any) -> np.ndarray:
    """P with A = P L U: P[order[i], i] = 1 (row-major, as torch's)."""
    order = _permutation(pivots, m)
    P = np.zeros(order.shape + (m,), np.bool_)
    np.put_along_axis(P, order[..., None], True, axis=-1)
    # (from bool: a 1 written into complex32's storage pairs would be 1+1j)
    return np.ascontiguousarray(D.cast_np(np.swapaxes(P, -1, -2), np.dtype(dtype)))


def _unpack(LU: Tensor) -> tuple[Tensor, Tensor]:
    """L (unit lower, m x k) and U (upper, k x n) out of the packed factors, as differentiable views, in torch's
    order (a tall LU's U first: which of tril and triu refuses a dtype first); an empty L has no unit diagonal to
    add (torch's kernel reaches no add there)."""
    m, n = LU.shape[-2:]
    k = min(m, n)
    if m > n:
        U = LU[..., :k, :].triu()
        L = LU[..., :, :k].tril(-1)
    else:
        L = LU[..., :, :k].tril(-1)
        U = LU[..., :k, :].triu()
    if not L._data.size:
        return L, U
    return L + Tensor._make(D.cast_np(np.eye(m, k), LU.dtype.np)), U


# ---- gradients (torch's linalg_lu_backward) ---------------------------------------------------------------
def lu_backward(gL: Tensor, gU: Tensor, P: Tensor, L: Tensor, U: Tensor) -> Tensor:
    """The gradient of A = P L U from those of L and U: for a square A, P L^-T (L^T gL o strict-lower +
    gU U^T o upper) U^-T; a wide (tall) A handles its extra columns (rows) apart."""
    m, n = L.shape[-2], U.shape[-1]
    k = min(m, n)
    if m == n:
        gA = (L.mT @ gL).tril(-1) + (gU @ U.mT).triu()
        gA = solve_triangular(U.mT, gA, upper=False, left=False)
        gA = solve_triangular(L.mT, gA, upper=True, unitriangular=True)
    elif m < n:
        U1, gU1, gU2 = U[..., :k], gU[..., :k], gU[..., k:]
        gA = solve_triangular(U1.mT, (L.mT @ gL - gU.triu() @ U.mT).tril(-1), upper=False, left=False)
        gA = cat([gA + gU1.triu(), gU2], -1)
        gA = solve_triangular(L.mT, gA, upper=True, unitriangular=True)
    else:
        L1, gL1, gL2 = L[..., :k, :], gL[..., :k, :], gL[..., k:, :]
        gA = solve_triangular(L1.mT, (gU @ U.mT - L.mT @ gL.tril(-1)).triu(), upper=True, unitriangular=True)
        gA = cat([gA + gL1.tril(-1), gL2], -2)
        gA = solve_triangular(U.mT, gA, upper=False, left=False)
    return P @ gA if P.ndim > 1 else gA  # (no P without pivoting: an empty vector)


def _lu_factor_vjp(grad: Tensor, result: Tensor, P: Tensor) -> Tensor:
    k = min(result.shape[-2:])
    L, U = _unpack(result)
    return lu_backward(grad[..., :, :k], grad[..., :k, :], P, L, U)


def _lu_vjp(grad: tuple, result: tuple, P: Tensor) -> Tensor:
    (gL, gU), (L, U) = grad, result
    return lu_backward(gL, gU, P, L, U)


LU_FACTOR_EX = defop("linalg_lu_factor_ex", ("A",), {"A": _lu_factor_vjp}, widen=False)  # (see CHOLESKY_EX)
LINALG_LU = defop("linalg_lu", ("A",), {"A": _lu_vjp}, num_outputs=2, widen=False)


def _factor(fname: str, A: Tensor, pivot: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if A._data.ndim < 2:
        raise RuntimeError("torch.lu_factor: Expected tensor with 2 or more dimensions. Got size: %s instead"
                           % list(A._data.shape))
    if A._data.size:  # (torch runs no kernel on an empty matrix: any dtype, and no pivoting, is accepted)
        require_lapack_dtype("lu_cpu", A)
        if not pivot:
            raise RuntimeError("%s: LU without pivoting is not implemented on the CPU" % fname)
    return getrf(A._data)


def _zero_pivot_error(fname: str, A: np.ndarray, info: np.ndarray) -> RuntimeError:
    b = int(np.flatnonzero(info.reshape(-1))[0])
    i = info.reshape(-1)[b]
    return RuntimeError("%s: %sU[%d,%d] is zero and using it on lu_solve would result in a division by zero. If you "
                        "still want to perform the factorization, consider calling linalg.lu(A, pivot) or "
                        "linalg.lu_factor_ex(A, pivot)" % (fname, _batch_prefix(A, b), i, i))


def _lu_factor_ex(fname: str, A: Tensor, pivot: bool, check_errors: bool) -> tuple[Tensor, Tensor, Tensor]:
    lu, pivots, info = _factor("linalg.lu_factor", A, pivot)
    if check_errors and info.any():
        raise _zero_pivot_error(fname, A._data, info)
    P = Tensor._make(_permutation_matrix(pivots, lu.shape[-2], A.dtype.np))
    LU = record(LU_FACTOR_EX, _column_major(lu), (A,), {"P": P})
    return LU, Tensor._make(pivots), Tensor._make(info)


@linalg_op("linalg_lu_factor_ex(Tensor A, *, bool pivot=True, bool check_errors=False, TensorList[3] out=None)",
           out_check=True)
def lu_factor_ex(A: Tensor, *, pivot: bool = True, check_errors: bool = False) -> tuple[Tensor, ...]:
    return LuFactorEx(*_lu_factor_ex("torch.linalg.lu_factor_ex", A, pivot, check_errors))


@linalg_op("linalg_lu_factor(Tensor A, *, bool pivot=True, TensorList[2] out=None)", out_check=True)
def lu_factor(A: Tensor, *, pivot: bool = True) -> tuple[Tensor, ...]:
    return LuFactor(*_lu_factor_ex("torch.linalg.lu_factor", A, pivot, True)[:2])


_LU_DEPRECATION = (
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and will be removed in a "
    "future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\nshould be replaced with\nLU, pivots = "
    "torch.linalg.lu_factor(A, compute_pivots)\nand\nLU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\n"
    "should be replaced with\nLU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots) (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2073.)")


# the binding torch.lu's Python wrapper calls: its argument errors
_LU_WITH_INFO_BINDING = Parser(["_lu_with_info(Tensor input, bool pivot=True, bool check_errors=True)"])


def _torch_lu(A: Tensor, pivot: bool = True, get_infos: bool = False, out: Any = None) -> Any:
    """torch.lu (torch/functional.py): linalg.lu_factor_ex's factors, the infos only when asked for (torch never
    raises here for a singular matrix)."""
    _LU_WITH_INFO_BINDING.parse((A,), {})
    _warn_once("lu", _LU_DEPRECATION)
    LU, pivots, info = _lu_factor_ex("torch.lu", A, pivot, False)
    result = LuWithInfo(LU, pivots, info) if get_infos else (LU, pivots)
    return result if out is None else write_out(out, result)


@python_op("lu", method=lambda self, pivot=True, get_infos=False: _torch_lu(self, pivot, get_infos))
def torch_lu(*args: Any, **kwargs: Any) -> Any:
    return _torch_lu(*args, **kwargs)


@linalg_op("linalg_lu(Tensor A, *, bool pivot=True, TensorList[3] out=None)", out_check=True)
def lu(A: Tensor, *, pivot: bool = True) -> tuple[Tensor, ...]:
    if A._data.ndim < 2:
        raise RuntimeError("linalg.lu: Expected tensor with 2 or more dimensions. Got size: %s instead"
                           % list(A._data.shape))
    packed, pivots, _ = _factor("linalg.lu_factor", A, pivot)
    if pivot and not A._data.size and packed.shape[-2] and int(np.prod(A._data.shape[:-2])):
        refuse_kernel("scatter_gather_scalar_cpu", A.dtype)  # (torch's P of an empty A: its pivots scattered)
    # (without pivoting, which only an empty A reaches, torch's P is an empty vector)
    P = _permutation_matrix(pivots, packed.shape[-2], A.dtype.np) if pivot else np.empty(0, A.dtype.np)
    L, U = (x._data for x in _unpack(Tensor._make(packed)))
    outs = record_factors(LINALG_LU, (L, U), A, {"P": Tensor._make(P)})
    return Lu(Tensor._make(P), *outs)


# ---- unpacking -------------------------------------------------------------------------------------------
def _lu_unpack_vjp(grad: tuple, LU_data_shape: tuple) -> Tensor:
    """The packed factors' gradient: L's strictly below the diagonal, U's on and above it."""
    gL, gU = grad
    m, n = LU_data_shape[-2:]
    if gL._data.ndim < 2:  # unpack_data=False left L and U empty: torch's formula fails on them
        raise RuntimeError("start (0) + length (%d) exceeds dimension size (0)." % m if m < n
                           else "triu: input tensor must have at least 2 dimensions")
    if m == n:
        return gL.tril(-1) + gU.triu()
    if m < n:
        return cat([gL.tril(-1), gL.new_zeros(gU.shape[:-1] + (n - m,))], -1) + gU.triu()
    return gL.tril(-1) + cat([gU.triu(), gU.new_zeros(gL.shape[:-2] + (m - n, n))], -2)


LU_UNPACK = defop("lu_unpack", ("LU_data",), {"LU_data": _lu_unpack_vjp}, num_outputs=2)


@op("lu_unpack(Tensor LU_data, Tensor LU_pivots, bool unpack_data=True, bool unpack_pivots=True, *, "
    "TensorList[3] out=None)", out_check=True)
def lu_unpack(LU_data: Tensor, LU_pivots: Tensor, unpack_data: bool = True,
              unpack_pivots: bool = True) -> tuple[Tensor, ...]:
    read_saved_sizes((LU_data,), ((LU_data, -1), (LU_data, -2)))  # (lu_unpack_backward's n and m)
    data = LU_data._data
    if data.ndim < 2:
        raise RuntimeError("torch.lu_unpack: Expected tensor with 2 or more dimensions. Got size: %s instead"
                           % list(data.shape))
    m = data.shape[-2]
    empty = np.empty(0, data.dtype)
    # (the pivots are only read, and checked, when unpacked: their dtype first, their values after L and U)
    if unpack_pivots and LU_pivots.dtype is not D.int32:
        raise RuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 "
                           "dtype.\nNote: this function is intended to be used with the output produced by "
                           "torch.linalg.lu_factor")
    L, U = (x._data for x in _unpack(LU_data.detach())) if unpack_data else (empty, empty.copy())
    if unpack_pivots:
        pivots = LU_pivots._data
        if pivots.size and (pivots.min() < 1 or pivots.max() > m):
            raise RuntimeError("pivots passed to lu_unpack must be between 1 and LU.size(-2) inclusive.Did you "
                               "properly pass the result of lu_factor?")
        if m:  # (P is scattered into)
            refuse_kernel("scatter_gather_scalar_cpu", LU_data.dtype)
        P = Tensor._make(_permutation_matrix(pivots, m, data.dtype))
    else:
        P = Tensor._make(empty)
    return LuUnpack(P, *record_factors(LU_UNPACK, (L, U), LU_data, {}))


# ---- solving with the factors ------------------------------------------------------------------------------
def _lu_solve_vjp(grad: Tensor, LU: Tensor, pivots: Tensor, result: Tensor, left: bool, adjoint: bool) -> Tensor:
    """torch's linalg_lu_solve_LU (its complex formula): XA = B and XA^H = B are A^H X^H = B^H and A X^H = B^H;
    for AX = B, with gR = -U^-H gX X^H, gLU = tril(L^-H gR U^H, -1) + triu(gR); for A^H X = B, with
    gR = -P^T X gX^H P L^-H, gLU = tril(gR, -1) + triu(L^H gR U^-H)."""
    X, gX = result, grad
    L, U = _unpack(LU)
    if left != adjoint:
        gR = solve_triangular(U.mH, -(gX @ X.mH if left else gX.mH @ X), upper=False)
        gL = solve_triangular(L.mH, gR @ U.mH, upper=True, unitriangular=True).tril(-1)
        return gL + gR.triu()
    P = Tensor._make(_permutation_matrix(pivots._data, LU.shape[-1], LU.dtype.np))
    gR = -(P.mT @ (X @ gX.mH if left else X.mH @ gX) @ P)
    gR = solve_triangular(L.mH, gR, upper=True, left=False, unitriangular=True)
    return gR.tril(-1) + solve_triangular(U.mH, L.mH @ gR, upper=False, left=False).triu()


LU_SOLVE = defop("linalg_lu_solve", ("LU", "B"), {
    "LU": _lu_solve_vjp,
    "B": lambda grad, LU, pivots, left, adjoint: linalg_lu_solve(LU, pivots, grad, left=left, adjoint=not adjoint)},
    complex_vjps=True)


@linalg_op("linalg_lu_solve(Tensor LU, Tensor pivots, Tensor B, *, bool left=True, bool adjoint=False, "
           "Tensor out=None)")
def linalg_lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, *, left: bool = True, adjoint: bool = False) -> Tensor:
    fname = "linalg.lu_solve"
    check_no_requires_grad("linalg_lu_solve", pivots=pivots)
    check_floating("torch.linalg.lu_solve", LU)
    if LU.dtype is not B.dtype:
        raise RuntimeError("%s: Expected LU and B to have the same dtype, but found LU of type %s and B of type %s "
                           "instead" % (fname, LU.dtype._cast_name, B.dtype._cast_name))
    if pivots.dtype is not D.int32:
        raise RuntimeError("%s: pivots should be a Tensor of scalar type torch.int32" % fname)
    check_square_shape("torch.linalg.lu_solve", LU)  # (LU's dims and shape, then B's)
    check_matrix_dims(fname, B, "B")
    n = LU._data.shape[-1]
    rows, cols = B._data.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError("%s: Incompatible shapes of A and B for the equation %s (%dx%d and %dx%d)"
                           % (fname, ("AX = B" if left else "XA = B"), n, n, rows, cols))
    if pivots.size(-1) != n:  # (a 0-d pivots: size(-1)'s IndexError, as torch's)
        raise RuntimeError("%s: Number of pivots per batch should be same as the dimension of the matrix" % fname)
    broadcast_pair(B._data.shape[:-2], LU._data.shape[:-2])
    if LU._data.size and B._data.size:  # (the low precisions: refused by the kernel, after every check; an empty
        _check_square("torch.linalg.lu_solve", LU)  # result reaches none)
    b = B._data if left else adjoint_data(B._data)  # (XA = B is A^H X^H = B^H; XA^H = B is A X^H = B^H)
    x = _lu_solve_data(LU._data, pivots._data, b, adjoint if left else not adjoint)
    data = _column_major(x) if left else adjoint_data(x)
    return record(LU_SOLVE, data, (LU, B), {"pivots": pivots, "left": left, "adjoint": adjoint})


_LU_SOLVE_DEPRECATION = (
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a future PyTorch release.\n"
    "Note that torch.linalg.lu_solve has its arguments reversed.\nX = torch.lu_solve(B, LU, pivots)\nshould be "
    "replaced with\nX = torch.linalg.lu_solve(LU, pivots, B) (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2230.)")


@op("lu_solve(Tensor input, Tensor LU_data, Tensor LU_pivots, *, Tensor out=None)", method=True, out_check=True)
def torch_lu_solve(input: Tensor, LU_data: Tensor, LU_pivots: Tensor) -> Tensor:
    _warn_once("lu_solve", _LU_SOLVE_DEPRECATION)
    return linalg_lu_solve(LU_data, LU_pivots, input)
