"""Functions of square matrices and products of several: slogdet/logdet, inv_ex/solve_ex, pinv, matrix_power,
matrix_exp, multi_dot, vecdot and vander. Those torch composes of other ops are composed the same way here,
so that their results carry torch's grad_fn names."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ..dims import broadcast_error, broadcast_pair, check_numel, check_storage, flat_batch, wrap_dim
from ..inplace import OutCheck, castable_result
from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.recording import check_no_requires_grad, defop, record
from ...return_types import _return_type
from ..pointwise import where
from ..limited_dtypes import check_eye_kernel
from ..registry import linalg_op, op
from ..result_layout import contiguous
from ..joining import cat
from .decompositions import record_factors
from .lu import getrf, linalg_lu_solve, lu_factor_ex
from .matrix_exponential import mexp
from .products import vdot
from .solvers import (LAPACK_DTYPES, _check_square, _det_data, _lu, _singular_error, adjoint_data, check_solve,
                      check_square_shape, factors_transpose, inv, inverse_of, solution_of, solve, svd_arrays)

Slogdet = _return_type("linalg_slogdet", ("sign", "logabsdet"))
TorchSlogdet = _return_type("slogdet", ("sign", "logabsdet"))
InvEx = _return_type("linalg_inv_ex", ("inverse", "info"))
SolveEx = _return_type("linalg_solve_ex", ("result", "info"))


# ---- determinants --------------------------------------------------------------------------------
def _slogdet_vjp(grad: tuple, A: Tensor, result: tuple) -> Tensor:
    """torch's slogdet_backward: g A^-H with g = g_logabsdet + i Im(g_sign conj(sign)) (a real sign is locally
    constant; a complex one turns with the phase of det)."""
    g_sign, g = grad
    if A.is_complex():
        g = g + 1j * (g_sign * result[0].conj()).imag
    # as torch's: a solve under create_graph (which refuses a singular A), else the forward's LU solved against
    # (infinite or NaN for a singular A, not refused)
    # (torch's right-hand side: g on a diagonal, F-transposed for the LU solve)
    scaled_eye = g.unsqueeze(-1).expand(tuple(A.shape[:-1])).diag_embed().mT
    if grad_mode.STATE.enabled:
        return solve(A.mH, scaled_eye)
    transposed = factors_transpose(A)
    LU, pivots, _ = lu_factor_ex((A.mT if transposed else A).detach())
    return linalg_lu_solve(LU, pivots, scaled_eye, adjoint=not transposed)


SLOGDET = defop("linalg_slogdet", ("A",), {"A": _slogdet_vjp}, num_outputs=2, complex_vjps=True)


def _lu_slogdet(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """torch's slogdet from getrf's factors: the product of U's diagonal's signs and the interchanges' parity, and
    the sum of the logs of its magnitudes (an infinite entry's NaN multipliers make it NaN, as torch's)."""
    if not a.size:
        return np.ones(a.shape[:-2], a.dtype), np.zeros(a.shape[:-2], a.real.dtype)
    lu, pivots, _ = getrf(a)
    diagonal = np.diagonal(lu, axis1=-2, axis2=-1)
    magnitude = np.abs(diagonal)
    swaps = (pivots != np.arange(1, pivots.shape[-1] + 1)).sum(-1)
    signs = diagonal / magnitude if np.iscomplexobj(a) else np.sign(diagonal)  # (torch's sgn)
    return np.prod(signs, axis=-1) * np.where(swaps % 2, -1, 1), np.log(magnitude).sum(-1)


def _slogdet(fname: str, A: Tensor) -> list[Tensor]:
    _check_square(fname, A)
    det = _det_data(A)
    magnitude = np.abs(det)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lu_sign, logabsdet = _lu_slogdet(np.swapaxes(A._data, -1, -2) if factors_transpose(A) else A._data)
        # det/|det|, as torch's (complex too); the LU's sign where det overflows (torch never forms det) and of a
        # real zero det (U's zero pivot's sign 0 times the others': -0 for a negative product)
        zero_sign = 0 if A.is_complex() else lu_sign
        sign = np.where(magnitude == 0, zero_sign, np.where(np.isinf(magnitude), lu_sign, det / magnitude)
                        ).astype(A.dtype.np)
    if not np.iscomplexobj(sign):  # torch multiplies the signs of U's diagonal: a NaN's sign is 0
        sign = np.where(np.isnan(sign), sign.dtype.type(0), sign)
    logabsdet = np.where(det == 0, -np.inf, logabsdet).astype(A.dtype.to_real().np)
    return record_factors(SLOGDET, (sign, logabsdet), A, {})


@linalg_op("linalg_slogdet(Tensor A, *, TensorList[2] out=None)", out_check=True)
def slogdet(A: Tensor) -> Slogdet:
    return Slogdet(*_slogdet("linalg.slogdet", A))


@op("slogdet(Tensor input, *, TensorList[2] out=None)", method=True, out_check=True)
def torch_slogdet(input: Tensor) -> TorchSlogdet:
    return TorchSlogdet(*_slogdet("linalg.slogdet", input))


@op("logdet(Tensor input)", method=True)
def logdet(input: Tensor) -> Tensor:
    """log det: nan for a negative determinant (torch's where over slogdet); log(sign) + log|det| if complex."""
    sign, logabsdet = _slogdet("logdet", input)
    if input.is_complex():
        return sign.log() + logabsdet
    return where(sign == -1, Tensor._make(np.array(np.nan, input.dtype.np)), logabsdet)


# ---- inverse and solve with their LAPACK info ------------------------------------------------------
def _info(A: Tensor) -> np.ndarray:
    """getrf's info per matrix: the 1-based index of the first zero pivot, or 0 (an empty matrix factors nothing)."""
    a = A._data
    if not a.size:
        return np.zeros(a.shape[:-2], np.int32)
    flat = flat_batch(a, 2)
    return np.array([_lu(m)[0] for m in flat], np.int32).reshape(a.shape[:-2])


@linalg_op("linalg_inv_ex(Tensor A, *, bool check_errors=False, TensorList[2] out=None)", out_check=True)
def inv_ex(A: Tensor, *, check_errors: bool = False) -> InvEx:
    _check_square("linalg.inv", A)
    info = _info(A)
    if info.any() and check_errors:
        raise _singular_error("linalg.inv_ex", A._data, True)
    return InvEx(inverse_of(A, check_errors=False), Tensor._make(info))


@linalg_op("linalg_solve_ex(Tensor A, Tensor B, *, bool left=True, bool check_errors=False, TensorList[2] out=None)",
           out_check=True)
def solve_ex(A: Tensor, B: Tensor, *, left: bool = True, check_errors: bool = False) -> SolveEx:
    vector = check_solve("linalg.solve", A, B, left)
    info = _info(A)
    if info.any() and check_errors:
        raise _singular_error("torch.linalg.solve_ex", A._data, False)
    return SolveEx(solution_of(A, B, left, vector, check_errors=False), Tensor._make(info))


# ---- pseudo-inverse ------------------------------------------------------------------------------------
def _pinv_vjp(grad: Tensor, A: Tensor, result: Tensor) -> Tensor:
    """torch's pinv_backward (its formula for complex matrices): the derivative of A+ along the fixed-rank
    manifold."""
    m, n = A.shape[-2:]
    pinvA, pinvAh, gradh = result, result.mH, grad.mH
    if m <= n:
        K = gradh @ pinvA
        KpinvAh = K @ pinvAh
        return -(pinvA @ K).mH + KpinvAh - (A @ pinvA) @ KpinvAh + (pinvAh @ pinvA) @ (gradh - K @ A)
    K = pinvA @ gradh
    pinvAhK = pinvAh @ K
    return -(K @ pinvA).mH + (gradh - A @ K) @ pinvA @ pinvAh + pinvAhK - pinvAhK @ pinvA @ A


PINV = defop("linalg_pinv", ("A",), {"A": _pinv_vjp}, complex_vjps=True)


def _tolerances(A: Tensor, atol: Any, rtol: Any) -> tuple[np.ndarray, np.ndarray]:
    """torch's defaults: rtol = eps * max(m, n) when neither is given, 0 when only atol is."""
    def value(t: Any) -> np.ndarray:
        return np.asarray(t._data if isinstance(t, Tensor) else (0.0 if t is None else t), np.float64)
    if rtol is None:
        rtol = 0.0 if atol is not None and not (isinstance(atol, (int, float)) and atol <= 0) else \
            np.finfo(A.dtype.np).eps * max(A.shape[-2:])
    return value(atol), value(rtol)


def check_default_rtol(A: Tensor) -> None:
    """What torch's default rtol (eps * max(m, n)) reads, before the factorization's own checks: the sizes (dim -2
    first: a missing dim fails as ``size(dim)`` fails), then the epsilon, which it has for float and double only."""
    max(A.size(-2), A.size(-1))
    if A.dtype not in LAPACK_DTYPES:
        raise RuntimeError("This function doesn't handle types other than float and double")


def check_not_complex_tolerance(t: Any, function: str, name: str) -> None:
    """torch's refusal of a complex tolerance tensor (``checkNotComplexTolerance``)."""
    if isinstance(t, Tensor) and t.dtype.category == D.COMPLEX:
        raise RuntimeError("%s: %s tensor of complex type is not supported. Got %s"
                           % (function, name, t.dtype._cast_name))


def _kept(values: np.ndarray, atol: np.ndarray, rtol: np.ndarray) -> np.ndarray:
    """Which singular values (eigenvalues' magnitudes) count: above max(atol, rtol * largest), broadcast as torch's
    ``max(atol.unsqueeze(-1), rtol.unsqueeze(-1) * largest)`` and ``S > tol`` (with their errors)."""
    magnitudes = np.abs(values)
    largest = magnitudes.max(-1, keepdims=True, initial=0.0)
    atol, rtol = atol[..., None], rtol[..., None]
    _check_broadcast(rtol.shape, largest.shape)
    relative = rtol * largest
    _check_broadcast(atol.shape, relative.shape)
    tolerance = np.maximum(atol, relative)
    _check_broadcast(magnitudes.shape, tolerance.shape)
    return magnitudes > tolerance


def _check_broadcast(a: tuple, b: tuple) -> None:
    try:
        np.broadcast_shapes(a, b)
    except ValueError:
        raise broadcast_error(a, b) from None


_PINV_SIGNATURES = (
    "linalg_pinv(Tensor input, *, Tensor? atol=None, Tensor? rtol=None, bool hermitian=False, Tensor out=None)",
    "linalg_pinv(Tensor input, *, double? atol=None, double? rtol=None, bool hermitian=False, Tensor out=None)",
    "linalg_pinv(Tensor input, Tensor rcond, bool hermitian=False, *, Tensor out=None)",
    "linalg_pinv(Tensor input, double rcond, bool hermitian=False, *, Tensor out=None)")


@linalg_op(*_PINV_SIGNATURES, out_check=castable_result("linalg.pinv"))
def pinv(input: Tensor, rcond: Any = None, hermitian: bool = False, *, atol: Any = None, rtol: Any = None) -> Tensor:
    if rcond is not None:
        check_not_complex_tolerance(rcond, "torch.linalg.pinv", "rcond")
        atol, rtol = 0.0, rcond
    check_no_requires_grad("linalg_pinv", **{name: t for name, t in (("atol", atol), ("rtol", rtol))
                                             if isinstance(t, Tensor)})
    if rtol is None and isinstance(atol, (int, float)):  # the overload of float tolerances: its rtol comes first
        check_default_rtol(input)
    if input._data.ndim < 2 or input.dtype not in LAPACK_DTYPES:
        raise RuntimeError("linalg.pinv(%s{%s}): expected a tensor with 2 or more dimensions of float, double, "
                           "cfloat or "
                           "cdouble types" % (input.dtype._cast_name, list(input._data.shape)))
    check_not_complex_tolerance(atol, "torch.linalg.pinv", "atol")
    check_not_complex_tolerance(rtol, "torch.linalg.pinv", "rtol")
    a = input._data
    if a.size == 0:  # torch's early return, whatever the tolerances' shapes: an empty (..., n, m)
        return record(PINV, np.zeros(a.shape[:-2] + a.shape[:-3:-1], input.dtype.np), (input,))
    atol_v, rtol_v = _tolerances(input, atol, rtol)
    if hermitian:
        check_square_shape("linalg.eigh", input)
        values, vectors = np.linalg.eigh(a)
        inverse = np.where(_kept(values, atol_v, rtol_v), 1 / np.where(values == 0, 1, values), 0)
        data = (vectors * inverse[..., None, :]) @ adjoint_data(vectors)
    else:
        U, S, Vh = svd_arrays(a, full_matrices=False)
        inverse = np.where(_kept(S, atol_v, rtol_v), 1 / np.where(S == 0, 1, S), 0)
        data = (adjoint_data(Vh) * inverse[..., None, :]) @ adjoint_data(U)
    return record(PINV, contiguous(data.astype(input.dtype.np, copy=False)), (input,))


@op("pinverse(Tensor input, double rcond=1e-15)", method=True)
def pinverse(input: Tensor, rcond: float = 1e-15) -> Tensor:
    return pinv(input, rcond)


# ---- powers and exponential --------------------------------------------------------------------------
@op("matrix_power(Tensor input, int64_t n, *, Tensor out=None)", method=True, out_check=castable_result("matrix_power"))
@linalg_op("linalg_matrix_power(Tensor input, int64_t n, *, Tensor out=None)",
           out_check=castable_result("matrix_power"))
def matrix_power(A: Tensor, n: int) -> Tensor:
    """torch's square-and-multiply, with its products (and so its grad_fn names)."""
    if A._data.ndim < 2:
        raise RuntimeError("linalg.matrix_power: The input tensor A must have at least 2 dimensions.")
    rows, cols = A._data.shape[-2:]
    if rows != cols:
        raise RuntimeError("linalg.matrix_power: A must be batches of square matrices, but they are %d by %d matrices"
                           % (rows, cols))
    if n == 0:  # the identity, written into a copy of A (torch's copy_: a zero gradient)
        check_eye_kernel(A.dtype)
        return A.clone().copy_(Tensor._make(np.broadcast_to(np.eye(rows, dtype=A.dtype.np), A._data.shape)))
    if n < 0:
        A, n = inv(A), -n
        if n == 1:
            return A
    if n == 1:
        return A.clone()
    if n == 2:
        return A @ A
    if n == 3:
        return (A @ A) @ A
    z = result = None
    while n > 0:
        bit, n = n % 2, n // 2
        z = A if z is None else z @ z
        if bit:
            result = z if result is None else result @ z
    return result


def _matrix_exp_vjp(grad: Tensor, self: Tensor) -> Tensor:
    """exp([[A^T, G], [0, A^T]]) holds the adjoint of exp's derivative at A in its upper-right block."""
    n = self.shape[-1]
    At = self.mT
    zeros = At * 0
    block = cat([cat([At, grad], -1), cat([zeros, At], -1)], -2)
    return matrix_exp(block)[..., :n, n:]


MATRIX_EXP = defop("linalg_matrix_exp", ("self",), {"self": _matrix_exp_vjp})


@op("matrix_exp(Tensor input)", method=True)
@linalg_op("linalg_matrix_exp(Tensor input)")
def matrix_exp(A: Tensor) -> Tensor:
    _check_square("linalg.matrix_exp", A)
    a = A._data
    flat = flat_batch(a, 2)
    if flat.shape[0] and a.shape[-1] > 1:
        if a.ndim > 3:  # (torch views the batch as one dim: refused where the layout cannot be viewed so)
            A.view(-1, *a.shape[-2:])
        data = contiguous(mexp(flat).reshape(a.shape))
    else:
        data = np.exp(a) if flat.shape[0] else a.copy()
    return record(MATRIX_EXP, data.astype(A.dtype.np, copy=False), (A,))


# ---- products ----------------------------------------------------------------------------------------
@linalg_op("linalg_vecdot(Tensor x, Tensor y, *, int64_t dim=-1, Tensor out=None)",
           out_check=OutCheck("linalg.vecdot: Expected out of dtype%(result)s but found %(out)s"))
def vecdot(x: Tensor, y: Tensor, *, dim: int = -1) -> Tensor:
    if x.dtype.category < D.FLOATING:
        raise RuntimeError("linalg.vecdot: Expected a floating point or complex tensor as input. Got %s"
                           % x.dtype._cast_name)
    if x.dtype is not y.dtype:
        raise RuntimeError("linalg.vecdot: Expected x and y to have the same dtype, but found x of type %s and y of "
                           "type %s instead" % (x.dtype._cast_name, y.dtype._cast_name))
    if x._data.ndim == 1 and y._data.ndim == 1:  # torch's vdot, whatever dim says
        return vdot(x, y)
    # (the sum's dim is checked after the product, whose kernel runs the dtypes the sum's refuses (float8): checked
    # here, after the product's broadcast, so that a pending refusal of the sum waits for it)
    wrap_dim(dim, len(broadcast_pair(x._data.shape, y._data.shape)))
    return (x.conj() * y).sum(dim)  # (x's conjugate: torch's inner product of complex vectors)


def _chain_order(shapes: Sequence[tuple]) -> list:
    """The cheapest parenthesisation of a matrix chain (the classic dynamic programme), as nested pairs. Three
    matrices are torch's special case, whose tie goes to (AB)C (the programme's to A(BC))."""
    dims = [shapes[0][0]] + [s[1] for s in shapes]
    n = len(shapes)
    if n == 3:
        a, b, c, d = dims
        return (0, (1, 2)) if a * c * (b + d) > b * d * (a + c) else ((0, 1), 2)
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k

    def tree(i: int, j: int) -> Any:
        return i if i == j else (tree(i, split[i][j]), tree(split[i][j] + 1, j))
    return tree(0, n - 1)


@linalg_op("linalg_multi_dot(TensorList tensors, *, Tensor out=None)")
def multi_dot(tensors: Sequence[Tensor]) -> Tensor:
    tensors = list(tensors)
    n = len(tensors)
    if n < 2:
        raise RuntimeError("multi_dot(): expected at least 2 tensors but got %d" % n)
    first, last = tensors[0]._data.ndim, tensors[-1]._data.ndim
    if first not in (1, 2):
        raise RuntimeError("multi_dot(): the first tensor must be 1D or 2D but got %dD" % first)
    if last not in (1, 2):
        raise RuntimeError("multi_dot(): the last tensor must be 1D or 2D but got %dD" % last)
    for i, t in enumerate(tensors[1:-1], 1):
        if t._data.ndim != 2:
            raise RuntimeError("multi_dot(): tensor %d must be 2D but got %dD" % (i, t._data.ndim))
    for i, t in enumerate(tensors[1:], 1):  # (each tensor's dtype, then its product with the one before it)
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("multi_dot(): all tensors must have be the same dtype but tensor 0 is %s and "
                               "tensor %d %s"
                               % (tensors[0].dtype.cpp_name, i, t.dtype.cpp_name))
        if tensors[i - 1].shape[-1] != t.shape[0]:
            raise RuntimeError("multi_dot(): tensors %d and %d with shapes %s and %s cannot be multiplied"
                               % (i - 1, i, list(tensors[i - 1].shape), list(t.shape)))
    out_shape = tensors[0].shape[:-1] + tensors[-1].shape[1:]
    if first == 1:
        tensors[0] = tensors[0].unsqueeze(0)
    if last == 1:
        tensors[-1] = tensors[-1].unsqueeze(-1)

    def product(node: Any) -> Tensor:
        return tensors[node] if isinstance(node, int) else product(node[0]).mm(product(node[1]))
    return product(_chain_order([tuple(t.shape) for t in tensors])).view(out_shape)


@linalg_op("linalg_vander(Tensor x, *, SymInt? N=None)")
def vander(x: Tensor, *, N: int | None = None) -> Tensor:
    """Columns x^0, x^1, ..., x^(N-1): ones, then the cumulative product of copies of x (torch's composition)."""
    if not (x.dtype in (D.float32, D.float64, D.complex64, D.complex128) or x.dtype.category == D.INTEGRAL):
        raise RuntimeError("linalg.vander supports floating point, complex, and integer tensors, but got %s"
                           % x.dtype._cast_name)
    if not x._data.ndim:  # torch takes a 0-d x as a vector of one element
        x = x.unsqueeze(0)
    N = x.shape[-1] if N is None else N
    if N <= 1:
        raise RuntimeError("N must be greater than 1.")
    # x's expanded copies count their elements, then the cumulative product allocates the powers (integers
    # promoted to int64), before NumPy could refuse the copies
    check_numel(tuple(x.shape) + (N - 1,))
    check_storage(tuple(x.shape) + (N - 1,), (D.int64 if x.dtype.category == D.INTEGRAL else x.dtype).np)
    powers = x.unsqueeze(-1).expand(*x.shape, N - 1).cumprod(-1)
    # (torch's column of ones is new: x ** 0 is 1 for an infinite or NaN x, and no gradient flows through it)
    return cat([powers.new_ones((*x.shape, 1)), powers], -1)
