"""``torch._dirichlet_grad``: the implicit reparameterization gradient of Dirichlet (and so Beta) draws.

For a coordinate x ~ Beta(alpha, total - alpha) of a Dirichlet draw, torch approximates
-(d cdf / d alpha) / pdf / (1 - x) by regime: Taylor series in x near 0 and in 1 - x near 1, Rice's saddle
point expansion when both parameters are large, else a rational correction of an analytic approximation.
As torch's CPU kernel, the series run in the tensor's dtype (``real``) and the rest in double.
"""
from __future__ import annotations

import math

import numpy as np

from .._ops.special import _digamma

__all__ = ["dirichlet_grad"]


def digamma(x: float) -> float:
    """torch.digamma's kernel on one double."""
    return float(_digamma(np.asarray(x, np.float64)))

# [numerator, denominator][power of u][power of a][power of b] of the rational correction
_CORRECTION = np.array([
    [[[1.003668233, -0.01061107488, -0.0657888334, 0.01201642863],
      [0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033],
      [-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013]],
     [[0.221950385, -0.3187676331, 0.01799915743, 0.01074823814],
      [-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057],
      [0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05]],
     [[-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565],
      [0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181],
      [0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05]]],
    [[[1, -0.02924021934, -0.04438342661, 0.007285809825],
      [0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521],
      [-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149]],
     [[0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273],
      [0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956],
      [-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05]],
     [[0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05],
      [0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05],
      [-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06]]],
])


def _grad_alpha_small(x: np.floating, alpha: np.floating, beta: np.floating) -> np.floating:
    """Taylor expansion in x (x near 0)."""
    real = type(x)
    factor = real(digamma(float(alpha)) - digamma(float(alpha + beta))) - np.log(x)
    numer = real(1)
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer = numer * ((real(i) - beta) * x / real(i))
        denom = alpha + real(i)
        series = series + numer / denom * (factor + 1 / denom)
    result = x * np.power(1 - x, -beta) * series
    return real(0) if np.isnan(result) else result


def _grad_beta_small(x: np.floating, alpha: np.floating, beta: np.floating) -> np.floating:
    """Taylor expansion of the gradient with respect to beta, in x (x near 0)."""
    real = type(x)
    factor = real(digamma(float(alpha + beta)) - digamma(float(beta)))
    numer, betas, dbetas, series = real(1), real(1), real(0), factor / alpha
    for i in range(1, 9):
        numer = numer * (-x / real(i))
        dbetas = dbetas * (beta - real(i)) + betas
        betas = betas * (beta - real(i))
        series = series + numer / (alpha + real(i)) * (dbetas + factor * betas)
    result = -np.power(1 - x, 1 - beta) * series
    return real(0) if np.isnan(result) else result


def _grad_alpha_mid(x: float, alpha: float, beta: float) -> float:
    """Rice's saddle point expansion (alpha and beta large), in double; a polynomial near the mean."""
    total = alpha + beta
    mean = alpha / total
    std = math.sqrt(alpha * beta / (total + 1)) / total
    if mean - 0.1 * std <= x <= mean + 0.1 * std:
        poly = (47 * x * (beta * beta) * (beta * beta) + alpha * (
            (43 + 20 * (16 + 27 * beta) * x) * (beta * beta) * beta + alpha * (
                3 * (59 + 180 * beta - 90 * x) * (beta * beta) + alpha * (
                    (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (8 * (1 - x) * (135 * beta - 11))))))
        prefactor_num = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
        prefactor_den = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
        return prefactor_num / (1 - x) * poly / prefactor_den
    prefactor = -x / math.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha)) * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    term1_num = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    term1 = term1_num / (math.sqrt(2 * alpha / beta) * math.pow(total, 1.5) * axbx * axbx)
    term2 = 0.5 * math.log(alpha / (total * x))
    term3 = math.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    term4 = math.pow(beta * math.log(beta / (total * (1 - x))) + alpha * math.log(alpha / (total * x)), -1.5)
    return stirling * prefactor * (term1 + term2 * (term3 + (term4 if x < mean else -term4)))


def _grad_rational(x: float, alpha: float, total: float) -> float:
    u = math.log(x)
    a = math.log(alpha) - u
    b = math.log(total) - a
    ua = np.outer([1, u, u * u], [1, a, a * a])
    p, q = (float((ua * (c[..., 0] + b * (c[..., 1] + b * (c[..., 2] + b * c[..., 3])))).sum()) for c in _CORRECTION)
    approx = x * (digamma(total) - digamma(alpha)) / (total - alpha)
    return p / q * approx


def _grad_one(x: np.floating, alpha: np.floating, total: np.floating) -> float:
    beta = total - alpha
    boundary = total * x * (1 - x)
    if x <= 0.5 and boundary < 2.5:
        return float(_grad_alpha_small(x, alpha, beta))
    if x >= 0.5 and boundary < 0.75:
        return -float(_grad_beta_small(1 - x, beta, alpha))
    if alpha > 6 and beta > 6:
        return _grad_alpha_mid(float(x), float(alpha), float(total) - float(alpha))
    return _grad_rational(float(x), float(alpha), float(total))


def dirichlet_grad(x: np.ndarray, alpha: np.ndarray, total: np.ndarray) -> np.ndarray:
    """Elementwise over equal-shaped arrays of one float dtype."""
    with np.errstate(all="ignore"):
        values = [_grad_one(*args) for args in zip(x.ravel(), alpha.ravel(), total.ravel())]
    return np.array(values, dtype=np.float64).astype(x.dtype).reshape(x.shape)
