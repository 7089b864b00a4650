"""How torch reads nested Python data into a tensor (torch/csrc/utils/tensor_new.cpp): the shape from the first
element at each depth (``compute_sizes``), then every element in order, each sequence's length checked against
the shape and each number against the dtype it is stored in (``recursive_store``), torch's errors where NumPy
would raise its own or store something."""
from __future__ import annotations

from typing import Any

import numpy as np

from . import _dtype as D
from ._tensor import Tensor
from ._warn_once import warn_once

SEQUENCES = (list, tuple, range)  # the Python sequences torch reads as nested data
_NUMBERS = (bool, int, float, np.number, np.bool_, Tensor, np.ndarray)  # (a tensor or array: read as its elements)


def sizes_of(data: Any) -> list[int]:
    """``compute_sizes``: the length of ``data``, of its first element, and so on while they are sequences (a
    NumPy array is one, a 0-d one failing ``len``; a tensor is not; a string is one: each character a string again,
    until torch's 64 dimensions)."""
    sizes: list[int] = []
    while isinstance(data, (*SEQUENCES, np.ndarray)) or isinstance(data, (str, bytes)) and sizes:
        if isinstance(data, (str, bytes)) and data:
            raise ValueError("too many dimensions '%s'" % type(data).__name__)
        sizes.append(len(data))
        if not len(data):
            break
        data = data[0]
    return sizes


_ARRAYS_IN_LISTS = ("Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting the "
                    "list to a single numpy.ndarray with numpy.array() before converting to a tensor. (Triggered "
                    "internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:252.)")


def _check_array(data: np.ndarray, sizes: list[int], dtype: D.dtype, dim: int) -> None:
    """``recursive_store`` over an array met in nested data (torch reads it as a sequence): its lengths against the
    shape, then its elements where numbers or sequences belong. Arrays of numbers are checked by their shape, not
    element by element."""
    if data.dtype == object:
        return _check_sequence(list(data), sizes, dtype, dim)
    for axis, n in enumerate(data.shape[:len(sizes) - dim]):
        if n != sizes[dim + axis]:
            raise ValueError("expected sequence of length %d at dim %d (got %d)" % (sizes[dim + axis], dim + axis, n))
        if not n:
            return
    if data.ndim < len(sizes) - dim:
        raise TypeError("not a sequence")
    if data.ndim > len(sizes) - dim:  # (its rows stand where numbers belong: read as Python numbers, NumPy's error)
        (float if dtype.category >= D.FLOATING else int)(data[(0,) * (len(sizes) - dim)])


def _check_sequence(data: Any, sizes: list[int], dtype: D.dtype, dim: int) -> None:
    if len(data) != sizes[dim]:
        raise ValueError("expected sequence of length %d at dim %d (got %d)" % (sizes[dim], dim, len(data)))
    for x in data:
        check_nested(x, sizes, dtype, dim + 1)


def check_nested(data: Any, sizes: list[int], dtype: D.dtype, dim: int = 0) -> None:
    """``recursive_store``'s checks, element by element in order: a sequence of the wrong length or a
    non-sequence where one belongs, then a number the dtype cannot take."""
    if isinstance(data, np.ndarray):  # (torch reads any array element by element, once warning how slow that is)
        warn_once("arrays_in_lists", _ARRAYS_IN_LISTS, stacklevel=None)
        if data.ndim:
            return _check_array(data, sizes, dtype, dim)
    if dim == len(sizes):
        if isinstance(data, Tensor) and data._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if _refused(data, dtype):
            raise _not_a_number(data, dtype)
        return
    if isinstance(data, Tensor) and data._data.ndim:  # (a tensor where a row belongs: a sequence of its elements)
        return _check_sequence(data, sizes, dtype, dim)
    if not isinstance(data, SEQUENCES):
        raise TypeError("not a sequence")
    _check_sequence(data, sizes, dtype, dim)


def _refused(x: Any, dtype: D.dtype) -> bool:
    if isinstance(x, _NUMBERS):
        return False
    if isinstance(x, complex):  # (a real dtype reads a double, an integral one an index; bool takes x != 0)
        return not (dtype.is_complex or dtype is D.bool)
    # a floating dtype reads any object with __float__ (Fraction, Decimal); an integral one only ints
    return dtype.category < D.FLOATING or not hasattr(type(x), "__float__")


def _not_a_number(x: Any, dtype: D.dtype) -> TypeError:
    """CPython's error for ``x`` read as the C number ``dtype`` stores (a uint64 is read by torch's own code)."""
    if dtype is D.uint64:
        return TypeError("an integer is required")
    if dtype.category >= D.FLOATING:
        return TypeError("must be real number, not %s" % type(x).__name__)
    return TypeError("'%s' object cannot be interpreted as an integer" % type(x).__name__)
