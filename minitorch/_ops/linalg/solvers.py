"""Square-matrix functions on an LU factorisation: inv (inverse), det, solve, and torch's errors for
singular matrices."""
from __future__ import annotations

from typing import Any

import numpy as np

from ... import _dtype as D
from ..._bit_views import CONJ as CONJ_BIT
from ..._bit_views import mirrored
from ..._complex_half_storage import conjugate
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.recording import defop, record
from ..dims import broadcast_pair, flat_batch, tensor_array
from ..reduction import prod_of_others
from ..registry import LINALG, linalg_op, op
from ..result_layout import contiguous
from .lu_kernels import (_lu_solve_data, adjoint_data, getrf, multipliers, pivot_magnitude, pivot_row,  # noqa: F401
                         solve_by_factors)

class _LinAlgError(RuntimeError):  # named as torch._C._LinAlgError, which torch.linalg.LinAlgError is
    """torch.linalg._LinAlgError (torch._C._LinAlgError): a matrix the factorisation could not handle."""


# LAPACK has no half precision: these functions reach their kernel's dispatch, which refuses it; the others
# refuse it in their argument check (naming the function that checks)
# (linalg.solve's lu_cpu refuses after B's checks, and only a nonempty A: ``check_solve``)
_HALF_KERNELS = {"linalg.det": "lu_cpu", "torch.linalg.lu_solve": "linalg.lu_solve_cpu",
                 "linalg.cholesky": "cholesky_cpu", "linalg.cholesky_ex": "cholesky_cpu"}
_HALF_CHECKED_AS = {"linalg.inv_ex": "linalg.inv"}
# of those, the ones whose kernel answers an empty input before its dtype dispatch
_EMPTY_ANSWERED = frozenset(("linalg.det", "linalg.cholesky", "linalg.cholesky_ex"))
# where a float8 matrix meets another kernel than a float16 one (cholesky's first is tril)
def _float8_matrix_exp_kernel(A: Tensor) -> str | None:
    """The kernel torch's matrix_exp of float8 matrices first refuses (None: 0x0 ones compute): exp for 1x1 ones,
    else its norm's abs (float8_e8m0fnu), sum, or for an empty batch its comparison."""
    n = A._data.shape[-1]
    if n == 0:
        return None
    if n == 1:
        return "exp_vml_cpu"
    return "abs_cpu" if A.dtype is D.float8_e8m0fnu else "sum_cpu" if A._data.size else "le_cpu"


def check_matrix_dims(fname: str, A: Tensor, name: str = "A") -> None:
    if A._data.ndim < 2:
        raise RuntimeError("%s: The input tensor %s must have at least 2 dimensions." % (fname, name))


LAPACK_DTYPES = (D.float32, D.float64, D.complex64, D.complex128)


def check_floating(fname: str, A: Tensor, low_precision: bool = True) -> None:
    """A floating or complex dtype (float32, float64 or complex64, complex128 only unless ``low_precision``)."""
    if A.dtype.category < D.FLOATING:
        raise RuntimeError("%s: Expected a floating point or complex tensor as input. Got %s"
                           % (fname, A.dtype._cast_name))
    if not low_precision and A.dtype not in LAPACK_DTYPES:
        raise RuntimeError("%s: Low precision dtypes not supported. Got %s" % (fname, A.dtype._cast_name))


def _check_square(fname: str, A: Tensor) -> None:
    """torch's checks of a batch of square matrices; ``fname`` is the name torch's messages give (an ``_ex``
    variant's checks name the function without it)."""
    check_square_shape(fname, A)
    check_floating(fname, A)
    if A.dtype in D.FLOAT8:
        # (the other float8 refusals are the limited dtypes' gate's: matrix_exp's kernel depends on the matrix size)
        kernel = _float8_matrix_exp_kernel(A) if fname == "linalg.matrix_exp" else None
        if kernel is not None:
            raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, A.dtype._cast_name))
    low_precision = A._data.dtype in D.REDUCED_NP or A.dtype in D.FLOAT8 or A.dtype is D.complex32
    if low_precision and fname not in ("linalg.matrix_exp", "linalg.solve"):  # (torch computes matrix_exp in half)
        if fname in _HALF_KERNELS:
            if A._data.size == 0 and fname in _EMPTY_ANSWERED:
                if fname == "linalg.det":  # det's ones are made by a promotion, which float8 refuses
                    D.promote_types(D.int64, A.dtype)
                return
            raise NotImplementedError("\"%s\" not implemented for '%s'" % (_HALF_KERNELS[fname], A.dtype._cast_name))
        checker = "linalg.inv" if fname.startswith("linalg.cond") else _HALF_CHECKED_AS.get(fname, fname)
        raise RuntimeError("%s: Low precision dtypes not supported. Got %s" % (checker, A.dtype._cast_name))


def require_lapack_dtype(kernel: str, A: Tensor) -> None:
    """torch's LAPACK kernels exist for float32, float64 and complex only: its error for the others
    (float16, bfloat16 and complex32 included, which NumPy's linalg would refuse with a TypeError of its own)."""
    if A.dtype.category < D.FLOATING or A.dtype not in LAPACK_DTYPES:
        raise NotImplementedError("\"%s\" not implemented for '%s'" % (kernel, A.dtype._cast_name))


def check_square_shape(fname: str, A: Tensor) -> None:
    """Batches of square matrices (the order of checks of eigh and ldl_factor: no dtype check between)."""
    check_matrix_dims(fname, A)
    n, m = A._data.shape[-2:]
    if n != m:
        raise RuntimeError("%s: A must be batches of square matrices, but they are %d by %d matrices" % (fname, n, m))


def _lu(a: np.ndarray) -> tuple[int, Any]:
    """LAPACK getrf's partially pivoted LU of one matrix: its ``info`` (the 1-based column of the first
    exactly-zero pivot, 0 if none) and the determinant it gives (a zero keeps the sign LAPACK gives it)."""
    a = np.array(a, copy=True)
    info, sign = 0, 1
    for j in range(a.shape[0]):
        p = j + int(pivot_row(a[j:, j]))
        if a[p, j] == 0:
            info = info or j + 1
            continue
        if p != j:
            a[[j, p]] = a[[p, j]]
            sign = -sign
        with np.errstate(all="ignore"):
            a[j + 1:, j] = multipliers(a[j + 1:, j], a[j, j])
            a[j + 1:, j + 1:] -= np.outer(a[j + 1:, j], a[j, j + 1:])
    return info, sign * np.prod(np.diagonal(a))


def _singular_error(fname: str, A: np.ndarray, inverting: bool) -> _LinAlgError:
    """torch's error for the first matrix of ``A`` whose LU has a zero pivot."""
    b, info = 0, 1  # (if LAPACK saw a zero pivot this LU does not, blame the first matrix)
    for i, m in enumerate(flat_batch(A, 2)):
        pivot = _lu(m)[0]
        if pivot:
            b, info = i, pivot
            break
    where = "(Batch element %d): " % b if A.ndim > 2 else ""
    if inverting:
        return _LinAlgError("%s: %sThe diagonal element %d is zero, the inversion could not be completed because the "
                            "input matrix is singular." % (fname, where, info))
    return _LinAlgError("%s: %sThe solver failed because the input matrix is singular." % (fname, where))


def svd_arrays(a: np.ndarray, **options: Any) -> Any:
    """``np.linalg.svd(a, **options)``, with torch's error where LAPACK does not converge (a NaN in a matrix)."""
    if not a.size and a.dtype not in (np.float32, np.float64, np.complex64, np.complex128):  # (empty factors: NumPy
        a = np.zeros(a.shape, np.complex64 if a.dtype == D.complex32.np else np.float32)  # refuses half dtypes)
    try:
        return np.linalg.svd(a, **options)
    except np.linalg.LinAlgError:
        batch = flat_batch(a, 2)
        b = next((i for i, m in enumerate(batch) if not np.isfinite(m).all()), 0)
        where = "(Batch element %d): " % b if a.ndim > 2 else ""
        reason = "the input matrix contained non-finite values" if not np.isfinite(batch[b]).all() else \
            "the input matrix is ill-conditioned or has too many repeated singular values"
        raise _LinAlgError("linalg.svd: %sThe algorithm failed to converge because %s." % (where, reason)) from None


def _column_major(x: np.ndarray) -> np.ndarray:
    """``x`` laid out as LAPACK returns matrices to torch: each matrix column by column (an empty one's strides as
    torch's, a size 0 counted as 1, whatever strides an empty view brings: a fresh one takes them)."""
    by_columns = np.swapaxes(x, -1, -2)
    fresh = np.ascontiguousarray(by_columns) if x.size else np.empty(by_columns.shape, x.dtype)
    return tensor_array(fresh).swapaxes(-1, -2)


INV = defop("linalg_inv", ("A",), {"A": lambda grad, result: -(result.mT @ grad @ result.mT)},
            grad_name="LinalgInvExBackward0")


@op("inverse(Tensor input, *, Tensor out=None)", method=True, out_check=True)
@linalg_op("linalg_inv(Tensor A, *, Tensor out=None)", out_check=True)
def inv(A: Tensor) -> Tensor:
    _check_square("linalg.inv", A)
    return inverse_of(A)


def inverse_of(A: Tensor, check_errors: bool = True) -> Tensor:
    """A's inverse (checked); a singular A's is torch's error, or unless ``check_errors`` LAPACK's partial result."""
    # (LAPACK factors A itself, as torch's: inv(A^T)^T pivots otherwise, NaN where a subnormal pivot is)
    a = A._data
    identity = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape)
    inverse = _lapack_solve("linalg.inv", a, identity, numpy_solve=lambda a, identity: np.linalg.inv(a),
                            check_errors=check_errors)
    return record(INV, _column_major(inverse), (A,))


def _lapack_solve(fname: str, a: np.ndarray, b: np.ndarray, left: bool = True,
                  numpy_solve: Any = np.linalg.solve, check_errors: bool = True) -> np.ndarray:
    """A X = B (X A = B unless ``left``) as torch's LAPACK solves it: ``numpy_solve(a, b)`` where every entry of A
    is finite, the factors of A (``lu.solve_by_factors``) where one is not, NumPy's LAPACK turning infinities and
    NaN otherwise than torch's; where A is singular (an exactly zero pivot) torch's error, or unless
    ``check_errors`` the factors' partial result (LAPACK's infinities and NaN). X A = B is solved as
    A^H X^H = B^H. Whether a nearly singular A has an exactly zero pivot depends on the factorisation's rounding
    (NumPy's LAPACK factors A^T, in its own order): where NumPy finds A singular, or its X suggests A is nearly so,
    the factors torch's LAPACK computes decide."""
    if np.isfinite(a).all():
        try:
            x = numpy_solve(a, b) if left else adjoint_data(numpy_solve(adjoint_data(a), adjoint_data(b)))
            if not _nearly_singular(a, b, x):
                return x
        except np.linalg.LinAlgError:
            pass
    x, info = solve_by_factors(a, b if left else adjoint_data(b), adjoint=not left)
    if info.any() and check_errors:
        raise _singular_error(fname, a, fname == "linalg.inv")
    return x if left else adjoint_data(x)


def _nearly_singular(a: np.ndarray, b: np.ndarray, x: np.ndarray) -> bool:
    """Whether some A of A X = B may be singular to its dtype's precision: ||A|| ||X|| / ||B|| (1-norms; A's
    condition number when B is I, a lower bound of it otherwise) past 1e-3 / eps, or X not finite. A factorisation
    meets an exactly zero pivot only where A is that close to a singular matrix."""
    if not (a.size and b.size):
        return False
    with np.errstate(all="ignore"):
        norm_a, norm_x, norm_b = (np.abs(m).sum(-2).max(-1) for m in (a, x, b))
        growth = norm_a * norm_x / np.where(norm_b == 0, 1, norm_b)
    eps = np.finfo(a.dtype).eps
    return not np.isfinite(x).all() or bool((growth * eps > 1e-3).any())


def _det_vjp(grad: Tensor, A: Tensor, result: Tensor) -> Tensor:
    """det(A) A^-T (the adjugate's transpose), as torch's linalg_det_backward: outside grad mode from the forward's LU
    factors (``_det_vjp_by_factors``), under it by ops whose own derivatives give the second one
    (``_det_vjp_differentiable``)."""
    if not A._data.size:  # torch answers an empty A with a constant (no history under create_graph)
        return A.new_zeros(A.shape)
    if A._data.shape[-1] == 1:  # det is the entry itself (torch's gradient here does not depend on A)
        return grad.unsqueeze(-1).unsqueeze(-1)
    if not grad_mode.STATE.enabled:
        return _det_vjp_by_factors(grad, A, result)
    return _det_vjp_differentiable(grad, A, result)


def _det_vjp_differentiable(grad: Tensor, A: Tensor, result: Tensor) -> Tensor:
    """torch's formula under grad mode: where |det| >= 100 eps, the solution of A^T G = grad det I (linalg_solve);
    elsewhere (a singular matrix) the adjugate from the SVD, U diag(grad det(U) det(Vh) times the product of the other
    singular values) Vh, whose second derivative is svd's (NaN where singular values repeat: a zero matrix).
    A batch takes each matrix's formula (torch's masked_fmap). Written as the real derivative: the node conjugates
    a complex gradient before and after (``defop``), torch's conj(det) and A^H in its terms."""
    identity_shape = A._data.shape[:-1]
    d = (grad * result).unsqueeze(-1).expand(identity_shape).diag_embed().mT

    def non_singular(A: Tensor, d: Tensor, grad: Tensor) -> Tensor:
        return solve(A.mT, d)

    def singular(A: Tensor, d: Tensor, grad: Tensor) -> Tensor:
        U, S, Vh = LINALG["svd"](A)
        alpha = (LINALG["det"](U) * LINALG["det"](Vh)) * grad
        products = prod_of_others(alpha.unsqueeze(-1), S, S.ndim - 1)
        return (U.conj() * products.unsqueeze(-2)).matmul(Vh.conj())

    near_zero = result.abs()._data < 100 * np.finfo(result.abs()._data.dtype).eps
    if near_zero.all():
        return singular(A, d, grad)
    if not near_zero.any():
        return non_singular(A, d, grad)
    mask = Tensor._make(np.asarray(near_zero))
    picked = A.new_empty(A.shape).index_put_((mask,), singular(A[mask], d[mask], grad[mask]))
    return picked.index_put_((~mask,), non_singular(A[~mask], d[~mask], grad[~mask]))


def _det_vjp_by_factors(grad: Tensor, A: Tensor, result: Tensor) -> Tensor:
    """torch's first-order det gradient as its formula computes it: lu_solve with the forward's LU factors (of A^T
    where ``factors_transpose``, else of A, solved adjoint), a zero pivot replaced by epsilon, and the right-hand side
    diag(grad * conj(det)). Where A or its det is not finite, the infinities and NaN are the substitutions'."""
    a, transpose = A._data, factors_transpose(A)
    lu, pivots, _ = getrf(np.swapaxes(a, -1, -2) if transpose else a)
    diagonal = np.diagonal(lu, 0, -2, -1)
    n = a.shape[-1]
    lu[..., np.arange(n), np.arange(n)] = np.where(diagonal == 0, np.finfo(a.dtype).eps, diagonal)
    # (a complex VJP here is conjugated before and after, ``defop``: torch's grad * conj(det) is conj(grad * det)
    # in those terms, and its solution is conjugated back)
    with np.errstate(all="ignore"):
        d = np.conj(grad._data * result._data)
    rhs = np.zeros(d.shape + (n, n), a.dtype)
    rhs[..., np.arange(n), np.arange(n)] = d[..., None]
    return Tensor._make(np.conj(_lu_solve_data(lu, pivots, rhs, adjoint=not transpose)).astype(a.dtype, copy=False))


DET = defop("linalg_det", ("A",), {"A": _det_vjp}, grad_name="LinalgDetBackward0")


def factors_transpose(A: Tensor) -> bool:
    """Whether torch's det and slogdet factor A^T (det(A^T) = det(A)): a contiguous real A, whose transpose is the
    column-major matrix LAPACK takes without a copy. A singular matrix's signs and gradient depend on it."""
    return A.is_contiguous() and not A.is_complex()


def _det_data(A: Tensor) -> np.ndarray:
    a = A._data
    if a.size == 0:  # a 0x0 matrix's determinant is 1 (the empty product), in any dtype
        return np.ones(a.shape[:-2], a.dtype)
    d = np.asarray(np.linalg.det(a), a.dtype)
    finite = np.isfinite(a).all((-2, -1))
    if not np.any(d == 0) and finite.all():
        return d
    # NumPy drops the sign of a zero determinant, which torch prints (-0.), and its LAPACK turns a matrix's
    # infinities into NaN otherwise than torch's (inf where the product of the pivots is): take those from torch's LU
    flat, dets = flat_batch(np.swapaxes(a, -1, -2) if factors_transpose(A) else a, 2), d.reshape(-1)
    for i in np.flatnonzero((dets == 0) | ~finite.reshape(-1)):
        dets[i] = _lu(flat[i])[1]
    return dets.reshape(d.shape)


@op("det(Tensor input)", method=True)
@linalg_op("linalg_det(Tensor A, *, Tensor out=None)", out_check=True)
def det(A: Tensor) -> Tensor:
    _check_square("linalg.det", A)
    return record(DET, contiguous(_det_data(A)), (A,))


def check_solve(fname: str, A: Tensor, B: Tensor, left: bool) -> bool:
    """linalg.solve's (and solve_ex's) checks, in torch's order; whether B is a (batch of) vector(s). A low
    precision A is refused by the factorisation's kernel, after B's checks."""
    check_floating(fname, A)
    if A.dtype is not B.dtype:
        raise RuntimeError("%s: Expected A and B to have the same dtype, but found A of type %s and B of "
                           "type %s instead" % (fname, A.dtype._cast_name, B.dtype._cast_name))
    check_square_shape(fname, A)
    a, b = A._data, B._data
    # torch's rule: B is a (batch of) vector(s) if 1-D or shaped as A without its last dim
    vector = b.ndim == 1 or (b.ndim == a.ndim - 1 and b.shape == a.shape[:-1])
    if not vector:
        check_matrix_dims(fname, B, "B")
    n = a.shape[-1]
    rows, cols = (b.shape[-1], 1) if vector else b.shape[-2:]
    if (rows if left else cols) != n:
        raise RuntimeError("%s: Incompatible shapes of A and B for the equation %s (%dx%d and %dx%d)"
                           % (fname, "AX = B" if left else "XA = B", n, n, rows, cols))
    broadcast_pair(b.shape[:-1 if vector else -2], a.shape[:-2])
    if a.size:  # (an empty A's solution is empty: torch factors nothing)
        require_lapack_dtype("lu_cpu", A)
    return vector


def _solve_vjp(wrt_A: bool) -> Any:
    """AX = B: gB = A^-T G, gA = -gB X^T; XA = B: gB = G A^-T, gA = -X^T gB (outer products for vectors)."""
    def vjp(grad: Tensor, A: Tensor, result: Tensor, vector: bool, left: bool) -> Tensor:
        g_b = solve(A.mT, grad, left=left)
        if not wrt_A:
            return g_b
        if vector:
            return -(g_b.unsqueeze(-1) * result.unsqueeze(-2))
        return -(g_b @ result.mT) if left else -(result.mT @ g_b)
    return vjp


SOLVE = defop("linalg_solve", ("A", "B"), {"A": _solve_vjp(True), "B": _solve_vjp(False)},
              grad_name="LinalgSolveExBackward0")


@linalg_op("linalg_solve(Tensor A, Tensor B, *, bool left=True, Tensor out=None)", out_check=True)
def solve(A: Tensor, B: Tensor, *, left: bool = True) -> Tensor:
    return solution_of(A, B, left, check_solve("linalg.solve", A, B, left))


def solution_of(A: Tensor, B: Tensor, left: bool, vector: bool, check_errors: bool = True) -> Tensor:
    """A X = B (X A = B unless ``left``; B a vector or a batch of them when ``vector``), checked; a singular A's is
    torch's error, or unless ``check_errors`` LAPACK's partial result."""
    a, b = A._data, B._data
    if A.dtype not in LAPACK_DTYPES:  # (an empty A's: its empty solution, shaped by NumPy in float32)
        a, b = np.empty(a.shape, np.float32), np.empty(b.shape, np.float32)
    fname = "torch.linalg.solve"
    data = _lapack_solve(fname, a, b[..., None], check_errors=check_errors)[..., 0] if vector else \
        _lapack_solve(fname, a, b, left, check_errors=check_errors)
    data = D.cast_np(data, A.dtype.np)
    if left and not vector:
        data = _column_major(data)
    elif not vector:
        data = _adjoint_solution(data)
    return record(SOLVE, data, (A, B), {"vector": vector, "left": left})


def _adjoint_solution(x: np.ndarray) -> np.ndarray:
    """X of X A = B as torch's lu_solve returns it: it solves A^H X^H = B^H into a column-major X^H, and gives back
    that buffer transposed, row-major, and (complex) with the conjugate bit set."""
    if not (x.dtype.kind == "c" and x.size):
        return np.ascontiguousarray(x)
    return mirrored(CONJ_BIT, np.ascontiguousarray(conjugate(x)))
