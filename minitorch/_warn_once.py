"""torch's TORCH_WARN_ONCE: a warning emitted once per process, whatever the warning filters say, unless
``set_warn_always(True)`` asks for every occurrence (which then does not use up the once)."""
from __future__ import annotations

import warnings

from ._fp_warnings import warn_from_caller
from ._grad_state import STATE as GRAD_STATE

_WARNED: set[str] = set()
_warn_always = False


def set_warn_always(b: bool, /) -> None:
    """Whether warnings torch emits once per process are emitted every time instead."""
    global _warn_always
    if type(b) is not bool:
        raise RuntimeError("setWarnOnlyOnce expects a bool, but got %s" % type(b).__name__)
    _warn_always = b


def is_warn_always_enabled() -> bool:
    return _warn_always


def warn_once(key: str, message: str, stacklevel: int | None = 2) -> None:
    """``stacklevel`` None: the warning points at the first frame outside minitorch (as torch's from C++ do)."""
    if not _warn_always:
        if key in _WARNED:
            return
        _WARNED.add(key)
    if stacklevel is None:
        warn_from_caller(message)
    else:
        warnings.warn(message, UserWarning, stacklevel=stacklevel + 1)


def warn_requires_grad_scalar(stacklevel: int) -> None:
    """torch's warning (once, one call site in C++) when a tensor requiring grad becomes a Python float or complex
    with grad mode on (under no_grad, inference_mode or an optimizer's step it says nothing, nor uses up the once)."""
    if not GRAD_STATE.enabled:
        return
    warn_once("requires_grad_scalar",
              "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
              "Consider using tensor.detach() first. (Triggered internally at "
              "/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)",
              stacklevel=stacklevel + 1)
