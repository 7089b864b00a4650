"""Operands of pointwise ops: torch's result dtype, and NumPy arrays of the computation dtype."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from .dims import INT64_MAX, REFUSED_SHAPE, broadcast_error
from .scalar_cast import check_scalar_int, wrapped_int64

_PY_SCALARS = (int, float, bool, complex)
# the dtypes c10 converts a number to through a float32 (and its own rules for the float8s), where NumPy rounds once
# (or, for complex32's void storage, would read the number as a size)
_THROUGH_FLOAT32 = D.REDUCED_NP + tuple(d.np for d in D.FLOAT8) + (D.complex32.np,)


def operand_key(x: Any, fname: str, pos: int = 2, arg: str = "other") -> tuple:
    if isinstance(x, Tensor):
        return (x.dtype, D.DIM if x._data.ndim else D.ZERO_DIM)
    if type(x) in _PY_SCALARS or isinstance(x, np.generic):
        return (D.scalar_dtype(x), D.SCALAR)
    raise TypeError("%s(): argument '%s' (position %d) must be Tensor, not %s"
                    % (fname, arg, pos, type(x).__name__))


def as_array(x: Any, dt: D.dtype) -> Any:
    """``x`` (Tensor or Python scalar) as something NumPy computes on in dtype ``dt``. A Python int out of an
    integer dtype's range wraps, as torch's cast of a wrapped number does (``uint8_tensor + (-1)``)."""
    if isinstance(x, Tensor):
        d = x._data
        return d if d.dtype == dt.np else D.cast_np(d, dt.np)
    if type(x) is int:
        if dt.category == D.INTEGRAL:
            return wrapped_int64(x).astype(dt.np)
        check_scalar_int(x)
        if x > INT64_MAX:  # (torch's uint64 Scalar, rounded; ml_dtypes' scalars take no int past int64)
            x = float(x)
    if dt.np in _THROUGH_FLOAT32:
        return D.cast_np(np.asarray(x), dt.np)[()]
    return dt.np.type(x)


def check_broadcast_all(*operands: Any) -> tuple:
    """The operands' broadcast shape, or torch's error for the first operand whose shape does not broadcast with
    those before it."""
    shape: tuple = ()
    for x in operands:
        try:
            shape = np.broadcast_shapes(shape, np.shape(x))
        except ValueError:
            raise broadcast_error(shape, np.shape(x)) from None
    return shape


def promoted(keys: tuple, operands: tuple) -> D.dtype:
    """torch's result dtype (``D.result_type_of(keys)``) of a pointwise op's ``operands``, in TensorIterator's
    order: a promotion torch refuses (float8, uint16-64) is refused once the operands' shapes broadcast, and the
    refusal carries their shape (``REFUSED_SHAPE``) for an in-place form's output checks."""
    try:
        return D.result_type_of(keys)
    except RuntimeError as e:
        arrays = [x._data if isinstance(x, Tensor) else x for x in operands if x is not None]
        setattr(e, REFUSED_SHAPE, check_broadcast_all(*arrays))
        raise


def binary_arrays(x: Tensor, y: Any, fname: str) -> tuple[Any, Any, D.dtype]:
    """The two operands in their promoted dtype, and that dtype."""
    dt = promoted((operand_key(x, fname, 1, "input"), operand_key(y, fname)), (x, y))
    return as_array(x, dt), as_array(y, dt), dt


def to_float(dt: D.dtype) -> D.dtype:
    """The dtype an int-to-float op (true division, sqrt, exp...) computes in."""
    return dt if dt.category >= D.FLOATING else D.get_default_dtype()


def check_broadcast(a: Any, b: Any) -> None:
    """Raise torch's error if two operands' shapes do not broadcast (called after NumPy refused)."""
    sa = np.shape(a)
    sb = np.shape(b)
    if sa == sb:  # (every comparison of equal shapes checks: np.broadcast_shapes is costly)
        return
    try:
        np.broadcast_shapes(sa, sb)
    except ValueError:
        raise broadcast_error(sa, sb) from None
