"""Tensor creation: tensor/as_tensor/from_numpy (torch's Python-level constructors) and the factories
(zeros, ones, empty, full, their ``*_like`` forms, arange, linspace, eye) as op records with torch's
signatures. Factories take ``out=`` themselves (``writes_out``): torch resizes it without a warning and
computes in its dtype."""
from __future__ import annotations

import math
import warnings
from functools import partial
from typing import Any, Sequence

import numpy as np

from . import _dtype as D, _threads
from ._complex_half_storage import warn_experimental
from ._device import check_factory_device, preserve_format
from ._rng import cpu_path, libm
from ._ops.dims import (INT64_MAX, as_int64, check_nonnegative, check_storage, check_strided_storage, fits_numpy,
                         numpy_cannot_hold, parse_size, strided, tensor_array)
from ._ops.complex_half import refuse_creation
from ._ops.concrete_sizes import callee_site, check_concrete_sizes
from ._ops.limited_dtypes import check_eye_kernel, kernel_reached
from ._ops.preserve_format import empty_like_array
from ._ops.cpp_format import cpp_double
from ._ops.cpu_loops import GRAIN_SIZE
from ._ops.fused import fused_multiply_add
from ._ops.registry import op, python_method
from ._warn_once import warn_once, warn_requires_grad_scalar
from ._ops.scalar_cast import checked_scalar, fill_scalar
from ._size import Size
from ._ops.signature import check_pin_memory, type_name
from ._nested_data import SEQUENCES, check_nested, sizes_of
from ._tensor import Tensor
from .autograd.recording import write


def _infer_dtype(data: Any) -> D.dtype | None:
    """torch's inference for Python data: any float -> default dtype, else any int -> int64, else bool."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, (np.ndarray, np.generic)):  # NumPy arrays and scalars keep their dtype
        return D.of_user_array(data.dtype)
    if isinstance(data, bool):
        return D.bool
    if isinstance(data, int):
        return D.int64
    if isinstance(data, float):
        return D.get_default_dtype()
    if isinstance(data, complex):
        return D.get_default_dtype().to_complex()
    if isinstance(data, SEQUENCES):
        best = None
        for x in data:
            d = _infer_dtype(x)
            if d is not None:
                best = d if best is None else D.promote_types(best, d)
        return best
    if isinstance(data, (str, bytes)):
        raise TypeError("new(): invalid data type '%s'" % type(data).__name__)
    raise RuntimeError("Could not infer dtype of %s" % type(data).__name__)


def _tensors_as_scalars(data: Any, dtype: D.dtype, rows: int) -> Any:
    """``data`` with each tensor nested in it read as one number, as torch's sequence parser does: a
    one-element tensor of any shape is a scalar (``[tensor([1.]), tensor([2.])]`` has shape (2,)), except where
    one of the ``rows`` dims of sequences is (``[[1., 2.], tensor([3., 4.])]``: its elements)."""
    if isinstance(data, SEQUENCES):
        return [_tensors_as_scalars(x, dtype, rows - 1) for x in data]
    if not isinstance(data, Tensor):
        return data
    if rows > 0:
        return data._data
    if data._data.size != 1:
        raise ValueError("only one element tensors can be converted to Python scalars")
    if data.requires_grad:
        warn_requires_grad_scalar(stacklevel=4)
    return data._data.reshape(())


_NOT_WRITABLE = (
    "The given NumPy array is not writable, and PyTorch does not support non-writable tensors. This means writing to "
    "this tensor will result in undefined behavior. You may want to copy the array to protect its data or make it "
    "writable before converting it to a tensor. This type of warning will be suppressed for the rest of this program. "
    "(Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_numpy.cpp:213.)")


def _whole_array(array: np.ndarray, shared: bool) -> None:
    """torch's checks of an ndarray taken whole (tensor_from_numpy): a dtype torch has; a read-only array whose memory
    the tensor shares warns (once); no negative stride; the native byte order."""
    D.of_user_array(array.dtype)
    if shared and not array.flags.writeable:
        warn_once("numpy_not_writable", _NOT_WRITABLE, stacklevel=None)
    if any(s < 0 for s in array.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors with negative strides "
                         "are not currently supported. (You can probably work around this by making a copy of your "
                         "array  with array.copy().) ")
    if not array.dtype.isnative:
        raise ValueError("given numpy array has byte order different from the native byte order. Conversion between "
                         "byte orders is currently not supported.")


def _to_array(data: Any, dtype: D.dtype) -> np.ndarray:
    D.check_storable(dtype)
    if isinstance(data, Tensor):
        return D.cast_np(data._data, dtype.np)
    if isinstance(data, np.ndarray):
        _whole_array(data, shared=False)
    if isinstance(data, np.ndarray) and any(n > 1 and not s for n, s in zip(data.shape, data.strides)):
        data = np.ascontiguousarray(data)  # torch copies a broadcast (overlapping) array row-major
    if not isinstance(data, np.ndarray):
        sizes = _checked_sizes(data, dtype)
        if 0 in sizes:  # (torch stores nothing, so checks nothing: [[], [1]] is a (2, 0) tensor)
            return np.zeros(sizes, dtype.np)
    if isinstance(data, SEQUENCES):
        data = _tensors_as_scalars(data, dtype, len(sizes))
    if dtype.category == D.INTEGRAL and not isinstance(data, np.ndarray):
        return _integral_from_numbers(np.array(data), dtype)
    if (dtype in D.REDUCED_FLOATS or dtype in D.FLOAT8) and not isinstance(data, np.ndarray):
        return D.cast_np(np.array(data, dtype=np.float32), dtype.np)  # c10 stores a Python float through float
    if dtype is D.complex32:
        return D.cast_np(np.asarray(data), dtype.np)
    try:
        return np.array(data, dtype=dtype.np)
    except OverflowError:
        raise RuntimeError("Overflow when unpacking long") from None


def _checked_sizes(data: Any, dtype: D.dtype) -> list[int]:
    """The shape of nested Python data, after torch's refusals in its order: a string, the shape, then (the tensor
    allocated: complex32's warning) each element as it is stored, unless there are none."""
    if isinstance(data, (str, bytes)):
        raise TypeError("new(): invalid data type '%s'" % type(data).__name__)
    sizes = sizes_of(data)
    try:
        if 0 not in sizes:
            check_nested(data, sizes, dtype)
    except (TypeError, ValueError):
        if dtype is D.complex32:
            warn_experimental()
        raise
    return sizes


def _integral_from_numbers(values: np.ndarray, dtype: D.dtype) -> np.ndarray:
    """Python numbers stored into an integral dtype as torch's tensor constructor stores them: an int beyond int64
    is Python's overflow; an int the dtype cannot hold is c10's overflow, except that an unsigned dtype takes a
    negative int down to -max (wrapping: -1 is 255 in uint8); a float is truncated within the dtype's range and
    refused beyond it (NaN and infinities included)."""
    if dtype is D.uint64 and values.dtype.kind in "iuOf":
        return _uint64_from_ints(values)
    if values.dtype == np.uint64 or values.dtype == object:
        raise ValueError("Overflow when unpacking long long")
    info = np.iinfo(dtype.np)
    if values.dtype.kind == "f":
        fits = np.all((values >= info.min) & (values <= info.max))  # NaN compares false: refused too
    elif values.dtype.kind in "iu":
        lowest = -int(info.max) if info.min == 0 else int(info.min)
        fits = values.size == 0 or (int(values.min()) >= lowest and int(values.max()) <= info.max)
    else:
        fits = True
    if not fits:
        raise RuntimeError("value cannot be converted to type %s without overflow" % dtype.np.name)
    return values.astype(dtype.np)


def _uint64_from_ints(values: np.ndarray) -> np.ndarray:
    """Python ints stored into a uint64 tensor: torch reads each one as an unsigned 64-bit int (and refuses a
    float)."""
    for v in values.ravel().tolist() if values.dtype.kind in "iOf" else ():
        if not isinstance(v, int):
            raise TypeError("an integer is required")
        if v < 0:
            raise OverflowError("can't convert negative int to unsigned")
        if v >= 1 << 64:
            raise OverflowError("int too big to convert")
    return values.astype(np.uint64)


def _with_array_strides(t: Tensor, source: Any) -> Tensor:
    """``t`` made from the NumPy array ``source`` keeps its strides, as torch's tensor: an empty array's too (NumPy
    gives a fresh empty array zero strides, which ``Tensor._make`` replaces, as an op's empty result: here they are
    torch's, held marked)."""
    if isinstance(source, np.ndarray) and not source.size and t._data.shape == source.shape:
        data = t._data
        t._data = strided(data, data.shape, [s // source.itemsize * data.itemsize for s in source.strides])
    return t


def _check_grad_dtype(dtype: D.dtype) -> None:
    if dtype.category < D.FLOATING:
        kernel_reached()  # (requires_grad is set on the tensor the kernel made: a kernel's refusal comes first)
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")


def requiring_grad(t: Tensor, requires_grad: bool) -> Tensor:
    """``t``, made to require grad if asked (refused for integral dtypes, as torch)."""
    if requires_grad:
        _check_grad_dtype(t.dtype)
        t._requires_grad = True
    return t


def check_new_tensor(shape: tuple[int, ...], dtype: D.dtype, requires_grad: bool, fill: Any = None) -> Any:
    """torch's checks of a factory's new contiguous tensor, in its order: its storage (``check_storage``), then the
    value it is filled with (``fill``, converted as fill_ converts it and returned), then requires_grad set on it
    (refused for integral dtypes); then that NumPy can hold it."""
    check_storage(shape, dtype.np, numpy_holds=False)
    value = None if fill is None else fill_scalar(fill, dtype, math.prod(shape))
    if requires_grad:
        _check_grad_dtype(dtype)
    if not fits_numpy(shape, dtype.np):
        raise numpy_cannot_hold(shape)
    return value


def tensor(data: Any, *, dtype: D.dtype | None = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """A new tensor copying ``data`` (nested lists, scalars, ndarrays or tensors)."""
    check_factory_device(device)
    if isinstance(data, Tensor):
        _warn_copy_construct("torch.tensor(sourceTensor)", stacklevel=3)
    dt = dtype or _infer_dtype(data) or D.get_default_dtype()
    array = _to_array(data, dt)
    if pin_memory and isinstance(data, Tensor):
        raise RuntimeError("Can't pin tensor constructed from a variable")
    check_pin_memory(pin_memory)
    return requiring_grad(_with_array_strides(Tensor._make(array), data), requires_grad)


def _warn_copy_construct(call: str, stacklevel: int) -> None:
    """torch's warning when a tensor is copy-constructed from a tensor, pointing at the user's line."""
    warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                  "or sourceTensor.detach().clone().requires_grad_(True), rather than %s." % call, UserWarning,
                  stacklevel=stacklevel)


@op(method=["new_tensor(PyObject* data, *, ScalarType? dtype=None, Device? device=None, bool requires_grad=False)"])
def new_tensor(self: Tensor, data: Any, *, dtype: D.dtype | None = None, device: Any = None,
               requires_grad: bool = False) -> Tensor:
    """``Tensor.new_tensor``: ``data`` copied into a new tensor of ``self``'s dtype (not one inferred from data)."""
    check_factory_device(device)
    if isinstance(data, Tensor):
        _warn_copy_construct("tensor.new_tensor(sourceTensor)", stacklevel=5)  # (through the method's parser)
    dt = dtype or self.dtype
    return requiring_grad(_with_array_strides(Tensor._make(_to_array(data, dt)), data), requires_grad)


def as_tensor(data: Any, dtype: D.dtype | None = None, device: Any = None) -> Tensor:
    """Share memory with ``data`` when it already is a tensor or ndarray of that dtype."""
    check_factory_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        _whole_array(data, shared=True)
        t = _with_array_strides(Tensor._make(data), data)
        return t if dtype is None or dtype is t.dtype else t.to(dtype)
    return tensor(data, dtype=dtype)


def from_numpy(ndarray: np.ndarray) -> Tensor:
    if not isinstance(ndarray, np.ndarray):
        raise TypeError("expected np.ndarray (got %s)" % type_name(ndarray))
    _whole_array(ndarray, shared=True)
    return _with_array_strides(Tensor._make(ndarray), ndarray)


# the keyword-only tails of torch's factory signatures
_FACTORY = ("Tensor out=None, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
            "bool? pin_memory=False, bool? requires_grad=False")
_LIKE = ("ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=False, "
         "bool? requires_grad=False, MemoryFormat? memory_format=None")

_ARANGE_RESIZE = ("The number of elements in the out tensor of shape %s is %d which does not match the computed "
                  "number of elements %d. Note that this may occur as a result of rounding error. The out tensor "
                  "will be resized to a tensor of shape (%d,). (Triggered internally at "
                  "/__w/pytorch/pytorch/aten/src/ATen/native/RangeFactories.cpp:199.)")


def _out_dtype(dtype: D.dtype | None, out: Tensor | None) -> D.dtype | None:
    """A factory writing into ``out`` computes in out's dtype; an explicit other dtype is refused."""
    if out is None:
        if dtype is not None:
            D.check_storable(dtype)
        return dtype
    if dtype is not None and dtype is not out.dtype:
        raise RuntimeError("dtype %s does not match dtype of out parameter (%s)"
                           % (dtype._cast_name, out.dtype._cast_name))
    return out.dtype


def dtype_of_out(positional: list, keywords: dict, out: Tensor) -> None:
    """An ``out_rule`` of the factories that draw (rand, randint, randperm...): as the others, they compute in out's
    dtype, whose kernel then refuses it or not; a ``dtype`` other than out's is refused."""
    if "dtype" in keywords:  # (normal's tensor forms have none: they write out as ops do)
        keywords["dtype"] = _out_dtype(keywords["dtype"], out)


def emit(data: np.ndarray, out: Tensor | None, requires_grad: bool) -> Tensor:
    """A factory's result: a fresh tensor, or ``out`` resized (silently, as torch's factories do) and filled; either
    made to require grad if asked."""
    if out is None:
        return requiring_grad(Tensor._make(data), requires_grad)
    if out._data.shape != data.shape:
        out._data = tensor_array(np.empty(data.shape, out._data.dtype))
    write(out, data)
    return requiring_grad(out, requires_grad)


def _factory(name: str, size: Any, fill: Any, dtype: D.dtype | None, device: Any, requires_grad: bool,
             default: D.dtype | None = None, out: Tensor | None = None, pin_memory: bool | None = False,
             like: np.ndarray | None = None, memory_format: Any = None) -> Tensor:
    """A ``name`` factory's result; one made ``like`` an array is laid out as torch's preserve_format lays it."""
    check_factory_device(device)
    shape = parse_size((size,), name)
    if name == "zeros" and any(s < 0 for s in shape):
        raise RuntimeError("zeros: Dimension size must be non-negative.")
    check_nonnegative(shape)  # (the first negative size)
    check_pin_memory(pin_memory)  # (zeros' sizes come first; the parser checked the others')
    dt = _out_dtype(dtype, out) or default or D.get_default_dtype()
    value = check_new_tensor(shape, dt, bool(requires_grad) and out is None, fill)
    data = np.empty(shape, dt.np) if like is None else empty_like_array(like, dt.np, memory_format)
    if fill is not None:
        np.copyto(data, value, casting="unsafe")
    return emit(data, out, requires_grad)


@op("zeros(SymIntArrayRef size, *, %s)" % _FACTORY, writes_out=True)
def zeros(size: Any, *, out: Tensor | None = None, dtype: D.dtype | None = None, layout: Any = None,
          device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    return _factory("zeros", size, 0, dtype, device, requires_grad, out=out, pin_memory=pin_memory)


@op("ones(SymIntArrayRef size, *, %s)" % _FACTORY, writes_out=True)
def ones(size: Any, *, out: Tensor | None = None, dtype: D.dtype | None = None, layout: Any = None,
         device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    return _factory("ones", size, 1, dtype, device, requires_grad, out=out)


@op("empty(SymIntArrayRef size, *, MemoryFormat? memory_format=None, %s)" % _FACTORY, writes_out=True)
def empty(size: Any, *, memory_format: Any = None, out: Tensor | None = None, dtype: D.dtype | None = None,
          layout: Any = None, device: Any = None, pin_memory: bool | None = False,
          requires_grad: bool | None = False) -> Tensor:
    # zero-filled: uninitialised memory would make runs irreproducible for no gain
    if memory_format is preserve_format:
        raise RuntimeError("unsupported memory format Preserve")
    return _factory("empty", size, 0, dtype, device, requires_grad, out=out)


@op("full(SymIntArrayRef size, Scalar fill_value, *, %s)" % _FACTORY, writes_out=True)
def full(size: Sequence[int], fill_value: Any, *, out: Tensor | None = None, dtype: D.dtype | None = None,
         layout: Any = None, device: Any = None, pin_memory: bool | None = False,
         requires_grad: bool | None = False) -> Tensor:
    default = _infer_dtype(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    return _factory("full", size, fill_value, dtype, device, requires_grad, default, out)


def _like(name: str, input: Tensor, fill: Any, dtype: D.dtype | None, device: Any, requires_grad: bool,
          memory_format: Any) -> Tensor:
    return _factory(name, input._data.shape, fill, dtype or input.dtype, device, requires_grad, like=input._data,
                    memory_format=memory_format)


@op("zeros_like(Tensor input, *, %s)" % _LIKE)
def zeros_like(input: Tensor, *, dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
               pin_memory: bool | None = False, requires_grad: bool | None = False, memory_format: Any = None
               ) -> Tensor:
    return _like("zeros", input, 0, dtype, device, requires_grad, memory_format)


@op("ones_like(Tensor input, *, %s)" % _LIKE)
def ones_like(input: Tensor, *, dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
              pin_memory: bool | None = False, requires_grad: bool | None = False, memory_format: Any = None
              ) -> Tensor:
    return _like("ones", input, 1, dtype, device, requires_grad, memory_format)


@op("empty_like(Tensor input, *, %s)" % _LIKE)
def empty_like(input: Tensor, *, dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
               pin_memory: bool | None = False, requires_grad: bool | None = False, memory_format: Any = None
               ) -> Tensor:
    return _like("empty", input, 0, dtype, device, requires_grad, memory_format)


@op("full_like(Tensor input, Scalar fill_value, *, %s)" % _LIKE)
def full_like(input: Tensor, fill_value: Any, *, dtype: D.dtype | None = None, layout: Any = None,
              device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False,
              memory_format: Any = None) -> Tensor:
    return _like("full", input, fill_value, dtype, device, requires_grad, memory_format)


def check_arange_kernel(dt: D.dtype) -> None:
    """torch's arange kernel is compiled for the real dtypes but bool, uint16-64 and the float8s; its dispatch comes
    before any check of the bounds (windows and fft frequencies start from an arange too), after its output is
    allocated (complex32's warning)."""
    if dt is D.complex32:
        warn_experimental()
    if dt is D.bool or dt.is_complex or dt in D.UINT_WIDE or dt in D.FLOAT8:
        raise NotImplementedError('"arange_cpu" not implemented for \'%s\'' % dt._cast_name)


@op("arange(Scalar end, *, %s)" % _FACTORY,
    "arange(Scalar start, Scalar end, *, %s)" % _FACTORY.replace("Tensor out=None, ", ""),
    "arange(Scalar start, Scalar end, Scalar step=1, *, %s)" % _FACTORY, writes_out=True)
def arange(*bounds: Any, out: Tensor | None = None, dtype: D.dtype | None = None, layout: Any = None,
           device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    """``arange(end)``, ``arange(start, end)``, ``arange(start, end, step)``."""
    check_factory_device(device)
    start, end, step = (0, bounds[0], 1) if len(bounds) == 1 else (*bounds, 1)[:3]
    bounds = [x.item() if isinstance(x, Tensor) else x for x in (start, end, step)]
    start, end, step = bounds
    is_float = any(isinstance(x, (float, np.floating)) for x in bounds)
    dt = _out_dtype(dtype, out) or (D.get_default_dtype() if is_float else D.int64)
    check_arange_kernel(dt)
    if not (step > 0 or step < 0):  # (a NaN step too)
        raise RuntimeError("step must be nonzero")
    if not (math.isfinite(start) and math.isfinite(end)):
        raise RuntimeError("unsupported range: %s -> %s" % (cpp_double(start), cpp_double(end)))
    n = arange_length(start, end, step, dt)
    if dt.category == D.FLOATING:
        data = _arange_kernel(start, step, n, dt)
    else:
        first, by = (int(checked_scalar(x, D.int64)) for x in (start, step))
        data = (first + np.arange(n, dtype=np.int64) * by).astype(dt.np)
    if out is not None and out._data.size and out._data.size != n:
        warnings.warn(_ARANGE_RESIZE % (list(out._data.shape), out._data.size, n, n), UserWarning, stacklevel=3)
    return emit(data.astype(dt.np), out, requires_grad)


# torch's arange kernel (RangeFactoriesKernel.cpp) is compiled for 256-bit vectors (measured)
_ARANGE_VECTOR_BYTES = 32


def _arange_kernel(start: float, step: float, n: int, dt: D.dtype) -> np.ndarray:
    """torch's floating arange values. Its loop runs over blocks of two vectors, each vector made from its first
    value rounded to the dtype (``start + step * index``, fused, in the accumulate type: float for float16 and
    bfloat16, double for float32 and float64) plus each lane's ``lane * step``; the elements after the last block are
    each ``start + step * index``. From ``GRAIN_SIZE`` elements on, each thread's chunk has its blocks and rest."""
    reduced = dt in D.REDUCED_FLOATS
    lanes = _ARANGE_VECTOR_BYTES // dt.itemsize

    index = np.arange(n, dtype=np.int64)
    threads = _threads.get_num_threads()
    chunks = min(threads, -(-n // GRAIN_SIZE)) if n >= GRAIN_SIZE and threads > 1 else 1
    chunk = -(-n // chunks) if n else 1
    place = index % chunk
    length = np.minimum(chunk, n - (index - place))
    in_block = place < length - length % (2 * lanes)
    first = index - place % lanes
    accumulate = np.float32 if reduced else np.float64
    start_, step_ = accumulate(start), accumulate(step)
    base = D.cast_np(fused_multiply_add(step_, first.astype(accumulate), start_), dt.np).astype(accumulate)
    lane = (place % lanes).astype(accumulate)
    # (bfloat16's lanes add a rounded product, the others' are fused: measured)
    vector = base + lane * step_ if dt is D.bfloat16 else fused_multiply_add(lane, step_, base)
    return np.where(in_block, vector, fused_multiply_add(step_, index.astype(accumulate), start_))


def arange_length(start: Any, end: Any, step: Any, dt: D.dtype) -> int:
    """The length of torch's ``arange`` in ``dt``, after its checks and its storage's."""
    first, last = float(start), float(end)  # (torch compares in double: a product of tiny bounds underflows)
    if not (step > 0 and last >= first or step < 0 and last <= first):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = _int64_arange_size(start, end, step) if dt is D.int64 else _arange_size(start, end, step)
    check_storage((n,), dt.np)
    return n


def _arange_size(start: Any, end: Any, step: Any) -> int:
    """torch's length of ``arange``: computed in double, then read as an int64."""
    size = (end - start) / step
    return _checked_arange_size(math.ceil(size) if size <= 2 ** 63 else 2 ** 64)


def _int64_arange_size(start: Any, end: Any, step: Any) -> int:
    """torch's length of an int64 ``arange``: the bounds and step truncated to int64, the length from them in
    wrapping int64 arithmetic (C++'s division truncates toward zero), then read as a double as the other dtypes'."""
    first, last, by = (int(checked_scalar(x, D.int64)) for x in (start, end, step))
    if by == 0:
        raise ValueError("step must be nonzero")
    span = as_int64(last - first + by - (1 if by > 0 else -1))
    return _checked_arange_size(int(float(abs(span) // abs(by) * (1 if span * by >= 0 else -1))))


def _checked_arange_size(size: int) -> int:
    # torch compares the size in double, where int64's maximum reads as 2**63: that size passes, and wraps (a
    # negative size is an int64 span that wrapped)
    if size > 2 ** 63 or size < 0:
        raise RuntimeError("invalid size, possible overflow?")
    if size == 2 ** 63:
        raise RuntimeError("IntArrayRef contains an int that cannot be represented as a SymInt: %d" % -2 ** 63)
    return size


def _check_0d_bounds(start: Any, end: Any, fname: str) -> None:
    """torch's refusal of a linspace/logspace bound tensor that is not 0-dimensional (it names the tensors
    given)."""
    dims = [(n, x._data.ndim) for n, x in (("start", start), ("end", end)) if isinstance(x, Tensor)]
    if any(d for _, d in dims):
        raise RuntimeError("%s only supports 0-dimensional start and end tensors, but got %s."
                           % (fname, " and ".join("%s with %d dimension(s)" % nd for nd in dims)))


def _spaced_bounds(fname: str, start: Any, end: Any, steps: int, dtype: D.dtype | None, out: Tensor | None,
                   device: Any, pin_memory: bool | None) -> tuple:
    """linspace's and logspace's checks; their bounds in the dtype they compute in (double for integers), the
    result's dtype and that computing dtype."""
    check_factory_device(device)
    _check_0d_bounds(start, end, fname)
    start, end = (x.item() if isinstance(x, Tensor) else x for x in (start, end))
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    check_pin_memory(pin_memory)
    # complex bounds make the default dtype complex; a real dtype asked for is refused
    inferred = D.get_default_dtype()
    if isinstance(start, complex) or isinstance(end, complex):
        inferred = inferred.to_complex()
        if dtype is not None and not dtype.is_complex:
            raise RuntimeError("torch.%s(): inferred dtype %s can't be safely cast to passed dtype %s"
                               % (fname, inferred.cpp_name, dtype._cast_name))
    dt = _out_dtype(dtype, out) or inferred
    if not dt.is_complex:  # (a complex bound into a real out=: the kernel's conversion of each bound)
        start, end = (checked_scalar(x, dt).real if isinstance(x, complex) else x for x in (start, end))
    check_storage((steps,), dt.np)
    if steps > 1:  # (one step fills the start, none makes an empty tensor: no kernel)
        refuse_creation(fname + "_cpu", dt)
        if dt is D.bool:
            raise NotImplementedError("\"%s_cpu\" not implemented for 'Bool'" % fname)
    if dt.category >= D.FLOATING:
        # the kernel reads both bounds in the dtype with c10's check (one step: linspace's fill_ reads the start,
        # logspace fills base ** start computed in double)
        for bound in (start, end) if steps > 1 else (start,) if steps == 1 and fname == "linspace" else ():
            checked_scalar(bound, dt)
        calc = D.complex64.np if dt is D.complex32 else dt.np  # (complex32 storage, computed in complex64)
        return calc.type(start), calc.type(end), dt, calc
    # an integer dtype: torch's kernel reads the bounds in that dtype (truncated; one it cannot hold is refused), then
    # steps in double
    start, end = (np.array(checked_scalar(x, dt)).astype(dt.np).astype(np.float64) for x in (start, end))
    return start, end, dt, np.dtype(np.float64)


@op(*("linspace(%s start, %s end, int64_t steps, *, %s)" % (a, b, _FACTORY)
      for a, b in (("Tensor", "Tensor"), ("Scalar", "Tensor"), ("Tensor", "Scalar"), ("Scalar", "Scalar"))),
    writes_out=True)
def linspace(start: Any, end: Any, steps: int, *, out: Tensor | None = None, dtype: D.dtype | None = None,
             layout: Any = None, device: Any = None, pin_memory: bool | None = False,
             requires_grad: bool | None = False) -> Tensor:
    steps = int(steps)  # (a 0-d integer tensor too)
    s, e, dt, calc = _spaced_bounds("linspace", start, end, steps, dtype, out, device, pin_memory)
    if steps == 1:
        data = np.array([s], calc)
    elif calc.kind == "c":  # (each part its own linspace: the complex step is the parts' difference divided part by
        data = np.empty(steps, calc)  # part, and c10's complex times an integer count multiplies each part)
        s, e = calc.type(s), calc.type(e)
        data.real = _linspace_values(s.real, e.real, steps, s.real.dtype)
        data.imag = _linspace_values(s.imag, e.imag, steps, s.imag.dtype)
    else:
        data = _linspace_values(s, e, steps, calc)
    return emit(D.cast_np(data, dt.np), out, requires_grad)


def _linspace_values(s: Any, e: Any, steps: int, calc: np.dtype) -> np.ndarray:
    """torch's real linspace kernel in ``calc``: from the start for the first half, from the end for the second,
    each element one fused multiply-add on the FMA CPU path (float32 and float64, measured; float16 plain), plain
    float arithmetic on the other."""
    step = (e - s) / calc.type(max(steps - 1, 1))
    idx = np.arange(steps)
    half = steps // 2
    if (calc == np.float32 or calc == np.float64) and cpu_path() == "avx2":
        counts = np.where(idx < half, idx, -(steps - idx - 1)).astype(calc)
        return fused_multiply_add(np.full(steps, step, calc), counts, np.where(idx < half, s, e).astype(calc))
    s_, e_, step_ = calc.type(s), calc.type(e), calc.type(step)
    return np.where(idx < half, s_ + step_ * idx.astype(calc), e_ - step_ * (steps - idx - 1).astype(calc))


@op("eye(SymInt n, *, %s)" % _FACTORY, "eye(SymInt n, SymInt m, *, %s)" % _FACTORY, writes_out=True)
def eye(n: int, m: int | None = None, *, out: Tensor | None = None, dtype: D.dtype | None = None,
        layout: Any = None, device: Any = None, pin_memory: bool | None = False,
        requires_grad: bool | None = False) -> Tensor:
    check_factory_device(device)
    dt = _out_dtype(dtype, out) or D.get_default_dtype()
    if dt is D.complex32 and out is None:  # (torch allocates the output first, then checks the sizes in eye_out)
        warn_experimental()
    m = n if m is None else m
    for name, size in (("n", n), ("m", m)):
        if size < 0:
            raise RuntimeError("%s must be greater or equal to 0, got %d" % (name, size))
    if n * m > INT64_MAX:  # (torch counts the elements before sizing the storage)
        raise RuntimeError("numel: integer multiplication overflow")
    check_storage((n, m), dt.np)
    refuse_creation("eye", dt)  # (the kernels' refusals, once the output is allocated)
    check_eye_kernel(dt)
    return emit(np.eye(n, m, dtype=dt.np), out, requires_grad)


@python_method("__new__")
@staticmethod
def legacy_tensor_new(cls: type, *args: Any, **kwargs: Any) -> Tensor:
    """``torch.Tensor(2, 3)`` (uninitialised, here zeros) or ``torch.Tensor([1, 2])``: always float32."""
    return legacy_new(_LEGACY_DTYPES.get(cls.__name__, D.get_default_dtype()), args)


def legacy_new(dt: D.dtype, args: tuple) -> Tensor:
    """The legacy constructor in ``dt`` (``torch.Tensor``'s, ``Tensor.new``'s): a shape gives zeros (torch's
    memory is uninitialised), data gives its values, a tensor gives an alias of it."""
    if len(args) == 1 and not isinstance(args[0], (int, np.integer, Size)):
        data = args[0]
        if isinstance(data, Tensor):
            return data.detach()
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'")
        if not isinstance(data, (list, tuple, np.ndarray)):
            raise TypeError("new(): data must be a sequence (got %s)" % type(data).__name__)
        return Tensor._make(_to_array(data, dt))
    shape = parse_size(args, "Tensor") if args else (0,)
    check_nonnegative(shape)
    return Tensor._make(np.zeros(shape, dt.np))


_LEGACY_DTYPES = {"FloatTensor": D.float32, "DoubleTensor": D.float64, "HalfTensor": D.float16,
                  "BFloat16Tensor": D.bfloat16, "LongTensor": D.int64, "IntTensor": D.int32, "ShortTensor": D.int16,
                  "CharTensor": D.int8, "ByteTensor": D.uint8, "BoolTensor": D.bool}


def _legacy_class(name: str) -> type:
    return type(name, (Tensor,), {"__slots__": (), "__module__": "torch"})


(FloatTensor, DoubleTensor, HalfTensor, BFloat16Tensor, LongTensor, IntTensor, ShortTensor, CharTensor, ByteTensor,
 BoolTensor) = (_legacy_class(n) for n in _LEGACY_DTYPES)


def dtype_from_type_string(name: str) -> D.dtype:
    short = name.rsplit(".", 1)[-1]
    if short in _LEGACY_DTYPES:
        return _LEGACY_DTYPES[short]
    raise ValueError("invalid type: '%s'" % name)



@op(*("logspace(%s start, %s end, int64_t steps, double base=10.0, *, %s)" % (a, b, _FACTORY)
      for a, b in (("Tensor", "Tensor"), ("Scalar", "Tensor"), ("Tensor", "Scalar"), ("Scalar", "Scalar"))),
    writes_out=True)
def logspace(start: Any, end: Any, steps: int, base: float = 10.0, *, out: Tensor | None = None,
             dtype: D.dtype | None = None, layout: Any = None, device: Any = None, pin_memory: bool | None = False,
             requires_grad: bool | None = False) -> Tensor:
    """``base ** linspace(start, end, steps)``, as torch's kernel: the bounds' difference in the dtype, the step
    and the exponents in double (from the start for the first half, from the end for the second), libm's pow."""
    steps = int(steps)  # (a 0-d integer tensor too)
    s, e, dt, calc = _spaced_bounds("logspace", start, end, steps, dtype, out, device, pin_memory)
    wide = np.complex128 if dt.is_complex else np.float64
    step = wide(e - s) / max(steps - 1, 1)
    idx = np.arange(steps)
    exponents = np.where(idx < steps // 2, wide(s) + step * idx, wide(e) - step * (steps - idx - 1))
    if steps == 1:  # torch's kernel: the start as given (not yet in the dtype)
        exponents = np.array([start.item() if isinstance(start, Tensor) else start], wide)
    if dt.is_complex:  # (complex pow, in the dtype)
        with np.errstate(all="ignore"):
            data = np.power(calc.type(base), exponents.astype(calc))
    else:  # NumPy's float64 power differs from libm's
        data = libm.apply(partial(_pow, float(base)), exponents)
    return emit(D.cast_np(data, dt.np), out, requires_grad)


def _pow(base: float, exponent: float) -> float:
    """C's ``pow``: ``math.pow`` raises where C returns inf or nan."""
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return math.inf if base > 0 or exponent % 2 != 1 else -math.inf
    except ValueError:  # a negative base to a non-integer power, or zero to a negative one
        return math.inf if base == 0 else math.nan


def _tril_size(row: int, col: int, offset: int) -> int:
    """The number of elements of a row x col matrix's lower triangle, counted as torch counts them (a top trapezoid
    and a bottom rectangle); exactly, where torch's int64 arithmetic overflows (undefined in C++)."""
    if row == 0 or col == 0:
        return 0
    first = min(col, 1 + offset) if offset > 0 else int(row + offset > 0)
    last = max(0, min(col, row + offset))
    trapezoid = last - first + 1
    below = max(0, min(row, row + offset)) - trapezoid
    return ((first + last) * trapezoid >> 1) + (below * col if below > 0 else 0)


def _triangle_indices(name: str, row: int, col: int, offset: int, dtype: D.dtype | None, device: Any,
                      pin_memory: bool | None, requires_grad: bool | None, lower: bool) -> Tensor:
    check_factory_device(device)
    for what, n in (("row", row), ("col", col)):
        if n < 0:
            raise RuntimeError("%s must be non-negative, got%d" % (what, n))
    size = _tril_size(row, col, offset) if lower else row * col - _tril_size(row, col, offset - 1)
    check_pin_memory(pin_memory)
    dt = dtype or D.int64
    check_storage((2, size), dt.np)
    refuse_creation(name, dt)  # (after the output's allocation: complex32's warning)
    if dt not in (D.int32, D.int64):  # (torch's kernel is compiled for the index types only)
        raise NotImplementedError('"%s" not implemented for \'%s\'' % (name, dt._cast_name))
    return requiring_grad(Tensor._make(_triangle(row, col, offset, lower).astype(dt.np)), bool(requires_grad))


def _triangle(row: int, col: int, offset: int, lower: bool) -> np.ndarray:
    """The (row, column) indices of a triangle, row by row, in time of the triangle's size (each row listed holds
    at least one element)."""
    offset = min(max(offset, -row), col)  # (beyond these, offsets give the same triangle)
    if lower:
        rows = np.arange(max(0, -offset), row if col else 0)
        starts, stops = np.zeros_like(rows), np.minimum(rows + offset + 1, col)
    else:
        rows = np.arange(max(0, min(row, col - offset)))
        starts, stops = np.maximum(rows + offset, 0), np.full_like(rows, col)
    counts = stops - starts
    firsts = np.repeat(starts - (np.cumsum(counts) - counts), counts)  # each row's first column, less its place
    return np.stack([np.repeat(rows, counts), firsts + np.arange(firsts.size)])


_INDICES = ("int64_t row, int64_t col, int64_t offset=0, *, ScalarType? dtype=None, Layout? layout=None, "
            "Device? device=None, bool? pin_memory=False, bool? requires_grad=False")


@op("tril_indices(%s)" % _INDICES)
def tril_indices(row: int, col: int, offset: int = 0, *, dtype: D.dtype | None = None, layout: Any = None,
                 device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    """The (row, column) indices of a row x col matrix's lower triangle (``offset`` diagonals up), row-major."""
    return _triangle_indices("tril_indices", row, col, offset, dtype, device, pin_memory, requires_grad, True)


@op("triu_indices(%s)" % _INDICES)
def triu_indices(row: int, col: int, offset: int = 0, *, dtype: D.dtype | None = None, layout: Any = None,
                 device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    """The (row, column) indices of a row x col matrix's upper triangle (from ``offset``), row-major."""
    return _triangle_indices("triu_indices", row, col, offset, dtype, device, pin_memory, requires_grad, False)


@op("scalar_tensor(Scalar s, *, ScalarType? dtype=None, Layout? layout=None, Device? device=None, "
    "bool? pin_memory=False, bool? requires_grad=False)")
def scalar_tensor(s: Any, *, dtype: D.dtype | None = None, layout: Any = None, device: Any = None,
                  pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    """A 0-d tensor holding ``s``, in the default float dtype unless ``dtype`` is given."""
    check_factory_device(device)
    dt = dtype or D.get_default_dtype()
    return requiring_grad(Tensor._make(np.asarray(fill_scalar(s, dt, 1), dt.np)), bool(requires_grad))


# ---- strided factories: zero-filled, with the strides asked for --------------------------------------
def _strided_zeros(size: Sequence[int], stride: Sequence[int], dtype: D.dtype) -> np.ndarray:
    """Zeros of ``size`` laid out with element strides ``stride`` over memory of their own."""
    size = tuple(size)
    elements, stride = check_strided_storage(size, tuple(stride), dtype.np)
    storage = np.zeros(elements, dtype.np)
    return strided(storage, size, tuple(s * storage.itemsize for s in stride))


@op("empty_strided(SymIntArrayRef size, SymIntArrayRef stride, *, ScalarType? dtype=None, Layout? layout=None, "
    "Device? device=None, bool? pin_memory=False, bool? requires_grad=False)")
def empty_strided(size: Sequence[int], stride: Sequence[int], *, dtype: D.dtype | None = None, layout: Any = None,
                  device: Any = None, pin_memory: bool | None = False, requires_grad: bool | None = False) -> Tensor:
    check_factory_device(device)
    data = _strided_zeros(size, stride, dtype or D.get_default_dtype())
    return emit(data, None, bool(requires_grad))  # (an empty one's strides as asked: see dims.strided)


@op(method=["new_empty_strided(SymIntArrayRef size, SymIntArrayRef stride, *, ScalarType? dtype=None, "
            "Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False)"])
def new_empty_strided(self: Tensor, size: Sequence[int], stride: Sequence[int], *, dtype: D.dtype | None = None,
                      layout: Any = None, device: Any = None, pin_memory: bool | None = False,
                      requires_grad: bool | None = False) -> Tensor:
    data = _strided_zeros(size, stride, dtype or self.dtype)
    return emit(data, None, bool(requires_grad))  # (an empty one's strides as asked: see dims.strided)


_EMPTY_SITE = callee_site("empty")


@op("empty_permuted(SymIntArrayRef size, IntArrayRef physical_layout, *, ScalarType? dtype=None, "
    "Layout? layout=None, Device? device=None, bool? pin_memory=False, bool? requires_grad=False)")
def empty_permuted(size: Sequence[int], physical_layout: Sequence[int], *, dtype: D.dtype | None = None,
                   layout: Any = None, device: Any = None, pin_memory: bool | None = False,
                   requires_grad: bool | None = False) -> Tensor:
    """Zeros laid out in memory in ``physical_layout``'s order of the dims, seen in ``size``'s order."""
    check_factory_device(device)
    size, order = tuple(size), tuple(physical_layout)
    if len(size) != len(order):
        raise RuntimeError("Number of dimensions in size does not match the length of the physical_layout; i.e. "
                           "len(size) = %d is not equal to len(physical_layout) = %d" % (len(size), len(order)))
    seen: set[int] = set()
    for i, d in enumerate(order):
        if not 0 <= d < len(order):
            raise RuntimeError("Dimension out of range (expected to be between 0 and %d, but got %d at index %d).  NB: "
                               "negative dims not currently supported; file an issue if you want it."
                               % (len(order) - 1, d, i))
        if d in seen:
            raise RuntimeError("Duplicate dim not allowed")
        seen.add(d)
    physical_size = tuple(size[d] for d in order)
    check_concrete_sizes(_EMPTY_SITE, physical_size)  # (torch allocates it with empty)
    check_pin_memory(pin_memory)
    dt = (dtype or D.get_default_dtype()).np
    check_storage(physical_size, dt)
    physical = np.zeros(physical_size, dt)
    return emit(np.transpose(physical, np.argsort(order)), None, bool(requires_grad))
