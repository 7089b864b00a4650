"""torch.cpu: the device-agnostic helpers for the one device minitorch computes on (torch's own are no-ops too),
and ``amp`` (the deprecated CPU spellings of torch.amp)."""
from __future__ import annotations

from typing import Any

from . import amp  # noqa: F401


def is_available() -> bool:
    return True


def is_initialized() -> bool:
    return True


def device_count() -> int:
    return 1


def current_device() -> str:
    return "cpu"


def set_device(device: Any) -> None:
    """There is one CPU device: nothing to set."""


def synchronize(device: Any = None) -> None:
    """Nothing runs asynchronously here."""
