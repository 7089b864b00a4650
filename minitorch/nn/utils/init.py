"""skip_init: build a module without running its parameter initialisation."""
from __future__ import annotations

import inspect
from typing import Any

from ...random import fork_rng
from ..modules.module import Module


def skip_init(module_cls: type, *args: Any, **kwargs: Any) -> Module:
    """``module_cls(*args, **kwargs)`` with uninitialised parameters. torch builds it on the meta device
    (no values, no random draws) and then allocates memory; here it is built normally with the global
    RNG restored afterwards, so the draws that follow are torch's (the values are whatever the
    initialisation gave: torch's are unspecified)."""
    if not issubclass(module_cls, Module):
        raise RuntimeError("Expected a Module; got %s" % module_cls)
    if "device" not in inspect.signature(module_cls).parameters:
        raise RuntimeError("Module must support a 'device' arg to skip initialization")
    with fork_rng():
        return module_cls(*args, **kwargs)
