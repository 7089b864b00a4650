"""torch.svd_lowrank and torch.pca_lowrank (torch/_lowrank.py): Halko, Martinsson and Tropp's randomized SVD
(their algorithms 4.4 and 5.1), drawing its random matrix from the global generator as torch does, so that
the same seed gives the same factors. Composed of table ops: differentiable as torch's."""
from __future__ import annotations


from ... import _dtype as D
from ..._rng.tensor_api import randn
from ..._tensor import Tensor
from ..registry import python_op
from .decompositions import qr, svd


def _projection_dtype(A: Tensor) -> D.dtype:
    """The random projection's dtype: a complex A's own, else torch's get_floating_dtype (float16, float32 and
    float64 kept, float32 for any other)."""
    return A.dtype if A.dtype.is_complex or A.dtype in (D.float16, D.float32, D.float64) else D.float32


def _product(A: Tensor, M: Tensor | None, B: Tensor) -> Tensor:
    """``(A - M) B`` as torch computes it: ``A B - M B`` (its rounding and graph)."""
    X = A @ B
    return X if M is None else X - M @ B


def _approximate_basis(A: Tensor, q: int, niter: int, M: Tensor | None) -> Tensor:
    """Q with q orthonormal columns such that Q Q^H (A - M) approximates A - M: a random projection, then ``niter``
    power iterations (each re-orthonormalised)."""
    Q = qr(_product(A, M, randn((A.shape[-1], q), dtype=_projection_dtype(A)))).Q
    for _ in range(niter):
        Q = qr(_product(A.mH, None if M is None else M.mH, Q)).Q
        Q = qr(_product(A, M, Q)).Q
    return Q


def _svd_lowrank(A: Tensor, q: int | None, niter: int | None, M: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    q = 6 if q is None else q
    niter = 2 if niter is None else niter
    m, n = A.shape[-2:]
    if M is not None:
        M = M.broadcast_to(A.shape)
    wide = m < n
    if wide:  # the algorithm wants a tall matrix: that of A^H, whose U and V are A's V and U
        A = A.mH
        M = None if M is None else M.mH
    Q = _approximate_basis(A, q, niter, M)
    B = Q.mH @ A
    if M is not None:
        B = B - Q.mH @ M
    U, S, Vh = svd(B, full_matrices=False)
    U, V = Q @ U, Vh.mH
    return (V, S, U) if wide else (U, S, V)


@python_op("svd_lowrank")
def svd_lowrank(A: Tensor, q: int | None = 6, niter: int | None = 2, M: Tensor | None = None
                ) -> tuple[Tensor, Tensor, Tensor]:
    return _svd_lowrank(A, q, niter, M)


@python_op("pca_lowrank")
def pca_lowrank(A: Tensor, q: int | None = None, center: bool = True, niter: int = 2) -> tuple[Tensor, Tensor, Tensor]:
    m, n = A.shape[-2:]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError("q(=%s) must be non-negative integer and not greater than min(m, n)=%d" % (q, min(m, n)))
    if not niter >= 0:
        raise ValueError("niter(=%s) must be non-negative integer" % niter)
    if not center:
        return _svd_lowrank(A, q, niter, None)
    return _svd_lowrank(A - A.mean(dim=(-2,), keepdim=True), q, niter, None)
