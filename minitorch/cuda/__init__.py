"""torch.cuda on a machine without CUDA: answers 'not available', and seeding is a no-op."""
from __future__ import annotations

from typing import Any


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def manual_seed(seed: int) -> None:
    """No CUDA device: nothing to seed (torch lazily does the same)."""


manual_seed_all = manual_seed


def synchronize(device: Any = None) -> None:
    """Nothing runs asynchronously here."""
