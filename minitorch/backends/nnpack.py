"""torch.backends.nnpack: available in torch's CPU build, enabled by default."""
from __future__ import annotations

import sys
from typing import ContextManager

from ._flags import scoped_flags

enabled = True


def is_available() -> bool:
    return True


def flags(enabled: bool = False) -> ContextManager[None]:
    return scoped_flags(sys.modules[__name__], enabled=enabled)


def set_flags(_enabled: bool) -> tuple[bool]:
    """Set the flag; return the previous value as a tuple, as torch does."""
    global enabled
    previous = (enabled,)
    enabled = _enabled
    return previous
