"""``Tensor.set_`` and ``Tensor.is_set_to``: a tensor takes other memory (another tensor's, a storage's, or none).

``set_`` makes ``self`` a root over the new memory: its storage (``_storage_memory``, see ``_ops/strided._storage``)
is the source's, and its data the ``size``/``stride`` window from ``storage_offset`` into it, so writes go both
ways. Views made of ``self`` before keep the old memory, as in torch. ``self`` keeps its own version counter
(bumped); while grad mode is on and ``self`` or a source tensor requires grad, its history becomes torch's
``NotImplemented`` node, whose backward refuses.

Unlike torch, a window past the end of the storage is refused with NotImplementedError where torch grows the
storage under every tensor using it (a NumPy buffer cannot grow in place), and ``self._base`` is dropped (torch
keeps a view's base, though the view no longer shows it).
"""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from ._dtype import COMPLEX, FLOATING
from ._ops.dims import _MIN_SYMINT, INT64_MAX, tensor_array
from ._ops.registry import op
from ._ops.signature import declare_type
from ._ops.strided import _storage, _strided_view
from ._serialization.storage import contiguous_strides, window_nbytes
from ._storage import TypedStorage, UntypedStorage, _not_honest, is_storage
from ._tensor import Tensor
from .autograd import grad_mode
from .autograd.recording import check_inplace, defop, make_node, needs_grad

declare_type("Storage", is_storage, {UntypedStorage: "torch.storage.UntypedStorage",
                                     TypedStorage: "torch.storage.TypedStorage"})


def _no_derivative(grad: Tensor) -> Tensor:
    raise RuntimeError("derivative for set_ is not implemented")


SET = defop("set_", ("self", "source"), {"self": _no_derivative, "source": _no_derivative}, grad_name="NotImplemented")


def _memory_of(self: Tensor, source: Any, window: bool) -> tuple[np.ndarray, int]:
    """The source's storage as a flat array of ``self``'s elements, and its size in bytes, with torch's dtype
    checks (a source tensor given with a window lends its storage's bytes, read in ``self``'s dtype, as an untyped
    storage would)."""
    if source is None:
        return np.empty(0, self._data.dtype), 0
    if isinstance(source, Tensor) and not window:
        if source.dtype is not self.dtype:
            raise RuntimeError("Could not set tensor of type %s to a tensor of type %s"
                               % (source.dtype.cpp_name, self.dtype.cpp_name))
        memory = _storage(source)
        return memory, memory.nbytes
    if isinstance(source, TypedStorage) and source.dtype is not self.dtype:
        raise RuntimeError("Expected a Storage of type %s or an UntypedStorage, but got type %s for argument 1 "
                           "'storage'" % (self.dtype.cpp_name, source.dtype._cast_name))
    if isinstance(source, Tensor):
        if not source.is_contiguous():
            raise RuntimeError("passed in tensor to be used as storage must be contiguous")
        raw = _storage(source).view(np.uint8)
    else:
        raw = source.untyped()._elements if isinstance(source, TypedStorage) else source._elements
    itemsize = self._data.itemsize
    return raw[:raw.size // itemsize * itemsize].view(self._data.dtype), raw.nbytes


def _window(self: Tensor, memory: np.ndarray, nbytes: int, storage_offset: int, size: Sequence[int],
            stride: Sequence[int] | None) -> np.ndarray:
    """The ``size``/``stride`` elements of ``memory`` from ``storage_offset`` (contiguous strides when None).
    Past the end of the storage torch grows it, unless ``self`` keeps its size and strides (its resize then
    returns at once, and the bounds check refuses)."""
    size = tuple(size)
    item = memory.itemsize
    if stride is None:  # torch's contiguous byte count: (offset + numel) elements, in int64
        window_nbytes(storage_offset, size, (0,) * len(size), item)  # (its checks of the sizes and offset)
        strides = contiguous_strides(size)
        numel = math.prod(size)
        needed = (storage_offset + numel) * item if numel else 0
        if needed > INT64_MAX:
            raise RuntimeError("Storage size calculation overflowed with sizes=%s" % list(size))
    else:
        strides = tuple(stride)
        needed = window_nbytes(storage_offset, size, strides, item)
    if needed > memory.nbytes:
        if size == self._data.shape and (stride is None or strides == self.stride()):
            raise RuntimeError("setStorage: sizes %s, strides %s, storage offset %d, and itemsize %d requiring a "
                               "storage size of %d are out of bounds for storage of size %d"
                               % (list(size), list(stride or ()), storage_offset, item, needed, nbytes))
        raise _not_honest("growing a storage under the tensors that use it (set_ past its end)")
    return _strided_view(memory, size, strides, storage_offset)


@op(method=["set_()", "set_(Storage source)",
            "set_(Storage source, SymInt storage_offset, SymIntArrayRef size, SymIntArrayRef stride=None)",
            "set_(Tensor source)",
            "set_(Tensor source, SymInt storage_offset, SymIntArrayRef size, SymIntArrayRef stride=None)"])
def set_(self: Tensor, source: Any = None, storage_offset: int | None = None, size: Sequence[int] | None = None,
         stride: Sequence[int] | None = None) -> Tensor:
    """``self`` over the source's memory: the whole storage, the source tensor's window, or the window given."""
    inputs = (self, source) if isinstance(source, Tensor) else (self,)
    memory, nbytes = _memory_of(self, source, size is not None)  # torch's order: the dtype, autograd's refusals,
    check_inplace(self, inputs)  # the CPU kernel's binding (its sizes), the window
    if size is not None:
        assert storage_offset is not None  # (the overloads give both or neither)
        if any(n < _MIN_SYMINT for n in tuple(size) + tuple(stride or ())):
            raise RuntimeError("/__w/pytorch/pytorch/build/aten/src/ATen/RegisterCPU_1.cpp:5198: SymIntArrayRef "
                               "expected to contain only concrete integers")
        data = _window(self, memory, nbytes, storage_offset, size, stride)
    else:
        data = source._data[...] if isinstance(source, Tensor) else memory[...]
    self._data = tensor_array(data)  # (an empty storage's whole: a fresh tensor's strides)
    self.__dict__["_storage_memory"] = memory
    if self._base is not None:
        # a tensor given other memory is no one's view (its view chain and version, autograd.history.tie_view's,
        # are read only while it has a base)
        self._base = None
        self.__dict__.pop("_creation_meta", None)
    self._vbox[0] += 1
    if grad_mode.STATE.enabled and needs_grad(inputs) and self.dtype.category >= FLOATING:
        self._grad_fn, _ = make_node(SET, inputs, None, self.dtype.category == COMPLEX)
        self._output_nr, self._requires_grad = 0, True
    return self


@op(method=["is_set_to(Tensor tensor)"])
def is_set_to(self: Tensor, tensor: Tensor) -> bool:
    """Whether both show the same elements of one storage: same storage, offset, sizes and strides."""
    mine, theirs = _storage(self), _storage(tensor)
    return (mine.size > 0 and mine.__array_interface__["data"][0] == theirs.__array_interface__["data"][0]
            and mine.nbytes == theirs.nbytes and self.storage_offset() == tensor.storage_offset()
            and self._data.shape == tensor._data.shape and self.stride() == tensor.stride())
