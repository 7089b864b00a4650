"""Storages: a tensor's memory as torch shows it, over the NumPy buffer minitorch keeps.

A tensor's storage is its root's memory (the tensor itself, or the base it is a view of), as ``strided.py``
addresses it: ``UntypedStorage`` is its bytes (a ``uint8`` view of that buffer, sharing its memory: writes go
through), ``TypedStorage`` the same bytes read as elements of a dtype, and ``FloatStorage``... the legacy
typed classes. A storage made by its own constructor owns a fresh zeroed buffer (torch's is uninitialised).
``share_memory_`` moves a storage into shared memory, and ``from_file`` maps a file (see ``_mapped_memory``).
What a NumPy buffer cannot honestly give is refused with NotImplementedError: moving it to a device, resizing it
under the tensors that use it.
"""
from __future__ import annotations

from typing import Any, Iterable, Iterator

import numpy as np

from . import _dtype as D
from ._device import CPU
from ._mapped_memory import add_holder, is_mapped, move_to_shared, untyped_from_file
from ._tensor import Tensor
from ._ops.registry import python_method
from ._ops.strided import _storage
from ._warn_once import warn_once

_TYPED_DEPRECATED = ("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the only "
                     "storage class. This should only matter to you if you are using storages directly.  To access "
                     "UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()")


def _not_honest(what: str) -> NotImplementedError:
    return NotImplementedError("minitorch's storages are NumPy buffers of this process: %s is not supported" % what)


class _StorageBase:
    """What the untyped and typed storages share: element access over ``_elements``, a 1-D array."""

    _elements: np.ndarray
    device = CPU
    is_cuda = False
    is_sparse = False

    def size(self) -> int:
        return int(self._elements.size)

    def __len__(self) -> int:
        return self.size()

    def nbytes(self) -> int:
        return int(self._elements.nbytes)

    def element_size(self) -> int:
        return int(self._elements.itemsize)

    def data_ptr(self) -> int:
        return int(self._elements.__array_interface__["data"][0])

    def is_shared(self) -> bool:
        return is_mapped(self._elements)

    def _index(self, idx: Any) -> int:
        if not isinstance(idx, (int, np.integer)) or isinstance(idx, bool):
            raise TypeError("can't index a %s with %s" % (type(self).__name__, type(idx).__name__))
        n = self.size()
        if not -n <= idx < n:
            raise IndexError("index %d out of range for storage of size %d" % (idx, n))
        return int(idx) % n if n else 0

    def __getitem__(self, idx: Any) -> Any:
        return self._elements[self._index(idx)].item()

    def __setitem__(self, idx: Any, value: Any) -> None:
        self._elements[self._index(idx)] = value

    def __iter__(self) -> Iterator[Any]:
        return iter(self.tolist())

    def tolist(self) -> list:
        return self._elements.tolist()

    def fill_(self, value: Any) -> "_StorageBase":
        self._elements[...] = value
        return self

    def share_memory_(self) -> Any:
        """Move the memory into shared memory (the tensors and storages over it follow), unless it is there."""
        if not self.is_shared():
            move_to_shared([self._elements])
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Any:
        raise _not_honest("moving a storage to a device")

    def pin_memory(self, *args: Any, **kwargs: Any) -> Any:
        raise _not_honest("pinning memory")

    def resize_(self, size: int) -> Any:
        raise _not_honest("resizing a storage under the tensors that use it")

    def _header(self) -> str:
        raise NotImplementedError

    def __repr__(self) -> str:
        return " " + "\n ".join(str(v) for v in self.tolist()) + "\n[%s of size %d]" % (self._header(), self.size())

    __str__ = __repr__


class UntypedStorage(_StorageBase):
    """Bytes: ``UntypedStorage(n)`` (zeros), ``UntypedStorage([0, 255, ...])``, or a tensor's
    ``untyped_storage()``."""

    def __init__(self, *args: Any, device: Any = None) -> None:
        self._elements = _fresh(args, np.dtype(np.uint8), "UntypedStorage")

    @classmethod
    def _over(cls, data: np.ndarray) -> "UntypedStorage":
        out = cls.__new__(cls)
        out._elements = data.reshape(-1).view(np.uint8)
        return out

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            return UntypedStorage._over(self._elements[idx])
        return super().__getitem__(idx)

    @classmethod
    def from_file(cls, filename: str, shared: Any = False, nbytes: int = 0, **unknown: Any) -> "UntypedStorage":
        """``nbytes`` bytes of a file: written through to it when ``shared``, else a private copy."""
        for name in unknown:
            raise TypeError("'%s' is an invalid keyword argument for this function" % name)
        return cls._over(untyped_from_file(filename, shared, nbytes))

    @property
    def dtype(self) -> D.dtype:
        return D.uint8

    def _header(self) -> str:
        return "torch.storage.UntypedStorage(device=cpu)"


def _fresh(args: tuple, np_dtype: np.dtype, name: str) -> np.ndarray:
    """A constructor's buffer: ``()`` empty, ``(n,)`` n zeros, ``(sequence,)`` its values."""
    if not args:
        return np.zeros(0, np_dtype)
    if len(args) != 1:
        raise TypeError("%s(): expected at most one positional argument, got %d" % (name, len(args)))
    arg = args[0]
    if isinstance(arg, (int, np.integer)) and not isinstance(arg, bool):
        if arg < 0:
            raise RuntimeError("Trying to create a storage of negative size %d" % arg)
        return np.zeros(int(arg), np_dtype)
    if name == "UntypedStorage":  # any sequence of ints; bytes wrap around as torch's conversion to uint8
        for item in arg:
            if not isinstance(item, (int, np.integer)):
                raise RuntimeError("torch.UntypedStorage(): tried to construct a storage from a sequence (%s), but one "
                                   "of the items was of type %s instead of int"
                                   % (type(arg).__name__, type(item).__name__))
        return np.array([int(v) for v in arg], np.int64).astype(np.uint8)
    if isinstance(arg, str) or not isinstance(arg, (list, tuple)):
        raise TypeError("new(): invalid data type '%s'" % type(arg).__name__)
    return np.array(arg).astype(np_dtype)


class _LegacyStorageMeta(type):
    """``isinstance(s, torch.FloatStorage)`` holds for a TypedStorage of float32."""

    def __instancecheck__(cls, instance: Any) -> bool:
        if cls is TypedStorage:
            return type.__instancecheck__(cls, instance)
        return type.__instancecheck__(TypedStorage, instance) and instance.dtype == cls.__dict__["dtype"]


class TypedStorage(_StorageBase, metaclass=_LegacyStorageMeta):
    """Deprecated: ``TypedStorage(n, dtype=...)`` or ``TypedStorage(sequence, dtype=...)`` (default dtype when
    none is given), or a tensor's ``storage()``; the legacy classes (``FloatStorage(n)``...) make one too."""

    dtype: D.dtype
    _untyped: UntypedStorage

    def __new__(cls, *args: Any, dtype: D.dtype | None = None, device: Any = None) -> "TypedStorage":
        warn_once("typed_storage", _TYPED_DEPRECATED, stacklevel=2)
        dt = cls.__dict__.get("dtype") or dtype or D.get_default_dtype()
        return _typed(UntypedStorage._over(_fresh(args, dt.np, cls.__name__)), dt)

    def _header(self) -> str:
        return "torch.storage.TypedStorage(dtype=%s, device=cpu)" % self.dtype

    def untyped(self) -> UntypedStorage:
        return self._untyped

    @classmethod
    def from_file(cls, filename: str, shared: Any, size: int) -> "TypedStorage":
        """``size`` elements of a file, as ``UntypedStorage.from_file``; on the legacy classes only."""
        warn_once("typed_storage", _TYPED_DEPRECATED, stacklevel=2)
        dtype = cls.__dict__.get("dtype")
        if dtype is None:
            raise RuntimeError("from_file can only be called on derived classes")
        return _typed(UntypedStorage._over(untyped_from_file(filename, shared, size * dtype.itemsize)), dtype)

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return super().__getitem__(idx)


def _typed(untyped: UntypedStorage, dtype: D.dtype) -> TypedStorage:
    out = object.__new__(TypedStorage)
    out._untyped, out.dtype = untyped, dtype
    out._elements = untyped._elements.view(dtype.np)
    return out


def _legacy_class(name: str, dtype: D.dtype) -> type:
    return _LegacyStorageMeta(name, (TypedStorage,), {"dtype": dtype, "__module__": "torch"})


_LEGACY = {dt: _legacy_class(name, dt) for name, dt in (
    ("ByteStorage", D.uint8), ("CharStorage", D.int8), ("ShortStorage", D.int16), ("IntStorage", D.int32),
    ("LongStorage", D.int64), ("HalfStorage", D.float16), ("FloatStorage", D.float32), ("DoubleStorage", D.float64),
    ("BFloat16Storage", D.bfloat16), ("BoolStorage", D.bool), ("ComplexFloatStorage", D.complex64),
    ("ComplexDoubleStorage", D.complex128))}
(ByteStorage, CharStorage, ShortStorage, IntStorage, LongStorage, HalfStorage, FloatStorage, DoubleStorage,
 BFloat16Storage, BoolStorage, ComplexFloatStorage, ComplexDoubleStorage) = _LEGACY.values()


add_holder(_StorageBase, "_elements")


def is_storage(obj: Any, /) -> bool:
    """Whether ``obj`` is a storage (untyped or typed), not a tensor."""
    return isinstance(obj, (UntypedStorage, TypedStorage))


# ---- Tensor's accessors -------------------------------------------------------------------------------------
@python_method("untyped_storage")
def untyped_storage(self: Tensor) -> UntypedStorage:
    """The bytes of ``self``'s root, sharing its memory."""
    return UntypedStorage._over(_storage(self))


@python_method("storage")
def storage(self: Tensor) -> TypedStorage:
    """Deprecated: the root's memory as elements of ``self``'s dtype, sharing it."""
    warn_once("typed_storage", _TYPED_DEPRECATED, stacklevel=2)
    return _typed(untyped_storage(self), self.dtype)


@python_method("storage_type")
def storage_type(self: Tensor) -> type:
    return _LEGACY[self.dtype]


def share_memory_of(tensors: Iterable[Tensor]) -> None:
    """Move the whole storages of ``tensors`` (their views and bases follow) into shared memory, where forked
    children share them; at once, as moving costs a pass over the live objects."""
    memories = {}
    for t in tensors:
        memory = _storage(t)
        if not is_mapped(memory):
            memories[memory.__array_interface__["data"][0]] = memory
    move_to_shared(list(memories.values()))


@python_method("share_memory_")
def share_memory_(self: Tensor) -> Tensor:
    """Move ``self``'s whole storage into shared memory (its views and base follow)."""
    share_memory_of([self])
    return self


@python_method("is_shared")
def is_shared(self: Tensor) -> bool:
    return is_mapped(self._data)


share_memory_.__qualname__ = "Tensor.share_memory_"  # (torch's method, named so in its argument errors)
is_shared.__qualname__ = "Tensor.is_shared"
