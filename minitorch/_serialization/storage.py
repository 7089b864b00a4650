"""Storages: the flat buffers tensors are views of, as torch's checkpoints describe them.

A minitorch tensor wraps an ndarray; the memory it views belongs to the last ndarray down its
``.base`` chain (the *root*). Tensors whose roots are the same array share a storage: a checkpoint
writes that buffer once and records each tensor as (offset, size, stride) in elements over it,
and loading rebuilds every tensor as a view of one buffer again, so writes alias as before.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .. import _device
from .._array_roots import root_array
from .._device import CPU
from .._tensor import Tensor

# torch's legacy storage class for each dtype (the ``FloatStorage`` in a storage id), by dtype name
STORAGE_CLASS_NAMES = {
    "float64": "DoubleStorage", "float32": "FloatStorage", "float16": "HalfStorage", "bfloat16": "BFloat16Storage",
    "int64": "LongStorage", "int32": "IntStorage", "int16": "ShortStorage", "int8": "CharStorage",
    "uint8": "ByteStorage", "bool": "BoolStorage", "complex128": "ComplexDoubleStorage",
    "complex64": "ComplexFloatStorage", "qint8": "QInt8Storage", "quint8": "QUInt8Storage",
    "qint32": "QInt32Storage", "quint4x2": "QUInt4x2Storage", "quint2x4": "QUInt2x4Storage",
}


class MissingDtype:
    """A torch dtype NumPy cannot hold (bfloat16, complex, quantized, float8...): it may be named in a
    checkpoint, but a tensor of it cannot be loaded."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return "torch." + self.name

    def unsupported(self) -> RuntimeError:
        return RuntimeError("minitorch cannot load a tensor of dtype torch.%s: NumPy has no such type"
                            % self.name)


def dtype_by_name(name: str) -> Any:
    """minitorch's dtype called ``name`` in torch, or a MissingDtype."""
    found = getattr(D, name, None)
    return found if found in D.ALL_DTYPES and found._name == name else MissingDtype(name)


class StorageType:
    """A legacy storage class as a checkpoint names it (``torch.FloatStorage``): it stands for a dtype."""

    __slots__ = ("name", "dtype")

    def __init__(self, name: str, dtype: Any) -> None:
        self.name, self.dtype = name, dtype

    def __repr__(self) -> str:
        return "StorageType(dtype=%r)" % (self.dtype,)


STORAGE_TYPES = {dtype_name: StorageType(cls_name, dtype_by_name(dtype_name))
                 for dtype_name, cls_name in STORAGE_CLASS_NAMES.items()}


class UntypedStorage:
    """A flat byte buffer on the CPU: torch's ``UntypedStorage`` as ``torch.load`` hands it to a
    ``map_location`` callable, and the shared buffer of the tensors loaded over it."""

    __slots__ = ("_root", "_bytes")

    def __init__(self, root: np.ndarray) -> None:
        self._root = root  # the array owning the memory; its identity is the storage's identity
        self._bytes = root.reshape(-1, order="A").view(np.uint8)

    def nbytes(self) -> int:
        return self._bytes.size

    size = nbytes

    def __len__(self) -> int:
        return self._bytes.size

    @property
    def device(self) -> _device.device:
        return CPU

    @property
    def is_cuda(self) -> bool:
        return False

    def data_ptr(self) -> int:
        return self._bytes.__array_interface__["data"][0]

    def cpu(self) -> "UntypedStorage":
        return self

    def cuda(self, device: Any = None, non_blocking: bool = False) -> "UntypedStorage":
        if device is None:  # what a CPU-only torch 2.13 raises here
            raise TypeError("'<' not supported between instances of 'NoneType' and 'int'")
        raise RuntimeError("PyTorch was compiled without CUDA support")

    def to(self, *, device: Any, non_blocking: bool = False) -> "UntypedStorage":
        if _device.device(device).type == "cpu":
            return self
        return self.cuda()

    def __repr__(self) -> str:
        lines = [" %d" % v for v in self._bytes.tolist()]
        return "\n".join(lines + ["[torch.storage.UntypedStorage(device=cpu) of size %d]" % self._bytes.size])


class TypedStorage:
    """An UntypedStorage seen as elements of one dtype: what a rebuilt tensor views."""

    __slots__ = ("_untyped_storage", "dtype")

    def __init__(self, untyped: UntypedStorage, dtype: D.dtype) -> None:
        self._untyped_storage, self.dtype = untyped, dtype

    def _size(self) -> int:
        return self._untyped_storage.nbytes() // self.dtype.itemsize

    def __reduce__(self) -> Any:
        # plain pickle (not torch.save): the bytes travel inside the pickle
        return (_storage_from_bytes, (self._untyped_storage._bytes.tobytes(), self.dtype))


def _storage_from_bytes(data: bytes, dtype: D.dtype) -> TypedStorage:
    return TypedStorage(UntypedStorage(np.frombuffer(bytearray(data), np.uint8)), dtype)


def _address(arr: np.ndarray) -> int:
    return arr.__array_interface__["data"][0]


def storage_view(t: Tensor) -> tuple[TypedStorage, int, tuple[int, ...], tuple[int, ...]]:
    """(storage, offset, size, stride) locating ``t`` in the buffer it shares with other tensors; a
    tensor that cannot be described that way (negative or odd strides) gets a storage of its own."""
    data = t._data
    item = data.itemsize
    root = root_array(data)
    located = _locate(data, root) if root.flags.c_contiguous or root.flags.f_contiguous else None
    if located is None or root.nbytes % item:
        root = data.copy()
        located = 0, contiguous_strides(data.shape)
    offset, strides = located
    return TypedStorage(UntypedStorage(root), t.dtype), offset, data.shape, strides


def _locate(data: np.ndarray, root: np.ndarray) -> tuple[int, tuple[int, ...]] | None:
    """``data``'s offset and strides in elements from the start of ``root``, if it is a regular view."""
    item = data.itemsize
    byte_offset = 0 if data is root else _address(data) - _address(root)
    if byte_offset < 0 or byte_offset % item:
        return None
    strides = []
    empty = data.size == 0
    for size, stride, fallback in zip(data.shape, data.strides, contiguous_strides(data.shape)):
        if size <= 1 or (empty and stride == 0):
            # never used to address memory (NumPy zeroes an empty array's strides): torch's default
            stride = fallback * item
        if stride < 0 or stride % item:
            return None
        strides.append(stride // item)
    return byte_offset // item, tuple(strides)


def contiguous_strides(shape: tuple[int, ...]) -> tuple[int, ...]:
    strides, step = [], 1
    for size in reversed(shape):
        strides.append(step)
        step *= max(size, 1)
    return tuple(reversed(strides))


# ---- tensors over storages (torch's Tensor.set_ checks, in its order) --------------------------
_U64 = 1 << 64
_I64_MAX = (1 << 63) - 1


def view_of(storage: TypedStorage, offset: int, size: tuple, stride: tuple) -> np.ndarray:
    """The ndarray viewing ``storage`` at (offset, size, stride) elements, refused as torch's
    ``set_`` refuses it when it would reach outside the storage."""
    dtype = storage.dtype
    needed = window_nbytes(offset, size, stride, dtype.itemsize)
    if needed > storage._untyped_storage.nbytes():
        raise RuntimeError("Trying to resize storage that is not resizable")
    item = dtype.itemsize
    return np.ndarray(tuple(size), dtype.np, buffer=storage._untyped_storage._bytes,
                      offset=offset * item if needed else 0, strides=tuple(s * item for s in stride))


def window_nbytes(offset: int, size: tuple, stride: tuple, itemsize: int) -> int:
    """The bytes of storage that an (offset, size, stride) window in elements of ``itemsize`` reaches, with
    torch's ``set_`` checks in its order."""
    if len(size) != len(stride):
        raise RuntimeError("unequal size length (%d) and stride length (%d)" % (len(size), len(stride)))
    if offset < 0:
        raise RuntimeError("Tensor: invalid storage offset %d" % offset)
    numel = 1
    for s in size:
        numel = numel * (s % _U64)
    if numel > _I64_MAX or any(s < 0 for s in size):
        raise RuntimeError("numel: integer multiplication overflow")
    return _storage_bytes_needed(offset, size, stride, itemsize)


def _storage_bytes_needed(offset: int, size: tuple, stride: tuple, itemsize: int) -> int:
    """torch's computeStorageNbytes: bytes up to the last element, in unsigned 64-bit arithmetic."""
    if any(s == 0 for s in size):
        return 0
    total, overflow = offset + 1, False
    for s, st in zip(size, stride):
        step = (st % _U64) * ((s - 1) % _U64)
        total += step % _U64
        overflow |= step >= _U64 or total >= _U64
        total %= _U64
    total *= itemsize
    if overflow or total >= _U64:
        raise RuntimeError("Storage size calculation overflowed with sizes=%s and strides=%s"
                           % (list(size), list(stride)))
    return total
