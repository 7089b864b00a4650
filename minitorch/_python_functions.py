"""Functions torch writes in Python in its top-level module: ``typename``, ``get_device_module`` and the ``sym_*``
helpers.

torch's ``sym_*`` functions let code written for symbolic shapes (``SymInt``, ``SymFloat``, ``SymBool``
under ``torch.compile``) run on plain Python numbers; minitorch has no symbolic shapes, so they act on
numbers (and NumPy scalars) only, with torch's errors for anything else.
"""
from __future__ import annotations

import builtins
import importlib
import math
import types
from typing import Any

import numpy as np

from . import _device
from ._creation import tensor
from ._tensor import Tensor

_PACKAGE = __name__.rpartition(".")[0]

_NUMBERS = (np.integer, np.floating, int, float)
_FLOATS = (np.floating, float)


def typename(obj: Any, /) -> str:
    """A tensor's type string (``torch.FloatTensor``), else the object's qualified name, minitorch's own
    classes under torch's module names (those of minitorch's private top-level modules are torch's
    top-level classes)."""
    if isinstance(obj, Tensor):
        return obj.type()
    if hasattr(obj, "__qualname__") or hasattr(obj, "__name__"):
        module = getattr(obj, "__module__", "") or ""
        name = getattr(obj, "__qualname__", None) or obj.__name__
    else:
        module, name = type(obj).__module__ or "", type(obj).__qualname__
    if module == "minitorch" or module.startswith("minitorch._"):  # torch.Tensor, torch.dtype, torch.Size...
        module = "torch"
    elif module.startswith("minitorch."):
        module = "torch" + module[len("minitorch"):]
    return name if module in ("", "builtins") else "%s.%s" % (module, name)


def sym_int(a: Any) -> int:
    return builtins.int(a)


def sym_float(a: Any) -> float:
    return builtins.float(a)


def _class_repr(cls: type) -> str:
    return "<class '%s'>" % typename(cls)


def _check_number(a: Any) -> None:
    if not isinstance(a, _NUMBERS):
        expected = ", ".join(_class_repr(c) for c in _NUMBERS)
        raise AssertionError("expected (%s), got %s" % (expected, _class_repr(type(a))))


def sym_max(a: Any, b: Any) -> Any:
    """``max(a, b)``, a float when either is."""
    _check_number(a)
    _check_number(b)
    bigger = builtins.max(a, b)
    return builtins.float(bigger) if isinstance(a, _FLOATS) or isinstance(b, _FLOATS) else bigger


def sym_min(a: Any, b: Any) -> Any:
    """``min(a, b)``, a float when either is."""
    _check_number(a)
    _check_number(b)
    smaller = builtins.min(a, b)
    return builtins.float(smaller) if isinstance(a, _FLOATS) or isinstance(b, _FLOATS) else smaller


def sym_not(a: Any) -> bool:
    return not a


def sym_sqrt(a: Any) -> float:
    return math.sqrt(a)


def sym_sum(*args: Any) -> Any:
    """The sum of the arguments, or of the one list or tuple given."""
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        args = tuple(args[0])
    return builtins.sum(args)


def sym_ite(b: Any, t: Any, f: Any) -> Any:
    """``t if b else f``; ``b`` a bool, ``t`` and ``f`` of one type."""
    if not isinstance(b, builtins.bool):
        raise AssertionError("expected SymBool or bool, got %s" % _class_repr(type(b)))
    if type(t) is not type(f):
        raise AssertionError("type mismatch: %s vs %s" % (_class_repr(type(t)), _class_repr(type(f))))
    return t if b else f


def sym_fresh_size(expr: Any) -> Any:
    """``expr`` as a fresh size: with no symbolic shapes, its value read back through a tensor (as torch)."""
    return tensor(expr).item()


def get_device_module(device: Any = None) -> types.ModuleType:
    """The module of a device type (``minitorch.cpu``, ``minitorch.cuda``); no device: the CPU's (no accelerator)."""
    if isinstance(device, _device.device):
        name = device.type
    elif isinstance(device, str):
        name = _device.device(device).type
    elif device is None:
        name = "cpu"
    else:
        raise RuntimeError("Invalid value of device '%s', expect torch.device, str, or None" % (device,))
    try:
        return importlib.import_module("%s.%s" % (_PACKAGE, name))
    except ModuleNotFoundError:
        raise RuntimeError("Device '%s' does not have a corresponding module registered as 'torch.%s'."
                           % (name, name)) from None
