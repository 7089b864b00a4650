"""torch's CPU gamma and Dirichlet samplers on its random stream.

``_standard_gamma`` draws element by element (row-major) with Marsaglia and Tsang's rejection method,
taking standard normals from the generator's double Box-Muller (cache included) and uniforms as ``U53``;
shape parameters below 1 are boosted by one and rescaled by ``U^(1/alpha)``. The arithmetic follows the
precision torch's kernel uses: the shape and its boost in the tensor's dtype, the rest in double with
single-precision constants.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .._rng.engine import Generator, resolve
from .._rng.normal import standard_normal_doubles
from .._ops.special import _digamma
from .._tensor import Tensor
from ..autograd.function import Function, once_differentiable
from ..autograd.recording import defop, record
from . import _api as ops
from ._dirichlet_grad import dirichlet_grad

__all__ = ["differentiable_dirichlet", "differentiable_standard_gamma", "sample_dirichlet", "standard_gamma",
           "standard_gamma_grad"]

_THIRD_F32 = float(np.float32(1.0) / np.float32(3.0))
_SQUEEZE_F32 = float(np.float32(0.0331))


def _sample_gamma(alpha: float, real: type, gen: Generator) -> float:
    """One draw of Gamma(alpha, 1); ``real`` is the scalar type of ``alpha`` (np.float32 or np.float64)."""
    alpha = real(alpha)
    scale = 1.0
    if alpha < 1:
        if alpha == 0:
            return 0.0
        scale *= math.pow(1 - gen.uniform53(1)[0], float(real(1.0) / alpha))
        alpha = real(alpha + real(1.0))
    d = float(real(alpha - real(_THIRD_F32)))
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = float(standard_normal_doubles(gen, 1)[0])
            y = 1.0 + c * x
            if y > 0:
                break
        v = y * y * y
        u = 1 - float(gen.uniform53(1)[0])
        xx = x * x
        if u < 1.0 - _SQUEEZE_F32 * xx * xx or math.log(u) < 0.5 * xx + d * (1.0 - v + math.log(v)):
            return scale * d * v


def standard_gamma(concentration: Tensor) -> Tensor:
    """``torch._standard_gamma``: Gamma(concentration, 1) draws, at least the dtype's smallest normal."""
    real = concentration.dtype.np.type
    alphas = concentration.detach().contiguous().numpy().ravel()
    gen = resolve(None)
    values = np.array([_sample_gamma(a, real, gen) for a in alphas.tolist()], dtype=np.float64).astype(real)
    values = np.maximum(values, np.finfo(real).tiny)
    return ops.tensor(values.reshape(tuple(concentration.shape)), dtype=concentration.dtype)


def sample_dirichlet(concentration: Tensor) -> Tensor:
    """``torch._sample_dirichlet``: gamma draws in double, normalised over the last dim, then kept inside
    [smallest normal, largest value below 1] of the dtype."""
    real = concentration.dtype.np.type
    alphas = concentration.detach().contiguous().numpy().astype(np.float64)
    gen = resolve(None)
    gammas = np.array([max(_sample_gamma(a, np.float64, gen), np.finfo(np.float64).tiny)
                       for a in alphas.ravel().tolist()], dtype=np.float64).reshape(alphas.shape)
    ratios = (gammas / gammas.sum(-1, keepdims=True)).astype(real)
    ratios = np.clip(ratios, np.finfo(real).tiny, np.nextafter(real(1), real(0)))
    return ops.tensor(ratios, dtype=concentration.dtype)


# the bivariate rational approximation of d(sample)/d(alpha) in (log(x / alpha), log(alpha)) that torch's
# ``standard_gamma_grad_one`` uses between its small-x and large-alpha regimes (rows: powers of u)
_GAMMA_GRAD_COEFFICIENTS = np.array([
    [0.16009398, -0.094634809, 0.025146376, -0.0030648343, 1, 0.32668115, 0.10406089, 0.0014179084],
    [0.53487893, 0.1298071, 0.065735949, -0.0015649758, 0.16639465, 0.020070113, -0.0035938915, -0.00058392623],
    [0.040121004, -0.0065914022, -0.0026286047, -0.0013441777, 0.017050642, -0.0021309326, 0.00085092367,
     -1.5247877e-07],
])
_POINT_8_F32, _POINT_9_F32, _ONE_POINT_1_F32 = (float(np.float32(v)) for v in (0.8, 0.9, 1.1))


def _gamma_grad_small_x(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """-(d cdf / d alpha) / pdf from the cdf's Taylor series in x (six terms)."""
    numer, denom = np.ones_like(x), alpha.copy()
    series1, series2 = numer / denom, numer / (denom * denom)
    for i in range(1, 6):
        numer = numer * (-x / i)
        denom = denom + 1
        series1 = series1 + numer / denom
        series2 = series2 + numer / (denom * denom)
    pow_x_alpha = x ** alpha
    pdf = x ** (alpha - 1) * np.exp(-x)
    cdf = pow_x_alpha * series1
    digamma = _digamma(np.asarray(alpha, np.float64))
    cdf_alpha = (np.log(x) - digamma) * cdf - pow_x_alpha * series2
    result = -cdf_alpha / pdf
    return np.where(np.isnan(result), 0.0, result)


def _gamma_grad_large_alpha(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Rice's saddle point expansion, with a polynomial near the mean where it is singular."""
    near_mean = (_POINT_9_F32 * alpha <= x) & (x <= _ONE_POINT_1_F32 * alpha)
    numer_1 = 1 + 24 * alpha * (1 + 12 * alpha)
    numer_2 = 1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha + alpha * (107 + 3600 * x)
    at_mean = numer_1 * numer_2 / (1244160 * (alpha * alpha) * (alpha * alpha))
    denom = np.sqrt(8 * alpha)
    term2 = denom / (alpha - x)
    term3 = (x - alpha - alpha * np.log(x / alpha)) ** -1.5
    term23 = np.where(x < alpha, term2 - term3, term2 + term3)
    term1 = np.log(x / alpha) * term23 - np.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x))
    stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
    return np.where(near_mean, at_mean, -stirling * (x * term1) / denom)


def _gamma_grad_rational(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    u, v = np.log(x / alpha)[..., None], np.log(alpha)
    c = _GAMMA_GRAD_COEFFICIENTS[0] + u * (_GAMMA_GRAD_COEFFICIENTS[1] + u * _GAMMA_GRAD_COEFFICIENTS[2])
    p = c[..., 0] + v * (c[..., 1] + v * (c[..., 2] + v * c[..., 3]))
    q = c[..., 4] + v * (c[..., 5] + v * (c[..., 6] + v * c[..., 7]))
    return np.exp(p / q)


def standard_gamma_grad(alpha: Tensor, x: Tensor) -> np.ndarray:
    """``torch._standard_gamma_grad``: d(sample)/d(alpha) of Gamma(alpha, 1) draws ``x``, by implicit
    reparameterization (-(d cdf / d alpha) / pdf), in double with torch's approximations per regime."""
    a = alpha.detach().numpy().astype(np.float64)
    v = x.detach().numpy().astype(np.float64)
    with np.errstate(all="ignore"):  # every regime is evaluated everywhere; np.where keeps the right one
        result = np.where(v < _POINT_8_F32, _gamma_grad_small_x(a, v),
                          np.where(a > 8.0, _gamma_grad_large_alpha(a, v), _gamma_grad_rational(a, v)))
    return result.astype(alpha.dtype.np)


def _refuse_standard_gamma_grad(grad: Tensor) -> Tensor:
    raise NotImplementedError("the derivative for '_standard_gamma_grad' is not implemented.")


# torch's native ops and their nodes (derivatives.yaml): the draws' gradient is grad * _standard_gamma_grad(self,
# result), whose own derivative is not implemented (the draws ``output`` are not differentiable: no edge)
STANDARD_GAMMA_GRAD = defop("_standard_gamma_grad", ("self",), {"self": _refuse_standard_gamma_grad})


def _standard_gamma_grad(alpha: Tensor, x: Tensor) -> Tensor:
    return record(STANDARD_GAMMA_GRAD, standard_gamma_grad(alpha, x), (alpha,), {"output": x})


STANDARD_GAMMA = defop("_standard_gamma", ("self",), {
    "self": lambda grad, self, result: grad * _standard_gamma_grad(self, result)})


def differentiable_standard_gamma(concentration: Tensor) -> Tensor:
    """``torch._standard_gamma`` with its implicit reparameterization gradient."""
    return record(STANDARD_GAMMA, standard_gamma(concentration)._data, (concentration,))


class _Dirichlet(Function):
    """``torch._sample_dirichlet`` with torch's implicit reparameterization gradient (differentiable once)."""

    @staticmethod
    def forward(ctx: Any, concentration: Tensor) -> Tensor:
        x = sample_dirichlet(concentration)
        ctx.save_for_backward(x, concentration)
        return x

    @staticmethod
    @once_differentiable
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        x, concentration = ctx.saved_tensors
        total = concentration.sum(-1, True).expand_as(concentration)
        dx_dalpha = ops.tensor(dirichlet_grad(x.detach().numpy(), concentration.detach().numpy(),
                                              total.detach().contiguous().numpy()),
                               dtype=x.dtype)
        return dx_dalpha * (grad - (x * grad).sum(-1, True))


def differentiable_dirichlet(concentration: Tensor) -> Tensor:
    return _Dirichlet.apply(concentration)
