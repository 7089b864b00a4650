"""Python operators on Tensor, mapped onto the table's ops as torch maps them."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import _dtype as D
from .._dtype import FLOATING
from .._tensor import Tensor
from .complex_product import complex_product, complex_quotient
from .cpu_loops import AVX512_BFLOAT16_BLOCK
from .pointwise import FLOAT, _binary_compute, _check_alpha, _no_bool_sub, unary
from .promotion import check_broadcast
from .registry import FUNCTIONS, METHODS, compile_operator, op, type_error_not_implemented
from .result_layout import torch_layout
from .scalar_cast import checked_scalar
from ..autograd.recording import defop, record

def _reciprocal(x: np.ndarray) -> np.ndarray:
    return np.reciprocal(x) if x.dtype.kind != "c" else complex_quotient(1, x)  # (c10's division)


RECIPROCAL = unary("reciprocal", _reciprocal, lambda grad, result: -grad * (result * result).conj(), kind=FLOAT,
                   block=AVX512_BFLOAT16_BLOCK, complex_vjps=True)

RSUB_TENSOR = defop("rsub", ("self", "other"), {"self": lambda grad, alpha: -grad * alpha,
                                                "other": lambda grad: grad}, grad_name="RsubBackward0")
RSUB_SCALAR = defop("rsub", ("self",), {"self": lambda grad, alpha: -grad * alpha}, grad_name="RsubBackward1")


def _reversed_subtract(a: Any, b: Any) -> Any:
    return np.subtract(b, a)


@op("rsub(Tensor input, Tensor other, *, Scalar alpha=1)", "rsub(Tensor input, Scalar other, Scalar alpha=1)")
def rsub(input: Tensor, other: Any, alpha: Any = 1) -> Tensor:
    """``other - alpha * input``."""
    _no_bool_sub(input, other)
    if isinstance(other, Tensor):  # (torch's sub(other, input) names other's shape, and dtype, first)
        check_broadcast(other._data, input._data)
        D.result_type_of((D.operand_key(other), D.operand_key(input)))
    # other - input, never -(input - other): 1 - 1 is +0.0, as torch's
    data, dt = _binary_compute(_reversed_subtract, "keep", "rsub", input, other)
    _check_alpha(alpha, dt)
    complex_kernel = dt.is_complex and dt is not D.complex32
    if alpha != 1 or complex_kernel:
        # torch's rsub is sub(other, input, alpha), itself add with -alpha, the number the dtype must hold; a complex
        # kernel multiplies by it even when it is -1 (the product makes the other part of a non-finite input NaN)
        factor = checked_scalar(-(alpha.item() if isinstance(alpha, Tensor) else alpha), dt)
        scaled: Callable = (lambda a: complex_product(a, dt.np.type(factor))) if complex_kernel else (
            lambda a: a * factor)
        data, dt = _binary_compute(lambda a, b: b + scaled(a), "keep", "rsub", input, other)
    data = torch_layout(data, [other._data if isinstance(other, Tensor) else other, input._data])  # sub(other, input)
    if isinstance(other, Tensor):
        return record(RSUB_TENSOR, data, (input, other), {"alpha": alpha})
    return record(RSUB_SCALAR, data, (input,), {"alpha": alpha})


_OPERANDS = (Tensor, int, float, bool, complex, np.generic)


def _reflected(fn: Callable) -> Callable:
    """A binary operator that yields NotImplemented for operands torch does not take (a string, a
    list, None) and where it raises a TypeError: Python then tries the other operand and raises its own TypeError,
    as with torch."""
    guarded = type_error_not_implemented(fn)

    def op(self: Tensor, other: Any) -> Any:
        if not isinstance(other, _OPERANDS):
            return NotImplemented
        return guarded(self, other)
    return op


def _swapped(fn: Callable) -> Callable:
    """A reflected operator: ``other <op> self`` as ``fn(other, self)``."""
    return lambda self, other: fn(other, self)


def _invert(self: Tensor) -> Tensor:
    if self.dtype.category == FLOATING:  # torch's operator refuses before bitwise_not would
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type tensors")
    return METHODS["bitwise_not"](self)


def install_operators() -> None:
    m = METHODS
    rsub = FUNCTIONS["rsub"]
    table = {
        "__add__": m["add"], "__radd__": m["add"], "__iadd__": m["add_"],
        "__sub__": m["sub"], "__rsub__": rsub, "__isub__": m["sub_"],
        "__mul__": m["mul"], "__rmul__": m["mul"], "__imul__": m["mul_"],
        "__truediv__": m["true_divide"], "__itruediv__": m["true_divide_"],
        "__rtruediv__": lambda self, other: m["reciprocal"](self) * other,
        "__floordiv__": m["floor_divide"], "__rfloordiv__": _swapped(m["floor_divide"]),
        "__ifloordiv__": m["floor_divide_"],
        "__mod__": m["remainder"], "__rmod__": _swapped(m["remainder"]), "__imod__": m["remainder_"],
        "__pow__": m["pow"], "__ipow__": m["pow_"], "__rpow__": _swapped(m["pow"]),
        "__matmul__": m["matmul"], "__rmatmul__": _swapped(FUNCTIONS["matmul"]),  # (torch.matmul: a number refused)
        "__neg__": m["neg"], "__abs__": m["abs"], "__pos__": lambda self: self,
        "__invert__": _invert,
        "__and__": m["bitwise_and"], "__rand__": m["bitwise_and"], "__iand__": m["bitwise_and_"],
        "__or__": m["bitwise_or"], "__ror__": m["bitwise_or"], "__ior__": m["bitwise_or_"],
        "__xor__": m["bitwise_xor"], "__rxor__": m["bitwise_xor"], "__ixor__": m["bitwise_xor_"],
        "__lshift__": m["bitwise_left_shift"], "__rlshift__": _swapped(m["bitwise_left_shift"]),
        "__ilshift__": m["bitwise_left_shift_"],
        "__rshift__": m["bitwise_right_shift"], "__rrshift__": _swapped(m["bitwise_right_shift"]),
        "__irshift__": m["bitwise_right_shift_"],
    }
    # Python 2's names, which torch keeps
    table.update({"__div__": table["__truediv__"], "__rdiv__": table["__rtruediv__"],
                  "__idiv__": table["__itruediv__"]})
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        table["__%s__" % name] = m[name]
    for name, fn in table.items():
        if name in ("__neg__", "__abs__", "__pos__", "__invert__"):
            setattr(Tensor, name, fn)
        elif hasattr(fn, "parser"):  # a generated method
            setattr(Tensor, name, compile_operator(fn, name))
        else:
            setattr(Tensor, name, _reflected(fn))
    Tensor.__array_priority__ = 1000  # NumPy defers to Tensor's reflected operators
