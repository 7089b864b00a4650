"""torch's Scalar overloads of add, sub, mul and div, for composites written as torch's C++ ones are.

torch's Python parser wraps a number operand in a tensor: ``t + 1.0`` calls the Tensor overload (AddBackward0,
with an edge for the number). torch's C++ composites call ``at::add(t, 1.0)``, ``t * 0.5``, ``1 + t``: the Scalar
overloads, whose nodes are AddBackward1, MulBackward1... with no edge for the number. These functions compute as the
table's op does with a Python number (a Scalar is a wrapped number: the same promotion, kernels and checks) and record
the Scalar overload's node. (rsub's Scalar overload is the table's own: ``rsub(t, 1)`` is ``1 - t``.)"""
from __future__ import annotations

from typing import Any, Callable

from .._tensor import Tensor
from ..autograd.recording import defop, record, untraced
from .registry import FUNCTIONS


def _scalar_overload(name: str, grad_name: str, vjp: Callable) -> Callable[[Tensor, Any], Tensor]:
    node = defop(name, ("self",), {"self": vjp}, grad_name, widen=False)

    def call(self: Tensor, other: Any) -> Tensor:
        if untraced():  # nothing records (a first-order backward's formulas): the table op itself
            return FUNCTIONS[name](self, other)
        value = FUNCTIONS[name](self.detach(), other)
        return record(node, value._data, (self,), {"other": other})
    call.__name__ = call.__qualname__ = name + "_scalar"
    call.__doc__ = "``%s(self, other)`` for a number ``other``, recorded as torch's Scalar overload (%s)." % (
        name, grad_name)
    return call


add_scalar = _scalar_overload("add", "AddBackward1", lambda grad: grad)
sub_scalar = _scalar_overload("sub", "SubBackward1", lambda grad: grad)
# (their formulas are Scalar overloads themselves, as derivatives.yaml's: a double backward's graph has them too)
ScalarOverload = Callable[[Tensor, Any], Tensor]
mul_scalar: ScalarOverload = _scalar_overload("mul", "MulBackward1", lambda grad, other: mul_scalar(grad, other))
div_scalar: ScalarOverload = _scalar_overload("div", "DivBackward1", lambda grad, other: div_scalar(grad, other))
