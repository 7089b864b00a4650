"""``torch.nn.factory_kwargs``: the factory keyword arguments a module's ``__init__`` passes on."""
from __future__ import annotations

from typing import Any

_SIMPLE_KEYS = ("device", "dtype", "memory_format")


def factory_kwargs(kwargs: dict[str, Any] | None) -> dict[str, Any]:
    """``kwargs``' ``device``/``dtype``/``memory_format``, merged with its ``factory_kwargs`` dict, as torch:
    an unknown key or one given both ways is a TypeError."""
    if kwargs is None:
        return {}
    expected = {*_SIMPLE_KEYS, "factory_kwargs"}
    if not kwargs.keys() <= expected:
        raise TypeError(f"unexpected kwargs {kwargs.keys() - expected}")
    merged = dict(kwargs.get("factory_kwargs", {}))
    for key in _SIMPLE_KEYS:
        if key in kwargs:
            if key in merged:
                raise TypeError(f"{key} specified twice, in **kwargs and in factory_kwargs")
            merged[key] = kwargs[key]
    return merged
