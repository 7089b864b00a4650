"""Gradient clipping, as torch.nn.utils does it: in place on ``.grad``, outside the graph."""
from __future__ import annotations

from typing import Iterable

from ... import _creation
from ..._ops.joining import stack
from ..._tensor import Tensor
from ...autograd.grad_mode import no_grad
from ...linalg import vector_norm


def _grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p.grad for p in params if p.grad is not None]


@no_grad()
def clip_grad_norm_(parameters: Tensor | Iterable[Tensor], max_norm: float, norm_type: float | str = 2.0,
                    error_if_nonfinite: bool = False, foreach: bool | None = None) -> Tensor:
    """Scale the gradients so that their joint ``norm_type`` norm is at most ``max_norm``; return that norm."""
    grads = _grads(parameters)
    if not grads:
        return _creation.tensor(0.0)
    norm_type = float(norm_type)
    total = vector_norm(stack([vector_norm(g, norm_type) for g in grads]), norm_type)
    if error_if_nonfinite and not bool(total.isfinite()):
        raise RuntimeError(
            "The total norm of order %s for gradients from `parameters` is non-finite, so it cannot be clipped. "
            "To disable this error and scale the gradients by the non-finite norm anyway, set "
            "`error_if_nonfinite=False`" % norm_type)
    coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
    for g in grads:
        g.mul_(coef)
    return total


@no_grad()
def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float, foreach: bool | None = None) -> None:
    """Clamp every gradient element to ``[-clip_value, clip_value]`` in place."""
    for g in _grads(parameters):
        g.clamp_(min=-clip_value, max=clip_value)
