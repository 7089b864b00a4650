"""torch.lobpcg (torch/_lobpcg.py): the k largest (or smallest) eigenpairs of a symmetric positive-definite
problem A x = lambda B x (B = I by default) by Knyazev's locally optimal block preconditioned conjugate gradient
('basic') or with Stathopoulos and Wu's B-orthonormal basis selection as Duersch et al. refine it ('ortho', the
default).

The iteration takes torch's steps (the same Rayleigh-Ritz reductions, convergence test, stopping rule and random
start drawn from the global generator), so that a seeded run follows torch's, and hands its state to a
``tracker`` under torch's attribute names. The gradient for A (B = I) is torch's: the symmetric
eigendecomposition's backward, completed on the orthogonal complement of the k eigenvectors by the polynomial
solution of a Sylvester equation (Hu and Cheng, 2006), written in table ops so that it differentiates again."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ... import _dtype as D
from ..._rng.engine import Generator
from ..._rng.tensor_api import randn
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd.recording import defop
from ..joining import cat
from ..registry import python_op
from .decompositions import cholesky, eigh, qr, record_factors
from .factored_solvers import cholesky_solve
from .triangular import solve_triangular

_EPS = {D.float32: 1.2e-07, D.float64: 2.23e-16}  # torch's own rounded machine epsilons


# ---- building blocks ------------------------------------------------------------------------------------
def _times(A: Tensor | None, X: Tensor) -> Tensor:
    """A X, with A = None standing for the identity."""
    return X if A is None else A @ X


def _quadratic_form(A: Tensor | None, S: Tensor) -> Tensor:
    return S.mT @ _times(A, S)


def _eigenpairs(M: Tensor, largest: bool) -> tuple[Tensor, Tensor]:
    """eigh of M's upper triangle, the largest first when ``largest``."""
    E, Z = eigh(M, "U")
    return (E.flip(-1), Z.flip(-1)) if largest else (E, Z)


def _eye(n: int, like: Tensor) -> Tensor:
    return Tensor._make(np.eye(n, dtype=like.dtype.np))


# ---- the iteration ----------------------------------------------------------------------------------------
class LOBPCG:
    """The state of one LOBPCG run, under torch's names (what a tracker reads): parameters ``iparams``, ``fparams``,
    ``bparams``; iteration variables ``ivars`` (``istep``, ``converged_count``...), ``fvars``, ``bvars`` (a tracker
    stops the run with ``bvars["force_stop"] = True``), ``tvars`` (``rerr``); tensors ``A``, ``B``, ``iK``, the
    eigenvalue and eigenvector estimates ``E``, ``X``, the search basis ``S`` and the residual ``R``."""

    def __init__(self, A: Tensor, B: Tensor | None, X: Tensor, iK: Tensor | None, iparams: dict, fparams: dict,
                 bparams: dict, method: str, tracker: Callable | None) -> None:
        self.A, self.B, self.iK = A, B, iK
        self.iparams, self.fparams, self.bparams = iparams, fparams, bparams
        self.method, self.tracker = method, tracker
        m, n = iparams["m"], iparams["n"]
        self.X = X
        self.E = X.new_zeros((n,))
        self.R = X.new_zeros((m, n))
        self.S = X.new_zeros((m, 3 * n))
        self.tvars: dict[str, Tensor] = {}
        self.ivars: dict[str, int] = {"istep": 0}
        self.fvars: dict[str, float] = {"_": 0.0}
        self.bvars: dict[str, bool] = {"_": False}

    def run(self) -> None:
        self.update()
        while True:
            if self.tracker is not None:
                self.tracker(self)
            if self._stopped():
                return
            self.update()

    def _stopped(self) -> bool:
        return (self.bvars.get("force_stop", False) or self.ivars["iterations_left"] == 0
                or self.ivars["converged_count"] >= self.iparams["k"])

    def update(self) -> None:
        """One step (the first one also measures the norms the convergence test scales by)."""
        if self.ivars["istep"] == 0:
            x_norm = float(self.X.norm())
            self.fvars["X_norm"] = x_norm
            self.fvars["A_norm"] = float(_times(self.A, self.X).norm()) * x_norm ** -1
            self.fvars["B_norm"] = float(_times(self.B, self.X).norm()) * x_norm ** -1
            self.ivars.update(iterations_left=self.iparams["niter"], converged_count=0, converged_end=0)
        if self.method == "ortho":
            self._ortho_step()
        else:
            self._basic_step()
        self.ivars["iterations_left"] -= 1
        self.ivars["istep"] += 1

    def _update_residual(self) -> None:
        self.R = _times(self.A, self.X) - _times(self.B, self.X) * self.E

    def _update_converged_count(self) -> int:
        """How many leading eigenpairs meet the backward-stable test of Duersch et al. (section 4.3): converged
        pairs stay counted in order, so the count never decreases."""
        previous = self.ivars["converged_count"]
        E, X, R = self.E, self.X, self.R
        rerr = R.norm(2, (0,)) / (X.norm(2, (0,)) * (self.fvars["A_norm"] + E[:X.shape[-1]].abs()
                                                    * self.fvars["B_norm"]))
        count = 0
        for ok in (rerr < self.fparams["tol"]).tolist():
            if not ok:
                break
            count += 1
        if count < previous:
            raise AssertionError("the number of converged eigenpairs (was %d, got %d) cannot decrease"
                                 % (previous, count))
        self.ivars["converged_count"] = count
        self.tvars["rerr"] = rerr
        return count

    def _extend_basis(self, n_kept: int, W: Tensor) -> None:
        """S = [X, P, W]: W goes after the first ``n_kept`` columns."""
        end = n_kept + W.shape[-1]
        self.ivars["converged_end"] = end
        self.S[:, n_kept:end] = W

    def _basic_step(self) -> None:
        n, largest = self.iparams["n"], self.bparams["largest"]
        nc, ns = self.ivars["converged_count"], self.ivars["converged_end"]
        if self.ivars["istep"] == 0:
            Ri = self._rayleigh_ritz_transform(self.X)
            E, Z = _eigenpairs(_quadratic_form(_quadratic_form(self.A, self.X), Ri), largest)
            self.X[:] = self.X @ (Ri @ Z)
            self.E[:] = E
            self._update_residual()
            self._update_converged_count()
            self.S[:, :n] = self.X
            self._extend_basis(n, _times(self.iK, self.R))
            return
        S_ = self.S[:, nc:ns]
        Ri = self._rayleigh_ritz_transform(S_)
        E_, Z = _eigenpairs(_quadratic_form(_quadratic_form(self.A, S_), Ri), largest)
        self.X[:, nc:] = S_ @ (Ri @ Z[:, :n - nc])
        self.E[nc:] = E_[:n - nc]
        P = S_ @ (Ri @ Z[:, n:2 * n - nc])
        self._update_residual()
        nc = self._update_converged_count()
        self.S[:, :n] = self.X
        self.S[:, n:n + P.shape[-1]] = P
        self._extend_basis(n + P.shape[-1], _times(self.iK, self.R[:, nc:]))

    def _ortho_step(self) -> None:
        n, largest = self.iparams["n"], self.bparams["largest"]
        nc, ns = self.ivars["converged_count"], self.ivars["converged_end"]
        if self.ivars["istep"] == 0:
            Ri = self._rayleigh_ritz_transform(self.X)
            Z = _eigenpairs(_quadratic_form(_quadratic_form(self.A, self.X), Ri), largest)[1]
            self.X = self.X @ (Ri @ Z)
            self._update_residual()  # with E still zero, as torch's first step leaves it
            self._update_converged_count()
            self.S[:, :n] = self.X
            self._extend_basis(n, self._orthonormal_complement(self.R, self.X))
            return
        S_ = self.S[:, nc:ns]
        E_, Z = _eigenpairs(_quadratic_form(self.A, S_), largest)
        self.X[:, nc:] = S_ @ Z[:, :n - nc]
        self.E[nc:] = E_[:n - nc]
        P = S_ @ (Z[:, n - nc:] @ qr(Z[:n - nc, n - nc:].mT).Q)
        self._update_residual()
        nc = self._update_converged_count()
        self.S[:, :n] = self.X
        self.S[:, n:n + P.shape[-1]] = P
        self._extend_basis(n + P.shape[-1], self._orthonormal_complement(self.R[:, nc:], self.S[:, :n + P.shape[-1]]))

    def _rayleigh_ritz_transform(self, S: Tensor) -> Tensor:
        """Ri reducing (S^T A S) C = (S^T B S) C E to the standard problem (Ri^T S^T A S Ri) Z = Z E, C = Ri Z:
        with d = diag(S^T B S)^(-1/2) and R^T R the Cholesky factorisation of diag(d) S^T B S diag(d),
        Ri = diag(d) R^-1."""
        SBS = _quadratic_form(self.B, S)
        d = SBS.diagonal(0, -2, -1) ** -0.5
        R = cholesky((SBS * d) * d.reshape(-1, 1), upper=True)
        return solve_triangular(R, d.diag_embed(), upper=True, left=False)

    def _svqb(self, U: Tensor, drop: bool, tau: float) -> Tensor:
        """U with B-orthonormal columns (Duersch's algorithm 4): exactly zero columns are dropped first; the
        eigenvalues of the scaled Gram matrix below tau times the largest are raised to it (or, with ``drop``,
        their directions dropped)."""
        if U.numel() == 0:
            return U
        UBU = _quadratic_form(self.B, U)
        d = UBU.diagonal(0, -2, -1)
        nonzero = (d.abs() != 0.0).nonzero().reshape(-1)
        if nonzero.numel() < d.numel():
            U = U[:, nonzero]
            if U.numel() == 0:
                return U
            UBU = _quadratic_form(self.B, U)
            d = UBU.diagonal(0, -2, -1)
        scale = (d ** -0.5).reshape(-1, 1)
        E, Z = _eigenpairs((UBU * scale) * scale.mT, False)
        threshold = tau * E.abs().max()
        if drop:
            keep = (E > threshold).nonzero().reshape(-1)
            E, Z, scale = E[keep], Z[:, keep], scale[keep]
        else:
            E[E < threshold] = threshold
        return (U * scale.mT) @ (Z * E ** -0.5)

    def _orthonormal_complement(self, U: Tensor, V: Tensor) -> Tensor:
        """U made B-orthonormal and B-orthogonal to V (Duersch's algorithm 3, or 6 with ``ortho_use_drop``):
        alternating projections out of V and svqb passes, up to ``ortho_i_max`` and ``ortho_j_max`` times, until
        the relative errors (recorded in ``fvars``) fall below ``ortho_tol``. Empty when U lies in V's span."""
        tau_ortho, tau_drop = self.fparams["ortho_tol"], self.fparams["ortho_tol_drop"]
        tau_replace, use_drop = self.fparams["ortho_tol_replace"], self.bparams["ortho_use_drop"]
        for key in [key for key in self.fvars if key.startswith("ortho_") and key.endswith("_rerr")]:
            del self.fvars[key]
        self.ivars.pop("ortho_i", 0)
        self.ivars.pop("ortho_j", 0)
        BV_norm = _times(self.B, V).norm()
        BU = _times(self.B, U)
        VBU = V.mT @ BU
        i = j = 0
        for i in range(self.iparams["ortho_i_max"]):
            U = U - V @ VBU
            drop, tau_svqb = False, tau_drop
            for j in range(self.iparams["ortho_j_max"]):
                if use_drop:
                    U = self._svqb(U, drop, tau_svqb)
                    drop, tau_svqb = True, tau_replace
                else:
                    U = self._svqb(U, False, tau_replace)
                if U.numel() == 0:
                    self.ivars.update(ortho_i=i, ortho_j=j)
                    return U
                BU = _times(self.B, U)
                UBU = U.mT @ BU
                rerr = float((UBU - _eye(UBU.shape[-1], UBU)).norm()) * float(BU.norm() * U.norm()) ** -1
                self.fvars["ortho_UBUmI_rerr[%d, %d]" % (i, j)] = rerr
                if rerr < tau_ortho:
                    break
            VBU = V.mT @ BU
            rerr = float(VBU.norm()) * float(BV_norm * U.norm()) ** -1
            self.fvars["ortho_VBU_rerr[%d]" % i] = rerr
            if rerr < tau_ortho:
                break
            if self.iparams["m"] < U.shape[-1] + V.shape[-1]:
                if self.B is None:
                    raise AssertionError("B must not be None")
                raise ValueError("Overdetermined shape of U: #B-cols(=%d) >= #U-cols(=%d) + #V-cols(=%d) must hold"
                                 % (self.B.shape[-1], U.shape[-1], V.shape[-1]))
        self.ivars.update(ortho_i=i, ortho_j=j)
        return U


def _solve(A: Tensor, B: Tensor | None, k: int | None, X: Tensor | None, n: int | None, iK: Tensor | None,
           niter: int | None, tol: float | None, largest: bool | None, method: str | None, tracker: Any,
           ortho_iparams: dict | None, ortho_fparams: dict | None, ortho_bparams: dict | None
           ) -> tuple[Tensor, Tensor]:
    """torch's _lobpcg, without recording: the parameters, then one run per matrix of the batch (each from its
    own random start unless X is given)."""
    with grad_mode.no_grad():
        return _batched_runs(A.detach(), None if B is None else B.detach(), k, X, n, iK, niter, tol, largest, method,
                             tracker, ortho_iparams, ortho_fparams, ortho_bparams)


def _batched_runs(A: Tensor, B: Tensor | None, k: int | None, X: Tensor | None, n: int | None, iK: Tensor | None,
                  niter: int | None, tol: float | None, largest: bool | None, method: str | None, tracker: Any,
                  ortho_iparams: dict | None, ortho_fparams: dict | None, ortho_bparams: dict | None
                  ) -> tuple[Tensor, Tensor]:
    if A.shape[-2] != A.shape[-1]:
        raise AssertionError("A must be square, got shape %s" % (A.shape,))
    if B is not None and A.shape != B.shape:
        raise AssertionError("A and B must have same shape, got %s vs %s" % (A.shape, B.shape))
    dtype = A.dtype if A.dtype in (D.float16, D.float32, D.float64) else D.float32
    if tol is None:
        if dtype not in _EPS:
            raise KeyError(dtype)
        tol = _EPS[dtype] ** 0.5
    m = A.shape[-1]
    k = (1 if X is None else X.shape[-1]) if k is None else k
    n = (k if n is None else n) if X is None else X.shape[-1]
    if m < 3 * n:
        raise ValueError("LOBPCG algorithm is not applicable when the number of A rows (=%d) is smaller than 3 x the "
                         "number of requested eigenpairs (=%d)" % (m, n))
    method = "ortho" if method is None else method
    iparams = {"m": m, "n": n, "k": k, "niter": 1000 if niter is None else niter}
    fparams = {"tol": tol}
    bparams = {"largest": True if largest is None else largest}
    if method == "ortho":
        iparams.update(ortho_iparams or {})
        fparams.update(ortho_fparams or {})
        bparams.update(ortho_bparams or {})
        iparams.setdefault("ortho_i_max", 3)
        iparams.setdefault("ortho_j_max", 3)
        for key in ("ortho_tol", "ortho_tol_drop", "ortho_tol_replace"):
            fparams.setdefault(key, tol)
        bparams.setdefault("ortho_use_drop", False)

    def run(A_: Tensor, B_: Tensor | None, X_: Tensor | None) -> LOBPCG:
        X_ = randn((m, n), dtype=dtype) if X_ is None else X_
        if not (X_.ndim == 2 and tuple(X_.shape) == (m, n)):
            raise AssertionError("X%s shape mismatch: got %s, expected %s"
                                 % ("_" if A.ndim > 2 else "", X_.shape, (m, n)))
        worker = LOBPCG(A_, B_, X_, iK, iparams, fparams, bparams, method, tracker)
        worker.run()
        return worker

    if A.ndim == 2:
        worker = run(A, B, X)
        return worker.E[:k], worker.X[:, :k]
    batch = A.shape[:-2]
    count = 1
    for size in batch:
        count *= size
    bA = A.reshape((count, m, m))
    bB = None if B is None else B.reshape((count, m, m))
    bX = None if X is None else X.reshape((count,) + tuple(X.shape[-2:]))
    values, vectors = [], []
    for i in range(count):
        iparams["batch_index"] = i
        worker = run(bA[i], None if bB is None else bB[i], None if bX is None else bX[i])
        values.append(worker.E[:k])
        vectors.append(worker.X[:, :k])
    E = cat([v.unsqueeze(0) for v in values]).to(dtype) if count else A.new_empty((0, k), dtype=dtype)
    U = cat([v.unsqueeze(0) for v in vectors]).to(dtype) if count else A.new_empty((0, m, k), dtype=dtype)
    return E.reshape(tuple(batch) + (k,)), U.reshape(tuple(batch) + (m, k))


# ---- the gradient -----------------------------------------------------------------------------------------
def _eigenspace_grad(g_values: Tensor, g_vectors: Tensor, values: Tensor, vectors: Tensor) -> Tensor:
    """U (diag(gD) + (U^T gU) o F) U^T, F_ij = 1 / (d_j - d_i) off the diagonal, 0 on it: the symmetric
    eigendecomposition's backward, as if U spanned the whole space."""
    k = values.shape[-1]
    eye = _eye(k, values)
    gaps = values.unsqueeze(-2) - values.unsqueeze(-1) + eye  # the diagonal held at 1, so that F's 0 differentiates
    F = (1 - eye) / gaps
    Ut = vectors.mT
    return vectors @ ((g_values.diag_embed() + (Ut @ g_vectors) * F) @ Ut)


def _characteristic_polynomial(roots: Tensor) -> Tensor:
    """The coefficients c_0, ..., c_k (c_k = 1) of prod_i (x - roots_i), lowest power first."""
    coefficients = roots.new_ones(roots.shape[:-1] + (1,))
    zero = roots.new_zeros(roots.shape[:-1] + (1,))
    for i in range(roots.shape[-1]):
        coefficients = cat([zero, coefficients], -1) - roots[..., i:i + 1] * cat([coefficients, zero], -1)
    return coefficients


def _polynomial_at_values(coefficients: Tensor, x: Tensor) -> Tensor:
    """sum_j coefficients_j x^j at each of x's entries (Horner), for a monic polynomial."""
    result = x.new_ones(x.shape)
    for j in range(coefficients.shape[-1] - 2, -1, -1):
        result = result * x + coefficients[..., j:j + 1]
    return result


def _polynomial_at_matrix(coefficients: Tensor, A: Tensor) -> Tensor:
    """sum_j coefficients_j A^j (Horner), for a monic polynomial."""
    eye = _eye(A.shape[-1], A)
    result = eye.expand(A.shape)
    for j in range(coefficients.shape[-1] - 2, -1, -1):
        result = A @ result + coefficients[..., j, None, None] * eye
    return result


def _check_backward(A: Tensor, B: Tensor | None) -> None:
    if A.dtype.is_complex or B is not None and B.dtype.is_complex:
        raise ValueError("lobpcg.backward does not support complex input yet. Note that lobpcg.forward does though.")
    if B is not None:
        raise ValueError("lobpcg.backward does not support backward with B != I yet.")


def _lobpcg_grad(grad: tuple, A: Tensor, B: Tensor | None, result: tuple, largest: bool) -> Tensor:
    """torch's LOBPCGAutogradFunction.backward (B = I): the eigendecomposition's backward as if the k eigenvectors
    U spanned the space, minus the part in their orthogonal complement, spanned by U_perp (drawn, as torch's, from
    a fresh default-seeded generator): the polynomial solution of the Sylvester equation there,
    U_perp (U_perp^T p(A) U_perp)^-1 U_perp^T (sum_j (A^(j-1) gU) diag(q_j(D))) U^T, with p the characteristic
    polynomial of D and q_j(x) = sum_{i>=j} p_i x^(i-j)."""
    _check_backward(A, B)
    g_values, g_vectors = grad
    values, vectors = result
    m, k = vectors.shape[-2:]
    inside = _eigenspace_grad(g_values, g_vectors, values, vectors)
    if m == k:
        return inside
    projector = _eye(m, A) - vectors @ vectors.mT
    U_perp = projector @ randn(tuple(A.shape[:-1]) + (m - k,), dtype=A.dtype, generator=Generator())
    p = _characteristic_polynomial(values)
    series = g_vectors.new_zeros(g_vectors.shape)
    power_times_grad = g_vectors
    for j in range(1, k + 1):
        series = series + power_times_grad * _polynomial_at_values(p[..., j:], values).unsqueeze(-2)
        power_times_grad = A @ power_times_grad
    restricted = U_perp.mT @ _polynomial_at_matrix(p, A) @ U_perp
    # p(A) on the complement is definite: positive unless the k largest were asked for and k is odd
    sign = -1 if largest and k % 2 == 1 else 1
    L = cholesky(sign * restricted)
    return inside - U_perp @ (sign * cholesky_solve(U_perp.mT @ series, L)) @ vectors.mT


def _refuse_for_B(grad: tuple, A: Tensor, B: Tensor) -> Tensor:
    _check_backward(A, B)
    raise AssertionError("unreachable: B is given")


def _lobpcg_grad_without_B(grad: tuple, A: Tensor, result: tuple, largest: bool) -> Tensor:
    return _lobpcg_grad(grad, A, None, result, largest)


# torch's autograd.Function has an edge per tensor argument: none for a B not given
LOBPCG_OP = defop("lobpcg", ("A",), {"A": _lobpcg_grad_without_B}, grad_name="LOBPCGAutogradFunctionBackward",
                  num_outputs=2, complex_vjps=True)
LOBPCG_WITH_B = defop("lobpcg", ("A", "B"), {"A": _lobpcg_grad, "B": _refuse_for_B},
                      grad_name="LOBPCGAutogradFunctionBackward", num_outputs=2, complex_vjps=True)


@python_op("lobpcg")
def lobpcg(A: Tensor, k: int | None = None, B: Tensor | None = None, X: Tensor | None = None, n: int | None = None,
           iK: Tensor | None = None, niter: int | None = None, tol: float | None = None, largest: bool | None = None,
           method: str | None = None, tracker: Any = None, ortho_iparams: dict | None = None,
           ortho_fparams: dict | None = None, ortho_bparams: dict | None = None) -> tuple[Tensor, Tensor]:
    """The k largest (smallest unless ``largest``) eigenpairs of A x = lambda B x, A and B symmetric positive
    definite; eigenvalues (..., k) and eigenvectors (..., m, k). When A or B requires grad, they are symmetrized
    first ((A + A^T) / 2, as torch does, so that the gradient is symmetric)."""
    args = (k, X, n, iK, niter, tol, largest, method, tracker, ortho_iparams, ortho_fparams, ortho_bparams)
    # torch asks A (then B) first thing: a non-tensor A fails there, with AttributeError
    if not ((A.requires_grad or B is not None and B.requires_grad) and grad_mode.STATE.enabled):
        return _solve(A, B, *args)
    A_sym = (A + A.mT) / 2
    B_sym = None if B is None else (B + B.mT) / 2
    E, U = _solve(A_sym, B_sym, *args)
    inputs = (A_sym,) if B is None else (A_sym, B_sym)
    outs = record_factors(LOBPCG_OP if B is None else LOBPCG_WITH_B, (E._data, U._data), inputs,
                          {"largest": True if largest is None else bool(largest)})
    return outs[0], outs[1]
