"""The padding layers: Constant, Zero, Reflection, Replication and Circular padding in 1, 2 and 3 dims,
each ``nn.functional.pad`` with its mode."""
from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from .. import functional as F
from .._utils import _ntuple
from .module import Module


class _PadNd(Module):
    """``F.pad(input, padding, mode)``; ``padding`` is an int or one (left, right) pair per padded dim."""

    _mode: str
    _dims: int

    def __init__(self, padding: Any) -> None:
        super().__init__()
        self.padding = _ntuple(2 * self._dims, "_expand")(padding)

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self) -> str:
        return "%s" % (self.padding,)


def _in_1_2_3_dims(family: str, base: type, regular: tuple = ()) -> tuple:
    """A family's 1-, 2- and 3-d classes (each also subclassing its ``regular`` class, if given)."""
    return tuple(type("%s%dd" % (family, n), (base,) + regular[n - 1:n], {"_dims": n, "__module__": __name__})
                 for n in (1, 2, 3))


class _ConstantPadNd(_PadNd):
    _mode = "constant"

    def __init__(self, padding: Any, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input: Tensor) -> Tensor:
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return "padding=%s, value=%s" % (self.padding, self.value)


ConstantPad1d, ConstantPad2d, ConstantPad3d = _in_1_2_3_dims("ConstantPad", _ConstantPadNd)


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding: Any) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return "%s" % (self.padding,)


ZeroPad1d, ZeroPad2d, ZeroPad3d = _in_1_2_3_dims("ZeroPad", _ZeroPadNd, (ConstantPad1d, ConstantPad2d, ConstantPad3d))


class _ReflectionPadNd(_PadNd):
    _mode = "reflect"


ReflectionPad1d, ReflectionPad2d, ReflectionPad3d = _in_1_2_3_dims("ReflectionPad", _ReflectionPadNd)


class _ReplicationPadNd(_PadNd):
    _mode = "replicate"


ReplicationPad1d, ReplicationPad2d, ReplicationPad3d = _in_1_2_3_dims("ReplicationPad", _ReplicationPadNd)


class _CircularPadNd(_PadNd):
    _mode = "circular"

    def forward(self, input: Tensor) -> Tensor:
        if input.dim() not in (self._dims + 1, self._dims + 2):  # torch's module checks before F.pad does
            raise ValueError("expected %dD or %dD input (got %dD input)" % (self._dims + 1, self._dims + 2,
                                                                            input.dim()))
        return super().forward(input)


CircularPad1d, CircularPad2d, CircularPad3d = _in_1_2_3_dims("CircularPad", _CircularPadNd)
