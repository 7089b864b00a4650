"""torch.backends.cudnn of a build without cuDNN: flags with torch's defaults, never available."""
from __future__ import annotations

import sys
from typing import Any, ContextManager

from ._flags import scoped_flags

enabled = True
deterministic = False
benchmark = False
benchmark_limit = None
allow_tf32 = True
fp32_precision = "none"


def is_available() -> bool:
    return False


def version() -> None:
    """No cuDNN library: None."""
    return None


def is_acceptable(tensor: Any) -> bool:
    """Whether cuDNN could run on ``tensor``: never (CPU tensors only)."""
    return False


def flags(enabled: bool = False, benchmark: bool = False, benchmark_limit: int = 10, deterministic: bool = False,
          allow_tf32: bool = True, fp32_precision: str = "none") -> ContextManager[None]:
    return scoped_flags(sys.modules[__name__], enabled=enabled, benchmark=benchmark, deterministic=deterministic,
                        allow_tf32=allow_tf32, fp32_precision=fp32_precision)
