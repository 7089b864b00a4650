"""Tensor queries and whole-tensor writes that torch also binds as functions: is_nonzero, is_same_size,
is_signed, torch.detach/detach_ and the out-of-place torch.fill."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._complex_half_storage import values_of
from .._tensor import Tensor
from ..autograd.recording import check_result_dtype, defop, record
from .conversion import converted, copy_source
from .registry import op
from .scalar_cast import checked_scalar, fill_scalar


@op("is_nonzero(Tensor input)", method=True)
def is_nonzero(input: Tensor) -> bool:
    if input._data.size == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if input._data.size > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    value = values_of(input._data).reshape(-1)[0]
    if input.dtype is D.uint64:  # torch reads an integral item as an int64_t: a uint64 past its range overflows
        checked_scalar(int(value), D.int64)
    return bool(value)


@op("is_same_size(Tensor input, Tensor other)", method=True)
def is_same_size(input: Tensor, other: Tensor) -> bool:
    return input._data.shape == other._data.shape


@op("is_signed(Tensor input)", method=True)
def is_signed(input: Tensor) -> bool:
    return input.dtype.is_signed


@op("detach(Tensor input)")
def detach(input: Tensor) -> Tensor:
    return input.detach()


@op("detach_(Tensor input)")
def detach_(input: Tensor) -> Tensor:
    return input.detach_()


FILL = defop("fill", grads={"self": lambda grad: grad.new_zeros(grad.shape)}, complex_vjps=True)
FILL_TENSOR = defop("fill", ("self", "value"), {"self": lambda grad: grad.new_zeros(grad.shape),
                                                 "value": lambda grad: grad.sum()}, grad_name="FillBackward1",
                    complex_vjps=True, real_part=False)  # (a real value's complex gradient: autograd's error)


@op("fill(Tensor input, Tensor value)", "fill(Tensor input, Scalar value)")
def fill(input: Tensor, value: Any) -> Tensor:
    """A tensor like ``input`` (shape and dtype) holding ``value`` everywhere."""
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with %d dimensions."
                               % value._data.ndim)
        check_result_dtype(input.dtype, (input, value))
        source = converted(copy_source(value, input.dtype, input._data.size), input.dtype)  # (c10's conversion)
        data = np.full(input._data.shape, source, input.dtype.np)
        return record(FILL_TENSOR, data, (input, value))
    return record(FILL, np.full(input._data.shape, fill_scalar(value, input.dtype, input._data.size), input.dtype.np),
                  (input,))
