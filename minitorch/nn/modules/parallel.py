"""nn.DataParallel as it is on a build without accelerators: it holds the module and runs it."""
from __future__ import annotations

from typing import Any, Sequence

from .module import Module


class DataParallel(Module):
    """With no device to scatter to, torch keeps no device ids and forward calls the module."""

    def __init__(self, module: Module, device_ids: Sequence[Any] | None = None, output_device: Any = None,
                 dim: int = 0) -> None:
        super().__init__()
        self.module = module
        self.device_ids: list = []

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        return self.module(*inputs, **kwargs)
