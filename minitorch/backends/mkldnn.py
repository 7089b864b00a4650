"""torch.backends.mkldnn (oneDNN): torch's CPU build has it; its flags with torch's defaults."""
from __future__ import annotations

import sys
from typing import ContextManager

from ._flags import scoped_flags

enabled = True
deterministic = False
allow_tf32 = None
fp32_precision = "none"


def is_available() -> bool:
    return True


def flags(enabled: bool = False, deterministic: bool = False, allow_tf32: bool = True,
          fp32_precision: str = "none") -> ContextManager[None]:
    return scoped_flags(sys.modules[__name__], enabled=enabled, deterministic=deterministic, allow_tf32=allow_tf32,
                        fp32_precision=fp32_precision)
