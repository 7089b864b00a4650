"""The general eigendecomposition: linalg.eig and linalg.eigvals, complex results for real or complex input.

NumPy's eig is LAPACK's geev, as torch's CPU kernel: each eigenvector has norm 1 and its largest component
real, so the phases agree with torch's where LAPACK's order and rounding agree; only what is unique
(eigenvalues, |V|, phase-invariant losses) is promised.
"""
from __future__ import annotations

import numpy as np

from ... import _dtype as D
from ..._complex_half_storage import values_of, warn_experimental
from ..._tensor import Tensor
from ...autograd.recording import defop, record
from ...return_types import _return_type
from ..inplace import castable_result
from ..registry import linalg_op
from .decompositions import record_factors
from .solvers import _column_major

Eig = _return_type("linalg_eig", ("eigenvalues", "eigenvectors"))

_PHASE_DEPENDENT = ("linalg_eig_backward: The eigenvectors in the complex case are specified up to multiplication "
                    "by e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")


# a square solve on complex values, for eig's backward: a holomorphic op, so its real formulas serve
# (the node conjugates them) and the backward is itself differentiable
def _solve_grad_B(grad: Tensor, A: Tensor) -> Tensor:
    return _solve(A.mT, grad)


def _solve_grad_A(grad: Tensor, A: Tensor, result: Tensor) -> Tensor:
    return -(_solve(A.mT, grad) @ result.mT)


SOLVE = defop("linalg_solve", ("A", "B"), {"A": _solve_grad_A, "B": _solve_grad_B}, grad_name="LinalgSolveExBackward0")


def _solve(A: Tensor, B: Tensor) -> Tensor:
    return record(SOLVE, np.linalg.solve(A._data, B._data), (A, B))


def _eig_vjp(grad: tuple, result: tuple) -> Tensor:
    """torch's linalg_eig_backward: gA = V^-H (diag(gL) + (V^H gV - V^H V re(diag(V^H gV))) / conj(E)) V^H,
    E_ij = L_j - L_i off the diagonal and 1 on it; without gV (the eigenvalues alone reached by a gradient), its
    shortcut V^-H diag(gL) V^H, finite for repeated eigenvalues (where 0 / E is NaN); without gL, no diag(gL)."""
    (g_values, g_vectors), (L, V) = grad, result
    Vh = V.transpose(-2, -1).conj_physical()
    if g_vectors is None:
        return _solve(Vh, g_values.unsqueeze(-1) * Vh)
    VhgV = Vh @ g_vectors
    diag = VhgV.diagonal(0, -2, -1)
    if not np.allclose(diag._data.imag, 0, rtol=1e-2, atol=1e-2):
        raise RuntimeError(_PHASE_DEPENDENT)
    VhgV = VhgV - Vh @ (V * diag.real.unsqueeze(-2))
    n = L.shape[-1]
    Lc = L.conj_physical()
    E = Lc.unsqueeze(-2) - Lc.unsqueeze(-1) + Tensor._make(np.eye(n, dtype=L._data.dtype))
    inner = VhgV / E
    return _solve(Vh, (inner if g_values is None else inner + g_values.diag_embed()) @ Vh)


EIG = defop("linalg_eig", ("A",), {"A": _eig_vjp}, num_outputs=2, complex_vjps=True, undefined_grads=True)


def _eig_data(fname: str, A: Tensor) -> tuple[np.ndarray, np.ndarray]:
    data = values_of(A._data)
    if A.dtype in D.FLOAT8 or not (A.dtype.is_floating_point or A.dtype.is_complex):
        raise RuntimeError("Unknown Complex ScalarType for " + A.dtype._cast_name)  # (torch first picks the
        # complex result dtype: the float8s have none)
    if A.dtype in (D.float16, D.complex32):  # torch allocates the complex32 results (eig's two) before it checks
        for _ in range(2 if fname == "linalg.eig" else 1):
            warn_experimental()
    if fname == "linalg.eig" and not np.isfinite(data).all():  # (eig checks the values first; eigvals does not)
        raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")
    if data.ndim < 2:
        raise RuntimeError("%s: The input tensor A must have at least 2 dimensions." % fname)
    if data.shape[-1] != data.shape[-2]:
        raise RuntimeError("%s: A must be batches of square matrices, but they are %d by %d matrices"
                           % (fname, data.shape[-2], data.shape[-1]))
    if A.dtype in (D.float16, D.bfloat16, D.complex32):  # LAPACK has no half precision
        raise NotImplementedError("\"linalg_eig_out_cpu\" not implemented for '%s'" % A.dtype._cast_name)
    if not np.isfinite(data).all():
        raise RuntimeError("torch.linalg.eig: input tensor should not contain infs or NaNs.")
    values, vectors = np.linalg.eig(data)
    complex_np = A.dtype.to_complex().np
    return values.astype(complex_np), _column_major(vectors.astype(complex_np))  # (LAPACK's geev: column-major)


@linalg_op("linalg_eig(Tensor input, *, TensorList[2] out=None)",
           out_check=(castable_result("torch.linalg.eig", "eigenvalues"),
                      castable_result("torch.linalg.eig", "eigenvectors")), out_layout="contiguous")
def eig(input: Tensor) -> Eig:
    return Eig(*record_factors(EIG, _eig_data("linalg.eig", input), input, {}))


@linalg_op("linalg_eigvals(Tensor input, *, Tensor out=None)",
           out_check=castable_result("torch.linalg.eigvals", "eigenvalues"))
def eigvals(input: Tensor) -> Tensor:
    return eig(input)[0] if input.requires_grad else Tensor._make(_eig_data("linalg.eigvals", input)[0])
