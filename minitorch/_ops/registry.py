"""The op table's machinery: declarations, graph recording, and namespace generation.

An op is declared once with ``defop``: its name, its input names and, per input, a VJP written with
minitorch ops (so that higher-order gradients need no extra code). What each VJP needs is read from
its parameter names, like derivatives.yaml's formulas: ``grad`` (the output's gradient, or a tuple
of them for multi-output ops), an input's name (that input, saved), ``result`` (the output, saved),
``<input>_shape`` (an input's shape), or an attribute of the call (``dim``, ``keepdim``, ...); a
variadic op's VJP may take ``index`` (which input) and ``inputs`` (all of them, saved).
Only what the inputs that need grad actually use is saved, as in torch.

Family modules (pointwise, reduction, ...) write the forward functions with torch's signatures and
register them here as functions, Tensor methods and operators; ``minitorch/__init__.py`` exports
``FUNCTIONS`` and ``install_methods`` attaches ``METHODS`` to Tensor.
"""
from __future__ import annotations

from typing import Any, Callable

from .._tensor import Tensor

FUNCTIONS: dict[str, Callable] = {}
METHODS: dict[str, Any] = {}

# ---- namespace generation -------------------------------------------------------------------
def function(name: str, *aliases: str) -> Callable[[Callable], Callable]:
    """Register ``fn`` as ``minitorch.<name>`` (and aliases)."""
    def deco(fn: Callable) -> Callable:
        for n in (name,) + aliases:
            FUNCTIONS[n] = fn
        return fn
    return deco


def method(name: str, *aliases: str) -> Callable[[Callable], Callable]:
    """Register ``fn`` as ``Tensor.<name>`` (and aliases)."""
    def deco(fn: Callable) -> Callable:
        for n in (name,) + aliases:
            METHODS[n] = fn
        return fn
    return deco


def both(name: str, *aliases: str) -> Callable[[Callable], Callable]:
    """Register ``fn`` as ``minitorch.<name>`` and ``Tensor.<name>``."""
    def deco(fn: Callable) -> Callable:
        return function(name, *aliases)(method(name, *aliases)(fn))
    return deco


def install_methods() -> None:
    for name, fn in METHODS.items():
        setattr(Tensor, name, fn)


def check_tensor(fname: str, x: Any, arg: str = "input", pos: int = 1) -> None:
    """torch's argument-parser error for a non-Tensor where a Tensor is required."""
    if not isinstance(x, Tensor):
        raise TypeError("%s(): argument '%s' (position %d) must be Tensor, not %s"
                        % (fname, arg, pos, type(x).__name__))
