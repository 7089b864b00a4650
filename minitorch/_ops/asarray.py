"""torch.asarray: a tensor sharing the memory of what it is given (a tensor, a NumPy array or scalar, a DLPack
producer, an object of Python's buffer protocol) when neither ``copy`` nor ``dtype`` asks for new memory; a new
tensor from nested sequences and scalars, as ``torch.tensor`` builds it."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._creation import from_numpy, requiring_grad, tensor
from .._device import check_factory_device
from .._tensor import Tensor
from .._warn_once import warn_once
from .buffers import frombuffer
from .registry import op

_REQUIRES_GRAD_DEFAULT = (
    "torch.asarray: unspecified requires_grad now defaults to obj.requires_grad instead of False. Pass "
    "requires_grad=False explicitly to get the old behavior and silence this warning. (Triggered internally at "
    "/__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:1737.)")


@op("asarray(PyObject* obj, *, ScalarType? dtype=None, Device? device=None, bool? copy=None, "
    "bool? requires_grad=None)")
def asarray(obj: Any, *, dtype: D.dtype | None = None, device: Any = None, copy: bool | None = None,
            requires_grad: bool | None = None) -> Tensor:
    check_factory_device(device)
    shared = _sharing_memory(obj, dtype)
    if shared is None:
        if copy is False:
            raise ValueError("can't alias arbitrary sequence into a tensor.")
        if hasattr(obj, "__dlpack__"):  # torch's path for data: a DLPack producer's memory, unless converted
            dlpack = from_numpy(np.from_dlpack(obj))
            return requiring_grad(dlpack if dtype in (None, dlpack.dtype) else dlpack.to(dtype), bool(requires_grad))
    if shared is None:
        result = tensor(obj, dtype=dtype)
    elif dtype is not None and dtype is not shared.dtype:
        if copy is False:
            raise ValueError("can't alias tensor with dtype '%s' into dtype '%s'."
                             % (shared.dtype._cast_name, dtype._cast_name))
        result = shared.to(dtype, copy=True)
    else:
        result = shared.clone() if copy else shared
    if requires_grad is None:  # torch's new default: the given tensor's
        requires_grad = isinstance(obj, Tensor) and obj.requires_grad
        if requires_grad:
            warn_once("asarray_requires_grad", _REQUIRES_GRAD_DEFAULT, stacklevel=4)  # (the caller of asarray)
    if result.requires_grad and not requires_grad:
        if result._grad_fn is None and result._base is None:
            return result.requires_grad_(False)  # (a leaf: torch turns the flag off on it, the given tensor itself)
        return result.detach()
    return requiring_grad(result, requires_grad)


def _sharing_memory(obj: Any, dtype: D.dtype | None) -> Tensor | None:
    """A tensor over the memory of ``obj`` that asarray may alias (a tensor, a NumPy array or scalar, a buffer), or
    None for data (sequences, Python scalars, DLPack producers)."""
    if isinstance(obj, Tensor):
        return obj
    if isinstance(obj, (np.ndarray, np.generic)):
        return from_numpy(np.asarray(obj))
    try:
        memoryview(obj)
    except TypeError:
        return None
    return frombuffer(obj, dtype=dtype or D.get_default_dtype())
