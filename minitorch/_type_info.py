"""``torch.finfo`` and ``torch.iinfo``: the numeric limits of a dtype, with torch's fields, repr and errors.

A complex dtype describes its real parts (``finfo(torch.complex64)`` is float32's); ``dtype`` is the name of
the described type, a string as in torch. Arguments are parsed by torch's parser (its TypeErrors).
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import _dtype as D
from ._ops.signature import Parser

_FINFO = Parser(["finfo(ScalarType type)", "finfo()"])
_IINFO = Parser(["iinfo(ScalarType type)"])
# c10's numeric_limits<Float8_e5m2fnuz>::epsilon() is 2**-3, though the format has 2 mantissa bits (ml_dtypes: 2**-2)
_EPS = {D.float8_e5m2fnuz: 0.125}


class _Info:
    """Read-only fields, compared by value, printed as torch prints them (``%g``)."""

    __slots__: tuple = ()
    _FIELDS: tuple = ()
    dtype: str

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("attribute '%s' of 'torch.%s' objects is not writable" % (name, type(self).__name__))

    def _set(self, **fields: Any) -> None:
        for name, value in fields.items():
            object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f) for f in self.__slots__))

    def __repr__(self) -> str:
        shown = ", ".join("%s=%s" % (f, format(getattr(self, f), "g")) for f in self._FIELDS)
        return "%s(%s, dtype=%s)" % (type(self).__name__, shown, self.dtype)


class finfo(_Info):  # noqa: N801 - torch's name
    __slots__ = ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype")
    _FIELDS = ("resolution", "min", "max", "eps", "smallest_normal", "tiny")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        dt = _FINFO.parse(args, kwargs)[1].get("type") or D.get_default_dtype()
        if dt is D.float4_e2m1fn_x2:
            raise TypeError("bad argument type for built-in operation")
        if dt.category not in (D.FLOATING, D.COMPLEX) or dt in D.BITS:
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        real = dt.to_real()
        info = D.finfo_np(real.np)
        self._set(bits=real.itemsize * 8, eps=_EPS.get(real, float(info.eps)), max=float(info.max),
                  min=float(info.min), tiny=float(info.smallest_normal), smallest_normal=float(info.smallest_normal),
                  resolution=10.0 ** -math.floor(info.nmant * math.log10(2)), dtype=str(real).replace("torch.", ""))


class iinfo(_Info):  # noqa: N801 - torch's name
    __slots__ = ("bits", "max", "min", "dtype")
    _FIELDS = ("min", "max")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        dt = _IINFO.parse(args, kwargs)[1]["type"]
        if dt is D.bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if dt.category != D.INTEGRAL or dt in D.UNSTORABLE:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(dt.np)
        self._set(bits=dt.itemsize * 8, max=int(info.max), min=int(info.min), dtype=str(dt).replace("torch.", ""))
