"""Whether operations record a graph: no_grad, enable_grad, set_grad_enabled, inference_mode."""
from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

from .._grad_state import STATE

F = TypeVar("F", bound=Callable[..., Any])


def is_grad_enabled() -> bool:
    return STATE.enabled


def is_inference_mode_enabled() -> bool:
    return STATE.inference


class _GradModeContext:
    """Context manager that is also usable as a decorator, as torch's are."""

    _target: bool = True

    def __enter__(self) -> None:
        self._prev = STATE.enabled
        STATE.enabled = self._target

    def __exit__(self, *exc: Any) -> None:
        STATE.enabled = self._prev

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.clone():
                return fn(*args, **kwargs)
        return wrapper  # type: ignore[return-value]

    def clone(self) -> "_GradModeContext":
        return self.__class__()


class _BareDecoratorContext(_GradModeContext):
    """Also usable as a bare decorator: ``@no_grad`` as well as ``@no_grad()``."""

    def __new__(cls, orig_func: Callable[..., Any] | None = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_BareDecoratorContext):
    """Disable graph recording inside the block or the decorated function."""

    _target = False


class enable_grad(_BareDecoratorContext):
    """Enable graph recording inside the block or the decorated function."""

    _target = True


class set_grad_enabled(_GradModeContext):
    """Set graph recording on or off; takes effect at once, as torch's does, and undoes on exit."""

    def __init__(self, mode: bool) -> None:
        self._prev = STATE.enabled
        self._target = bool(mode)
        STATE.enabled = self._target

    def __enter__(self) -> None:
        pass

    def __call__(self, fn: F) -> F:
        STATE.enabled = self._prev  # used as a decorator: the mode applies inside calls only
        return super().__call__(fn)

    def clone(self) -> "set_grad_enabled":
        return self.__class__(self._target)


class inference_mode(_GradModeContext):
    """No recording, and the tensors made inside are inference tensors (``Tensor.is_inference``):
    autograd refuses to save them, and they may not be written in place outside inference mode."""

    def __new__(cls, mode: Any = True) -> Any:
        if callable(mode):  # bare ``@inference_mode``
            return cls()(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self._mode = bool(mode)

    def __enter__(self) -> None:
        self._prev = STATE.enabled
        self._prev_inference = STATE.inference
        if self._mode:
            STATE.enabled = False
            STATE.inference = True

    def __exit__(self, *exc: Any) -> None:
        STATE.enabled = self._prev
        STATE.inference = self._prev_inference

    def clone(self) -> "inference_mode":
        return self.__class__(self._mode)
