"""RemovableHandle: what every ``register_*hook`` returns."""
from __future__ import annotations

from typing import Any, Callable


class RemovableHandle:
    """Removes its hook from the list it was added to; usable as a context manager."""

    def __init__(self, hooks: list, fn: Callable) -> None:
        hooks.append(fn)
        self._hooks = hooks
        self._fn = fn

    def remove(self) -> None:
        try:
            self._hooks.remove(self._fn)
        except ValueError:
            pass

    def __enter__(self) -> "RemovableHandle":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.remove()
