"""Anomaly detection: ``detect_anomaly`` / ``set_detect_anomaly``.

While enabled, every node records the stack of the forward call that created it (and, for nodes
made by a ``create_graph`` backward, the node whose backward made it). When a node's backward
raises, or returns NaN (``check_nan``), that stack is reported in torch's warning text.
"""
from __future__ import annotations

import os
import warnings
from typing import Any

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the file of NumPy's ``errstate`` decorator, whose wrapper frame runs the engine and the optimizers' updates
_ERRSTATE_FILE = np.errstate.__call__.__code__.co_filename
_TRIGGERED = " (Triggered internally at /__w/pytorch/pytorch/torch/csrc/autograd/python_anomaly_mode.cpp:%d.)"


class _AnomalyState:
    __slots__ = ("enabled", "check_nan", "current")

    def __init__(self) -> None:
        self.enabled = False
        self.check_nan = True
        self.current: list = []  # the nodes whose backward is running (innermost last)

    def record_forward(self, node: Any) -> None:
        """Called by every Node created while anomaly mode is on."""
        node.metadata["traceback_"] = _user_stack()
        if self.current:
            node.metadata["parent_"] = self.current[-1]

    def report(self, node: Any) -> None:
        """Warn with the forward stack of ``node`` (and of the nodes that induced it), as torch."""
        meta = node.metadata
        if "traceback_" not in meta:
            _warn("Error detected in %s. No forward pass information available. Enable detect anomaly during "
                  "forward pass for more information." % node.name() + _TRIGGERED % 100)
            return
        _warn("Error detected in %s. Traceback of forward call that caused the error:\n%s"
              % (node.name(), meta["traceback_"]) + _TRIGGERED % 122)
        parent = meta.get("parent_")
        while parent is not None and "traceback_" in parent.metadata:
            _warn("\n\nPrevious calculation was induced by %s. Traceback of forward call that induced the "
                  "previous calculation:\n%s" % (parent.name(), parent.metadata["traceback_"]) + _TRIGGERED % 129)
            parent = parent.metadata.get("parent_")


ANOMALY = _AnomalyState()


def _user_stack() -> str:
    """The current stack without minitorch's own frames (torch's holds no frames of its C++ engine)."""
    import traceback  # (here: only anomaly mode reads stacks, and importing it was ~0.2% of ``import minitorch``)
    stack = traceback.extract_stack()
    ours = [f.filename.startswith(_PACKAGE_DIR) for f in stack]
    # (an errstate wrapper that calls into minitorch is minitorch's too; a user's own decorated function is not)
    frames = [f for i, f in enumerate(stack)
              if not (ours[i] or f.filename == _ERRSTATE_FILE and ours[i + 1:i + 2] == [True])]
    return "".join(traceback.format_list(frames))


def _warn(message: str) -> None:
    warnings.warn(message, UserWarning, stacklevel=2)


def is_anomaly_enabled() -> bool:
    return ANOMALY.enabled


def is_anomaly_check_nan_enabled() -> bool:
    return ANOMALY.check_nan


class detect_anomaly:
    """Context manager that enables anomaly detection inside its block (not a decorator, as torch)."""

    def __init__(self, check_nan: bool = True) -> None:
        self.prev = ANOMALY.enabled
        self.check_nan = check_nan
        self.prev_check_nan = ANOMALY.check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only "
                      "be enabled for debugging.", stacklevel=2)

    def __enter__(self) -> None:
        ANOMALY.enabled = True
        ANOMALY.check_nan = self.check_nan

    def __exit__(self, *args: Any) -> None:
        ANOMALY.enabled = self.prev
        ANOMALY.check_nan = self.prev_check_nan


class set_detect_anomaly:
    """Set anomaly detection on or off at once; as a context manager, restore the mode on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = ANOMALY.enabled
        self.prev_check_nan = ANOMALY.check_nan
        ANOMALY.enabled = mode
        ANOMALY.check_nan = check_nan

    def __enter__(self) -> None:
        pass

    def __exit__(self, *args: Any) -> None:
        ANOMALY.enabled = self.prev
        ANOMALY.check_nan = self.prev_check_nan
