"""torch.backends.mkl: torch's CPU build links MKL."""
from __future__ import annotations


def is_available() -> bool:
    return True
