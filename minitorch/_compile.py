"""torch.compile without a compiler: the model or function runs eagerly, as TorchDynamo's
``backend="eager"`` would run it, behind the objects torch returns.

A module comes back wrapped in ``OptimizedModule`` (repr, ``_orig_mod``, ``_orig_mod.``-prefixed
state_dict keys, attribute reads and writes forwarded to the original, as torch's); a function comes
back as a ``functools.wraps`` wrapper. With the backends that run AOTAutograd (inductor, the
default; ``aot_*``; cudagraphs), outputs computed with grad show torch's ``CompiledFunctionBackward``;
with the eager ones, and a callable backend (which torch calls with the graph), the ops' own grad_fns.
Arguments are validated with torch's errors; ``mode``,
``options``, ``dynamic`` and ``fullgraph`` change nothing, and a callable ``backend`` is never
called (there is no graph to hand it).
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from ._tensor import Tensor
from .autograd.function import Function
from .nn.modules.module import Module

_MODES = ("default", "lite", "reduce-overhead", "max-autotune-no-cudagraphs", "max-autotune")
# torch._dynamo.list_backends(exclude_tags=()) of torch 2.13's CPU build
_BACKENDS = frozenset((
    "aot_eager", "aot_eager_decomp_partition", "aot_eager_decomp_partition_crossref",
    "aot_eager_decomp_partition_with_mode", "aot_eager_default_partitioner", "aot_ts", "cudagraphs",
    "dynamo_accuracy_minifier_backend", "dynamo_minifier_backend", "eager", "eager_debug", "eager_noexcept",
    "inductor", "invoke_subgraph", "openxla", "openxla_eval", "pre_dispatch_eager", "ts", "tvm",
))


def _runs_aot_autograd(backend: str | Callable) -> bool:
    return isinstance(backend, str) and (backend in ("inductor", "cudagraphs") or backend.startswith("aot_"))


class InvalidBackend(RuntimeError):
    """torch._dynamo.exc.InvalidBackend."""

    def __init__(self, name: str) -> None:
        super().__init__(f"Invalid backend: {name!r}, see `torch._dynamo.list_backends()` for available backends.")


class CompiledFunction(Function):
    """Stands where torch's compiled graph stands in the autograd graph, so that the compiled region's
    outputs carry torch's ``grad_fn=<CompiledFunctionBackward>``. The outputs are copies (a compiled
    graph returns fresh tensors); gradients pass through to the eager graph that computed them."""

    @staticmethod
    def forward(ctx: Any, *outputs: Tensor) -> tuple[Tensor, ...]:
        return tuple(o.clone() for o in outputs)

    @staticmethod
    def backward(ctx: Any, *grads: Tensor) -> tuple[Tensor, ...]:
        return grads


def as_compiled_outputs(result: Any, function: type[Function] = CompiledFunction, every_tensor: bool = False
                         ) -> Any:
    """``result`` with every tensor an operation produced (one with a grad_fn, in nested tuples,
    lists and dicts; ``every_tensor``: every tensor) routed through one call of ``function`` (the compiled region's
    node)."""
    found: list[Tensor] = []

    def collect(x: Any) -> None:
        if isinstance(x, Tensor):
            if every_tensor or x.grad_fn is not None:
                found.append(x)
        elif isinstance(x, (list, tuple)):
            for item in x:
                collect(item)
        elif isinstance(x, dict):
            for item in x.values():
                collect(item)

    collect(result)
    if not found:
        return result
    marked = dict(zip(map(id, found), function.apply(*found)))

    def rebuild(x: Any) -> Any:
        if isinstance(x, Tensor):
            return marked.get(id(x), x)
        if isinstance(x, tuple) and hasattr(x, "_fields"):
            return type(x)(*(rebuild(item) for item in x))
        if isinstance(x, (list, tuple)):
            return type(x)(rebuild(item) for item in x)
        if isinstance(x, dict):
            return type(x)((k, rebuild(v)) for k, v in x.items())
        return x
    return rebuild(result)


class OptimizedModule(Module):
    """What ``torch.compile(module)`` returns: the module registered as child ``_orig_mod``, every
    other attribute read from and written to it."""

    _OWN_ATTRIBUTES = frozenset(("_orig_mod", "_super_module_initialized", "_aot_autograd", "forward", "__dict__"))

    def __init__(self, mod: Module, aot_autograd: bool = True) -> None:
        object.__setattr__(self, "_orig_mod", mod)  # read by ``training`` while Module.__init__ runs
        object.__setattr__(self, "_super_module_initialized", False)
        super().__init__()
        self._super_module_initialized = True
        self._orig_mod = mod  # registered as a child: repr and state_dict keys show it
        self._aot_autograd = aot_autograd

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        result = self._orig_mod(*args, **kwargs)
        return as_compiled_outputs(result) if self._aot_autograd else result

    @property  # type: ignore[override]
    def training(self) -> bool:
        return self._orig_mod.training

    @training.setter
    def training(self, value: bool) -> None:
        if self._super_module_initialized:  # not Module.__init__'s default: the original's mode stands
            self._orig_mod.training = value

    def __len__(self) -> int:
        try:
            return len(self._orig_mod)  # type: ignore[arg-type]
        except TypeError:
            raise TypeError(f"{type(self._orig_mod).__name__} does not support len()") from None

    def __getattr__(self, name: str) -> Any:
        if name == "_orig_mod":
            return self._modules["_orig_mod"]
        return getattr(self._orig_mod, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if hasattr(type(self), name) or name in OptimizedModule._OWN_ATTRIBUTES:
            super().__setattr__(name, value)
        else:
            setattr(self._orig_mod, name, value)

    def __delattr__(self, name: str) -> None:
        if hasattr(type(self), name) or name in OptimizedModule._OWN_ATTRIBUTES:
            super().__delattr__(name)
        else:
            delattr(self._orig_mod, name)

    def __dir__(self) -> list[str]:
        own = dir(self._orig_mod)
        return own + [name for name in super().__dir__() if name not in own]


def compile(model: Callable | None = None, *, fullgraph: bool = False, dynamic: bool | None = None,  # noqa: A001
            backend: str | Callable | None = None, mode: str | None = None, options: dict | None = None,
            name: str | None = None, disable: bool = False, recompile_limit: int | None = None,
            isolate_recompiles: bool = False, shapes_spec: Any = None) -> Any:
    """``torch.compile``: the model (or, without one, a decorator) ready to run eagerly."""
    settings = dict(fullgraph=fullgraph, dynamic=dynamic, backend=backend, mode=mode, options=options, name=name,
                    disable=disable, recompile_limit=recompile_limit, isolate_recompiles=isolate_recompiles,
                    shapes_spec=shapes_spec)
    if model is None:
        def decorate(model: Callable | None) -> Any:
            if model is None:
                raise RuntimeError("Model can't be None")
            return compile(model, **settings)
        return decorate
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be specified at the same time.")
    backend = "inductor" if backend is None else backend
    if backend == "inductor" and mode is not None and mode not in _MODES:
        raise RuntimeError(f"Unrecognized mode={mode}, should be one of: {', '.join(_MODES)}")
    if isinstance(backend, str) and backend not in _BACKENDS:
        raise InvalidBackend(backend)
    if disable:
        return model
    aot_autograd = _runs_aot_autograd(backend)
    if isinstance(model, Module):
        return OptimizedModule(model, aot_autograd)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")

    @functools.wraps(model)
    def compiled(*args: Any, **kwargs: Any) -> Any:
        result = model(*args, **kwargs)
        return as_compiled_outputs(result) if aot_autograd else result
    return compiled
