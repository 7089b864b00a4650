"""The globals a checkpoint names, as torch names them, and the minitorch objects standing for them.

One table serves three readers: the writer (``torch.save`` writes ``torch._utils
_rebuild_tensor_v2``, ``torch FloatStorage``, ``torch float32``..., never a minitorch name, so
real torch reads the file), the weights-only loader (its allow-list has exactly torch 2.13's keys,
so ``get_unsafe_globals_in_checkpoint`` answers as torch does) and the full unpickler (a torch
name resolves to minitorch's object). Names of things NumPy cannot hold (bfloat16, complex,
quantized, sparse, CUDA tensors) resolve to placeholders that refuse to be used.
"""
from __future__ import annotations

import functools
import sys
from _codecs import encode
from collections import Counter, OrderedDict
from typing import Any

from .. import _creation
from .._device import device, strided
from .._dtype import dtype
from .._size import Size
from .._tensor import Tensor
from ..nn.parameter import Parameter
from . import rebuild
from .storage import (
    STORAGE_CLASS_NAMES, STORAGE_TYPES, StorageType, TypedStorage, UntypedStorage, dtype_by_name,
)

_DTYPE_NAMES = (
    "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool",
    "complex128", "complex64", "complex32", "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "bits1x8",
    "bits2x4", "bits4x2", "bits8", "bits16", "float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz", "float8_e4m3fnuz",
    "float8_e8m0fnu", "float4_e2m1fn_x2", "uint16", "uint32", "uint64",
    *("uint%d" % n for n in range(1, 8)), *("int%d" % n for n in range(1, 8)),
)
_LEGACY_TENSOR_NAMES = ("Double", "Float", "Half", "Long", "Int", "Short", "Char", "Byte", "Bool")
_QSCHEMES = ("per_tensor_affine", "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric",
             "per_channel_affine_float_qparams")
_UNSUPPORTED_REBUILDS = ("_rebuild_qtensor", "_rebuild_sparse_tensor", "_rebuild_meta_tensor_no_storage",
                         "_rebuild_nested_tensor", "_rebuild_wrapper_subclass", "_rebuild_device_tensor_from_numpy",
                         "_rebuild_device_tensor_from_cpu_tensor")


class Unsupported:
    """A torch global minitorch has no counterpart for: it may be named, not called."""

    __slots__ = ("qualname",)

    def __init__(self, qualname: str) -> None:
        self.qualname = qualname

    def __repr__(self) -> str:
        return self.qualname

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("minitorch cannot load %s (NumPy has no sparse, quantized, nested or device "
                           "tensors, nor these dtypes)" % self.qualname)


def _get_layout(name: str) -> Any:
    """torch.serialization._get_layout: how torch pickles a layout (only torch.strided exists here)."""
    return {"torch.strided": strided}[name]


@functools.lru_cache(maxsize=1)
def allowed_globals() -> dict[str, Any]:
    """torch 2.13's weights-only allow-list, each name bound to minitorch's object."""
    names: dict[str, Any] = {
        "collections.OrderedDict": OrderedDict,
        "collections.Counter": Counter,
        "torch.nn.parameter.Parameter": Parameter,
        "torch.serialization._get_layout": _get_layout,
        "torch.Size": Size,
        "torch.Tensor": Tensor,
        "torch.device": device,
        "_codecs.encode": encode,
        "builtins.bytearray": bytearray,
        "builtins.set": set,
        "builtins.complex": complex,
    }
    for name in _DTYPE_NAMES:
        names["torch." + name] = dtype_by_name(name)
    for short in _LEGACY_TENSOR_NAMES + ("BFloat16",):
        cls = short + "Tensor"
        names["torch." + cls] = getattr(_creation, cls, None) or Unsupported("torch." + cls)
        for module in ("torch.cuda", "torch.cuda.sparse", "torch.sparse"):
            if module.endswith("sparse") and short == "Bool":
                continue
            names["%s.%s" % (module, cls)] = Unsupported("%s.%s" % (module, cls))
    for dtype_name, cls in STORAGE_CLASS_NAMES.items():
        names["torch." + cls] = STORAGE_TYPES[dtype_name]
        if not dtype_name.startswith("q"):
            names["torch.cuda." + cls] = STORAGE_TYPES[dtype_name]
    names["torch.storage.TypedStorage"] = TypedStorage
    names["torch.storage.UntypedStorage"] = UntypedStorage
    for scheme in _QSCHEMES:
        names["torch." + scheme] = Unsupported("torch." + scheme)
    for fn in ("_rebuild_parameter", "_rebuild_parameter_with_state", "_rebuild_tensor", "_rebuild_tensor_v2",
               "_rebuild_tensor_v3"):
        names["torch._utils." + fn] = getattr(rebuild, fn)
    for fn in _UNSUPPORTED_REBUILDS:
        names["torch._utils." + fn] = Unsupported("torch._utils." + fn)
    names["torch._tensor._rebuild_from_type_v2"] = rebuild._rebuild_from_type_v2
    return names


@functools.lru_cache(maxsize=1)
def torch_name_of() -> dict[int, tuple[str, str]]:
    """id of a minitorch object -> the (module, name) torch pickles it under; the first torch name of
    an object wins (``torch.FloatStorage`` over ``torch.cuda.FloatStorage``)."""
    out: dict[int, tuple[str, str]] = {}
    for qualname, obj in allowed_globals().items():
        if not qualname.startswith("torch.") or isinstance(obj, Unsupported):
            continue
        module, _, name = qualname.rpartition(".")
        # interned, as the module names pickle reads off classes are: protocol 4 memoizes them
        out.setdefault(id(obj), (sys.intern(module), sys.intern(name)))
    return out


# minitorch's classes as torch's messages name them
_TORCH_CLASS_NAMES = {
    Tensor: "torch.Tensor", Parameter: "torch.nn.parameter.Parameter", Size: "torch.Size", device: "torch.device",
    dtype: "torch.dtype", type(strided): "torch.layout", TypedStorage: "torch.storage.TypedStorage",
    UntypedStorage: "torch.storage.UntypedStorage", StorageType: "torch.serialization.StorageType",
}
# torch's classes defined in C, whose dotted names Python's own messages show
_C_TYPE_NAMES = {dtype: "torch.dtype", device: "torch.device", type(strided): "torch.layout"}


def torch_type_repr(cls: Any, instance: Any = None) -> str:
    """``repr`` of a class as torch's messages show it: minitorch's classes under torch's names (and
    the metaclass torch's tensor classes have, when ``cls`` is the type of such a class)."""
    if isinstance(instance, type) and issubclass(instance, Tensor):
        return "<class 'torch.nn.parameter._ParameterMeta'>" if issubclass(instance, Parameter) else \
            "<class 'torch._C._TensorMeta'>"
    qualname = _TORCH_CLASS_NAMES.get(cls)
    return "<class '%s'>" % qualname if qualname else repr(cls)


def torch_type_name(cls: type) -> str:
    """A class's name in Python's own messages ("'X' object is not callable")."""
    return _C_TYPE_NAMES.get(cls, cls.__name__)
