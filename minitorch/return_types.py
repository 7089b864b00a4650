"""torch.return_types: the named tuples that max/min/sort/topk... return."""
from __future__ import annotations

from collections import namedtuple
from typing import Any

from ._missing import missing_attribute as _missing_attribute


def _return_type(name: str, fields: tuple[str, ...] = ("values", "indices")) -> type:
    base = namedtuple(name, fields)

    def __repr__(self: Any) -> str:
        body = ",\n".join("%s=%r" % (f, v) for f, v in zip(fields, self))
        return "torch.return_types.%s(\n%s)" % (name, body)

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__module__": "torch.return_types"})


# torch's named tuples, made when first read (``__getattr__``: making the fourteen was ~1% of ``import minitorch``)
_FIELDS = dict.fromkeys(("max", "min", "cummax", "cummin", "sort", "topk", "kthvalue", "median", "mode", "nanmedian"),
                        ("values", "indices"))
_FIELDS.update(frexp=("mantissa", "exponent"), aminmax=("min", "max"), histogram=("hist", "bin_edges"),
               histogramdd=("hist", "bin_edges"))
_missing = _missing_attribute(__name__, False)


def __getattr__(name: str) -> Any:
    fields = _FIELDS.get(name)
    if fields is None:
        return _missing(name)
    return globals().setdefault(name, _return_type(name, fields))  # (one class if two threads make it at once)


def __dir__() -> list[str]:
    return sorted({*globals(), *_FIELDS})
