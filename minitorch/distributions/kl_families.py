"""KL rules between two members of one family (beyond kl.py's): the gamma family, the counting families,
the Gaussians (full and low rank, and across the two), Gumbel, Pareto, ContinuousBernoulli, transformed
distributions, and the Bregman form every ExponentialFamily pair of one type falls back to."""
from __future__ import annotations

import math

import numpy as np

from . import _api as ops
from .._tensor import Tensor
from .. import linalg
from ..autograd import grad as autograd_grad
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial, Poisson
from .exponential_family import ExponentialFamily
from .gamma_family import Beta, Dirichlet, Gamma
from .kl import _kl_normal_normal, kl_divergence, register_kl
from .multivariate_normal import (LowRankMultivariateNormal, MultivariateNormal, batch_mahalanobis, half_log_det,
                                  lowrank_log_det, lowrank_mahalanobis)
from .power_families import Pareto
from .simple import Geometric
from .transformed_distribution import TransformedDistribution
from .transformed_families import Gumbel, HalfNormal
from .utils import euler_constant, sum_rightmost

_INF = math.inf


@register_kl(ExponentialFamily, ExponentialFamily)
def _kl_expfamily_expfamily(p: ExponentialFamily, q: ExponentialFamily) -> Tensor:
    """The Bregman divergence of the log normalizer F between the natural parameters:
    F(theta_q) - F(theta_p) - <theta_q - theta_p, grad F(theta_p)>."""
    if type(p) is not type(q):
        raise NotImplementedError("The cross KL-divergence between different exponential families cannot"
                                  + " " * 29 + "be computed using Bregman divergences")
    p_params = [theta.detach().requires_grad_() for theta in p._natural_params]
    q_params = q._natural_params
    p_normalizer = p._log_normalizer(*p_params)
    gradients = autograd_grad(p_normalizer.sum(), p_params, create_graph=True)
    result = q._log_normalizer(*q_params) - p_normalizer
    for p_theta, q_theta, g in zip(p_params, q_params, gradients):
        result -= sum_rightmost((q_theta - p_theta) * g, len(q.event_shape))
    return result


@register_kl(Beta, Beta)
def _kl_beta_beta(p: Beta, q: Beta) -> Tensor:
    p_total = p.concentration1 + p.concentration0
    q_total = q.concentration1 + q.concentration0
    q_log_beta = q.concentration1.lgamma() + q.concentration0.lgamma() + p_total.lgamma()
    p_log_beta = p.concentration1.lgamma() + p.concentration0.lgamma() + q_total.lgamma()
    return (q_log_beta - p_log_beta + (p.concentration1 - q.concentration1) * ops.digamma(p.concentration1)
            + (p.concentration0 - q.concentration0) * ops.digamma(p.concentration0)
            + (q_total - p_total) * ops.digamma(p_total))


@register_kl(Dirichlet, Dirichlet)
def _kl_dirichlet_dirichlet(p: Dirichlet, q: Dirichlet) -> Tensor:
    p_total, q_total = p.concentration.sum(-1), q.concentration.sum(-1)
    log_norms = p_total.lgamma() - q_total.lgamma()
    log_gammas = (p.concentration.lgamma() - q.concentration.lgamma()).sum(-1)
    expected_logs = p.concentration.digamma() - p_total.digamma().unsqueeze(-1)
    return log_norms - log_gammas + ((p.concentration - q.concentration) * expected_logs).sum(-1)


@register_kl(Gamma, Gamma)
def _kl_gamma_gamma(p: Gamma, q: Gamma) -> Tensor:
    return (q.concentration * (p.rate / q.rate).log() + (ops.lgamma(q.concentration) - ops.lgamma(p.concentration))
            + (p.concentration - q.concentration) * ops.digamma(p.concentration)
            + (q.rate - p.rate) * (p.concentration / p.rate))


@register_kl(Binomial, Binomial)
def _kl_binomial_binomial(p: Binomial, q: Binomial) -> Tensor:
    if (p.total_count < q.total_count).any():
        raise NotImplementedError("KL between Binomials where q.total_count > p.total_count is not implemented")
    kl = p.total_count * (p.probs * (p.logits - q.logits) + (-p.probs).log1p() - (-q.probs).log1p())
    more_trials = p.total_count > q.total_count  # p puts mass where q has none
    kl[more_trials] = ops.full_like(kl[more_trials], _INF)
    return kl


@register_kl(Poisson, Poisson)
def _kl_poisson_poisson(p: Poisson, q: Poisson) -> Tensor:
    return p.rate * (p.rate.log() - q.rate.log()) - (p.rate - q.rate)


@register_kl(Geometric, Geometric)
def _kl_geometric_geometric(p: Geometric, q: Geometric) -> Tensor:
    return -p.entropy() - ops.log1p(-q.probs) / p.probs - q.logits


@register_kl(ContinuousBernoulli, ContinuousBernoulli)
def _kl_continuous_bernoulli_continuous_bernoulli(p: ContinuousBernoulli, q: ContinuousBernoulli) -> Tensor:
    return (p.mean * (p.logits - q.logits) + (p._cont_bern_log_norm() + ops.log1p(-p.probs))
            + (-q._cont_bern_log_norm() - ops.log1p(-q.probs)))


@register_kl(Gumbel, Gumbel)
def _kl_gumbel_gumbel(p: Gumbel, q: Gumbel) -> Tensor:
    scale_ratio = p.scale / q.scale
    q_loc, p_loc = q.loc / q.scale, p.loc / q.scale  # both locations in q's scale
    return ((-scale_ratio.log() - q_loc + p_loc) + scale_ratio * euler_constant
            + ops.exp(q_loc + (1 + scale_ratio).lgamma() - p_loc) - (1 + euler_constant))


@register_kl(HalfNormal, HalfNormal)
def _kl_halfnormal_halfnormal(p: HalfNormal, q: HalfNormal) -> Tensor:
    return _kl_normal_normal(p.base_dist, q.base_dist)


@register_kl(Pareto, Pareto)
def _kl_pareto_pareto(p: Pareto, q: Pareto) -> Tensor:
    alpha_ratio = q.alpha / p.alpha
    # (torch adds the negated log: a NegBackward0 under an AddBackward0)
    result = q.alpha * (p.scale / q.scale).log() + -alpha_ratio.log() + alpha_ratio - 1
    result[p.support.lower_bound < q.support.lower_bound] = _INF
    return result


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p: TransformedDistribution, q: TransformedDistribution) -> Tensor:
    if p.transforms != q.transforms or p.event_shape != q.event_shape:
        raise NotImplementedError
    return kl_divergence(p.base_dist, q.base_dist)


# ---- Gaussians: 1/2 (log det S_q - log det S_p + tr(S_q^-1 S_p) + mahalanobis_q(mu_q - mu_p) - n) ------------
def _trace_xxt(x: Tensor) -> Tensor:
    """tr(X X^T): the sum of squares of each matrix of the batch."""
    return x.reshape(-1, x.size(-2) * x.size(-1)).pow(2).sum(-1).reshape(x.shape[:-2])


def _check_event_shapes(p: object, q: object, what: str) -> None:
    if p.event_shape != q.event_shape:
        raise ValueError(f"KL-divergence between two {what} with" + " " * 26
                         + "different event shapes cannot be computed")


def _lowrank_q_terms(p: object, q: LowRankMultivariateNormal) -> tuple[Tensor, Tensor]:
    """q's Mahalanobis term of the means, and ``A = C^-1 W_q^T D_q^-1`` (C: q's capacitance factor), with which
    tr(S_q^-1 M M^T) = |D_q^-1/2 M|^2 - |A M|^2."""
    mahalanobis = lowrank_mahalanobis(q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag, q.loc - p.loc,
                                      q._capacitance_tril)
    wt_dinv = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    return mahalanobis, linalg.solve_triangular(q._capacitance_tril, wt_dinv, upper=False)


@register_kl(LowRankMultivariateNormal, LowRankMultivariateNormal)
def _kl_lowrank_lowrank(p: LowRankMultivariateNormal, q: LowRankMultivariateNormal) -> Tensor:
    _check_event_shapes(p, q, "Low Rank Multivariate Normals")
    log_dets = (lowrank_log_det(q._unbroadcasted_cov_diag, q._capacitance_tril)
                - lowrank_log_det(p._unbroadcasted_cov_diag, p._capacitance_tril))
    mahalanobis, a = _lowrank_q_terms(p, q)
    p_factor, p_diag, q_diag = p._unbroadcasted_cov_factor, p._unbroadcasted_cov_diag, q._unbroadcasted_cov_diag
    trace = ((p_diag / q_diag).sum(-1) + _trace_xxt(p_factor * q_diag.rsqrt().unsqueeze(-1))
             - _trace_xxt(a * p_diag.sqrt().unsqueeze(-2)) - _trace_xxt(a.matmul(p_factor)))
    return 0.5 * (log_dets + trace + mahalanobis - p.event_shape[0])


@register_kl(MultivariateNormal, LowRankMultivariateNormal)
def _kl_multivariatenormal_lowrank(p: MultivariateNormal, q: LowRankMultivariateNormal) -> Tensor:
    _check_event_shapes(p, q, "(Low Rank) Multivariate Normals")
    log_dets = (lowrank_log_det(q._unbroadcasted_cov_diag, q._capacitance_tril)
                - 2 * half_log_det(p._unbroadcasted_scale_tril))
    mahalanobis, a = _lowrank_q_terms(p, q)
    p_tril = p._unbroadcasted_scale_tril
    trace = (_trace_xxt(p_tril * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1))
             - _trace_xxt(a.matmul(p_tril)))
    return 0.5 * (log_dets + trace + mahalanobis - p.event_shape[0])


def _solved_by_q_tril(q: MultivariateNormal, matrix: Tensor) -> Tensor:
    """L_q^-1 M, with both broadcast to their common batch shape."""
    shape = tuple(np.broadcast_shapes(tuple(q._unbroadcasted_scale_tril.shape[:-2]), tuple(matrix.shape[:-2])))
    n = q.event_shape[0]
    return linalg.solve_triangular(q._unbroadcasted_scale_tril.expand(shape + (n, n)),
                                   matrix.expand(shape + tuple(matrix.shape[-2:])), upper=False)


@register_kl(LowRankMultivariateNormal, MultivariateNormal)
def _kl_lowrank_multivariatenormal(p: LowRankMultivariateNormal, q: MultivariateNormal) -> Tensor:
    _check_event_shapes(p, q, "(Low Rank) Multivariate Normals")
    log_dets = (2 * half_log_det(q._unbroadcasted_scale_tril)
                - lowrank_log_det(p._unbroadcasted_cov_diag, p._capacitance_tril))
    mahalanobis = batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    # (torch expands L_q once to the common batch shape and solves both factors with it)
    shape = tuple(np.broadcast_shapes(tuple(q._unbroadcasted_scale_tril.shape[:-2]),
                                      tuple(p._unbroadcasted_cov_factor.shape[:-2])))
    n = p.event_shape[0]
    q_tril = q._unbroadcasted_scale_tril.expand(shape + (n, n))
    p_factor = p._unbroadcasted_cov_factor.expand(shape + (n, p.cov_factor.size(-1)))
    p_diag = ops.diag_embed(p._unbroadcasted_cov_diag.sqrt()).expand(shape + (n, n))
    trace = (_trace_xxt(linalg.solve_triangular(q_tril, p_factor, upper=False))
             + _trace_xxt(linalg.solve_triangular(q_tril, p_diag, upper=False)))
    return 0.5 * (log_dets + trace + mahalanobis - n)


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p: MultivariateNormal, q: MultivariateNormal) -> Tensor:
    _check_event_shapes(p, q, "Multivariate Normals")
    half_log_dets = half_log_det(q._unbroadcasted_scale_tril) - half_log_det(p._unbroadcasted_scale_tril)
    trace = _trace_xxt(_solved_by_q_tril(q, p._unbroadcasted_scale_tril))
    mahalanobis = batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    return half_log_dets + 0.5 * (trace + mahalanobis - p.event_shape[0])
