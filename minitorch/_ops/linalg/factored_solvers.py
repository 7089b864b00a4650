"""torch's older solvers on a factor: triangular_solve (with its cloned coefficient), cholesky_solve and
cholesky_inverse, with torch's gradients written in minitorch ops (so that they differentiate again)."""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ...return_types import _return_type
from ..dims import broadcast_pair, flat_batch
from ..inplace import castable_result
from ..registry import op
from .decompositions import _warn_once, record_factors
from .solvers import _column_major, _LinAlgError, adjoint_data
from .lu_kernels import _substitute, _unscaled_reciprocal

TriangularSolve = _return_type("triangular_solve", ("solution", "cloned_coefficient"))


def _check_system(fname: str, b: Tensor, A: Tensor) -> tuple:
    """torch's linearSolveCheckInputs: the dtypes, a square A and b's rows; returns the broadcast batch."""
    if b.dtype is not A.dtype:
        raise RuntimeError("Expected b and A to have the same dtype, but found b of type %s and A of type %s instead."
                           % (b.dtype._cast_name, A.dtype._cast_name))
    n, m = A._data.shape[-2:]
    if n != m:
        raise RuntimeError("A must be batches of square matrices, but they are %d by %d matrices" % (n, m))
    if b._data.shape[-2] != m:
        raise RuntimeError("Incompatible matrix sizes for %s: each A matrix is %d by %d but each b matrix is %d by %d"
                           % (fname, m, m, *b._data.shape[-2:]))
    return broadcast_pair(b._data.shape[:-2], A._data.shape[:-2])


def _check_floating(kernel: str, x: Tensor) -> None:
    """torch's LAPACK kernels: float32, float64 and the complex dtypes."""
    if x.dtype.category < D.FLOATING or x._data.dtype in D.REDUCED_NP:
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, x.dtype._cast_name))


# ---- triangular_solve -----------------------------------------------------------------------------------
_TRIANGULAR_SOLVE_DEPRECATION = (
    "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangularand will be removed in a future "
    "PyTorch release.\ntorch.linalg.solve_triangular has its arguments reversed and does not return a copy of one of "
    "the inputs.\nX = torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
    "torch.linalg.solve_triangular(A, B). (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2273.)")


def _triangular_solve_vjp(wrt_A: bool):  # noqa: ANN202 - a VJP factory
    """torch's triangular_solve_backward: gb = A^-T gX (A^-1 gX when transposed), gA = -gb X^T (-X gb^T), kept
    to A's triangle, plus the cloned coefficient's gradient as it is."""
    def vjp(grad: tuple, A: Tensor, result: tuple, upper: bool, transpose: bool, unitriangular: bool) -> Tensor:
        (g_x, g_clone), x = grad, result[0]
        g_b = triangular_solve(g_x, A, upper, not transpose, unitriangular)[0]
        if not wrt_A:
            return g_b
        g_a = -(x @ g_b.mT) if transpose else -(g_b @ x.mT)
        g_a = g_a.triu(int(unitriangular)) if upper else g_a.tril(-int(unitriangular))
        return g_a + g_clone
    return vjp


TRIANGULAR_SOLVE = defop("triangular_solve", ("self", "A"), {"self": _triangular_solve_vjp(False),
                                                             "A": _triangular_solve_vjp(True)}, num_outputs=2)


@op("triangular_solve(Tensor input, Tensor A, bool upper=True, bool transpose=False, bool unitriangular=False, *, "
    "TensorList[2] out=None)", method=True, out_check=True)
def triangular_solve(input: Tensor, A: Tensor, upper: bool = True, transpose: bool = False,
                     unitriangular: bool = False) -> tuple[Tensor, ...]:
    for name, operand in (("b", input), ("A", A)):
        if operand._data.ndim < 2:
            raise RuntimeError("torch.triangular_solve: Expected %s to have at least 2 dimensions, but it has %d "
                               "dimensions instead" % (name, operand._data.ndim))
    batch = _check_system("triangular_solve", input, A)
    _warn_once("triangular_solve", _TRIANGULAR_SOLVE_DEPRECATION)  # torch warns after the shape checks
    _check_floating("triangular_solve_cpu", A)
    a = np.broadcast_to(A._data, batch + A._data.shape[-2:])
    triangle = (np.triu if upper else np.tril)(a)
    if unitriangular:
        triangle = triangle.copy()
        np.einsum("...ii->...i", triangle)[...] = 1
    with np.errstate(all="ignore"):  # A^T X = b: A^T is triangular the other way
        x = _substitute(np.swapaxes(triangle, -1, -2), input._data, not upper) if transpose \
            else _substitute(triangle, input._data, upper)
    # (torch's results, solved and copied by LAPACK, are column-major)
    outs = record_factors(TRIANGULAR_SOLVE, (_column_major(x), _column_major(a)), (input, A),
                        {"upper": upper, "transpose": transpose, "unitriangular": unitriangular})
    return TriangularSolve(*outs)


# ---- Cholesky factors -------------------------------------------------------------------------------------
def _cholesky_solve_vjp(wrt_factor: bool):  # noqa: ANN202 - a VJP factory
    """torch's cholesky_solve_backward: gB = cholesky_solve(gX), gL = -(C L) (-(L C) when upper) with
    C = gB X^H + X gB^H (the formula is torch's complex one: it is applied as it is)."""
    def vjp(grad: Tensor, input2: Tensor, result: Tensor, upper: bool) -> Tensor:
        g_b = cholesky_solve(grad, input2, upper)
        if not wrt_factor:
            return g_b
        common = g_b @ result.mH
        common = common + common.mH
        return -(input2 @ common) if upper else -(common @ input2)
    return vjp


CHOLESKY_SOLVE = defop("cholesky_solve", ("self", "input2"), {"self": _cholesky_solve_vjp(False),
                                                              "input2": _cholesky_solve_vjp(True)}, complex_vjps=True)


@op("cholesky_solve(Tensor input, Tensor input2, bool upper=False, *, Tensor out=None)", method=True,
    out_check=castable_result("cholesky_solve"), out_layout="contiguous")
def cholesky_solve(input: Tensor, input2: Tensor, upper: bool = False) -> Tensor:
    """A X = B for A = L L^H (U^H U when ``upper``), given the factor: two triangular substitutions."""
    if input._data.ndim < 2:
        raise RuntimeError("b should have at least 2 dimensions, but has %d dimensions instead" % input._data.ndim)
    if input2._data.ndim < 2:
        raise RuntimeError("u should have at least 2 dimensions, but has %d dimensions instead" % input2._data.ndim)
    _check_system("cholesky_solve", input, input2)
    _check_floating("cholesky_solve_cpu", input2)
    lower = adjoint_data(np.triu(input2._data)) if upper else np.tril(input2._data)
    with np.errstate(all="ignore"):
        x = _substitute(adjoint_data(lower), _substitute(lower, input._data, False), True)
    return record(CHOLESKY_SOLVE, _column_major(x), (input, input2), {"upper": upper})  # (LAPACK's potrs: column-major)


def _cholesky_inverse_vjp(grad: Tensor, self: Tensor, result: Tensor, upper: bool) -> Tensor:
    """torch's cholesky_inverse_backward (its complex formula): C = A^-1 (G + G^H) A^-1, gL = -(C L) (-(L C)
    when upper)."""
    common = result @ ((grad + grad.mH) @ result)
    return -(self @ common) if upper else -(common @ self)


CHOLESKY_INVERSE = defop("cholesky_inverse", ("self",), {"self": _cholesky_inverse_vjp}, complex_vjps=True)


@op("cholesky_inverse(Tensor input, bool upper=False, *, Tensor out=None)", method=True,
    out_check=castable_result("cholesky_inverse"), out_layout="contiguous_unless_empty")
def cholesky_inverse(input: Tensor, upper: bool = False) -> Tensor:
    """(L L^H)^-1 from the factor L (or (U^H U)^-1 from U)."""
    data = input._data
    if data.ndim < 2:
        raise RuntimeError("cholesky_inverse: The input tensor A must have at least 2 dimensions.")
    n, m = data.shape[-2:]
    if n != m:
        raise RuntimeError("cholesky_inverse: A must be batches of square matrices, but they are %d by %d matrices"
                           % (n, m))
    _check_floating("cholesky_inverse_out_cpu", input)
    diagonals = flat_batch(np.diagonal(data, 0, -2, -1), 1)
    zero = np.argwhere(diagonals == 0)  # LAPACK's potri inverts the factor first: an exactly zero diagonal refuses
    if zero.size:
        where = "(Batch element %d): " % zero[0][0] if data.ndim > 2 else ""
        raise _LinAlgError("cholesky_inverse: %sThe diagonal element %d is zero, the inversion could not be completed "
                           "because the input matrix is singular." % (where, zero[0][1] + 1))
    lower = adjoint_data(np.triu(data)) if upper else np.tril(data)
    with np.errstate(all="ignore"):
        w = _triangular_inverse(lower)
        if np.iscomplexobj(data):
            inverse = _potri_complex(w, upper)
        else:
            product = _lower_gram(w, w)
            inverse = product + adjoint_data(np.tril(product, -1))
    # (LAPACK's potri: column-major)
    return record(CHOLESKY_INVERSE, _column_major(inverse.astype(data.dtype, copy=False)), (input,), {"upper": upper})


def _triangular_inverse(lower: np.ndarray) -> np.ndarray:
    """The inverse of (a batch of) lower triangular matrices as LAPACK's trti2 builds it, column by column from the
    last: W[j, j] = 1 / L[j, j] (a complex one unscaled, NaN for an infinity, as MKL's), then
    W[j+1:, j] = -W[j, j] W[j+1:, j+1:] L[j+1:, j]. Only the lower triangles are read and written, so an infinity or
    NaN reaches what it does in torch's (a substitution against the identity multiplied its zeros into them: NaN
    everywhere)."""
    n = lower.shape[-1]
    w = np.zeros_like(lower)
    below = np.tril(np.ones((n, n), bool))
    for j in range(n - 1, -1, -1):
        diagonal = lower[..., j, j]
        w[..., j, j] = _unscaled_reciprocal(diagonal) if np.iscomplexobj(lower) else 1 / diagonal
        terms = w[..., j + 1:, j + 1:] * lower[..., None, j + 1:, j]
        w[..., j + 1:, j] = np.where(below[j + 1:, j + 1:], terms, 0).sum(-1) * -w[..., j, j, None]
    return w


def _lower_gram(v: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The lower triangle of V^H W for lower triangular V and W, as LAPACK's lauu2 sums it: element (i, j) over
    k >= max(i, j) only (the matrix product, where every element is finite: the triangles' zeros then add
    nothing; elsewhere they would multiply an infinity into a NaN)."""
    if np.isfinite(v).all() and np.isfinite(w).all():
        return np.tril(adjoint_data(v) @ w)
    n = w.shape[-1]
    k = np.arange(n)
    read = (k[:, None, None] >= k[None, :, None]) & (k[:, None, None] >= k[None, None, :])  # [k, i, j]
    terms = np.conjugate(v)[..., :, :, None] * w[..., :, None, :]
    return np.tril(np.where(read, terms, 0).sum(-3))


def _potri_complex(w: np.ndarray, upper: bool) -> np.ndarray:
    """W^H W for the inverse W of a complex lower factor as LAPACK's zlauu2 computes it, then torch's Hermitian
    fill: zlauu2 reads each diagonal element of W as its real part (a Cholesky factor's diagonal is real), takes the
    real part of every diagonal sum but the last one's, and scales the last row (upper: column) by it instead."""
    n = w.shape[-1]
    real_diagonal = w.copy()
    index = np.arange(n)
    real_diagonal[..., index, index] = w[..., index, index].real
    product = _lower_gram(real_diagonal, w)
    diagonal = product[..., index, index]
    diagonal[..., :-1] = diagonal[..., :-1].real
    if upper and n:  # (zlauu2's upper form computes the adjoint: only the unscaled last diagonal element shows it)
        diagonal[..., -1] = diagonal[..., -1].conj()
    strict = np.tril(product, -1)
    result = strict + adjoint_data(strict)
    result[..., index, index] = diagonal
    return result
