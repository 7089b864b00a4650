"""Python operators on Tensor, mapped onto the table's ops as torch maps them."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .._tensor import Tensor
from .pointwise import FLOAT, _binary_compute, _no_bool_sub, unary
from .registry import METHODS, both, check_tensor, defop, record

RECIPROCAL = unary("reciprocal", np.reciprocal, lambda grad, result: -grad * (result * result), kind=FLOAT)

RSUB_TENSOR = defop("rsub", ("self", "other"), {"self": lambda grad, alpha: -grad * alpha,
                                                "other": lambda grad: grad}, grad_name="RsubBackward0")
RSUB_SCALAR = defop("rsub", ("self",), {"self": lambda grad, alpha: -grad * alpha}, grad_name="RsubBackward1")


@both("rsub")
def rsub(input: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """``other - alpha * input``."""
    check_tensor("rsub", input)
    _no_bool_sub(input, other)
    data, dt = _binary_compute(np.subtract, "keep", "rsub", input, other)  # input - other
    if alpha != 1:
        data, dt = _binary_compute(lambda a, b: b - a * dt.np.type(alpha), "keep", "rsub", input, other)
    else:
        data = np.negative(data)
    if isinstance(other, Tensor):
        return record(RSUB_TENSOR, data, (input, other), {"alpha": alpha})
    return record(RSUB_SCALAR, data, (input,), {"alpha": alpha})


def _reflected(fn: Callable) -> Callable:
    """A comparison that yields NotImplemented for operands torch does not compare with."""
    def op(self: Tensor, other: Any) -> Any:
        if not isinstance(other, (Tensor, int, float, bool, np.generic)):
            return NotImplemented
        return fn(self, other)
    return op


def install_operators() -> None:
    m = METHODS
    table = {
        "__add__": m["add"], "__radd__": m["add"], "__iadd__": m["add_"],
        "__sub__": m["sub"], "__rsub__": rsub, "__isub__": m["sub_"],
        "__mul__": m["mul"], "__rmul__": m["mul"], "__imul__": m["mul_"],
        "__truediv__": m["div"], "__itruediv__": m["div_"],
        "__rtruediv__": lambda self, other: m["reciprocal"](self) * other,
        "__pow__": m["pow"], "__ipow__": m["pow_"], "__rpow__": lambda self, other: m["pow"](other, self),
        "__matmul__": m["matmul"], "__rmatmul__": lambda self, other: m["matmul"](other, self),
        "__neg__": m["neg"], "__abs__": m["abs"], "__pos__": lambda self: self,
        "__invert__": m["bitwise_not"],
        "__and__": m["bitwise_and"], "__rand__": m["bitwise_and"], "__iand__": m["bitwise_and_"],
        "__or__": m["bitwise_or"], "__ror__": m["bitwise_or"], "__ior__": m["bitwise_or_"],
        "__xor__": m["bitwise_xor"], "__rxor__": m["bitwise_xor"], "__ixor__": m["bitwise_xor_"],
    }
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        table["__%s__" % name] = _reflected(m[name])
    for name, fn in table.items():
        setattr(Tensor, name, fn)
    Tensor.__array_priority__ = 1000  # NumPy defers to Tensor's reflected operators
