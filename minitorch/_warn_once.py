"""torch's TORCH_WARN_ONCE: a warning emitted once per process, whatever the warning filters say."""
from __future__ import annotations

import warnings

_WARNED: set[str] = set()


def warn_once(key: str, message: str, stacklevel: int = 2) -> None:
    if key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(message, UserWarning, stacklevel=stacklevel + 1)
