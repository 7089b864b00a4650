"""NumPy's floating-point warnings ("divide by zero encountered in log"...) kept from minitorch's users: torch
computes inf and nan without a word.

NumPy reports a floating-point error through its error state, which is read only when a ufunc raises an error
flag: routing its warnings through a handler (NumPy's ``log`` mode) costs nothing on the path where no error
happens, where wrapping every op in ``np.errstate`` would cost a good part of a small op's time. The handler
drops the reports of ufuncs that minitorch called, and gives every other one (the user's own NumPy code) as
NumPy would have: the same RuntimeWarning, at the same place.

The state is installed once, at import, in the importing thread's context (NumPy keeps it per context); a user
who sets NumPy's error state or handler afterwards gets their own settings back, minitorch's kernels included.
"""
from __future__ import annotations

import os
import sys
import warnings
from types import FrameType
from typing import Any

import numpy as np

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
_NUMPY = os.path.dirname(os.path.abspath(np.__file__)) + os.sep
_PREFIX = "Warning: "


class _Reporter:
    """NumPy's ``log`` target: ``write`` is called with ``"Warning: <what> encountered in <ufunc>\\n"`` from inside
    the ufunc, so the calling frame is the one that ran it."""

    def write(self, message: str) -> None:
        frame: FrameType | None = sys._getframe(1)
        while frame is not None and frame.f_code.co_filename.startswith(_NUMPY):
            frame = frame.f_back  # NumPy's own Python code (np.var...) runs the ufunc for whoever called it
        if frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
            return
        text = message[len(_PREFIX):] if message.startswith(_PREFIX) else message
        warnings.warn(text.rstrip("\n"), RuntimeWarning, stacklevel=2)


def warn_from_caller(message: str, category: type[Warning] = UserWarning) -> None:
    """Warn at the first frame outside minitorch, where torch's warnings from C++ point."""
    level, frame = 2, sys._getframe(1)  # type: tuple[int, FrameType | None]
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category, stacklevel=level)


REPORTER = _Reporter()


class complex_casts_unshown:
    """Within it, NumPy's ComplexWarning (a complex array cast to real) is not shown; every other warning is, as it
    would be. For an implementation run on a dtype torch's kernel refuses, whose result is dropped: the warning's
    filters are not touched, since changing them (``warnings.catch_warnings``) resets every module's record of the
    warnings it has shown once, and a user's default-filtered warning would show again."""

    def __enter__(self) -> None:
        self.shown = warnings.showwarning
        warnings.showwarning = self._show  # type: ignore[assignment]

    def __exit__(self, *exc: object) -> None:
        warnings.showwarning = self.shown  # type: ignore[assignment]

    def _show(self, message: Warning | str, category: type[Warning], filename: str, lineno: int,
              file: Any = None, line: str | None = None) -> None:
        if not issubclass(category, np.exceptions.ComplexWarning):
            self.shown(message, category, filename, lineno, file, line)


def install() -> None:
    """Report every floating-point error NumPy would warn about through ``REPORTER``."""
    np.seterrcall(REPORTER)
    modes: dict[str, Any] = {kind: "log" if mode == "warn" else mode for kind, mode in np.geterr().items()}
    np.seterr(**modes)


install()
