"""Uninitialised parameter storage for layers (``torch.empty(..., device=, dtype=)``)."""
from __future__ import annotations

from typing import Any

from ... import _creation
from ..parameter import Parameter


def empty_parameter(shape: Any, device: Any = None, dtype: Any = None, requires_grad: bool = True) -> Parameter:
    return Parameter(_creation.empty(shape, device=device, dtype=dtype), requires_grad)
