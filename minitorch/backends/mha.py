"""torch.backends.mha: whether nn.MultiheadAttention may take its fused fast path (a flag only)."""
from __future__ import annotations

_fastpath_enabled = True


def get_fastpath_enabled() -> bool:
    return _fastpath_enabled


def set_fastpath_enabled(value: bool) -> None:
    global _fastpath_enabled
    _fastpath_enabled = value
