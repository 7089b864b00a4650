"""torch.jit without TorchScript: ``script`` and ``trace`` hand back the module or function itself,
which then runs eagerly (``trace`` runs it once on the example inputs, as tracing does). Scripted
and traced objects therefore print as the original, not as ``RecursiveScriptModule``. Saving or
loading TorchScript archives raises an error that says so.
"""
from __future__ import annotations

from typing import Any, Callable, Final  # noqa: F401  (torch.jit.Final)

from ..nn.modules.module import Module

_NO_ARCHIVES = ("minitorch does not implement TorchScript serialization: scripted and traced models run "
                "eagerly here. Save the model's state_dict with torch.save and load it into the model instead.")


class ScriptModule(Module):
    """torch.jit.ScriptModule; nothing minitorch returns is one (``script`` keeps the module)."""


class ScriptFunction:
    """torch.jit.ScriptFunction; nothing minitorch returns is one (``script`` keeps the function)."""


def script(obj: Any, optimize: Any = None, _frames_up: int = 0, _rcb: Any = None, example_inputs: Any = None) -> Any:
    """The module, function or class itself, to run eagerly."""
    if not callable(obj):
        raise RuntimeError(f"torch.jit.script expects a module, a function or a class, got {type(obj).__name__}")
    return obj


def _as_args(example_inputs: Any) -> tuple:
    return example_inputs if isinstance(example_inputs, tuple) else (example_inputs,)


def trace(func: Callable, example_inputs: Any = None, optimize: Any = None, check_trace: bool = True,
          check_inputs: Any = None, check_tolerance: float = 1e-05, strict: bool = True, _force_outplace: bool = False,
          _module_class: Any = None, _compilation_unit: Any = None, example_kwarg_inputs: dict | None = None,
          _store_inputs: bool = True) -> Any:
    """Run ``func`` once on the example inputs (its errors are the trace's errors), then return it."""
    if example_kwarg_inputs is not None:
        func(**example_kwarg_inputs)
    elif example_inputs is not None:
        func(*_as_args(example_inputs))
    return func


def trace_module(mod: Module, inputs: dict[str, Any], **kwargs: Any) -> Module:
    """``trace`` for several methods: each runs once on its example inputs."""
    for method, example_inputs in inputs.items():
        getattr(mod, method)(*_as_args(example_inputs))
    return mod


def save(m: Any, f: Any, _extra_files: Any = None) -> None:
    raise RuntimeError("torch.jit.save: " + _NO_ARCHIVES)


def load(f: Any, map_location: Any = None, _extra_files: Any = None, _restore_shapes: bool = False) -> Any:
    raise RuntimeError("torch.jit.load: " + _NO_ARCHIVES)


def freeze(mod: Module, preserved_attrs: Any = None, optimize_numerics: bool = True) -> Module:
    return mod


def optimize_for_inference(mod: Module, other_methods: Any = None) -> Module:
    return mod


def is_scripting() -> bool:
    return False


def is_tracing() -> bool:
    return False


def ignore(drop: Any = False, **kwargs: Any) -> Any:
    """``@ignore`` or ``@ignore(drop=...)``: leave the function to Python (it always is)."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn: Callable) -> Callable:
    return fn


def export(fn: Callable) -> Callable:
    return fn


def interface(obj: type) -> type:
    return obj


def annotate(the_type: Any, the_value: Any) -> Any:
    return the_value


class Future:
    """The result of ``fork``: computed at once, returned by ``wait``."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def wait(self) -> Any:
        return self._value


def fork(func: Callable, *args: Any, **kwargs: Any) -> Future:
    return Future(func(*args, **kwargs))


def wait(future: Future) -> Any:
    return future.wait()
