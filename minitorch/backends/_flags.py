"""The ``flags(...)`` context manager shared by the backends that have one."""
from __future__ import annotations

import contextlib
import types
from typing import Any, Iterator


@contextlib.contextmanager
def scoped_flags(module: types.ModuleType, **values: Any) -> Iterator[None]:
    """Set the module's flags to ``values`` inside the block, then restore the previous ones."""
    saved = {name: getattr(module, name) for name in values}
    vars(module).update(values)
    try:
        yield
    finally:
        vars(module).update(saved)
