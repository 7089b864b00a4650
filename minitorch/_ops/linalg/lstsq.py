"""linalg.lstsq: least-squares solutions of A X = B, returning per LAPACK driver what torch returns (residuals,
rank, singular values), with torch's gradient (through the pseudo-inverse, as its linalg_lstsq_backward).

Each driver's algorithm: gels a QR (LQ) solution assuming full rank; gelsy a column-pivoted QR whose rank is
where its leading block's condition number passes 1/rcond (LAPACK estimates that number incrementally; this
computes it); gelsd and gelss the pseudo-inverse from the SVD."""
from __future__ import annotations


import numpy as np

from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.recording import defop
from ...return_types import _return_type
from ..dims import broadcast_pair, flat_batch
from ..registry import linalg_op
from .decompositions import record_factors
from .matrix_functions import _pinv_vjp, pinv
from .solvers import _LinAlgError, _column_major, adjoint_data
from .lu_kernels import _substitute

Lstsq = _return_type("linalg_lstsq", ("solution", "residuals", "rank", "singular_values"))
_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def _lstsq_vjp(wrt_A: bool):  # noqa: ANN202 - a VJP factory
    """Through A+ (torch's linalg_lstsq_backward, a formula for complex matrices): gA = pinv_backward(gX B^H),
    gB = A+^H gX; the residuals ||A X - B||^2 add 2 R X^H g and -2 R g (R = A X - B: X is optimal, so it does
    not move them)."""
    def vjp(grad: tuple, self: Tensor, b: Tensor, result: tuple, vector: bool) -> Tensor:
        A, B = self, b
        (g_x, g_residuals), X = grad, result[0]
        b = B.unsqueeze(-1) if vector else B
        g_x, X = (g_x.unsqueeze(-1), X.unsqueeze(-1)) if vector else (g_x, X)
        pinv_a = pinv(A)
        if wrt_A:
            g = _pinv_vjp(g_x @ b.mH, A, pinv_a)
        else:
            g = pinv_a.mH @ g_x
        if g_residuals.shape[-1]:  # computed (m > n, full rank)
            weighted = (A @ X - b) * g_residuals.unsqueeze(-2) * 2
            g = g + weighted @ X.mH if wrt_A else g - weighted
        return g.squeeze(-1) if vector and not wrt_A else g
    return vjp


LSTSQ = defop("linalg_lstsq", ("self", "b"), {"self": _lstsq_vjp(True), "b": _lstsq_vjp(False)}, num_outputs=2,
              complex_vjps=True)


def _check(input: Tensor, other: Tensor, driver: str | None, rcond: float | None) -> bool:
    """torch's checks, in its order; whether ``other`` is a (batch of) vector(s)."""
    fname = "torch.linalg.lstsq"
    if input._data.ndim < 2:
        raise RuntimeError("%s: input must have at least 2 dimensions." % fname)
    if other._data.ndim < 1:
        raise RuntimeError("%s: other must have at least 1 dimension." % fname)
    if input.dtype is not other.dtype:
        raise RuntimeError("%s: Expected input and other to have the same dtype, but got input's dtype %s and "
                           "other's dtype %s" % (fname, input.dtype._cast_name, other.dtype._cast_name))
    dim_diff = input._data.ndim - other._data.ndim
    if dim_diff not in (0, 1):
        raise RuntimeError("%s: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) "
                           "<= 1" % fname)
    # (torch's linalg_solve_is_vector_rhs: a vector, or a batch of them shaped as input without its last dim; another
    # other of one dim less is a matrix, its batch broadcast)
    vector = other._data.ndim == 1 or dim_diff == 1 and other._data.shape == input._data.shape[:-1]
    if input._data.shape[-2] != other._data.shape[-1 if vector else -2]:
        raise RuntimeError("%s: input.size(-2) should match other.size(%d)" % (fname, -1 if vector else -2))
    if driver is not None and driver not in _DRIVERS:
        raise RuntimeError("%s: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)" % fname)
    if input.dtype not in (D.float32, D.float64, D.complex64, D.complex128) and rcond is None:
        # (the default rcond is the dtype's epsilon, which torch knows for float and double only)
        raise RuntimeError("This function doesn't handle types other than float and double")
    return vector


def _gels(a: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LAPACK gels: the QR (LQ for wide A) solution, assuming full rank, and the squared norms of the rows of
    Q^H B past n (the residuals when m > n)."""
    m, n = a.shape[-2:]
    if m >= n:
        Q, R = np.linalg.qr(a, mode="complete")
        qtb = adjoint_data(Q) @ rhs
        _check_full_rank(R[..., :n, :])
        return _substitute(R[..., :n, :], qtb[..., :n, :], True), _squared_norms(qtb[..., n:, :])
    Q, R = np.linalg.qr(adjoint_data(a))  # A = R^H Q^H: X = Q R^-H B
    _check_full_rank(R)
    return Q @ _substitute(adjoint_data(R), rhs, False), np.zeros(rhs.shape[:-2] + rhs.shape[-1:], a.dtype)


def _squared_norms(columns: np.ndarray) -> np.ndarray:
    """Each column's squared 2-norm (real, for complex columns too)."""
    magnitudes = np.abs(columns)
    return (magnitudes * magnitudes).sum(-2)


def _check_full_rank(R: np.ndarray) -> None:
    """gels's refusal: an exactly zero diagonal entry of R (its 1-based index is LAPACK's error code)."""
    zeros = np.diagonal(R, 0, -2, -1) == 0
    if zeros.any():
        raise _LinAlgError("torch.linalg.lstsq: The least squares solution could not be computed because the input "
                           "matrix does not have full rank (error code: %d)."
                           % (int(np.argmax(zeros.reshape(-1, zeros.shape[-1]).any(0))) + 1))


def _gelsy(a: np.ndarray, b: np.ndarray, rcond: float) -> tuple[np.ndarray, int]:
    """LAPACK gelsy on one matrix: A P = Q R by Householder QR choosing the remaining column of largest norm;
    the rank r is the largest leading block R11 of R whose condition number stays below 1/rcond; X is the
    minimum-norm solution of [R11 R12] P^T X = (Q^H B)[:r]."""
    m, n = a.shape
    R, qtb = a.copy(), b.copy()
    order = np.arange(n)
    for j in range(min(m, n)):
        p = j + int(np.argmax(np.linalg.norm(R[j:, j:], axis=0)))
        R[:, [j, p]], order[[j, p]] = R[:, [p, j]], order[[p, j]]
        v = R[j:, j].copy()
        norm = np.linalg.norm(v)
        if norm == 0:
            continue
        v[0] += norm * (v[0] / abs(v[0]) if v[0] != 0 else 1)  # (v0's sign, or phase, keeps it from cancelling)
        v /= np.linalg.norm(v)
        R[j:, j:] -= 2 * np.outer(v, v.conj() @ R[j:, j:])
        qtb[j:] -= 2 * np.outer(v, v.conj() @ qtb[j:])
    rank = 0
    for r in range(1, min(m, n) + 1):
        s = np.linalg.svd(R[:r, :r], compute_uv=False)
        if s[-1] < rcond * s[0] or s[0] == 0:
            break
        rank = r
    x = np.zeros((n, b.shape[-1]), a.dtype)
    if rank:
        x[order] = np.linalg.pinv(R[:rank, :]) @ qtb[:rank]
    return x, rank


def _svd_solve(a: np.ndarray, rhs: np.ndarray, rcond: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """gelsd/gelss: the pseudo-inverse solution, singular values at or below rcond times the largest dropped."""
    U, S, Vh = np.linalg.svd(a, full_matrices=False)
    kept = S > rcond * S[..., :1] if S.shape[-1] else np.zeros(S.shape, bool)
    inverse = np.where(kept, 1 / np.where(kept, S, 1), 0)
    return (adjoint_data(Vh) * inverse[..., None, :]) @ (adjoint_data(U) @ rhs), kept.sum(-1), S


@linalg_op("linalg_lstsq(Tensor input, Tensor b, double? rcond=None, *, c10::string_view? driver=None)")
def lstsq(input: Tensor, b: Tensor, rcond: float | None = None, *, driver: str | None = None) -> tuple[Tensor, ...]:
    vector = _check(input, b, driver, rcond)
    driver = driver or "gelsy"  # torch's default on the CPU
    a, rhs = input._data, (b._data[..., None] if vector else b._data)
    batch = broadcast_pair(a.shape[:-2], rhs.shape[:a.ndim - 2])  # (torch's broadcast_batch_size reads input's count
    # of batch dims from other too: a matrix other of one dim less lends its rows to the batch)
    if input.dtype not in (D.float32, D.float64, D.complex64, D.complex128):  # (the kernel's dispatch, after it)
        raise NotImplementedError("\"linalg_lstsq_cpu\" not implemented for '%s'" % input.dtype._cast_name)
    m, n = a.shape[-2:]
    dtype = input.dtype.np
    if rcond is None or rcond < 0:  # LAPACK's default: machine precision
        rcond = np.finfo(dtype).eps * max(m, n)
    a = np.broadcast_to(a, batch + (m, n))
    rhs = np.broadcast_to(rhs, batch + rhs.shape[-2:])
    values = np.empty(0)
    with np.errstate(all="ignore"):
        if driver == "gels":
            solution, residuals = _gels(a, rhs)
            rank = np.empty(0, np.int64)
        elif driver == "gelsy":
            solved = [_gelsy(x, y, rcond) for x, y in zip(flat_batch(a, 2), flat_batch(rhs, 2))]
            solution = np.array([x for x, _ in solved], dtype).reshape(batch + (n, rhs.shape[-1]))  # (an empty batch
            rank = np.array([r for _, r in solved], np.int64).reshape(batch)  # too)
        else:
            solution, rank, values = _svd_solve(a, rhs, rcond)
            residuals = _squared_norms(a @ solution - rhs)
    with_residuals = m > n and driver != "gelsy" and (driver == "gels" or (rank == n).all())
    residuals = residuals if with_residuals else np.empty(0)
    # torch's: the first n rows of the column-major (max(m, n), k) matrix LAPACK solves in (a vector's: its one
    # column, whose batch stride is max(m, n))
    buffer = _column_major(np.zeros(solution.shape[:-2] + (max(m, n), solution.shape[-1]), dtype))
    buffer[..., :n, :] = solution
    solution = buffer[..., :n, 0] if vector else buffer[..., :n, :]
    real = input.dtype.to_real().np  # (of the residuals and singular values)
    outs = record_factors(LSTSQ, (solution.astype(dtype, copy=False), residuals.astype(real)), (input, b),
                          {"vector": vector})
    return Lstsq(outs[0], outs[1], Tensor._make(np.asarray(rank, np.int64)), Tensor._make(values.astype(real)))
