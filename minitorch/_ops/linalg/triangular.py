"""Triangular systems: linalg.solve_triangular, the solver the factorisations' gradients are written with."""
from __future__ import annotations

import numpy as np

from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ..conversion import convert
from ..dims import broadcast_pair
from ..inplace import OutCheck
from ..registry import linalg_op
from .lu_kernels import _substitute
from .solvers import _column_major, check_matrix_dims, check_square_shape, require_lapack_dtype


def triangle(x: Tensor, upper: bool, unitriangular: bool = False) -> Tensor:
    """The triangle of ``x`` a triangular solve reads (its strict part when the diagonal is taken as ones)."""
    offset = int(unitriangular)
    return x.triu(offset) if upper else x.tril(-offset)


def _solve_triangular_vjp(wrt_A: bool):  # noqa: ANN202 - a VJP factory
    """AX = B: gB = A^-T G, gA = -gB X^T; XA = B: gB = G A^-T, gA = -X^T gB; gA kept to A's triangle."""
    def vjp(grad: Tensor, A: Tensor, result: Tensor, upper: bool, left: bool, unitriangular: bool) -> Tensor:
        g_b = solve_triangular(A.mT, grad, upper=not upper, left=left, unitriangular=unitriangular)
        if not wrt_A:
            return g_b
        return triangle(-(g_b @ result.mT) if left else -(result.mT @ g_b), upper, unitriangular)
    return vjp


SOLVE_TRIANGULAR = defop("linalg_solve_triangular", ("A", "B"),
                         {"A": _solve_triangular_vjp(True), "B": _solve_triangular_vjp(False)})


@linalg_op("linalg_solve_triangular(Tensor input, Tensor B, *, bool upper, bool left=True, bool unitriangular=False, "
           "Tensor out=None)", out_check=OutCheck("expected scalar type %(result)s but found %(out)s"))
def solve_triangular(A: Tensor, B: Tensor, *, upper: bool, left: bool = True, unitriangular: bool = False) -> Tensor:
    """The result takes A's dtype: torch copies B into a result allocated as A, column-major, then solves in place
    (LAPACK's trsm: float32, float64 and complex only)."""
    fname = "linalg.solve_triangular"
    check_square_shape(fname, A)
    check_matrix_dims(fname, B, "B")
    n = A._data.shape[-1]
    rows, cols = B._data.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError("%s: Incompatible shapes of A and B for the equation %s (%dx%d and %dx%d)"
                           % (fname, "AX = B" if left else "XA = B", n, n, rows, cols))
    broadcast_pair(B._data.shape[:-2], A._data.shape[:-2])
    require_lapack_dtype("triangular_solve_cpu", A)
    # (B's values in A's dtype; the recorded input is B itself, whose gradient the engine casts back, as torch's)
    a, b = (np.triu if upper else np.tril)(A._data), convert(B, A.dtype)._data
    if unitriangular:
        a = a.copy()
        np.einsum("...ii->...i", a)[...] = 1
    with np.errstate(all="ignore"):
        data = _substitute(a, b, upper) if left else np.swapaxes(
            _substitute(np.swapaxes(a, -1, -2), np.swapaxes(b, -1, -2), not upper), -1, -2)
    return record(SOLVE_TRIANGULAR, _column_major(data), (A, B),
                  {"upper": upper, "left": left, "unitriangular": unitriangular})
