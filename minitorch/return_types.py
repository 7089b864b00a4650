"""torch.return_types: the named tuples that max/min/sort/topk... return."""
from __future__ import annotations

from collections import namedtuple
from typing import Any


def _return_type(name: str, fields: tuple[str, ...] = ("values", "indices")) -> type:
    base = namedtuple(name, fields)

    def __repr__(self: Any) -> str:
        body = ",\n".join("%s=%r" % (f, v) for f, v in zip(fields, self))
        return "torch.return_types.%s(\n%s)" % (name, body)

    return type(name, (base,), {"__slots__": (), "__repr__": __repr__, "__module__": "torch.return_types"})


max = _return_type("max")  # noqa: A001 - torch's names
min = _return_type("min")  # noqa: A001
cummax = _return_type("cummax")
cummin = _return_type("cummin")
sort = _return_type("sort")
topk = _return_type("topk")
kthvalue = _return_type("kthvalue")
median = _return_type("median")
mode = _return_type("mode")
frexp = _return_type("frexp", ("mantissa", "exponent"))
aminmax = _return_type("aminmax", ("min", "max"))
nanmedian = _return_type("nanmedian")
histogram = _return_type("histogram", ("hist", "bin_edges"))
histogramdd = _return_type("histogramdd", ("hist", "bin_edges"))
