"""nn.Parameter and nn.Buffer: tensors a Module registers as its state."""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import _dtype as D
from .._tensor import Tensor
from ._placeholder_use import data_guard, refusal

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


# ---- lazy modules' placeholders ---------------------------------------------------------------------
_NO_SHAPE = ("Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
             "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
             "`forward` to initialize the parameters before accessing their attributes.")


class UninitializedTensorMixin:
    """A parameter or buffer of a lazy module before its first forward: no shape until ``materialize``
    gives it one (becoming ``cls_to_become``), but dtype conversions keep it uninitialized."""

    cls_to_become: type
    # reading the (empty) data outside torch's allowed uses raises torch's refusal (see _placeholder_use)
    _data = property(data_guard(Tensor.__dict__["_data"]), Tensor.__dict__["_data"].__set__)

    def materialize(self, shape: Any, device: Any = None, dtype: D.dtype | None = None) -> None:
        """Allocate (uninitialized memory, as ``torch.empty``) and become a regular tensor of ``cls_to_become``."""
        dtype = self.dtype if dtype is None else dtype
        self._data = np.empty(tuple(shape) if isinstance(shape, (tuple, list)) else (shape,), dtype.np)
        self.dtype = dtype
        self.__class__ = self.cls_to_become

    @property
    def shape(self) -> Any:
        raise RuntimeError(_NO_SHAPE)

    def requires_grad_(self, requires_grad: bool = True) -> Any:
        raise refusal(self, "<method 'requires_grad_' of 'torch._C.TensorBase' objects>")

    def share_memory_(self) -> Any:
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call `forward` to initialize "
                           "the parameters before calling `module.share_memory()`.")

    def __repr__(self) -> str:
        return "<%s>" % type(self).__name__

    def __reduce_ex__(self, proto: Any) -> tuple:
        return type(self), (self.requires_grad,)

    def _still_uninitialized(self, converted: Tensor) -> Any:
        """``converted`` (this tensor's conversion) as an uninitialized tensor of this class."""
        if converted is self:
            return self
        out = type(self).__new__(type(self), self.requires_grad, dtype=converted.dtype)
        out.__dict__.update(self.__dict__)
        return out

    def to(self, *args: Any, **kwargs: Any) -> Any:
        return self._still_uninitialized(Tensor.to(self, *args, **kwargs))

    def float(self) -> Any:
        return self._still_uninitialized(Tensor.float(self))

    def double(self) -> Any:
        return self._still_uninitialized(Tensor.double(self))

    def half(self) -> Any:
        return self._still_uninitialized(Tensor.half(self))


def is_lazy(param: Any) -> bool:
    return isinstance(param, UninitializedTensorMixin)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A lazy module's parameter before its first forward; a Parameter once materialized."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad: bool = True, device: Any = None,
                dtype: D.dtype | None = None) -> "UninitializedParameter":
        dtype = D.get_default_dtype() if dtype is None else dtype
        return Parameter.__new__(cls, Tensor._make(np.empty(0, dtype.np)), requires_grad)

    def __deepcopy__(self, memo: dict) -> "UninitializedParameter":
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, None, self.dtype)
        return memo[id(self)]


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A lazy module's buffer before its first forward; a Tensor once materialized."""

    cls_to_become = Tensor

    def __new__(cls, requires_grad: bool = False, device: Any = None, dtype: D.dtype | None = None,
                persistent: bool = True) -> "UninitializedBuffer":
        dtype = D.get_default_dtype() if dtype is None else dtype
        t = cls._make(np.empty(0, dtype.np), requires_grad)
        t.persistent = persistent
        t._is_buffer = True
        return t
