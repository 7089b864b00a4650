"""KL rules between different families: closed forms where q's density is integrable against p, and
infinity where p puts mass outside q's support (torch's registry, pair for pair)."""
from __future__ import annotations

import math
from typing import Callable

from . import _api as ops
from .._tensor import Tensor
from .bernoulli import Bernoulli
from .continuous_bernoulli import ContinuousBernoulli
from .counts import Binomial, Poisson
from .gamma_family import Beta, Gamma
from .kl import register_kl
from .normal import Normal
from .power_families import Pareto
from .simple import Exponential, Laplace
from .transformed_families import Gumbel
from .uniform import Uniform
from .utils import euler_constant

_INF = math.inf
_LOG_2PI = math.log(2 * math.pi)


def _x_log_x(x: Tensor) -> Tensor:
    return ops.xlogy(x, x)  # 0 at x = 0


# ---- infinite: p's support reaches where q has no density ----------------------------------------------
def _infinite(parameter: str) -> Callable:
    def kl(p: object, q: object) -> Tensor:
        return ops.full_like(getattr(p, parameter), _INF)
    return kl


_UNBOUNDED_SUPPORTS = {  # p's family: (the parameter shaping the result, q's families)
    Beta: ("concentration1", (Pareto,)),
    ContinuousBernoulli: ("probs", (Pareto,)),
    Exponential: ("rate", (Beta, ContinuousBernoulli, Pareto, Uniform)),
    Gamma: ("concentration", (Beta, ContinuousBernoulli, Pareto, Uniform)),
    Gumbel: ("loc", (Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform)),
    Laplace: ("loc", (Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform)),
    Normal: ("loc", (Beta, ContinuousBernoulli, Exponential, Gamma, Pareto, Uniform)),
    Pareto: ("scale", (Beta, ContinuousBernoulli, Uniform)),
    Poisson: ("rate", (Bernoulli, Binomial)),
}
for _p_type, (_parameter, _q_types) in _UNBOUNDED_SUPPORTS.items():
    for _q_type in _q_types:
        register_kl(_p_type, _q_type)(_infinite(_parameter))


# ---- p of bounded support --------------------------------------------------------------------------------
@register_kl(Bernoulli, Poisson)
def _kl_bernoulli_poisson(p: Bernoulli, q: Poisson) -> Tensor:
    return -p.entropy() - (p.probs * q.rate.log() - q.rate)


def _kl_to_continuous_bernoulli(p: Beta | Uniform, q: ContinuousBernoulli) -> Tensor:
    """-H(p) - E_p[log q] for a p on [0, 1], E_p[log q]'s terms subtracted one by one (torch's order)."""
    return -p.entropy() - p.mean * q.logits - ops.log1p(-q.probs) - q._cont_bern_log_norm()


@register_kl(Beta, ContinuousBernoulli)
def _kl_beta_continuous_bernoulli(p: Beta, q: ContinuousBernoulli) -> Tensor:
    return _kl_to_continuous_bernoulli(p, q)


@register_kl(Beta, Exponential)
def _kl_beta_exponential(p: Beta, q: Exponential) -> Tensor:
    return -p.entropy() - q.rate.log() + q.rate * (p.concentration1 / (p.concentration1 + p.concentration0))


@register_kl(Beta, Gamma)
def _kl_beta_gamma(p: Beta, q: Gamma) -> Tensor:
    # (torch sums the concentrations anew for each use: two nodes in its graph)
    expected_log = p.concentration1.digamma() - (p.concentration1 + p.concentration0).digamma()
    return (-p.entropy() + (q.concentration.lgamma() - q.concentration * q.rate.log())
            - (q.concentration - 1) * expected_log + q.rate * p.concentration1 / (p.concentration1 + p.concentration0))


@register_kl(Beta, Normal)
def _kl_beta_normal(p: Beta, q: Normal) -> Tensor:
    mean = p.concentration1 / (p.concentration1 + p.concentration0)
    var_normal = q.scale.pow(2)
    half_second_moment = (mean * (1 - mean) / (p.concentration1 + p.concentration0 + 1) + mean.pow(2)) * 0.5
    return (-p.entropy() + 0.5 * (var_normal * 2 * math.pi).log()
            + (half_second_moment - q.loc * mean + q.loc.pow(2) * 0.5) / var_normal)


@register_kl(Beta, Uniform)
def _kl_beta_uniform(p: Beta, q: Uniform) -> Tensor:
    result = -p.entropy() + (q.high - q.low).log()
    result[(q.low > p.support.lower_bound) | (q.high < p.support.upper_bound)] = _INF
    return result


def _infinite_unless_inside(result: Tensor, outside: Tensor) -> Tensor:
    return ops.where(outside, ops.ones_like(result) * _INF, result)


@register_kl(ContinuousBernoulli, Exponential)
def _kl_continuous_bernoulli_exponential(p: ContinuousBernoulli, q: Exponential) -> Tensor:
    return -p.entropy() - ops.log(q.rate) + q.rate * p.mean


@register_kl(ContinuousBernoulli, Normal)
def _kl_continuous_bernoulli_normal(p: ContinuousBernoulli, q: Normal) -> Tensor:
    log_norm = 0.5 * (_LOG_2PI + ops.square(q.loc / q.scale)) + ops.log(q.scale)
    moments = (p.variance + ops.square(p.mean) - 2.0 * q.loc * p.mean) / (2.0 * ops.square(q.scale))
    return -p.entropy() + log_norm + moments


@register_kl(ContinuousBernoulli, Uniform)
def _kl_continuous_bernoulli_uniform(p: ContinuousBernoulli, q: Uniform) -> Tensor:
    result = -p.entropy() + (q.high - q.low).log()
    outside = ops.max(ops.ge(q.low, p.support.lower_bound), ops.le(q.high, p.support.upper_bound))
    return _infinite_unless_inside(result, outside)


@register_kl(Uniform, Beta)
def _kl_uniform_beta(p: Uniform, q: Beta) -> Tensor:
    width = p.high - p.low
    log_x_term = (q.concentration1 - 1) * (_x_log_x(p.high) - _x_log_x(p.low) - width) / width
    log_1mx_term = (q.concentration0 - 1) * (_x_log_x(1 - p.high) - _x_log_x(1 - p.low) + width) / width
    log_beta = (q.concentration1.lgamma() + q.concentration0.lgamma()
                - (q.concentration1 + q.concentration0).lgamma())
    result = log_1mx_term + log_beta - ops.log(width) - log_x_term
    result[(p.high > q.support.upper_bound) | (p.low < q.support.lower_bound)] = _INF
    return result


@register_kl(Uniform, ContinuousBernoulli)
def _kl_uniform_continuous_bernoulli(p: Uniform, q: ContinuousBernoulli) -> Tensor:
    result = _kl_to_continuous_bernoulli(p, q)
    outside = ops.max(ops.ge(p.high, q.support.upper_bound), ops.le(p.low, q.support.lower_bound))
    return _infinite_unless_inside(result, outside)


@register_kl(Uniform, Exponential)
def _kl_uniform_exponential(p: Uniform, q: Exponential) -> Tensor:
    result = q.rate * (p.high + p.low) / 2 - ((p.high - p.low) * q.rate).log()
    result[p.low < q.support.lower_bound] = _INF
    return result


@register_kl(Uniform, Gamma)
def _kl_uniform_gamma(p: Uniform, q: Gamma) -> Tensor:
    width = p.high - p.low
    log_term = (1 - q.concentration) * (_x_log_x(p.high) - _x_log_x(p.low) - width) / width
    result = (-width.log() + (q.concentration.lgamma() - q.concentration * q.rate.log()) + log_term
              + q.rate * (p.high + p.low) / 2)
    result[p.low < q.support.lower_bound] = _INF
    return result


@register_kl(Uniform, Gumbel)
def _kl_uniform_gumbel(p: Uniform, q: Gumbel) -> Tensor:
    ratio = q.scale / (p.high - p.low)
    high, low = (p.high - q.loc) / q.scale, (p.low - q.loc) / q.scale
    return (ratio.log() + 0.5 * (high + low)) - ratio * (ops.exp(-high) - ops.exp(-low))


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p: Uniform, q: Normal) -> Tensor:
    width = p.high - p.low
    log_ratio = (math.sqrt(math.pi * 2) * q.scale / width).log()
    return log_ratio + 0.5 * (width.pow(2) / 12 + ((p.high + p.low - 2 * q.loc) / 2).pow(2)) / q.scale.pow(2)


@register_kl(Uniform, Pareto)
def _kl_uniform_pareto(p: Uniform, q: Pareto) -> Tensor:
    width = p.high - p.low
    log_norm = (q.alpha * q.scale.pow(q.alpha) * width).log()
    expected_log = (_x_log_x(p.high) - _x_log_x(p.low) - width) / width
    result = expected_log * (q.alpha + 1) - log_norm
    result[p.low < q.support.lower_bound] = _INF
    return result


# ---- p on a half line or the real line -------------------------------------------------------------------
@register_kl(Exponential, Gamma)
def _kl_exponential_gamma(p: Exponential, q: Gamma) -> Tensor:
    ratio = q.rate / p.rate
    return (-q.concentration * ops.log(ratio) + ratio + q.concentration.lgamma() + q.concentration * euler_constant
            - (1 + euler_constant))


@register_kl(Exponential, Gumbel)
def _kl_exponential_gumbel(p: Exponential, q: Gumbel) -> Tensor:
    product = p.rate * q.scale
    loc_ratio = q.loc / q.scale
    return ((product.log() - 1) - loc_ratio + ops.exp(loc_ratio) * product / (product + 1)
            + product.reciprocal())


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p: Exponential, q: Normal) -> Tensor:
    var_normal, rate_sqr = q.scale.pow(2), p.rate.pow(2)
    log_term = 0.5 * ops.log(rate_sqr * var_normal * 2 * math.pi)
    return log_term - 1 + (rate_sqr.reciprocal() - q.loc / p.rate + q.loc.pow(2) * 0.5) / var_normal


@register_kl(Gamma, Exponential)
def _kl_gamma_exponential(p: Gamma, q: Exponential) -> Tensor:
    return -p.entropy() - q.rate.log() + q.rate * p.concentration / p.rate


@register_kl(Gamma, Gumbel)
def _kl_gamma_gumbel(p: Gamma, q: Gumbel) -> Tensor:
    product = p.rate * q.scale
    loc_ratio = q.loc / q.scale
    neg_entropy_part = (p.concentration - 1) * p.concentration.digamma() - p.concentration.lgamma() - p.concentration
    return (neg_entropy_part + (product.log() + p.concentration / product)
            + (ops.exp(loc_ratio) * (1 + product.reciprocal()).pow(-p.concentration) - loc_ratio))


@register_kl(Gamma, Normal)
def _kl_gamma_normal(p: Gamma, q: Normal) -> Tensor:
    var_normal, rate_sqr = q.scale.pow(2), p.rate.pow(2)
    log_terms = 0.5 * ops.log(rate_sqr * var_normal * 2 * math.pi) - p.concentration - p.concentration.lgamma()
    moments = (0.5 * (p.concentration.pow(2) + p.concentration) / rate_sqr - q.loc * p.concentration / p.rate
               + 0.5 * q.loc.pow(2))
    return log_terms + (p.concentration - 1) * p.concentration.digamma() + moments / var_normal


@register_kl(Gumbel, Normal)
def _kl_gumbel_normal(p: Gumbel, q: Normal) -> Tensor:
    ratio = p.scale / q.scale
    log_term = (ratio / math.sqrt(2 * math.pi)).log()
    variance_term = (math.pi * ratio * 0.5).pow(2) / 3
    mean_term = ((p.loc + p.scale * euler_constant - q.loc) / q.scale).pow(2) * 0.5
    return -log_term + variance_term + mean_term - (euler_constant + 1)


@register_kl(Laplace, Normal)
def _kl_laplace_normal(p: Laplace, q: Normal) -> Tensor:
    var_normal = q.scale.pow(2)
    scale_ratio = p.scale.pow(2) / var_normal
    log_term = 0.5 * ops.log(2 * scale_ratio / math.pi)
    return -log_term + scale_ratio + (0.5 * p.loc.pow(2) - p.loc * q.loc + 0.5 * q.loc.pow(2)) / var_normal - 1


@register_kl(Normal, Gumbel)
def _kl_normal_gumbel(p: Normal, q: Gumbel) -> Tensor:
    mean_ratio = p.loc / q.scale
    var_ratio = (p.scale / q.scale).pow(2)
    loc_ratio = q.loc / q.scale
    return (-(var_ratio.log() * 0.5) + (mean_ratio - loc_ratio) + ops.exp(-mean_ratio + 0.5 * var_ratio + loc_ratio)
            - (0.5 * (1 + _LOG_2PI)))


@register_kl(Normal, Laplace)
def _kl_normal_laplace(p: Normal, q: Laplace) -> Tensor:
    loc_diff = p.loc - q.loc
    standardized = loc_diff / p.scale
    abs_moment = (math.sqrt(2 / math.pi) * p.scale * ops.exp(-0.5 * standardized.pow(2))
                  + loc_diff * ops.erf(math.sqrt(0.5) * standardized))  # E|X - loc_q|
    return -ops.log(p.scale / q.scale) + abs_moment / q.scale - (0.5 * (1 + math.log(0.5 * math.pi)))


@register_kl(Pareto, Exponential)
def _kl_pareto_exponential(p: Pareto, q: Exponential) -> Tensor:
    product = p.scale * q.rate
    result = (p.alpha / product).log() - p.alpha.reciprocal() + p.alpha * product / (p.alpha - 1) - 1
    result[p.alpha <= 1] = _INF  # p has no mean
    return result


@register_kl(Pareto, Gamma)
def _kl_pareto_gamma(p: Pareto, q: Gamma) -> Tensor:
    expected_log = p.scale.log() + p.alpha.reciprocal()
    result = ((p.alpha.log() - expected_log) + (q.concentration.lgamma() - q.concentration * q.rate.log())
              + (1 - q.concentration) * expected_log + q.rate * p.alpha * p.scale / (p.alpha - 1) - 1)
    result[p.alpha <= 1] = _INF
    return result


@register_kl(Pareto, Normal)
def _kl_pareto_normal(p: Pareto, q: Normal) -> Tensor:
    var_normal = 2 * q.scale.pow(2)
    scaled = p.scale / (p.alpha - 1)
    log_term = (math.sqrt(2 * math.pi) * q.scale * p.alpha / p.scale).log()
    second_moment = p.alpha * scaled.pow(2) / (p.alpha - 2) + (p.alpha * scaled - q.loc).pow(2)
    result = log_term - p.alpha.reciprocal() + second_moment / var_normal - 1
    result[p.alpha <= 2] = _INF  # p has no variance
    return result
