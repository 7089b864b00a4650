"""Private helpers of the nn layers: int-or-tuple argument expansion (torch's ``_single`` / ``_pair`` /
``_triple``, from ``torch/nn/modules/utils.py``) and ``torch_binding``, which declares a function
``nn.functional`` shares with ``torch.*``.

Not to be confused with ``nn/utils/`` (the public ``torch.nn.utils``: clipping, parameter vectors) or
``minitorch/utils/`` (the public ``torch.utils``: data loading, hooks)."""
from __future__ import annotations

from collections import abc
from typing import Any, Callable

from .._ops.registry import FUNCTIONS, op


def _ntuple(n: int, name: str) -> Callable[[Any], tuple]:
    def parse(x: Any) -> tuple:
        if isinstance(x, abc.Iterable) and not isinstance(x, str):
            return tuple(x)
        return (x,) * n
    parse.__name__ = name
    return parse


_single = _ntuple(1, "_single")
_pair = _ntuple(2, "_pair")
_triple = _ntuple(3, "_triple")


def torch_binding(*signatures: str) -> Callable[[Callable], Callable]:
    """Declare a function torch binds in C++ under ``torch.*`` too (an op record); its
    ``nn.functional`` spelling is the same generated callable, as in torch."""
    def declare(impl: Callable) -> Callable:
        op(*signatures)(impl)
        return FUNCTIONS[signatures[0][:signatures[0].index("(")]]
    return declare
