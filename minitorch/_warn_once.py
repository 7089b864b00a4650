"""torch's TORCH_WARN_ONCE: a warning emitted once per process, whatever the warning filters say."""
from __future__ import annotations

import warnings

_WARNED: set[str] = set()


def warn_once(key: str, message: str, stacklevel: int = 2) -> None:
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, UserWarning, stacklevel=stacklevel + 1)


def warn_requires_grad_scalar(stacklevel: int) -> None:
    """torch's warning (once, one call site in C++) when a tensor requiring grad becomes a Python float."""
    warn_once("requires_grad_scalar",
              "Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
              "Consider using tensor.detach() first. (Triggered internally at "
              "/__w/pytorch/pytorch/torch/csrc/autograd/generated/python_variable_methods.cpp:822.)",
              stacklevel=stacklevel + 1)
