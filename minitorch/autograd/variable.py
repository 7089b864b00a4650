"""The legacy ``Variable``: constructing one returns a plain Tensor, and every Tensor is a Variable."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor


class VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, Tensor)


class Variable(metaclass=VariableMeta):
    """``Variable(tensor, requires_grad=False)``: a detached alias of ``tensor`` (torch's behaviour)."""

    def __new__(cls, data: Any = None, requires_grad: bool = False, volatile: bool = False,
                _grad_fn: Any = None, name: str | None = None) -> Tensor:  # type: ignore[misc]
        if data is None:
            t = Tensor._make(np.empty((0,), np.float32))
        elif isinstance(data, Tensor):
            t = data.detach()
        else:
            raise TypeError("Variable data has to be a tensor, but got " + type(data).__name__)
        if volatile:
            warnings.warn("volatile was removed and now has no effect. Use `with torch.no_grad():` instead.",
                          UserWarning, stacklevel=2)
            if requires_grad:
                raise RuntimeError("Variable can't be volatile and require_grad at the same time!")
        if requires_grad and t.dtype.category < D.FLOATING:
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = bool(requires_grad)
        return t
