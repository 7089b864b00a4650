"""Tracing a run on minitorch: the callables of ``minitorch``, ``minitorch.nn.functional``, the Tensor
methods and operators and ``nn.Module.__call__`` are wrapped for the run's duration (the op table
itself is left alone), and named as torch's ``TorchFunctionMode`` names the same calls."""
from __future__ import annotations

import contextlib
import functools
import sys
import types
from typing import Any, Callable, Iterator

import minitorch

from .trace import Recorder

# the operators whose call torch's mode reports under another name (``a + b`` is ``Tensor.add``)
OPERATOR_NAMES = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add_", "__sub__": "sub", "__isub__": "sub_",
    "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul_", "__truediv__": "div", "__rtruediv__": "__rdiv__",
    "__itruediv__": "div_", "__ifloordiv__": "floor_divide_", "__mod__": "remainder", "__imod__": "remainder_",
    "__pow__": "pow", "__ipow__": "pow_", "__matmul__": "matmul", "__neg__": "neg", "__abs__": "abs",
    "__pos__": "positive", "__rand__": "bitwise_and", "__ror__": "bitwise_or", "__rxor__": "bitwise_xor",
    "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge",
}
_BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and", "or", "xor", "lshift", "rshift")
OPERATORS = frozenset(
    ["__%s%s__" % (variant, op) for op in _BINARY for variant in ("", "r", "i")]
    + ["__%s__" % op for op in ("eq", "ne", "lt", "le", "gt", "ge", "neg", "pos", "abs", "invert", "bool", "float",
                                "int", "index", "complex", "len", "getitem", "setitem", "contains", "reversed")])


def _namespace_functions(module: types.ModuleType) -> list[str]:
    return [name for name, obj in vars(module).items()
            if not name.startswith("_") and isinstance(obj, (types.FunctionType, types.BuiltinFunctionType))
            and getattr(obj, "__module__", "").startswith("minitorch")]


def _tensor_methods() -> list[str]:
    """Tensor's own methods (looked up through the class, so that a descriptor wrapping one counts too)."""
    return [name for name in vars(minitorch.Tensor)
            if isinstance(getattr(minitorch.Tensor, name), types.FunctionType)
            and (not name.startswith("_") or name in OPERATORS)]


@contextlib.contextmanager
def traced(recorder: Recorder) -> Iterator[None]:
    targets = [(minitorch, name, "torch." + name) for name in _namespace_functions(minitorch)]
    targets += [(minitorch.nn.functional, name, "torch.nn.functional." + name)
                for name in _namespace_functions(minitorch.nn.functional)]
    targets += [(minitorch.Tensor, name, "Tensor." + OPERATOR_NAMES.get(name, name)) for name in _tensor_methods()]
    originals = [(owner, attr, vars(owner)[attr]) for owner, attr, _ in targets]
    for owner, attr, name in targets:
        setattr(owner, attr, _traced(recorder, getattr(owner, attr), name))
    module_call = minitorch.nn.Module.__call__

    minitorch.nn.Module.__call__ = recorder.module_call(module_call)
    try:
        yield
    finally:
        minitorch.nn.Module.__call__ = module_call
        for owner, attr, original in originals:
            setattr(owner, attr, original)


def _traced(recorder: Recorder, fn: Callable, name: str) -> Callable:
    @functools.wraps(fn)
    def traced(*args: Any, **kwargs: Any) -> Any:
        if not recorder.busy:
            frame = recorder.user_frame(sys._getframe(1))
            if frame is not None:
                return recorder.call(name, frame, fn, args, kwargs)
        return fn(*args, **kwargs)
    return traced
