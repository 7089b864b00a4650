"""nn.Parameter and nn.Buffer: tensors a Module registers as its state."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor

_FLOAT_ONLY = "Only Tensors of floating point and complex dtype can require gradients"


class Parameter(Tensor):
    """A leaf Tensor that a Module registers as a parameter when assigned as its attribute.

    ``Parameter(t)`` shares ``t``'s memory and version counter (as ``t.detach()`` would). Ops on a
    Parameter return plain Tensors.
    """

    def __new__(cls, data: Tensor | None = None, requires_grad: bool = True) -> "Parameter":
        if data is None:
            data = Tensor._make(np.empty(0, D.get_default_dtype().np))
        if requires_grad and data.dtype.category < D.FLOATING:
            raise RuntimeError(_FLOAT_ONLY)
        p = cls._make(data._data, bool(requires_grad))
        p._vbox = data._vbox
        return p

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo: dict) -> "Parameter":
        # torch's: a copy of the data, not of its storage (so no sharing with other tensors), and
        # neither grad nor Python attributes
        if id(self) not in memo:
            memo[id(self)] = type(self)(Tensor._make(self._data.copy(order="K")), self._requires_grad)
        return memo[id(self)]

    # ``__reduce_ex__`` (torch's pickling of a Parameter) is installed by _serialization.rebuild


class _BufferMeta(type):
    """``isinstance(t, Buffer)`` holds for the tensors ``Buffer(...)`` returned."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(metaclass=_BufferMeta):
    """``nn.Buffer(t, persistent=True)``: marks ``t`` to be registered as a buffer when assigned to a
    Module attribute (the returned object is ``t`` itself, a plain Tensor, as in torch)."""

    def __new__(cls, data: Tensor | None = None, *, persistent: bool = True) -> Any:  # type: ignore[misc]
        if data is None:
            data = Tensor._make(np.empty(0, D.get_default_dtype().np))
        t = data.detach()
        t._is_buffer = True
        t.persistent = persistent
        return t
