"""``ExponentialFamily``: the base of the families with density ``h(x) exp(<t(x), theta> - F(theta))``."""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from ..autograd import grad as autograd_grad
from .distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """A family with density ``h(x) exp(<t(x), theta> - F(theta))``: subclasses give the natural parameters
    theta, the log normalizer F and E[log h]; the entropy and the generic KL rule follow from F's gradient."""

    @property
    def _natural_params(self) -> tuple[Tensor, ...]:
        raise NotImplementedError

    def _log_normalizer(self, *natural_params: Tensor) -> Tensor:
        raise NotImplementedError

    @property
    def _mean_carrier_measure(self) -> float:
        raise NotImplementedError

    def entropy(self) -> Tensor:
        """F(theta) - <theta, grad F(theta)> - E[log h] (Bregman form)."""
        result: Any = -self._mean_carrier_measure
        nparams = [p.detach().requires_grad_() for p in self._natural_params]
        lg_normal = self._log_normalizer(*nparams)
        gradients = autograd_grad(lg_normal.sum(), nparams, create_graph=True)
        result = result + lg_normal
        for param, g in zip(nparams, gradients):
            result = result - (param * g).reshape(self._batch_shape + (-1,)).sum(-1)
        return result
