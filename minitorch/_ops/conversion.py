"""Dtype and device conversion: ``to``, ``type``, ``float()``/``double()``/..."""
from __future__ import annotations

from typing import Any

from .. import _dtype as D
from .._device import check_device, device as Device
from .._tensor import Tensor
from .registry import METHODS, method
from ..autograd.recording import defop, record

TO_COPY = defop("_to_copy", grads={"self": lambda grad, self_dtype: grad.to(self_dtype)},
                grad_name="ToCopyBackward0")


def convert(t: Tensor, dtype: D.dtype, copy: bool = False) -> Tensor:
    if dtype is t.dtype and not copy:
        return t
    if dtype is None or not isinstance(dtype, D.dtype):
        raise TypeError("to() received an invalid combination of arguments - got (%s)" % type(dtype).__name__)
    return record(TO_COPY, t._data.astype(dtype.np), (t,), {"self_dtype": t.dtype})


@method("to")
def to(self: Tensor, *args: Any, dtype: D.dtype | None = None, device: Any = None, non_blocking: bool = False,
       copy: bool = False, memory_format: Any = None) -> Tensor:
    for a in args:
        if isinstance(a, D.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, (str, Device, int)):
            device = a
        elif a is not None:
            raise TypeError("to() received an invalid combination of arguments - got (%s, )"
                            % type(a).__name__)
    check_device(device)
    return convert(self, dtype if dtype is not None else self.dtype, copy)


for _name, _dt in (("float", D.float32), ("double", D.float64), ("half", D.float16), ("long", D.int64),
                   ("int", D.int32), ("short", D.int16), ("char", D.int8), ("byte", D.uint8),
                   ("bool", D.bool)):
    METHODS[_name] = lambda self, memory_format=None, _dt=_dt: convert(self, _dt)

METHODS["type_as"] = lambda self, other: convert(self, other.dtype)
METHODS["cuda"] = lambda self, *a, **k: check_device("cuda")
