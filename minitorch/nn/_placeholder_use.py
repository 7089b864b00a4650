"""Which torch function a lazy module's placeholder (UninitializedParameter / UninitializedBuffer) was
given to, for torch's refusal to compute with it.

torch refuses in ``__torch_function__``, at the first torch function the placeholder is passed to,
except a few conversions (``to``, ``float``, ``size``...) and the properties. minitorch has no such
hook: the placeholder refuses when an op reads its data, and the call stack says which public function
the user called. That is the outermost minitorch frame taking the placeholder as an argument whose code
is one of the public API's (a generated op, a Tensor method or property, a public Python function);
helper frames in between (a Module's ``_apply`` lambda) do not count, as they are not torch functions.
"""
from __future__ import annotations

import os
import sys
from types import FrameType
from typing import Any, Callable

from .._ops import registry
from .._tensor import Tensor

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# torch's UninitializedTensorMixin._allowed_methods, by name (properties are allowed too)
ALLOWED = frozenset(("__hash__", "size", "copy_", "is_complex", "is_floating_point", "half", "float", "double",
                     "char", "short", "int", "long", "cuda", "cpu", "to", "get_device"))
ALLOWED_USE = "allowed"

_METHOD = "<method '%s' of 'torch._C.TensorBase' objects>"
_NAMESPACES = (("nn", registry.NN, ""), ("linalg", registry.LINALG, "linalg_"),
               ("special", registry.SPECIAL, "special_"), ("fft", registry.FFT, "fft_"))
# the public modules whose Python functions are torch functions (looked up, not imported: no cycles); the
# nn.init functions are not torch functions, but minitorch's fill the data directly, where torch's call the
# Tensor method it names (``zero_``): minitorch names the init function
_PYTHON_MODULES = ("minitorch.nn.functional", "minitorch.nn.init", "minitorch.functional")
_generated: dict[Any, str] = {}
_SHARED_METHOD_CODE = registry._no_arguments(lambda self: None, "").__code__


def _generated_descriptions() -> dict[Any, str]:
    """The code object of every generated callable, with how torch prints that function (a callable in
    two tables, ``torch.det`` as ``torch.linalg.det``, by its namespace's name). Built once, and compiling
    the callables not called yet: their code is what a frame runs."""
    if not _generated:
        for _, table, prefix in _NAMESPACES:
            for name, fn in table.items():
                _generated.setdefault(registry.compiled(fn).__code__, "<built-in function %s%s>" % (prefix, name))
        for name, fn in registry.FUNCTIONS.items():
            if hasattr(fn, "parser"):
                description = "<built-in method %s of type object at 0x0>" % name
                _generated.setdefault(registry.compiled(fn).__code__, description)
        for name, fn in registry.METHODS.items():
            # the methods without arguments share one code object: their frames say which they are
            if hasattr(fn, "__code__") and fn.__code__ is not _SHARED_METHOD_CODE:
                _generated.setdefault(registry.compiled(fn).__code__, _METHOD % name)
    return _generated


def _class_attribute_use(frame: FrameType, owner: type) -> str | None:
    """ALLOWED_USE or torch's description when the frame runs a method or property of the placeholder's
    classes (a property, or a method that is torch's ``Tensor`` method of that name)."""
    name = frame.f_code.co_name
    for klass in owner.__mro__:
        if name not in klass.__dict__:
            continue
        attr = getattr(klass, name)  # through the descriptor: a function, or the property itself
        if isinstance(attr, property) and attr.fget is not None and attr.fget.__code__ is frame.f_code:
            return ALLOWED_USE
        if getattr(attr, "__code__", None) is frame.f_code:
            return ALLOWED_USE if name in ALLOWED else _METHOD % name
    return None


def _description(frame: FrameType, owner: type) -> str | None:
    """ALLOWED_USE, torch's description of the function this frame runs, or None for a helper frame."""
    code = frame.f_code
    known = _generated_descriptions().get(code)
    if known is not None:
        return ALLOWED_USE if known == _METHOD % code.co_name and code.co_name in ALLOWED else known
    if code.co_filename == registry.__file__:
        operator = frame.f_globals.get("slow")
        if code.co_name.startswith("__") and callable(operator):  # a binary operator: torch names its method
            return _METHOD % (code.co_name if code.co_name in ("__eq__", "__ne__") else operator.__name__)
        name = frame.f_locals.get("name")
        if code is _SHARED_METHOD_CODE and isinstance(name, str):  # a method without arguments
            return ALLOWED_USE if name in ALLOWED else _METHOD % name
    use = _class_attribute_use(frame, owner)
    if use is not None:
        return use
    for module_name in _PYTHON_MODULES:
        fn = getattr(sys.modules.get(module_name), code.co_name, None)
        if getattr(fn, "__code__", None) is code:
            return "<function %s at 0x0>" % code.co_name
    return None


def _holds(value: Any, obj: Any, depth: int) -> bool:
    """Whether ``value`` is ``obj`` or holds it in its lists, tuples and dicts, ``depth`` levels down."""
    if value is obj:
        return True
    if depth == 0:
        return False
    items = value.values() if isinstance(value, dict) else value if isinstance(value, (list, tuple)) else ()
    return any(_holds(item, obj, depth - 1) for item in items)


def _takes(frame: FrameType, obj: Any) -> bool:
    """Whether ``obj`` is among the frame's arguments (``*args`` holding a list of tensors included)."""
    code = frame.f_code
    count = code.co_argcount + code.co_kwonlyargcount + bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)
    local = frame.f_locals
    return any(_holds(local.get(name), obj, 2) for name in code.co_varnames[:count])


def entry_use(placeholder: Tensor, frame: FrameType | None) -> str | None:
    """How the public function the user called (walking out from ``frame``) uses the placeholder:
    ALLOWED_USE, torch's description of a refusing function, or None (only minitorch internals)."""
    found = None
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        if _takes(frame, placeholder):
            found = _description(frame, type(placeholder)) or found
        frame = frame.f_back
    return found


def refusal(placeholder: Tensor, function: str) -> ValueError:
    return ValueError(
        "Attempted to use an uninitialized parameter in %s. This error happens when you are using a `LazyModule` "
        "or explicitly manipulating `torch.nn.parameter.%s` objects. When using LazyModules Call `forward` with a "
        "dummy batch to initialize the parameters before calling torch functions"
        % (function, type(placeholder).__name__))


def data_guard(slot: Any) -> Callable[[Tensor], Any]:
    """The ``_data`` getter of a placeholder: its (empty) array for an allowed use, torch's refusal otherwise."""
    def get(self: Tensor) -> Any:
        use = entry_use(self, sys._getframe(1))
        if use is not None and use != ALLOWED_USE:
            raise refusal(self, use)
        return slot.__get__(self, Tensor)
    return get
