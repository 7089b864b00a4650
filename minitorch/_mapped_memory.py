"""Memory in mappings: anonymous shared mappings (``share_memory_``: forked children write the same pages) and
mapped files (``from_file``).

A storage is moved into shared memory as torch moves it: a new shared mapping takes its bytes, and everything that
showed the old memory shows the new one (every tensor over it, the views of the root included, its kept storage,
storage objects, and the memory seen through conjugate or negative views). minitorch's tensors hold NumPy arrays,
which cannot be pointed elsewhere, so those holders are found among the live objects and given arrays over the
new mapping, laid out as before. Memory is shared when it lies in a mapping (``mmap.mmap``), as torch calls a
file-backed storage shared too.
"""
from __future__ import annotations

import bisect
import errno
import gc
import mmap
import os
from typing import Any, Sequence

import numpy as np
from numpy.lib.array_utils import byte_bounds

from ._bit_views import Mirror
from ._creation import requiring_grad
from ._device import check_factory_device
from ._dtype import get_default_dtype
from ._ops.registry import compile_callable
from ._ops.signature import Parser
from ._tensor import Tensor


def memory_owner(data: np.ndarray) -> Any:
    """The object whose memory ``data`` shows (down the chain of bases)."""
    owner: Any = data
    while isinstance(owner, np.ndarray):
        owner = owner.base
    return owner.obj if isinstance(owner, memoryview) else owner


def is_mapped(data: np.ndarray) -> bool:
    return isinstance(memory_owner(data), mmap.mmap)


def _over(data: np.ndarray, start: int, mapped: np.ndarray) -> np.ndarray:
    """``data``'s layout over ``mapped`` (bytes), at the offset ``data`` has from ``start``."""
    offset = data.__array_interface__["data"][0] - start
    moved = np.ndarray(data.shape, data.dtype, mapped, offset, data.strides)
    moved.flags.writeable = data.flags.writeable
    return moved


# the array attributes that show a storage's memory, on each kind of holder (a Tensor's kept storage is an
# instance field, set only on some: see _ops/strided._storage)
_HOLDERS: list[tuple[type, str]] = [(Tensor, "_data"), (Tensor, "_storage_memory"), (Mirror, "raw")]
_ATTRIBUTES_OF: dict[type, tuple[str, ...]] = {}  # by the type of a live object: its attributes in _HOLDERS


def add_holder(cls: type, attribute: str) -> None:
    """Another class whose ``attribute`` may show a storage's memory (storage objects)."""
    _HOLDERS.append((cls, attribute))
    _ATTRIBUTES_OF.clear()


def _attributes_of(kind: type) -> tuple[str, ...]:
    attributes = _ATTRIBUTES_OF.get(kind)
    if attributes is None:
        attributes = _ATTRIBUTES_OF[kind] = tuple(a for cls, a in _HOLDERS if issubclass(kind, cls))
    return attributes


def move_to_shared(memories: Sequence[np.ndarray]) -> None:
    """Copy each memory (a storage: flat, contiguous; none overlapping another) into a new anonymous shared
    mapping, and make everything that showed it show the mapping. One pass over the live objects for all."""
    if not memories:
        return
    starts, moves = [], []
    for memory in sorted(memories, key=lambda m: m.__array_interface__["data"][0]):
        mapping = mmap.mmap(-1, max(memory.nbytes, 1))  # (an empty mapping cannot be made)
        mapped = np.frombuffer(mapping, np.uint8, memory.nbytes)
        mapped[...] = memory.view(np.uint8)
        starts.append(memory.__array_interface__["data"][0])
        moves.append((starts[-1], memory.nbytes, mapped))
    for holder in gc.get_objects():
        for attribute in _attributes_of(type(holder)):  # (not isinstance: some objects' __class__ warns when read)
            data = getattr(holder, attribute, None)
            if data is None:
                continue
            low, high = byte_bounds(data)
            start, nbytes, mapped = moves[max(bisect.bisect_right(starts, low) - 1, 0)]
            if start <= low and high <= start + nbytes if nbytes else low == start:
                setattr(holder, attribute, _over(data, start, mapped))


# ---- mapped files ---------------------------------------------------------------------------------------------
def map_file(filename: str, shared: bool, nbytes: int) -> np.ndarray:
    """``nbytes`` bytes of the file as a flat uint8 array: written through to the file when ``shared`` (the file
    is created or grown as needed), else a private copy-on-write mapping of a file at least that long."""
    if nbytes == 0:
        return np.frombuffer(mmap.mmap(-1, 1), np.uint8, 0)
    try:
        fd = os.open(filename, os.O_RDWR | os.O_CREAT if shared else os.O_RDONLY, 0o600)
    except OSError as e:
        code = e.errno or 0
        raise RuntimeError("unable to open file <%s> in %s mode: %s (%d)"
                           % (filename, "read-write" if shared else "read-only", os.strerror(code), code)) from None
    try:
        size = os.fstat(fd).st_size
        if size < nbytes:
            if not shared:
                raise RuntimeError("file <%s> size <%d> is smaller than the required mapping size <%d>"
                                   % (filename, size, nbytes))
            os.ftruncate(fd, nbytes)
        if nbytes < 0:
            raise RuntimeError("unable to mmap %d bytes from file <%s>: %s (%d)"
                               % (nbytes, filename, os.strerror(errno.ENOMEM), errno.ENOMEM))
        mapping = mmap.mmap(fd, nbytes, access=mmap.ACCESS_WRITE if shared else mmap.ACCESS_COPY)
    finally:
        os.close(fd)
    return np.frombuffer(mapping, np.uint8, nbytes)


def _from_file(filename: str, shared: bool | None = None, size: int = 0, *, dtype: Any = None, layout: Any = None,
               device: Any = None, pin_memory: bool = False, requires_grad: bool = False) -> Tensor:
    check_factory_device(device)  # (pin_memory=True was refused by the parser, as for every factory)
    dt = dtype or get_default_dtype()
    return requiring_grad(Tensor._make(map_file(filename, bool(shared), size * dt.itemsize).view(dt.np)),
                          requires_grad)


from_file = compile_callable(Parser([
    "from_file(c10::string_view filename, bool? shared=None, int64_t? size=0, *, ScalarType? dtype=None, "
    "Layout? layout=None, Device? device=None, bool? pin_memory=False, bool requires_grad=False)"]),
    _from_file, False, "from_file")


def untyped_from_file(filename: Any, shared: Any = False, nbytes: int = 0) -> np.ndarray:
    """``UntypedStorage.from_file``'s memory (``shared`` is read for its truth, as torch's binding does)."""
    return map_file(filename, bool(shared), nbytes)

