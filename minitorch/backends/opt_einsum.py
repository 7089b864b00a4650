"""torch.backends.opt_einsum: available when the optional ``opt_einsum`` package can be imported
(minitorch's einsum does not use it; the answers are torch's)."""
from __future__ import annotations

import importlib.util
from typing import Any

_AVAILABLE = importlib.util.find_spec("opt_einsum") is not None

enabled = _AVAILABLE
strategy = "auto" if _AVAILABLE else None


def is_available() -> bool:
    return _AVAILABLE


def get_opt_einsum() -> Any:
    """The ``opt_einsum`` module, or None when it is not installed."""
    if not _AVAILABLE:
        return None
    import opt_einsum
    return opt_einsum
