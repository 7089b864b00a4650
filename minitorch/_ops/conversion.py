"""Dtype and device conversion: ``to``, ``type_as``, ``float()``/``double()``/..., ``cuda()``."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._creation import dtype_from_type_string
from .._device import check_device, contiguous_format
from .._tensor import Tensor
from .._warn_once import warn_once
from ..autograd.recording import defop, record
from .cpu_loops import round_to_bfloat16
from .preserve_format import empty_like_array, laid_out_like
from .registry import op


def _to_copy_grad(grad: Tensor, self_dtype: D.dtype) -> Tensor:
    """The gradient back in the input's dtype: a real input takes a complex gradient's real part."""
    if grad.dtype.is_complex and not self_dtype.is_complex:
        grad = grad.real
    return grad.to(self_dtype)


# (a conversion to an integral dtype records no history: torch's is not differentiable there)
TO_COPY = defop("_to_copy", grads={"self": _to_copy_grad}, grad_name="ToCopyBackward0", complex_vjps=True,
                integral_results=True)

_PYTHON_TYPES = {float: D.float64, int: D.int64, bool: D.bool, complex: D.complex128}  # torch's dtype for a Python type
_DISCARDS_IMAGINARY = ("Casting complex values to real discards the imaginary part (Triggered internally at "
                       "/__w/pytorch/pytorch/aten/src/ATen/native/Copy.cpp:307.)")
_MEMORY_FORMAT = "*, MemoryFormat? memory_format=None"


def discard_imaginary(data: np.ndarray, written: int | None = None) -> np.ndarray:
    """A complex array's real part, as torch's copy into a real dtype makes it: with its warning, once per process
    (TORCH_WARN_ONCE), where any element is copied (``written``: the elements of the copy, when not ``data``'s)."""
    warn_discarding_imaginary(data.size if written is None else written)
    return data.real if data.dtype.kind == "c" else data["real"]


def warn_discarding_imaginary(elements: int) -> None:
    """The warning of torch's copy of complex values into a real dtype (once per process), if any element is copied."""
    if elements:
        warn_once("complex_to_real", _DISCARDS_IMAGINARY, stacklevel=None)


def copy_source(src: Tensor, dtype: D.dtype, written: int | None = None) -> np.ndarray:
    """``src``'s data as torch copies it into a tensor of ``dtype`` (``written`` elements, when not ``src``'s): a
    complex source into a real dtype gives its real part, with torch's warning (bool takes both parts: true when
    either is)."""
    if src.dtype.is_complex and not dtype.is_complex and dtype is not D.bool:
        return discard_imaginary(src._data, written)
    return src._data


def converted(source: np.ndarray, dtype: D.dtype, into: np.ndarray | None = None) -> np.ndarray:
    """``source`` in ``dtype`` as torch's copy kernel converts it (``into``: the array it writes, where not one it
    allocates). Into bfloat16 its NaNs tell the loop's lanes (``round_to_bfloat16``): a float32 source runs the
    vectorized conversion throughout (tail included) where its and ``into``'s innermost dimensions are
    contiguous, a float64 one in blocks of 16 with a scalar tail; any other source, or a 0-d one, runs c10's scalar
    conversion."""
    if dtype is D.bfloat16 and source.ndim and source.dtype == np.float32:
        return round_to_bfloat16(source, not all(_innermost_contiguous(a) for a in (source, into) if a is not None))
    if dtype is D.bfloat16 and source.ndim and source.dtype == np.float64:
        return round_to_bfloat16(source.astype(np.float32), (source,) if into is None else (source, into), block=16)
    return D.cast_np(source, dtype.np)


def _innermost_contiguous(a: np.ndarray) -> bool:
    """Whether the dimension of ``a`` that moves fastest in memory advances one element at a time."""
    strides = [s for s, n in zip(a.strides, a.shape) if n > 1]
    return not strides or min(map(abs, strides)) == a.itemsize


def convert(t: Tensor, dtype: D.dtype, copy: bool = False, memory_format: Any = None) -> Tensor:
    """``t`` in ``dtype``: itself when it is (unless ``copy``), else a copy laid out as ``t`` (as
    torch.contiguous_format asks: in C order)."""
    if dtype is t.dtype and not copy:
        return t
    D.check_storable(dtype)
    data = t._data
    if not data.size:  # (NumPy lays out an empty cast in C order; torch keeps an empty tensor's strides)
        return record(TO_COPY, empty_like_array(data, dtype.np, memory_format), (t,), {"self_dtype": t.dtype})
    data = converted(copy_source(t, dtype), dtype)
    if memory_format is contiguous_format:
        data = np.ascontiguousarray(data)
    elif not t._data.flags.c_contiguous:  # (NumPy's cast has its own layout: torch's preserve_format copy has t's)
        data = laid_out_like(t._data, data)
    return record(TO_COPY, data, (t,), {"self_dtype": t.dtype})


def _dtype_of(x: Any) -> D.dtype:
    """A dtype argument (a torch dtype or a Python type), or the dtype of a tensor argument (a Python
    number there is a wrapped-number tensor: float64, int64 or bool)."""
    if isinstance(x, D.dtype):
        return x
    if isinstance(x, Tensor):
        return x.dtype
    return _PYTHON_TYPES.get(x) or _PYTHON_TYPES[type(x)]


@op(method=["to(Device? device=None, ScalarType? dtype=None, bool non_blocking=False, bool copy=False, %s)"
            % _MEMORY_FORMAT,
            "to(ScalarType dtype, bool non_blocking=False, bool copy=False, %s)" % _MEMORY_FORMAT,
            "to(Tensor tensor, bool non_blocking=False, bool copy=False, %s)" % _MEMORY_FORMAT])
def to(self: Tensor, *args: Any, memory_format: Any = None) -> Tensor:
    """The overloads differ in their first argument: a device (then a dtype), a dtype, or a tensor."""
    first = args[0] if args else None
    if first is not None and (isinstance(first, (D.dtype, Tensor)) or first in _PYTHON_TYPES
                              or type(first) in (float, complex)):
        dtype, rest = _dtype_of(first), args[1:]
    else:
        if type(first) is int:
            raise RuntimeError("Cannot access accelerator device when none is available.")
        check_device(first)
        dtype = _dtype_of(args[1]) if len(args) > 1 and args[1] is not None else self.dtype
        rest = args[2:]
    copy = rest[1] if len(rest) > 1 else False
    return convert(self, dtype, copy, memory_format)


def _cast_method(name: str, dtype: D.dtype) -> None:
    op(method=["%s(%s)" % (name, _MEMORY_FORMAT)])(
        lambda self, memory_format=None: convert(self, dtype, memory_format=memory_format))


for _name, _dt in (("float", D.float32), ("double", D.float64), ("half", D.float16), ("bfloat16", D.bfloat16),
                   ("long", D.int64), ("int", D.int32), ("short", D.int16), ("char", D.int8), ("byte", D.uint8),
                   ("bool", D.bool), ("cfloat", D.complex64), ("cdouble", D.complex128), ("chalf", D.complex32)):
    _cast_method(_name, _dt)


@op(method=["type_as(Tensor other)"])
def type_as(self: Tensor, other: Tensor) -> Tensor:
    return convert(self, other.dtype)


@op(method=["cuda(Device? device=None, bool non_blocking=False, %s)" % _MEMORY_FORMAT,
            "cuda(Device? device=None, bool async=False, %s)|deprecated" % _MEMORY_FORMAT])
def cuda(self: Tensor, device: Any = None, non_blocking: bool = False, memory_format: Any = None,
         **legacy: Any) -> Tensor:
    """(``legacy``: the deprecated overload's ``async``, a keyword in Python 3.)"""
    check_device("cuda")
    return self


@op(method=["type(PyObject* dtype=None, bool non_blocking=False, %s)" % _MEMORY_FORMAT,
            "type(PyObject* dtype=None, bool async=False, %s)|deprecated" % _MEMORY_FORMAT])
def legacy_type(self: Tensor, dtype: Any = None, non_blocking: bool = False, memory_format: Any = None,
                **legacy: Any) -> Any:
    """The legacy type name (``torch.FloatTensor``), or a conversion to a dtype or legacy type name
    (``legacy``: the deprecated overload's ``async``, a keyword in Python 3)."""
    if dtype is None:
        return "torch.%sTensor" % self.dtype._cast_name
    if isinstance(dtype, str):
        dtype = dtype_from_type_string(dtype)
    elif isinstance(dtype, type):  # a legacy type (torch.BFloat16Tensor); torch.Tensor is the default one
        dtype = D.get_default_dtype() if dtype is Tensor else dtype_from_type_string(dtype.__name__)
    elif not isinstance(dtype, D.dtype):
        raise TypeError("dtype must be a type, str, or dtype object")
    return convert(self, dtype, memory_format=memory_format)


@op(method=["to_dense(ScalarType? dtype=None, *, bool? masked_grad=None)"])
def to_dense(self: Tensor, dtype: D.dtype | None = None, masked_grad: bool | None = None) -> Tensor:
    """A strided tensor is dense already: itself (converted when a dtype is given). (minitorch has no sparse
    layout: the gradient of a ``sparse=True`` embedding is this dense tensor.)"""
    return self if dtype is None else convert(self, dtype)
