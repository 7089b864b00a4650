"""Ops that address a tensor's storage directly: as_strided (and its in-place and scatter forms), resize_,
and fill_diagonal_, which torch writes through a strided view.

A tensor's storage is its root base's memory (the tensor itself when it is not a view), addressed in
elements from the root's first one, as ``Tensor.storage_offset`` counts. A C-contiguous root, or one whose
elements fill its memory in another order (permuted strides), is addressed in memory order, as torch's storage; an
overlapping or gapped root is refused rather than read at the wrong elements.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from .._device import preserve_format
from .._tensor import Tensor
from ..autograd.history import view_step
from ..autograd.recording import OVERLAP_MESSAGE, defop, record
from .concrete_sizes import RESIZE_SITE, check_concrete_sizes
from .dims import (INT64_MAX, check_contiguous_strides, check_nonnegative, check_numel, check_storage, element_strides,
                   fits_numpy, non_overlapping_and_dense, numpy_cannot_hold, strided, strided_storage_bytes,
                   wrapped_storage_bytes)
from .registry import op
from .views import inplace_view, make_view


def _storage(t: Tensor) -> np.ndarray:
    """``t``'s storage as a flat array sharing its memory (a root shrunk by ``resize_`` keeps its storage, and
    one given memory by ``set_`` holds it: the rarely set field ``_storage_memory``, while the root's data lies
    in it)."""
    root = t if t._base is None else t._base
    kept = root.__dict__.get("_storage_memory")
    if kept is not None and np.may_share_memory(kept, root._data):
        return kept
    data = root._data
    if data.flags.c_contiguous:
        return data.reshape(-1)
    if non_overlapping_and_dense(data.shape, element_strides(data)):
        # a permuted layout (a transposed or channels-last result): its memory from its first element, which is its
        # lowest address, in address order (torch's storage of it)
        return strided(data, (data.size,), (data.itemsize,))
    raise RuntimeError("minitorch addresses the storage of a dense tensor only: call .contiguous() on the tensor (or "
                       "its base) first")


def _positions(size: Sequence[int], stride: Sequence[int], offset: int) -> np.ndarray:
    """The storage index of each element of a ``size``/``stride`` view starting at ``offset``."""
    pos = np.full(tuple(size), offset, np.int64)
    for k, (n, s) in enumerate(zip(size, stride)):
        pos += (np.arange(n, dtype=np.int64) * s).reshape((n,) + (1,) * (len(size) - k - 1))
    return pos


def _strided_view(storage: np.ndarray, size: tuple, stride: tuple, offset: int,
                  storage_bytes: Callable[..., int] = strided_storage_bytes) -> np.ndarray:
    """The ``size``/``stride`` view of ``storage`` from ``offset``, with torch's checks (``storage_bytes``: how torch
    counts the bytes the view reaches)."""
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got strides: %s"
                           % list(stride))
    if offset < 0:
        raise RuntimeError("Tensor: invalid storage offset %d" % offset)
    item = storage.itemsize
    needed = storage_bytes(size, stride, item, offset)
    if needed > storage.size * item:
        raise RuntimeError("setStorage: sizes %s, strides %s, storage offset %d, and itemsize %d requiring a storage "
                           "size of %d are out of bounds for storage of size %d"
                           % (list(size), list(stride), offset, item, needed, storage.size * item))
    check_numel(size)  # (set_sizes_and_strides': a size of -1 passes the storage's check over a zero stride)
    if 0 not in size and (offset + 1 + sum(s * (n - 1) for n, s in zip(size, stride))) * item > storage.size * item:
        # (as_strided_'s wrapping count passed a view past its storage: torch's tensor reads memory it does not own)
        raise NotImplementedError("minitorch: a view of sizes %s and strides %s reaches past its storage of %d "
                                  "elements (torch's storage check wrapped around in int64 and let it pass)"
                                  % (list(size), list(stride), storage.size))
    if not fits_numpy(size, storage.dtype):
        raise numpy_cannot_hold(size)
    if any(s * item > INT64_MAX for s in stride):  # (an empty view's: torch takes any)
        raise numpy_cannot_hold(size, stride)
    start = storage[min(offset, storage.size):]
    # a zero stride over more than one element is the overlap torch refuses to write through (other overlaps
    # it cannot tell cheaply, and writes): read-only, so that a write raises its error
    overlaps = 0 not in size and any(s == 0 and n > 1 for n, s in zip(size, stride))
    return strided(start, size, tuple(s * item for s in stride), writeable=not overlaps)


def _may_overlap(size: Sequence[int], stride: Sequence[int]) -> bool:
    """torch's _maybe_overlapping_memory: some stride, in increasing order, does not pass the furthest element the
    smaller strides reach (a zero stride always)."""
    reach = 0
    for n, s in sorted(zip(size, stride), key=lambda d: d[1]):
        if s <= reach:
            return True
        reach += s * (n - 1)
    return False


def _storage_extent(size: Sequence[int], stride: Sequence[int], offset: int) -> int:
    """torch's _min_storage_size: the storage elements a geometry without empty dims reaches."""
    return offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))


def _as_strided_grad(grad: Tensor, size: tuple, stride: tuple, offset: int, self_size: tuple, self_stride: tuple,
                     self_offset: int) -> Tensor:
    """torch's as_strided_backward: the output's gradient written (summed where the output's geometry may overlap)
    into a fresh storage spanning both geometries, divided by the number of self's elements reading each storage
    element where self's may overlap (an expanded input's elements share their one element's gradient), read
    back at self's geometry. The output's zero-stride dims are summed first, its size-1 dims and self's dropped."""
    if 0 in size or 0 in self_size:
        return grad.new_zeros(self_size)
    kept: list[tuple[int, int]] = []
    for i in reversed(range(len(size))):
        if size[i] == 1:
            grad = grad.squeeze(i)
        elif stride[i] == 0:
            grad = grad.sum(i)
        else:
            kept.insert(0, (size[i], stride[i]))
    out_size, out_stride = (tuple(d[k] for d in kept) for k in (0, 1))
    in_size, in_stride = (tuple(d[k] for d in zip(self_size, self_stride) if d[0] != 1) for k in (0, 1))
    shared = min(self_offset, offset)
    in_offset, out_offset = self_offset - shared, offset - shared
    extent = max(_storage_extent(in_size, in_stride, in_offset), _storage_extent(out_size, out_stride, out_offset))
    storage = grad.new_zeros(extent)
    if _may_overlap(out_size, out_stride):
        indices = Tensor._make(_positions(out_size, out_stride, out_offset).reshape(-1))
        storage = storage.index_add(0, indices, grad.reshape(-1))
    else:  # (written through a view of the storage, as torch: a CopySlices in a double backward's graph)
        storage.as_strided(out_size, out_stride, out_offset).copy_(grad)
    if _may_overlap(in_size, in_stride):
        readers = Tensor._make(_positions(in_size, in_stride, in_offset).reshape(-1))
        storage = storage / grad.new_zeros(extent).index_add(0, readers, grad.new_ones(1).expand_as(readers))
    return storage.as_strided(self_size, self_stride, in_offset)


AS_STRIDED = defop("as_strided", grads={"self": _as_strided_grad}, widen=False, complex_vjps=True)


@op("as_strided(Tensor input, SymIntArrayRef size, SymIntArrayRef stride, SymInt? storage_offset=None)",
    method=True)
def as_strided(input: Tensor, size: Sequence[int], stride: Sequence[int], storage_offset: int | None = None,
               storage_bytes: Callable[..., int] = strided_storage_bytes) -> Tensor:
    storage = _storage(input)
    offset = input.storage_offset() if storage_offset is None else storage_offset
    size, stride = tuple(size), tuple(stride)
    data = _strided_view(storage, size, stride, offset, storage_bytes)
    attrs = {"size": size, "stride": stride, "offset": offset, "self_size": input._data.shape,
             "self_stride": element_strides(input._data), "self_offset": input.storage_offset()}
    return make_view(AS_STRIDED, data, input, attrs, view_step(as_strided, size, stride, offset))


def _as_strided_in_place(self: Tensor, size: Sequence[int], stride: Sequence[int],
                         storage_offset: int | None = None) -> Tensor:
    """as_strided's view, its storage checked in SymInt arithmetic, which wraps where the out-of-place form's refuses
    an overflow (then the sizes' element count, as out of place)."""
    return as_strided(self, size, stride, storage_offset, wrapped_storage_bytes)


op(method=["as_strided_(SymIntArrayRef size, SymIntArrayRef stride, SymInt? storage_offset=None)"])(
    inplace_view(_as_strided_in_place, {"AsStridedBackward0": "AsStridedBackward1"}))


AS_STRIDED_SCATTER = defop("as_strided_scatter", ("self", "src"), {
    # (torch's formula gives self the gradient of the overwritten elements and zero elsewhere: a torch bug that
    # its own gradcheck finds; this is the derivative)
    "self": lambda grad, src, size, stride, storage_offset: grad.contiguous().as_strided_scatter(
        src.new_zeros(src.shape), size, stride, storage_offset),
    "src": lambda grad, size, stride, storage_offset: grad.contiguous().as_strided(size, stride, storage_offset)},
                           complex_vjps=True)


@op("as_strided_scatter(Tensor input, Tensor src, SymIntArrayRef size, SymIntArrayRef stride, "
    "SymInt? storage_offset=None)", method=True)
def as_strided_scatter(input: Tensor, src: Tensor, size: Sequence[int], stride: Sequence[int],
                       storage_offset: int | None = None) -> Tensor:
    """``input``'s copy with ``src`` written into its ``size``/``stride`` view (addressed in the copy's own
    storage, as torch's clone of a contiguous input)."""
    if not input._data.flags.c_contiguous:
        raise RuntimeError("minitorch: as_strided_scatter addresses a C-contiguous input only: call .contiguous() "
                           "on it first")
    size, stride = tuple(size), tuple(stride)
    data = input._data.copy()
    region = _strided_view(data.reshape(-1), size, stride, 0 if storage_offset is None else storage_offset)
    if src._data.shape != size:
        raise RuntimeError("expected src to have a size equal to the slice of self. src size = %s, slice size = %s"
                           % (list(src._data.shape), list(size)))
    if not region.flags.writeable:
        raise RuntimeError(OVERLAP_MESSAGE)
    region[...] = src._data
    return record(AS_STRIDED_SCATTER, data, (input, src), {"size": size, "stride": stride,
                                                           "storage_offset": storage_offset})


@op(method=["resize_(SymIntArrayRef size, *, MemoryFormat? memory_format=None)"])
def resize_(self: Tensor, size: Sequence[int], *, memory_format: Any = None) -> Tensor:
    """``self`` with ``size``, contiguous, over its storage from its offset. Growing past the storage gives
    ``self`` new memory holding the old values then zeros (torch's new elements are uninitialized); unlike
    torch, other views of the old storage keep the old memory, so a view is refused growing (unless that storage
    is empty: nothing else can see it)."""
    if self._requires_grad:  # (autograd's check comes before the kernel's)
        raise RuntimeError("cannot resize variables that require grad")
    if memory_format is preserve_format:
        raise RuntimeError("Unsupported memory formatPreserve")
    size = tuple(size)
    check_concrete_sizes(RESIZE_SITE, size)
    check_numel(size)
    check_nonnegative(size)  # (torch makes a tensor of negative size when another size is 0)
    check_contiguous_strides(size)
    check_storage(size, self._data.dtype)
    if size == self._data.shape:
        return self
    numel = int(np.prod(size))
    storage = _storage(self)
    offset = self.storage_offset()
    if offset + numel <= storage.size:
        self._data = storage[offset:offset + numel].reshape(size)
        if self._base is None:
            self.__dict__["_storage_memory"] = storage  # read back by _storage (a rarely set field)
    elif self._base is not None and storage.size:
        raise RuntimeError("minitorch cannot grow the storage of a view (resize_ to %s): its base keeps the old "
                           "memory; resize a clone instead" % list(size))
    else:
        grown = np.zeros(numel, self._data.dtype)
        grown[:storage.size - offset] = storage[offset:]
        self._data = grown.reshape(size)
    self._vbox[0] += 1
    if self._base is not None:
        self._view_chain = self._view_chain + (view_step(as_strided, size, element_strides(self._data), offset),)
        self._view_version = self._vbox[0]
    return self


@op(method=["resize_as_(Tensor the_template, *, MemoryFormat? memory_format=None)"])
def resize_as_(self: Tensor, the_template: Tensor, *, memory_format: Any = None) -> Tensor:
    return resize_(self, the_template._data.shape)


@op(method=["fill_diagonal_(Scalar fill_value, bool wrap=False)"])
def fill_diagonal_(self: Tensor, fill_value: Any, wrap: bool = False) -> Tensor:
    """Written through strided views of the diagonal, so that the history is torch's (CopySlices)."""
    shape = self._data.shape
    if len(shape) < 2:
        raise RuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and len(set(shape)) > 1:
        raise RuntimeError("all dimensions of input must be of equal length")
    strides = element_strides(self._data)
    step, offset, length = sum(strides), self.storage_offset(), min(shape)
    as_strided(self, (length,), (step,), offset).fill_(fill_value)
    height, width = shape[0], shape[1]
    if wrap and len(shape) == 2 and height > width + 1:
        # as torch: the diagonal walked on from the row below its end, as far as a contiguous matrix reaches
        count = -(-self._data.size // (width + 1)) - length
        as_strided(self, (count,), (step,), offset + strides[0] * (width + 1)).fill_(fill_value)
    return self
