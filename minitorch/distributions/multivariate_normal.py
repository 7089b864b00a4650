"""MultivariateNormal (by scale_tril, covariance or precision) and LowRankMultivariateNormal
(covariance ``W W^T + diag(D)``)."""
from __future__ import annotations

import math
from typing import Any

from . import _api as ops
from .._size import Size
from .._tensor import Tensor
from .. import linalg
from . import constraints
from .distribution import Distribution
from .normal import standard_normal
from .transforms import _broadcast_shapes
from .utils import lazy_property

__all__ = ["LowRankMultivariateNormal", "MultivariateNormal"]


def batch_mv(matrices: Tensor, vectors: Tensor) -> Tensor:
    """Matrix-vector products, broadcast over the batch dimensions."""
    return ops.matmul(matrices, vectors.unsqueeze(-1)).squeeze(-1)


def batch_mahalanobis(tril: Tensor, x: Tensor) -> Tensor:
    """``x^T (L L^T)^-1 x`` for a lower-triangular ``L``, as the squared norm of ``L^-1 x``: torch's
    _batch_mahalanobis, whose reshapes and permutes put every vector sharing a factor into one triangular solve with
    many right-hand sides (so its graph and its sums are torch's)."""
    n = x.size(-1)
    x_batch = tuple(x.shape[:-1])
    tril_dims = tril.dim() - 2
    outer = len(x_batch) - tril_dims
    # x as (..., x_i / L_i, L_i, ..., n), then (..., x_i / L_i ..., L_i ..., n)
    split: tuple[int, ...] = x_batch[:outer]
    for l_size, x_size in zip(tril.shape[:-2], x.shape[outer:-1]):
        split += (x_size // l_size, l_size)
    paired = x.reshape(split + (n,))
    new_dims = outer + 2 * tril_dims
    order = (list(range(outer)) + list(range(outer, new_dims, 2)) + list(range(outer + 1, new_dims, 2))
             + [new_dims])
    grouped = paired.permute(order)
    flat_tril = tril.reshape(-1, n, n)  # b x n x n
    columns = grouped.reshape(-1, flat_tril.size(0), n).permute(1, 2, 0)  # b x n x c
    squared = linalg.solve_triangular(flat_tril, columns, upper=False).pow(2).sum(-2).t()  # c x b
    # the reshapes and the permute undone
    inverse = list(range(outer))
    for i in range(tril_dims):
        inverse += [outer + i, outer + tril_dims + i]
    return squared.reshape(tuple(grouped.shape[:-1])).permute(inverse).reshape(x_batch)


def half_log_det(tril: Tensor) -> Tensor:
    return tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)


def _with_unit_diagonal_added(matrix: Tensor) -> Tensor:
    """``matrix + I`` as torch writes it: 1 added in place to the diagonal of a contiguous ``matrix`` (seen as rows
    of m * m elements, every (m + 1)-th), which records a CopySlices."""
    m = matrix.shape[-1]
    matrix = matrix.contiguous()
    matrix.view(-1, m * m)[:, :: m + 1] += 1
    return matrix


def _precision_to_scale_tril(precision: Tensor) -> Tensor:
    """The lower Cholesky factor of ``precision^-1``, from the Cholesky factor of the flipped precision
    (no explicit inverse of the precision matrix)."""
    flipped_factor = linalg.cholesky(ops.flip(precision, (-2, -1)))
    inverse_tril = ops.transpose(ops.flip(flipped_factor, (-2, -1)), -2, -1)
    identity = ops.eye(precision.shape[-1], dtype=precision.dtype)
    return linalg.solve_triangular(inverse_tril, identity, upper=False)


def one_matrix(error: type, **matrices: Tensor | None) -> tuple[str, Tensor]:
    """(name, value) of the one matrix given among ``matrices``, else ``error`` with torch's message."""
    given = [(name, matrix) for name, matrix in matrices.items() if matrix is not None]
    if len(given) != 1:
        raise error("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
    return given[0]


def scale_tril_of(name: str, matrix: Tensor) -> Tensor:
    """The lower Cholesky factor of the covariance that the matrix named ``name`` describes."""
    if name == "scale_tril":
        return matrix
    if name == "covariance_matrix":
        return linalg.cholesky(matrix)
    return _precision_to_scale_tril(matrix)


def _expanded_to(value: Tensor, batch_shape: Size) -> Tensor:
    return value if len(batch_shape) == 0 else value.expand(batch_shape)


class MultivariateNormal(Distribution):
    """MultivariateNormal(loc, covariance_matrix | precision_matrix | scale_tril)."""

    arg_constraints = {"loc": constraints.real_vector, "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, covariance_matrix: Tensor | None = None, precision_matrix: Tensor | None = None,
                 scale_tril: Tensor | None = None, validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        name, matrix = one_matrix(ValueError, scale_tril=scale_tril, covariance_matrix=covariance_matrix,
                                  precision_matrix=precision_matrix)
        if matrix.dim() < 2:
            what = "scale_tril matrix" if name == "scale_tril" else name
            raise ValueError(f"{what} must be at least two-dimensional, with optional leading batch dimensions")
        batch_shape = _broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(batch_shape + (-1, -1)))
        self.loc = loc.expand(batch_shape + (-1,))
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        self._unbroadcasted_scale_tril = scale_tril_of(name, matrix)

    def expand(self, batch_shape: Any, _instance: Any = None) -> "MultivariateNormal":
        n = self.event_shape[0]
        new = self._expanded(MultivariateNormal, batch_shape, _instance,
                             {"loc": (n,), "covariance_matrix": (n, n), "scale_tril": (n, n),
                              "precision_matrix": (n, n)})
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        return new

    def _matrix_shape(self) -> Size:
        return self._batch_shape + self._event_shape + self._event_shape

    @lazy_property
    def scale_tril(self) -> Tensor:
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        tril = self._unbroadcasted_scale_tril
        return ops.matmul(tril, tril.mT).expand(self._matrix_shape())

    @lazy_property
    def precision_matrix(self) -> Tensor:
        return ops.cholesky_inverse(self._unbroadcasted_scale_tril).expand(self._matrix_shape())

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @property
    def variance(self) -> Tensor:
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(self._batch_shape + self._event_shape)

    def rsample(self, sample_shape: Any = Size()) -> Tensor:
        eps = standard_normal(self._extended_shape(sample_shape), self.loc)
        return self.loc + batch_mv(self._unbroadcasted_scale_tril, eps)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        m = batch_mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + m) - half_log_det(self._unbroadcasted_scale_tril)

    def entropy(self) -> Tensor:
        entropy = (0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi))
                   + half_log_det(self._unbroadcasted_scale_tril))
        return _expanded_to(entropy, self._batch_shape)


def lowrank_log_det(cov_diag: Tensor, capacitance_tril: Tensor) -> Tensor:
    """log det(W W^T + D) by the matrix determinant lemma."""
    return 2 * half_log_det(capacitance_tril) + cov_diag.log().sum(-1)


def lowrank_mahalanobis(cov_factor: Tensor, cov_diag: Tensor, x: Tensor, capacitance_tril: Tensor) -> Tensor:
    """x^T (W W^T + D)^-1 x by the Woodbury identity."""
    wt_dinv_x = batch_mv(cov_factor.mT / cov_diag.unsqueeze(-2), x)
    return (x.pow(2) / cov_diag).sum(-1) - batch_mahalanobis(capacitance_tril, wt_dinv_x)


def _capacitance_tril(cov_factor: Tensor, cov_diag: Tensor) -> Tensor:
    """Cholesky factor of ``I + W^T D^-1 W`` (the capacitance matrix of the Woodbury identity)."""
    wt_dinv = cov_factor.mT / cov_diag.unsqueeze(-2)
    return linalg.cholesky(_with_unit_diagonal_added(ops.matmul(wt_dinv, cov_factor)))


class LowRankMultivariateNormal(Distribution):
    """LowRankMultivariateNormal(loc, cov_factor W, cov_diag D): covariance ``W W^T + diag(D)``; densities
    through the Woodbury identity and the matrix determinant lemma (no n x n factorisation)."""

    arg_constraints = {"loc": constraints.real_vector, "cov_factor": constraints.independent(constraints.real, 2),
                       "cov_diag": constraints.independent(constraints.positive, 1)}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc: Tensor, cov_factor: Tensor, cov_diag: Tensor, validate_args: bool | None = None) -> None:
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        event_shape = loc.shape[-1:]
        if cov_factor.dim() < 2:
            raise ValueError("cov_factor must be at least two-dimensional, with optional leading batch dimensions")
        if cov_factor.shape[-2:-1] != event_shape:
            raise ValueError(f"cov_factor must be a batch of matrices with shape {event_shape[0]} x m")
        if cov_diag.shape[-1:] != event_shape:
            raise ValueError(f"cov_diag must be a batch of vectors with shape {event_shape}")
        try:
            loc_, self.cov_factor, cov_diag_ = ops.broadcast_tensors(loc.unsqueeze(-1), cov_factor,
                                                                     cov_diag.unsqueeze(-1))
        except RuntimeError as e:
            raise ValueError(f"Incompatible batch shapes: loc {loc.shape}, cov_factor {cov_factor.shape}, "
                             f"cov_diag {cov_diag.shape}") from e
        self.loc, self.cov_diag = loc_[..., 0], cov_diag_[..., 0]
        self._unbroadcasted_cov_factor = cov_factor
        self._unbroadcasted_cov_diag = cov_diag
        self._capacitance_tril = _capacitance_tril(cov_factor, cov_diag)
        super().__init__(self.loc.shape[:-1], event_shape, validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> "LowRankMultivariateNormal":
        n, m = self.cov_factor.shape[-2:]
        new = self._expanded(LowRankMultivariateNormal, batch_shape, _instance,
                             {"loc": (n,), "cov_diag": (n,), "cov_factor": (n, m)})
        new._unbroadcasted_cov_factor = self._unbroadcasted_cov_factor
        new._unbroadcasted_cov_diag = self._unbroadcasted_cov_diag
        new._capacitance_tril = self._capacitance_tril
        return new

    def _matrix_shape(self) -> Size:
        return self._batch_shape + self._event_shape + self._event_shape

    @property
    def mean(self) -> Tensor:
        return self.loc

    @property
    def mode(self) -> Tensor:
        return self.loc

    @lazy_property
    def variance(self) -> Tensor:
        return (self._unbroadcasted_cov_factor.pow(2).sum(-1) + self._unbroadcasted_cov_diag).expand(
            self._batch_shape + self._event_shape)

    @lazy_property
    def scale_tril(self) -> Tensor:
        # D^1/2 chol(I + D^-1/2 W W^T D^-1/2): keeps the factorisation well conditioned
        diag_sqrt = self._unbroadcasted_cov_diag.sqrt().unsqueeze(-1)
        scaled_factor = self._unbroadcasted_cov_factor / diag_sqrt
        inner = _with_unit_diagonal_added(ops.matmul(scaled_factor, scaled_factor.mT))
        return (diag_sqrt * linalg.cholesky(inner)).expand(self._matrix_shape())

    @lazy_property
    def covariance_matrix(self) -> Tensor:
        factor = self._unbroadcasted_cov_factor
        return (ops.matmul(factor, factor.mT) + ops.diag_embed(self._unbroadcasted_cov_diag)).expand(
            self._matrix_shape())

    @lazy_property
    def precision_matrix(self) -> Tensor:
        wt_dinv = self._unbroadcasted_cov_factor.mT / self._unbroadcasted_cov_diag.unsqueeze(-2)
        a = linalg.solve_triangular(self._capacitance_tril, wt_dinv, upper=False)
        return (ops.diag_embed(self._unbroadcasted_cov_diag.reciprocal()) - a.mT @ a).expand(self._matrix_shape())

    def rsample(self, sample_shape: Any = Size()) -> Tensor:
        shape = self._extended_shape(sample_shape)
        eps_w = standard_normal(shape[:-1] + self.cov_factor.shape[-1:], self.loc)
        eps_d = standard_normal(shape, self.loc)
        return (self.loc + batch_mv(self._unbroadcasted_cov_factor, eps_w)
                + self._unbroadcasted_cov_diag.sqrt() * eps_d)

    def _log_det(self) -> Tensor:
        return lowrank_log_det(self._unbroadcasted_cov_diag, self._capacitance_tril)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        m = lowrank_mahalanobis(self._unbroadcasted_cov_factor, self._unbroadcasted_cov_diag, value - self.loc,
                                self._capacitance_tril)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + self._log_det() + m)

    def entropy(self) -> Tensor:
        entropy = 0.5 * (self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._log_det())
        return _expanded_to(entropy, self._batch_shape)
