"""How torch's C++ messages print a double: ``ostream <<``, i.e. ``%g`` (six significant digits: ``3``, ``0.5``,
``-3.57395``, ``9.22337e+18``, ``inf``), and a NaN with its sign bit (``-nan``), as glibc prints it."""
from __future__ import annotations

import math
from typing import Any


def cpp_double(x: Any) -> str:
    """``x`` (any real number: an int is converted to double first, as C++ does) as torch's messages print it."""
    x = float(x)
    if math.isnan(x):
        return "-nan" if math.copysign(1.0, x) < 0 else "nan"
    return "%g" % x

