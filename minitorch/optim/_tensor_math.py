"""The optimizers' vocabulary (see ``_arith.ArrayMath``) as minitorch tensor ops, for
``differentiable=True``: each step is recorded by autograd, as torch's differentiable steps are.

Hyperparameters stay as given and reach the ops as torch's steps pass them: a tensor that requires grad
where the op takes a number (``alpha``, ``value``) gets the op's own TypeError, as under torch, and an
optimizer whose torch step routes such a tensor through another op (SGD's lr, by ``addcmul_``) says so.
"""
from __future__ import annotations

from typing import Any

from .._tensor import Tensor


class TensorMath:
    # ---- the loop -------------------------------------------------------------------------------
    def start(self) -> None:
        pass

    def finish(self, p: Tensor) -> None:
        pass  # the in-place ops bumped the version themselves

    def of(self, t: Tensor) -> Tensor:
        return t

    def hyper(self, value: Any) -> Any:
        return value

    def keep(self, x: Tensor) -> Tensor:
        return x.detach().clone()

    def grad(self, p: Tensor, maximize: bool, weight_decay: Any, decay_tensor: bool = False) -> Tensor:
        grad = -p._grad if maximize else p._grad  # (p.grad of a non-leaf would warn)
        if decay_tensor and isinstance(weight_decay, Tensor) and weight_decay.requires_grad:
            # torch's SGD and Adam: into the gradient in place (the parameter's own .grad unless maximizing), times
            # a copy of the parameter, which the step writes after
            return grad.addcmul_(p.clone(), weight_decay)
        if isinstance(weight_decay, Tensor) or weight_decay != 0:
            grad = grad.add(p, alpha=weight_decay)
        return grad

    # ---- in place -------------------------------------------------------------------------------
    def mul_(self, x: Tensor, y: Any) -> Tensor:
        return x.mul_(y)

    def div_(self, x: Tensor, y: Any) -> Tensor:
        return x.div_(y)

    def add_(self, x: Tensor, y: Any, alpha: Any = 1) -> Tensor:
        return x.add_(y, alpha=alpha)

    def add_to_temporary(self, x: Tensor, value: float) -> Tensor:
        # a new tensor: torch's differentiable steps write no result that its node's backward reads (sqrt's)
        return x.add(value)

    def addcmul_(self, x: Tensor, a: Tensor, b: Tensor, value: Any = 1) -> Tensor:
        return x.addcmul_(a, b, value=value)

    def addcdiv_(self, x: Tensor, a: Tensor, b: Tensor, value: Any = 1) -> Tensor:
        return x.addcdiv_(a, b, value=value)

    def lerp_(self, x: Tensor, end: Tensor, weight: Any) -> Tensor:
        return x.lerp_(end, weight)

    def maximum_(self, x: Tensor, y: Tensor) -> Tensor:
        return x.copy_(x.clone().maximum(y))  # the max saves its inputs: not x itself

    def copy_(self, x: Tensor, y: Tensor) -> Tensor:
        return x.copy_(y)

    def clamp_(self, x: Tensor, low: float, high: float) -> Tensor:
        return x.clamp_(low, high)

    def masked_fill_(self, x: Tensor, mask: Tensor, value: float) -> Tensor:
        return x.masked_fill_(mask, value)

    # ---- new tensors ----------------------------------------------------------------------------
    def add(self, x: Tensor, y: Any, alpha: Any = 1) -> Tensor:
        return x.add(y, alpha=alpha)

    def mul(self, x: Tensor, y: Any) -> Tensor:
        return x.mul(y)

    def div(self, x: Tensor, y: Any) -> Tensor:
        return x.div(y)

    def rdiv(self, value: Any, x: Tensor) -> Tensor:
        return x.reciprocal() * value

    def addcmul(self, x: Tensor, a: Tensor, b: Tensor, value: Any = 1) -> Tensor:
        return x.addcmul(a, b, value=value)

    def sqrt(self, x: Tensor) -> Tensor:
        return x.sqrt()  # (its backward reads the result: callers write it through ``own`` or ``add_to_temporary``)

    def own(self, x: Tensor) -> Tensor:
        return x.clone()  # (torch's differentiable steps clone a result before writing it in place)

    def abs(self, x: Tensor) -> Tensor:
        return x.abs()

    def sign(self, x: Tensor) -> Tensor:
        return x.sign()

    def clone(self, x: Tensor) -> Tensor:
        return x.clone()

    def gt(self, x: Tensor, value: float) -> Tensor:
        return x.gt(value)

    def lt(self, x: Tensor, value: float) -> Tensor:
        return x.lt(value)

    def eq(self, x: Tensor, value: float) -> Tensor:
        return x.eq(value)
