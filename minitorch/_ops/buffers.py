"""torch.frombuffer: a 1-D tensor over the memory of an object implementing Python's buffer protocol
(bytearray, array.array, memoryview...), with torch's checks of count and offset."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._creation import requiring_grad
from .._tensor import Tensor
from .._warn_once import warn_once
from .registry import op

_NOT_WRITABLE = (
    "The given buffer is not writable, and PyTorch does not support non-writable tensors. This means you can write "
    "to the underlying (supposedly non-writable) buffer using the tensor. You may want to copy the buffer to "
    "protect its data or make it writable before converting it to a tensor. This type of warning will be "
    "suppressed for the rest of this program. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:1556.)")


@op("frombuffer(PyObject* buffer, *, ScalarType dtype, int64_t count=-1, int64_t offset=0, bool requires_grad=False)")
def frombuffer(buffer: Any, *, dtype: D.dtype, count: int = -1, offset: int = 0,
               requires_grad: bool = False) -> Tensor:
    try:
        view = memoryview(buffer)
    except TypeError:
        raise ValueError("object does not implement Python buffer protocol.") from None
    length, size = view.nbytes, dtype.itemsize
    if length <= 0 or count == 0:
        raise ValueError("both buffer length (%d) and count (%d) must not be 0" % (length, count))
    if not 0 <= offset < length:
        raise ValueError("offset (%d bytes) must be non-negative and no greater than buffer length (%d bytes) minus 1"
                         % (offset, length))
    if count < 0 and (length - offset) % size:
        raise ValueError("buffer length (%d bytes) after offset (%d bytes) must be a multiple of element size (%d)"
                         % (length - offset, offset, size))
    count = (length - offset) // size if count < 0 else count
    if offset + count * size > length:
        raise ValueError("requested buffer length (%d * %d bytes) after offset (%d bytes) must not be greater than "
                         "actual buffer length (%d bytes)" % (count, size, offset, length))
    data = np.frombuffer(view.cast("B"), dtype.np, count, offset)
    if view.readonly:
        # torch writes into such memory anyway; minitorch, whose writes NumPy would refuse, copies it
        warn_once("frombuffer_not_writable", _NOT_WRITABLE, stacklevel=4)  # (the caller of torch.frombuffer)
        data = data.copy()
    return requiring_grad(Tensor._make(data), requires_grad)
