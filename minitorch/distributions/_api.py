"""The torch functions and names the distributions call, as ``ops.<name>``.

Importing the package ``minitorch`` from here would be an import cycle (it imports this package), so
the generated functions are looked up in the op table at call time and the rest come from their
defining modules.
"""
from __future__ import annotations

from typing import Callable

from .._creation import arange, empty, full, ones, tensor, zeros  # noqa: F401
from .._dtype import bool, dtype, float64, get_default_dtype, long  # noqa: F401  (torch's names)
from .._ops.registry import FUNCTIONS
from .._size import Size  # noqa: F401
from .._tensor import Tensor  # noqa: F401
from ..autograd.grad_mode import enable_grad, no_grad  # noqa: F401


def __getattr__(name: str) -> Callable:
    try:
        return FUNCTIONS[name]
    except KeyError:
        raise AttributeError(name) from None
