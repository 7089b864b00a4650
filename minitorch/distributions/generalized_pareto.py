"""GeneralizedPareto(loc, scale, concentration), sampled by inverting its cdf."""
from __future__ import annotations

import math
from numbers import Number
from typing import Any

from . import _api as ops
from .._size import Size
from .._tensor import Tensor
from . import constraints
from .distribution import Distribution
from .utils import broadcast_all

__all__ = ["GeneralizedPareto"]


class GeneralizedPareto(Distribution):
    """GeneralizedPareto(loc, scale, concentration); concentration 0 is the exponential limit."""

    arg_constraints = {"loc": constraints.real, "scale": constraints.positive, "concentration": constraints.real}
    has_rsample = True

    def __init__(self, loc: Any, scale: Any, concentration: Any, validate_args: bool | None = None) -> None:
        self.loc, self.scale, self.concentration = broadcast_all(loc, scale, concentration)
        scalar = all(isinstance(p, Number) for p in (loc, scale, concentration))
        super().__init__(Size() if scalar else self.loc.size(), validate_args=validate_args)

    def expand(self, batch_shape: Any, _instance: Any = None) -> "GeneralizedPareto":
        return self._expanded(GeneralizedPareto, batch_shape, _instance,
                              {"loc": (), "scale": (), "concentration": ()})

    def rsample(self, sample_shape: Any = Size()) -> Tensor:
        return self.icdf(ops.rand(self._extended_shape(sample_shape), dtype=self.loc.dtype))

    def _safe_concentration(self, zero: Tensor) -> tuple[Tensor, Tensor]:
        """(concentration == 0 within isclose's tolerance, concentration with those entries set to 1): the
        zero entries take the exponential formula, and the other branch must stay finite for gradients.
        torch compares with a default-dtype ``tensor(0.0)`` in log_prob (so float64 parameters raise there)
        and with ``zeros_like`` in icdf; ``zero`` says which."""
        eq_zero = ops.isclose(self.concentration, zero)
        return eq_zero, ops.where(eq_zero, ops.ones_like(self.concentration), self.concentration)

    def log_prob(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        eq_zero, conc = self._safe_concentration(ops.tensor(0.0))
        y = 1 / conc + ops.ones_like(z)
        nonzero = ops.where(y == 0, y, y * ops.log1p(conc * z))
        return -self.scale.log() - ops.where(eq_zero, z, nonzero)

    def log_survival_function(self, value: Tensor) -> Tensor:
        if self._validate_args:
            self._validate_sample(value)
        z = self._z(value)
        eq_zero, conc = self._safe_concentration(ops.tensor(0.0))
        return ops.where(eq_zero, -z, -ops.log1p(conc * z) / conc)

    def log_cdf(self, value: Tensor) -> Tensor:
        return ops.log1p(-ops.exp(self.log_survival_function(value)))

    def cdf(self, value: Tensor) -> Tensor:
        return ops.exp(self.log_cdf(value))

    def icdf(self, value: Tensor) -> Tensor:
        eq_zero, conc = self._safe_concentration(ops.zeros_like(self.concentration))
        logu = ops.log1p(-value)
        nonzero = self.loc + self.scale / conc * ops.expm1(-conc * logu)
        return ops.where(eq_zero, self.loc - self.scale * logu, nonzero)

    def _z(self, x: Tensor) -> Tensor:
        return (x - self.loc) / self.scale

    @property
    def mean(self) -> Tensor:
        valid = self.concentration < 1
        conc = ops.where(valid, self.concentration, 0.5)
        return ops.where(valid, self.loc + self.scale / (1 - conc), math.nan)

    @property
    def variance(self) -> Tensor:
        valid = self.concentration < 0.5
        conc = ops.where(valid, self.concentration, 0.25)
        return ops.where(valid, self.scale**2 / ((1 - conc) ** 2 * (1 - 2 * conc)), math.nan)

    def entropy(self) -> Tensor:
        return ops.broadcast_to(ops.log(self.scale) + self.concentration + 1, self._batch_shape)

    @property
    def mode(self) -> Tensor:
        return self.loc

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self) -> constraints.Constraint:
        upper = ops.where(self.concentration < 0, self.loc - self.scale / self.concentration, math.inf)
        return constraints.interval(self.loc, upper)
