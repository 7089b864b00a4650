"""Factorisations: Cholesky, symmetric eigendecomposition, SVD and QR, with torch's gradients (the
formulas of torch's FunctionsManual, written in minitorch ops so that they differentiate again).

Signs of eigenvectors, singular vectors and QR factors are LAPACK's (NumPy calls the same routines
torch does: syevd, gesdd, geqrf/orgqr), so they match torch's up to how the LAPACK builds round."""
from __future__ import annotations

from typing import Any

import numpy as np

from ..dims import flat_batch
from ..inplace import castable_result
from ... import _dtype as D
from ..._tensor import Tensor
from ...autograd.engine import SavedTensor
from ...autograd.recording import defop, record, record_multi
from ...return_types import _return_type
from ..._warn_once import warn_once
from ..registry import linalg_op, op
from ..result_layout import contiguous
from ..joining import cat
from .solvers import (_LinAlgError, _check_square, _column_major, check_square_shape,
                      require_lapack_dtype,
                      svd_arrays)
from .triangular import solve_triangular

CholeskyEx = _return_type("linalg_cholesky_ex", ("L", "info"))
Eigh = _return_type("linalg_eigh", ("eigenvalues", "eigenvectors"))
Svd = _return_type("linalg_svd", ("U", "S", "Vh"))
TorchSvd = _return_type("svd", ("U", "S", "V"))
Qr = _return_type("linalg_qr", ("Q", "R"))
TorchQr = _return_type("qr", ("Q", "R"))


def check_matrix(fname: str, A: Tensor) -> None:
    if A._data.ndim < 2:
        raise RuntimeError("%s: The input tensor A must have at least 2 dimensions." % fname)
    if A.dtype.category < D.FLOATING:
        raise RuntimeError("%s: Expected a floating point or complex tensor as input. Got %s"
                           % (fname, A.dtype._cast_name))


def _batch_prefix(A: np.ndarray, index: int) -> str:
    return "(Batch element %d): " % index if A.ndim > 2 else ""


# ---- Cholesky ------------------------------------------------------------------------------------
def _cholesky_vjp(grad: Tensor, result: Tensor, upper: bool) -> Tensor:
    """torch's cholesky_backward, op for op: gA = L^-H pi*(tril(L^H gL)) L^-1 with pi*(X) = (X + tril(X, -1)^H) / 2,
    which is not Hermitian where X's diagonal is not real (a complex cotangent's)."""
    L, gL = (result.mH, grad.mH) if upper else (result, grad)
    gA = (L.mH @ gL).tril()
    gA = 0.5 * (gA + gA.tril(-1).mH)
    gA = solve_triangular(L.mH, gA, upper=True, left=True)
    return solve_triangular(L, gA, upper=False, left=False)


# (torch runs the backward in the factor's dtype: an empty float16 one refuses its triangular solves)
CHOLESKY_EX = defop("linalg_cholesky_ex", ("A",), {"A": _cholesky_vjp}, complex_vjps=True, widen=False)
CHOLESKY = defop("cholesky", ("self",), {"self": _cholesky_vjp}, complex_vjps=True, widen=False)


def _potrf(a: np.ndarray) -> tuple[np.ndarray, int]:
    """LAPACK potf2 on one matrix's lower triangle: the factor, and ``info`` (the order of the first leading
    minor that is not positive definite, whose updated pivot is left in place; 0 on success)."""
    n = a.shape[-1]
    L = np.tril(a)
    for j in range(n):
        # a Hermitian matrix's diagonal is real; the product's imaginary part (0 unless NaN) stays in a failed pivot
        pivot = L[j, j].real - L[j, :j] @ L[j, :j].conj()
        if not pivot.real > 0:
            L[j, j] = pivot
            return L, j + 1
        L[j, j] = np.sqrt(pivot.real)
        column = L[j + 1:, j] - L[j + 1:, :j] @ L[j, :j].conj()
        # MKL's real float32 kernel multiplies by a Newton-refined reciprocal, r (2 - x r): NaN for x = inf
        # (measured: [[inf, 1], [1, 2]]'s factor is [[inf, 0], [nan, nan]], info 2, where float64's is finite)
        L[j + 1:, j] = column * np.nan if a.dtype == np.float32 and np.isinf(L[j, j]) else column / L[j, j]
    return L, 0


def _cholesky_data(fname: str, A: Tensor, upper: bool, check_errors: bool) -> tuple[np.ndarray, np.ndarray]:
    # the upper factor of A is the adjoint of the lower one of A^H (A^T when real)
    if not A._data.size:  # (no kernel runs: any dtype's empty factor, complex32's storage included, laid out as one)
        empty = np.zeros(A._data.shape, A._data.dtype)
        return _column_major(empty), np.zeros(A._data.shape[:-2], np.int32)
    a = A._data if not upper else np.conjugate(np.swapaxes(A._data, -1, -2))
    try:
        L = np.linalg.cholesky(a)
        # (NumPy fills a failed factor with NaN when its error is silenced, and an infinite one may hide a NaN
        # pivot: potf2 tells)
        if not np.isfinite(L).all():
            raise np.linalg.LinAlgError()
        info = np.zeros(a.shape[:-2], np.int32)
    except np.linalg.LinAlgError:
        flat = flat_batch(a, 2)
        factors = [_potrf(m) for m in flat]
        L = np.stack([f for f, _ in factors]).reshape(a.shape)
        info = np.array([i for _, i in factors], np.int32).reshape(a.shape[:-2])
        if check_errors and info.any():
            b = int(np.flatnonzero(info.reshape(-1))[0])
            raise _LinAlgError("%s: %sThe factorization could not be completed because the input is not "
                               "positive-definite (the leading minor of order %d is not positive-definite)."
                               % (fname, _batch_prefix(a, b), info.reshape(-1)[b])) from None
    L = L.astype(A.dtype.np, copy=False)
    return (np.conjugate(np.swapaxes(L, -1, -2)) if upper else _column_major(L)), info


@linalg_op("linalg_cholesky_ex(Tensor input, *, bool upper=False, bool check_errors=False, TensorList[2] out=None)",
           out_check=True)
def cholesky_ex(A: Tensor, *, upper: bool = False, check_errors: bool = False) -> CholeskyEx:
    _check_square("linalg.cholesky", A)
    data, info = _cholesky_data("linalg.cholesky_ex", A, upper, check_errors)
    return CholeskyEx(record(CHOLESKY_EX, data, (A,), {"upper": upper}), Tensor._make(info))


@linalg_op("linalg_cholesky(Tensor input, *, bool upper=False, Tensor out=None)", out_check=True)
def cholesky(A: Tensor, *, upper: bool = False) -> Tensor:
    _check_square("linalg.cholesky", A)
    data, _ = _cholesky_data("linalg.cholesky", A, upper, True)
    return record(CHOLESKY_EX, data, (A,), {"upper": upper})


_CHOLESKY_DEPRECATION = (
    "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed in a future PyTorch release.\n"
    "L = torch.cholesky(A)\nshould be replaced with\nL = torch.linalg.cholesky(A)\nand\n"
    "U = torch.cholesky(A, upper=True)\nshould be replaced with\nU = torch.linalg.cholesky(A).mH\n"
    "This transform will produce equivalent results for all valid (symmetric positive definite) inputs. (Triggered "
    "internally at /__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:1765.)")


@op("cholesky(Tensor input, bool upper=False, *, Tensor out=None)", method=True, out_check=castable_result("cholesky"),
    out_layout="contiguous")
def torch_cholesky(input: Tensor, upper: bool = False) -> Tensor:
    """The deprecated torch.cholesky (warns once, as torch's TORCH_WARN_ONCE)."""
    _warn_once("cholesky", _CHOLESKY_DEPRECATION)
    if not input._data.size:  # torch returns an empty input before any check of its shape
        return record(CHOLESKY, input._data.copy(), (input,), {"upper": upper})
    check_square_shape("cholesky", input)
    require_lapack_dtype("cholesky_cpu", input)  # (no floating check: its kernel refuses any other dtype)
    data, _ = _cholesky_data("cholesky", input, upper, True)
    return record(CHOLESKY, data, (input,), {"upper": upper})




def _warn_once(key: str, message: str) -> None:
    warn_once(key, message, stacklevel=4)


def record_factors(op: Any, datas: tuple, A: Tensor | tuple, attrs: dict) -> list[Tensor]:
    """A factorisation's outputs, recorded on one node that saves them all as ``result`` (torch saves its
    factors: the backward formulas are written in them); ``A`` is the input, or a tuple of inputs."""
    outs = record_multi(op, datas, A if isinstance(A, tuple) else (A,), attrs)
    node = outs[0]._grad_fn
    if node is not None:
        node._saved["result"] = tuple(SavedTensor(o, True) for o in outs)
    return outs


# ---- symmetric eigendecomposition -------------------------------------------------------------------
def _eigh_vjp(grad: tuple, result: tuple) -> Tensor:
    """gA = V (diag(gL) + skew(V^H gV) / E) V^H, E_ij = L_j - L_i (torch's linalg_eig_backward, Hermitian).
    Complex eigenvectors are defined up to a phase each: a loss that depends on it has no gradient (torch's
    check of the imaginary diagonal of V^H gV)."""
    (g_values, g_vectors), (L, V) = grad, result
    n = L.shape[-1]
    eye = Tensor._make(np.eye(n, dtype=L.dtype.np))
    VhgV = V.mH @ g_vectors
    _check_gauge(VhgV.diagonal(0, -2, -1).imag if V.is_complex() else None, None,
                 "linalg_eigh_backward: The eigenvectors in the complex case are specified up to multiplication by "
                 "e^{i phi}. The specified loss function depends on this quantity, so it is ill-defined.")
    E = L.unsqueeze(-2) - L.unsqueeze(-1) + eye  # ones on the diagonal, whose entries are replaced below
    inner = (0.5 * (VhgV - VhgV.mH)) / E * (1 - eye) + g_values.diag_embed()
    return V @ (inner @ V.mH)


def _check_gauge(a: Tensor | None, b: Tensor | None, message: str) -> None:
    """torch's lax test (allclose, rtol = atol = 1e-2) that a loss does not depend on the phases of complex
    eigen- or singular vectors: the imaginary diagonals ``a`` and ``-b`` (0 when None) must agree."""
    if a is None:
        return
    other = np.zeros_like(a._data) if b is None else -b._data
    if not np.allclose(a._data, other, rtol=1e-2, atol=1e-2):
        raise RuntimeError(message)


EIGH = defop("linalg_eigh", ("A",), {"A": _eigh_vjp}, num_outputs=2, complex_vjps=True)


def _eigh(fname: str, A: Tensor, UPLO: str) -> list[Tensor]:
    return record_factors(EIGH, _eigh_data(fname, A, UPLO), A, {})


def _eigh_data(fname: str, A: Tensor, UPLO: str) -> tuple[np.ndarray, np.ndarray]:
    if _check_eigh(fname, A, UPLO):
        return _no_eigenvalues(A), _column_major(np.zeros(A._data.shape, A._data.dtype))
    try:
        values, vectors = np.linalg.eigh(A._data, UPLO=UPLO)
    except np.linalg.LinAlgError:
        raise _eigh_error(fname, A._data, UPLO, True) from None
    return values.astype(A.dtype.to_real().np, copy=False), _column_major(vectors.astype(A.dtype.np, copy=False))


def _eigvalsh_data(fname: str, A: Tensor, UPLO: str) -> np.ndarray:
    """The eigenvalues alone, as torch's syevd computes them without vectors (which fails on other inputs)."""
    if _check_eigh(fname, A, UPLO):
        return _no_eigenvalues(A)
    try:
        values = np.linalg.eigvalsh(A._data, UPLO=UPLO)
    except np.linalg.LinAlgError:
        raise _eigh_error(fname, A._data, UPLO, False) from None
    return values.astype(A.dtype.to_real().np, copy=False)


def _check_eigh(fname: str, A: Tensor, UPLO: str) -> bool:
    """eigh's checks; whether A is empty (torch runs no kernel: any dtype's empty results)."""
    check_square_shape(fname, A)
    if UPLO not in ("L", "U"):
        raise RuntimeError("Expected UPLO argument to be 'L' or 'U', but got %s" % UPLO)
    if not A._data.size:
        return True
    require_lapack_dtype("linalg_eigh_cpu", A)
    return False


def _no_eigenvalues(A: Tensor) -> np.ndarray:
    """The eigenvalues of an empty batch of matrices, in the real dtype of A's (complex32's: float16)."""
    return np.zeros(A._data.shape[:-1], A.dtype.to_real().np)


def _eigh_error(fname: str, A: np.ndarray, UPLO: str, vectors: bool) -> _LinAlgError:
    """torch's error where LAPACK's syevd does not converge (infinities whose tridiagonal form is NaN), for the first
    such matrix. Its code counts the off-diagonal elements left unconverged: where the tridiagonal form is NaN
    throughout, n - 1 with vectors (steqr), n - 2 without (sterf); fewer where it splits into blocks (not modelled)."""
    decompose = np.linalg.eigh if vectors else np.linalg.eigvalsh
    b = next((i for i, m in enumerate(flat_batch(A, 2)) if _raises(decompose, m, UPLO)), 0)
    return _LinAlgError("%s: %sThe algorithm failed to converge because the input matrix is ill-conditioned or has "
                        "too many repeated eigenvalues (error code: %d)."
                        % (fname, _batch_prefix(A, b), A.shape[-1] - (1 if vectors else 2)))


def _raises(decompose: Any, m: np.ndarray, UPLO: str) -> bool:
    try:
        decompose(m, UPLO=UPLO)
    except np.linalg.LinAlgError:
        return True
    return False


@linalg_op("linalg_eigh(Tensor input, c10::string_view UPLO=\"L\", *, TensorList[2] out=None)", out_check=True)
def eigh(A: Tensor, UPLO: str = "L") -> Eigh:
    return Eigh(*_eigh("linalg.eigh", A, UPLO))


def _eigvalsh_vjp(grad: Tensor, A: Tensor, UPLO: str) -> Tensor:
    """V diag(g) V^H, with V from a recorded eigh of A: only the eigenvalues' gradient enters (torch leaves
    the vectors' undefined, which a zero-filled one is not where eigenvalues repeat)."""
    _, V = _eigh("linalg.eigh", A, UPLO)
    return (V * grad.unsqueeze(-2)) @ V.mH


EIGVALSH = defop("linalg_eigvalsh", ("A",), {"A": _eigvalsh_vjp}, grad_name="LinalgEighBackward0",
                 complex_vjps=True)


@linalg_op("linalg_eigvalsh(Tensor input, c10::string_view UPLO=\"L\", *, Tensor out=None)", out_check=True)
def eigvalsh(A: Tensor, UPLO: str = "L") -> Tensor:
    return record(EIGVALSH, _eigvalsh_data("linalg.eigh", A, UPLO), (A,), {"UPLO": UPLO})


# ---- SVD ---------------------------------------------------------------------------------------------
def _svd_vjp(grad: tuple, result: tuple, full_matrices: bool) -> Tensor:
    """torch's svd_backward: with skew(X) = X - X^H and E_ij = S_j^2 - S_i^2,
    gA = U [(skew(U^H gU) S + S skew(V^H gV)) / E + diag(gS) + i Im(diag(U^H gU)) / S] V^H, plus the parts of
    gU (gV) outside span(U) (span(V)) when A is tall (wide). Complex singular vectors are defined up to a
    common phase per pair: a loss that depends on it has no gradient (torch's check)."""
    (gU, gS, gVh), (U, S, Vh) = grad, result
    m, n = U.shape[-2], Vh.shape[-1]
    k = S.shape[-1]
    if full_matrices and m != n:  # only the first k singular vectors are determined by A
        U, gU, Vh, gVh = U[..., :k], gU[..., :k], Vh[..., :k, :], gVh[..., :k, :]
    UhgU, VhgV = U.mH @ gU, Vh @ gVh.mH
    UhgU, VhgV = UhgU - UhgU.mH, VhgV - VhgV.mH
    complex_ = U.is_complex()
    _check_gauge(UhgU.diagonal(0, -2, -1).imag if complex_ else None,
                 VhgV.diagonal(0, -2, -1).imag if complex_ else None,
                 "svd_backward: The singular vectors in the complex case are specified up to multiplication by "
                 "e^{i phi}. The specified loss function depends on this phase term, making it ill-defined.")
    eye = Tensor._make(np.eye(k, dtype=S.dtype.np))
    S2 = S * S
    E = S2.unsqueeze(-2) - S2.unsqueeze(-1) + eye
    gA = (UhgU * S.unsqueeze(-2) + S.unsqueeze(-1) * VhgV) / E + gS.diag_embed()
    if complex_:
        gA = gA + (UhgU.diagonal(0, -2, -1) / (2 * S)).diag_embed()
    if m > n:
        gUSinv = gU / S.unsqueeze(-2)
        return (U @ gA + gUSinv - U @ (U.mH @ gUSinv)) @ Vh
    if m < n:
        SinvgVh = gVh / S.unsqueeze(-1)
        return U @ (gA @ Vh + SinvgVh - (SinvgVh @ Vh.mH) @ Vh)
    return U @ (gA @ Vh)


SVD = defop("linalg_svd", ("A",), {"A": _svd_vjp}, num_outputs=3, complex_vjps=True)


def _check_svd(A: Tensor, driver: str | None) -> None:
    check_matrix("linalg.svd", A)
    if not A._data.size:  # (torch makes an empty input's factors itself: no driver, no kernel)
        return
    if driver is not None:
        raise RuntimeError("torch.linalg.svd: keyword argument `driver=` is only supported on CUDA inputs with "
                           "cuSOLVER backend.")
    require_lapack_dtype("linalg_svd_cpu", A)


def _svd(A: Tensor, full_matrices: bool, driver: str | None = None) -> list[Tensor]:
    _check_svd(A, driver)
    U, S, Vh = svd_arrays(A._data, full_matrices=full_matrices)
    U, Vh = (_column_major(D.cast_np(x, A.dtype.np)) for x in (U, Vh))
    S = D.cast_np(S, A.dtype.to_real().np)
    return record_factors(SVD, (U, S, Vh), A, {"full_matrices": full_matrices})


@linalg_op("linalg_svd(Tensor A, bool full_matrices=True, *, c10::string_view? driver=None, TensorList[3] out=None)",
           out_check=True)
def svd(A: Tensor, full_matrices: bool = True, *, driver: str | None = None) -> Svd:
    return Svd(*_svd(A, full_matrices, driver))


def _svdvals_vjp(grad: Tensor, A: Tensor) -> Tensor:
    """U diag(g) V^T, with U, V from a recorded SVD of A: only the values' gradient enters (torch leaves the
    vectors' undefined, which a zero-filled one is not where a singular value is 0)."""
    U, _, Vh = _svd(A, False)
    return (U * grad.unsqueeze(-2)) @ Vh


SVDVALS = defop("linalg_svdvals", ("A",), {"A": _svdvals_vjp}, grad_name="LinalgSvdBackward0", complex_vjps=True)


@linalg_op("linalg_svdvals(Tensor A, *, c10::string_view? driver=None, Tensor out=None)", out_check=True)
def svdvals(A: Tensor, *, driver: str | None = None) -> Tensor:
    _check_svd(A, driver)
    return record(SVDVALS, contiguous(svd_arrays(A._data, compute_uv=False).astype(A.dtype.to_real().np, copy=False)),
                  (A,))


@op("svd(Tensor input, bool some=True, bool compute_uv=True, *, TensorList[3] out=None)", method=True, out_check=True)
def torch_svd(input: Tensor, some: bool = True, compute_uv: bool = True) -> TorchSvd:
    """The deprecated torch.svd: V instead of Vh, and zero-filled vectors when not computed."""
    if input._data.ndim < 2:
        raise RuntimeError("linalg.svd: input should have at least 2 dimensions, but has %d dimensions instead"
                           % input._data.ndim)
    if not compute_uv:
        S = svdvals(input)
        m, n = input._data.shape[-2:]

        def zeros(r: int, c: int) -> Tensor:
            return Tensor._make(np.zeros(input._data.shape[:-2] + (r, c), input.dtype.np))
        return TorchSvd(zeros(m, m), S, zeros(n, n))
    U, S, Vh = _svd(input, not some)
    return TorchSvd(U, S, Vh.mH)


# ---- QR ----------------------------------------------------------------------------------------------
_QR_MODES = ("reduced", "r", "complete")


def _qr_vjp(grad: tuple, result: tuple, mode: str) -> Tensor:
    """A = QR: for m >= n, M = R gR^H - gQ^H Q, gA = (gQ + Q copyltu(M)) R^-H, copyltu(M) the Hermitian
    matrix of M's strict lower triangle with Re(diag M) on its diagonal (R's diagonal is real); a wide
    A = Q [R1 R2] is the square case of its first m columns with gQ + A2 gR2^H, and gA2 = Q gR2."""
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use "
                           "linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")
    (gQ, gR), (Q, R) = grad, result
    m, n = Q.shape[-2], R.shape[-1]
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.")
    if m >= n:
        return _qr_square_vjp(gQ, gR, Q, R)
    R1, gR1, gR2 = R[..., :m], gR[..., :m], gR[..., m:]
    gA1 = _qr_square_vjp(gQ + (Q @ R[..., m:]) @ gR2.mH, gR1, Q, R1)
    return cat([gA1, Q @ gR2], -1)


def _qr_square_vjp(gQ: Tensor, gR: Tensor, Q: Tensor, R: Tensor) -> Tensor:
    M = R @ gR.mH - gQ.mH @ Q
    lower = M.tril(-1)
    copyltu = lower + lower.mH + M.diagonal(0, -2, -1).real.diag_embed()
    return solve_triangular(R.mH, gQ + Q @ copyltu, upper=False, left=False)


QR = defop("linalg_qr", ("A",), {"A": _qr_vjp}, num_outputs=2, complex_vjps=True)


def _qr(fname: str, A: Tensor, mode: str) -> list[Tensor]:
    check_matrix(fname, A)
    if mode not in _QR_MODES:
        raise RuntimeError("qr received unrecognized mode '%s' but expected one of 'reduced' (default), 'r', or "
                           "'complete'" % mode)
    require_lapack_dtype("geqrf_cpu", A)
    Q, R = np.linalg.qr(A._data, mode="complete" if mode == "complete" else "reduced")
    Q, R = _column_major(Q.astype(A.dtype.np, copy=False)), _column_major(R.astype(A.dtype.np, copy=False))
    if mode == "r":
        Q = np.empty(0, A.dtype.np)
    return record_factors(QR, (Q, R), A, {"mode": mode})


@linalg_op("linalg_qr(Tensor A, c10::string_view mode=\"reduced\", *, TensorList[2] out=None)", out_check=True)
def qr(A: Tensor, mode: str = "reduced") -> Qr:
    return Qr(*_qr("linalg.qr", A, mode))


_QR_DEPRECATION = (
    "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a future PyTorch release.\n"
    "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\nQ, R = torch.qr(A, some)\n"
    "should be replaced with\nQ, R = torch.linalg.qr(A, 'reduced' if some else 'complete') (Triggered internally at "
    "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:2505.)")


@op("qr(Tensor input, bool some=True, *, TensorList[2] out=None)", method=True, out_check=True)
def torch_qr(input: Tensor, some: bool = True) -> TorchQr:
    _warn_once("qr", _QR_DEPRECATION)
    return TorchQr(*_qr("linalg.qr", input, "reduced" if some else "complete"))
