"""torch.Size: a tuple of ints that prints as ``torch.Size([2, 3])``."""
from __future__ import annotations

from typing import Any


class Size(tuple):
    __slots__ = ()

    def __repr__(self) -> str:
        return "torch.Size([%s])" % ", ".join(str(s) for s in self)

    __str__ = __repr__

    def __getitem__(self, key: Any) -> Any:
        out = tuple.__getitem__(self, key)
        return Size(out) if isinstance(key, slice) else out

    def __add__(self, other: Any) -> "Size":
        if not isinstance(other, tuple):
            return NotImplemented
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> "Size":
        return Size(tuple(other) + tuple(self))

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n

    def __reduce__(self) -> Any:
        return (Size, (tuple(self),))
