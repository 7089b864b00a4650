"""Dimension arguments and shape errors, worded as torch words them."""
from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from .._complex_half_storage import STORAGE as COMPLEX32_STORAGE, warn_experimental
from .._float8 import as_strided


def wrap_dim(dim: Any, ndim: int, wrap_scalar: bool = True) -> int:
    """A possibly negative ``dim`` as an index into ``ndim`` dims (0-d tensors accept -1 and 0, unless not
    ``wrap_scalar``)."""
    if type(dim) is int and -ndim <= dim < ndim:  # (the common case in one test: an int in range of a non-0-d tensor)
        return dim + ndim if dim < 0 else dim
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError("dim must be an int, not %s" % type(dim).__name__)
    if not ndim and not wrap_scalar:
        raise IndexError("Dimension specified as %d but tensor has no dimensions" % dim)
    n = max(ndim, 1)
    if dim < -n or dim >= n:
        raise IndexError("Dimension out of range (expected to be in range of [%d, %d], but got %d)"
                         % (-n, n - 1, dim))
    return dim + n if dim < 0 else int(dim) if ndim else 0


def wrap_dims(dims: Any, ndim: int, each_in_turn: bool = False) -> tuple[int, ...]:
    """``dim`` given as an int, a tuple or a list, wrapped; duplicates refused as torch does. Most ops wrap the
    whole list before looking for a repeat; with ``each_in_turn`` (torch's dim bitset: flip, squeeze, var/std,
    gradient) a repeat is refused before the later dims are wrapped, so it wins over an out-of-range one."""
    if isinstance(dims, (int, np.integer)):
        return (wrap_dim(dims, ndim),)
    out: list[int] = []
    for d in dims if each_in_turn else [wrap_dim(d, ndim) for d in dims]:
        d = wrap_dim(d, ndim) if each_in_turn else d
        if d in out:
            raise RuntimeError("dim %d appears multiple times in the list of dims" % d)
        out.append(d)
    return tuple(out)


def tensor_array(data: Any) -> np.ndarray:
    """What a tensor holds, for data that is not already a non-empty ndarray: a NumPy scalar (NumPy gives a
    0-d operand's result as one) becomes a 0-d array, and an empty array with all-zero strides (as NumPy gives
    every fresh empty array) takes the strides torch gives a fresh empty tensor (each dim's stride the product of
    the later sizes, a size 0 counted as 1). Views (transpose, slicing) carry the strides they start from, so
    this is done where arrays become tensors; an empty tensor whose torch strides are all zero holds
    ``ZERO_STRIDE_MARK`` (see ``strided``)."""
    arr = np.asarray(data)
    if arr.size or any(arr.strides):
        return arr  # (an empty view of a non-empty array keeps the strides torch's view has)
    strides, step = [], arr.itemsize
    for size in reversed(arr.shape):
        strides.append(step)
        step *= max(size, 1)
    return as_strided(arr, arr.shape, strides[::-1])


# The byte stride an empty tensor whose torch strides are all zero (one made from an empty NumPy array, or asked for
# by empty_strided or as_strided, and what torch's views and preserve_format copies make of it) holds in each dim:
# NumPy gives every fresh empty array all-zero strides, which ``tensor_array`` replaces with a fresh tensor's, and an
# empty array reads no memory, so any stride is free. torch has no negative strides; NumPy's views carry them (a
# transpose, slice or broadcast keeps them negative), and ``element_strides`` reads an empty array's as 0.
ZERO_STRIDE_MARK = -1


def strided(arr: np.ndarray, shape: Sequence[int], strides: Sequence[int], writeable: bool = True) -> np.ndarray:
    """``arr`` seen with ``shape`` and torch's ``strides`` in bytes (an empty view's all-zero strides marked)."""
    if 0 in shape and not any(strides):
        strides = (ZERO_STRIDE_MARK,) * len(shape)
    return as_strided(arr, shape, strides, writeable)


def new_strided(shape: Sequence[int], strides: Sequence[int], np_dtype: Any) -> np.ndarray:
    """New uninitialised memory for ``shape`` seen at dense ``strides`` (in elements): a tensor allocated in another
    layout than C order. (torch warns where it allocates complex32; ``Tensor._make``, which warns for a fresh array,
    cannot tell this view of new memory from a view of another tensor's.)"""
    memory = np.empty(math.prod(shape), np_dtype)
    if memory.size and memory.dtype == COMPLEX32_STORAGE:
        warn_experimental()
    return strided(memory, shape, [s * memory.itemsize for s in strides])


def memory_reach(arr: np.ndarray) -> tuple[int, int]:
    """The memory ``arr``'s elements lie in, in bytes: how far its first element lies past the span's start (negative
    strides reach back) and the span's length."""
    reach = [(n - 1) * s for n, s in zip(arr.shape, arr.strides)] if arr.size else []
    before = -sum(r for r in reach if r < 0)
    return before, before + sum(r for r in reach if r > 0) + arr.itemsize


def empty_laid_out_as(arr: np.ndarray) -> np.ndarray:
    """An uninitialized array of ``arr``'s shape, dtype and strides, 0 (broadcast) and gapped ones too, over memory
    of its own (as much as ``arr``'s elements span)."""
    before, span = memory_reach(arr)
    return np.ndarray(arr.shape, arr.dtype, np.empty(span, np.uint8), before, arr.strides)


def flat_batch(arr: np.ndarray, kept: int = 1) -> np.ndarray:
    """``arr`` with its last ``kept`` dims kept and the dims before them flattened into one (its size spelled
    out: NumPy cannot infer a -1 next to a size 0)."""
    return arr.reshape((int(np.prod(arr.shape[:-kept])),) + arr.shape[-kept:])


def element_strides(arr: np.ndarray) -> tuple[int, ...]:
    """``arr``'s strides as torch counts them, in elements (an empty array's negative ones, ``ZERO_STRIDE_MARK``
    and the views' multiples of it, as 0)."""
    item = arr.itemsize
    if arr.size:
        return tuple(s // item for s in arr.strides)
    return tuple(max(s, 0) // item for s in arr.strides)


BROADCAST_MESSAGE_START = "The size of tensor a ("
# the attribute of a pointwise kernel's dtype refusal that holds its operands' broadcast shape
# (``pointwise.refuse_broadcast``, read by ``registry.derived_inplace``)
REFUSED_SHAPE = "broadcast_shape"
# and, for a kernel's refusal of what it reads (a value its dtype cannot hold), the result's dtype: the output's
# cast is checked before the kernel runs
REFUSED_DTYPE = "result_dtype"


def broadcast_error(a: Sequence[int], b: Sequence[int]) -> RuntimeError:
    """torch's message for two shapes that do not broadcast (it starts with ``BROADCAST_MESSAGE_START``)."""
    n = max(len(a), len(b))
    for i in range(1, n + 1):
        sa = a[-i] if i <= len(a) else 1
        sb = b[-i] if i <= len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            return RuntimeError(BROADCAST_MESSAGE_START + "%d) must match the size of tensor b (%d) at "
                                "non-singleton dimension %d" % (sa, sb, n - i))
    return RuntimeError("shapes %s and %s do not broadcast" % (list(a), list(b)))


def parse_size(args: tuple, fname: str = "size") -> tuple[int, ...]:
    """``f(2, 3)``, ``f((2, 3))``, ``f([2, 3])`` or ``f(torch.Size(...))`` as a shape tuple."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    out = []
    for s in args:
        if isinstance(s, (int, np.integer)) and not isinstance(s, bool):
            out.append(int(s))
        elif hasattr(s, "_data") and s._data.ndim == 0 and s.dtype.category == 1:
            out.append(int(s))
        else:
            raise TypeError("%s(): argument 'size' must be tuple of ints, but found element of type %s "
                            "at pos %d" % (fname, type(s).__name__, len(out)))
    return tuple(out)


def check_nonnegative(shape: tuple[int, ...]) -> None:
    for s in shape:
        if s < 0:
            raise RuntimeError("Trying to create tensor with negative dimension %d: %s" % (s, list(shape)))


INT64_MAX = (1 << 63) - 1
# the ints a SymInt holds as such: torch reserves those below for pointers to symbolic ones
_MIN_SYMINT = -(1 << 62)


def as_int64(x: int) -> int:
    """``x`` wrapped into int64, as torch's C++ size arithmetic wraps it."""
    return (x + (1 << 63)) % (1 << 64) - (1 << 63)


def check_symint_sizes(sizes: Sequence[int]) -> None:
    """torch's check of computed sizes handed on as SymInts (int64 arithmetic may have wrapped them)."""
    for s in sizes:
        if s < _MIN_SYMINT:
            raise RuntimeError("IntArrayRef contains an int that cannot be represented as a SymInt: %d" % s)
def _allocatable_bytes() -> int:
    """The most one allocation can get: Linux's default overcommit refuses a request past the machine's RAM plus
    swap, and torch's allocator then fails (what fails below this is the machine's business)."""
    try:
        with open("/proc/meminfo") as f:
            kib = {line.split(":")[0]: int(line.split()[1]) for line in f if line.startswith(("MemTotal", "SwapTotal"))}
        return 1024 * sum(kib.values()) or 1 << 48
    except (OSError, ValueError, IndexError):
        return 1 << 48


_ALLOCATABLE_BYTES = _allocatable_bytes()


def check_allocatable(nbytes: int) -> None:
    """torch's allocator's refusal of a request the machine cannot provide (not NumPy's MemoryError)."""
    if nbytes > _ALLOCATABLE_BYTES:
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: "
                           "you tried to allocate %d bytes. Error code 12 (Cannot allocate memory)" % nbytes)


def _u64_product(sizes: Sequence[int]) -> tuple[int, bool]:
    """c10's ``safe_multiplies_u64``: the product of the sizes read as uint64 (a negative size wraps), and whether
    any step overflowed (the flag sticks: a later size 0 does not clear it)."""
    product, overflowed = 1, False
    for s in sizes:
        product *= s if s >= 0 else s + (1 << 64)
        if product >> 64:
            product, overflowed = product % (1 << 64), True
    return product, overflowed


def check_numel(shape: Sequence[int]) -> None:
    """torch's count of a new tensor's elements (``TensorImpl::safe_compute_numel``), which views meet too."""
    product, overflowed = _u64_product(shape)
    if overflowed or product > INT64_MAX:
        raise RuntimeError("numel: integer multiplication overflow")


def numpy_cannot_hold(shape: Sequence[int], strides: Sequence[int] | None = None) -> NotImplementedError:
    """minitorch's refusal of a tensor torch holds (an empty one, or a view with zero strides) whose sizes times its
    element size NumPy cannot count in int64 (or, given, whose ``strides`` in bytes do not fit in int64)."""
    if strides is not None:
        return NotImplementedError("minitorch: a tensor of shape %s and strides %s has no storage of that size, but "
                                   "NumPy cannot hold it: its strides in bytes must fit in int64"
                                   % (list(shape), list(strides)))
    return NotImplementedError("minitorch: a tensor of shape %s has no storage of that size, but NumPy cannot hold "
                               "it: its sizes must be nonnegative and the product of its nonzero sizes in bytes must "
                               "fit in int64" % list(shape))


def fits_numpy(shape: Sequence[int], dtype: np.dtype) -> bool:
    """Whether NumPy can hold an array of ``shape`` (torch holds an empty tensor of any sizes, a negative one too)."""
    return min(shape, default=0) >= 0 and math.prod(s for s in shape if s) * np.dtype(dtype).itemsize <= INT64_MAX


def check_vector_length(n: int) -> None:
    """torch's C++ ``std::vector`` of ``n`` tensors (or sizes: 8 bytes each) that it builds before its first element:
    refused past the vector's max_size, or past what the machine can provide (minitorch would loop that long)."""
    if n > INT64_MAX // 8:
        raise RuntimeError("cannot create std::vector larger than max_size()")
    if n * 8 > _ALLOCATABLE_BYTES:
        raise RuntimeError("std::bad_alloc")


def check_contiguous_strides(shape: Sequence[int]) -> None:
    """torch's contiguous strides of ``shape`` (a size 0 counted as 1) must fit in int64: the outermost one."""
    if math.prod(max(s, 1) for s in shape[1:]) > INT64_MAX:
        raise RuntimeError("Stride calculation overflowed")


def check_storage(shape: tuple[int, ...], dtype: np.dtype, numpy_holds: bool = True) -> None:
    """torch's checks of a new contiguous tensor (``empty_generic``), in its order: no negative size, a byte count
    that fits in int64 (the sizes' product overflowing on the way counts, even before a size 0), one its allocator
    can provide, then strides that fit in int64 (an empty tensor's too); then, unless ``numpy_holds`` is False (a
    caller with checks of its own to make first, as torch's on the tensor it made), that NumPy can hold it (NumPy's
    'negative dimensions are not allowed' and 'array is too big' never show)."""
    check_nonnegative(shape)
    product, overflowed = _u64_product(shape)
    nbytes = product * np.dtype(dtype).itemsize
    try:
        if overflowed or nbytes > INT64_MAX:
            raise RuntimeError("Storage size calculation overflowed with sizes=%s" % list(shape))
        check_allocatable(nbytes)
    except RuntimeError:
        if np.dtype(dtype) == COMPLEX32_STORAGE:  # (torch warns before it counts the bytes; a complex32 tensor
            warn_experimental()                  # it makes warns where minitorch allocates it)
        raise
    check_contiguous_strides(shape)
    if numpy_holds and not fits_numpy(shape, dtype):
        raise numpy_cannot_hold(shape)


def strided_storage_bytes(size: Sequence[int], stride: Sequence[int], itemsize: int, offset: int) -> int:
    """The bytes a strided view from element ``offset`` reaches (c10's ``computeStorageNbytes``: 0 when a size is 0,
    else one past its last element), or torch's error when that overflows (sizes and strides read as uint64, so a
    negative size overflows too)."""
    if 0 in size:
        return 0
    total, overflowed = offset + 1, False
    for n, s in zip(size, stride):
        total += (s % (1 << 64)) * ((n - 1) % (1 << 64))
        overflowed |= total >> 64 > 0
    total *= itemsize
    if overflowed or total > INT64_MAX:
        raise RuntimeError("Storage size calculation overflowed with sizes=%s%s"
                           % (list(size), " and strides=%s" % list(stride) if size else ""))
    return total


def wrapped_storage_bytes(size: Sequence[int], stride: Sequence[int], itemsize: int, offset: int) -> int:
    """c10's ``computeStorageNbytes`` for symbolic sizes (SymInt's, which ``as_strided_`` checks its storage with):
    the same count in int64 arithmetic that wraps around on overflow, unchecked (torch compares what it gives)."""
    if 0 in size:
        return 0
    total = 1
    for n, s in zip(size, stride):
        total = as_int64(total + as_int64(s * (n - 1)))
    return as_int64(itemsize * as_int64(offset + total))


def check_strided_storage(size: tuple[int, ...], stride: tuple[int, ...], dtype: np.dtype) -> tuple[int, tuple]:
    """torch's checks of a new strided tensor's storage (``empty_strided``), in its order, then that NumPy can hold the
    tensor; the number of elements the storage holds, and the tensor's strides (c10's ``set_sizes_and_strides``: a
    negative stride is the contiguous one, from the dims after it)."""
    check_nonnegative(size)
    if len(size) != len(stride):
        raise RuntimeError("dimensionality of sizes (%d) must match dimensionality of strides (%d)"
                           % (len(size), len(stride)))
    itemsize = np.dtype(dtype).itemsize
    nbytes = strided_storage_bytes(size, stride, itemsize, 0)
    check_allocatable(nbytes)
    resolved = list(stride)
    for d in reversed(range(len(size))):
        if resolved[d] < 0:
            resolved[d] = 1 if d == len(size) - 1 else max(size[d + 1], 1) * resolved[d + 1]
    if not fits_numpy(size, dtype):
        raise numpy_cannot_hold(size)
    if any(abs(s) * itemsize > INT64_MAX for s in resolved):  # (a size-1 dim's stride is any)
        raise numpy_cannot_hold(size, resolved)
    return nbytes // itemsize, tuple(resolved)


def broadcast_pair(a: Sequence[int], b: Sequence[int]) -> tuple[int, ...]:
    """The shape ``a`` and ``b`` broadcast to, or torch's error naming ``a`` as tensor a."""
    try:
        return np.broadcast_shapes(tuple(a), tuple(b))
    except ValueError:
        raise broadcast_error(a, b) from None


def non_overlapping_and_dense(shape: Sequence[int], strides: Sequence[int]) -> bool:
    """Whether the elements fill a block of memory exactly once (c10's rule: dims of size 0 or 1 are free; an
    empty tensor counts as contiguous, so whatever its strides, they are kept)."""
    if 0 in shape:
        return True
    if len(shape) == 1:
        return shape[0] < 2 or strides[0] == 1
    need = 1
    for d in sorted((d for d in range(len(shape)) if shape[d] > 1), key=lambda d: strides[d]):
        if strides[d] != need:
            return False
        need *= shape[d]
    return True
