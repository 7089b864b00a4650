"""torch.compiler: nothing is ever being compiled here (see ``minitorch._compile``)."""
from __future__ import annotations

import functools
from typing import Any, Callable

from ._compile import _BACKENDS, compile  # noqa: F401


def is_compiling() -> bool:
    return False


def is_dynamo_compiling() -> bool:
    return False


def is_exporting() -> bool:
    return False


def reset() -> None:
    """Clear compilation caches: there are none."""


def list_backends(exclude_tags: tuple = ("debug", "experimental")) -> list[str]:
    """torch's non-debug backend names (all names when ``exclude_tags`` is empty)."""
    if not exclude_tags:
        return sorted(_BACKENDS)
    return ["cudagraphs", "inductor", "openxla", "tvm"]


def disable(fn: Callable | None = None, recursive: bool = True, *, reason: str | None = None) -> Any:
    """Exclude ``fn`` from compilation (a wrapper, as torch returns; it runs eagerly anyway)."""
    if fn is None:
        return lambda f: disable(f, recursive, reason=reason)
    return functools.wraps(fn)(lambda *args, **kwargs: fn(*args, **kwargs))


def allow_in_graph(fn: Callable) -> Callable:
    return fn


def assume_constant_result(fn: Callable) -> Callable:
    return fn
