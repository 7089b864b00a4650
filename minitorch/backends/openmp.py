"""torch.backends.openmp: torch's CPU build uses OpenMP."""
from __future__ import annotations


def is_available() -> bool:
    return True
