"""Converting convolution weights to a memory format. minitorch tensors have a single layout and no
memory format objects: the weight is re-made from its own values (as torch's conversion, it keeps
the same Parameter object and values), so models that call this run unchanged."""
from __future__ import annotations

from typing import Any, TypeVar

from ..modules.module import Module

__all__ = ["convert_conv2d_weight_memory_format", "convert_conv3d_weight_memory_format"]

M = TypeVar("M", bound=Module)


def _convert(module: M, memory_format: Any, class_names: tuple[str, ...]) -> M:
    if type(module).__name__ in class_names:
        module.weight.data = module.weight.detach().clone()
    for child in module.children():
        _convert(child, memory_format, class_names)
    return module


def convert_conv2d_weight_memory_format(module: M, memory_format: Any) -> M:
    return _convert(module, memory_format, ("Conv2d", "ConvTranspose2d"))


def convert_conv3d_weight_memory_format(module: M, memory_format: Any) -> M:
    return _convert(module, memory_format, ("Conv3d", "ConvTranspose3d"))
