"""torch's CPU gamma and Dirichlet samplers on its random stream.

``_standard_gamma`` draws element by element (row-major) with Marsaglia and Tsang's rejection method,
taking standard normals from the generator's double Box-Muller (cache included) and uniforms as ``U53``;
shape parameters below 1 are boosted by one and rescaled by ``U^(1/alpha)``. The arithmetic follows the
precision torch's kernel uses: the shape and its boost in the tensor's dtype, the rest in double with
single-precision constants.
"""
from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .._rng.engine import Generator, resolve
from .._rng.normal import standard_normal_doubles
from .._tensor import Tensor
from ..autograd.function import Function
from . import _api as ops

__all__ = ["reparameterized", "sample_dirichlet", "standard_gamma"]

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


class _NoSampleGradient(Function):
    """A sampler's output in the graph of its parameter, whose backward refuses: torch differentiates gamma
    and Dirichlet draws implicitly (``_standard_gamma_grad``, ``_dirichlet_grad``), which minitorch lacks."""

    @staticmethod
    def forward(ctx: Any, parameter: Tensor, sampler: Callable[[Tensor], Tensor], name: str) -> Tensor:
        ctx.name = name
        return sampler(parameter)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> tuple:
        raise NotImplementedError(f"minitorch does not implement the derivative of {ctx.name} samples with "
                                  "respect to the concentration (torch's implicit reparameterization gradient)")


def reparameterized(sampler: Callable[[Tensor], Tensor], parameter: Tensor, name: str) -> Tensor:
    return _NoSampleGradient.apply(parameter, sampler, name)
