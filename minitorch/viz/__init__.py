"""Pictures of the autograd graph: Mermaid text, Graphviz DOT, or SVG/PNG through Graphviz.

    from minitorch import viz
    y = (x + w) * (w + 1)
    print(viz.to_mermaid(y, names=locals()))

Ops are named as torch names their grad_fn (``AddBackward0``, ``MmBackward0``); leaves that require
grad are drawn red with their names (a module's parameters by their path, ``fc1.weight``), the asked-for
results green; inputs that need no grad are dashed "no grad" boxes. Each box shows shapes and dtypes;
optionally the gradients (after ``.backward()``) and the tensors saved for backward. Real torch
tensors work too, so the same call draws torch's graph beside minitorch's.
``python -m minitorch.viz script.py`` draws the graphs a whole script leaves in its variables.
"""
from __future__ import annotations

import os
from typing import Any

from . import formats
from .graph import GradCapture, build

__all__ = ["to_mermaid", "to_dot", "render", "capture_grads", "GradCapture"]


def to_mermaid(*tensors: Any, names: Any = None, backward: bool = False, saved: bool = False,
               grads: bool | GradCapture = False) -> str:
    """Mermaid ``flowchart`` text of the graph behind ``tensors``.

    ``names``: a mapping from names to tensors and modules (``locals()`` will do) or a module (its
    parameters are named by their path). ``backward``: edges as the gradient flows, outputs on top.
    ``saved``: list each op's saved tensors. ``grads``: ``True`` for the ``.grad`` of leaves and of
    named tensors that retain it, or a ``capture_grads(...)`` for every node's gradient.
    """
    return formats.mermaid(build(tensors, names, saved, grads), backward)


def to_dot(*tensors: Any, names: Any = None, backward: bool = False, saved: bool = False,
           grads: bool | GradCapture = False) -> str:
    """Graphviz DOT text of the graph behind ``tensors`` (options as ``to_mermaid``)."""
    return formats.dot(build(tensors, names, saved, grads), backward)


def render(*tensors: Any, path: str | os.PathLike, format: str = "svg", names: Any = None,
           backward: bool = False, saved: bool = False, grads: bool | GradCapture = False) -> str:
    """Draw the graph into ``path`` as ``format`` (any output format of Graphviz's ``dot`` program,
    which must be installed: a RuntimeError says so otherwise). Returns ``path``."""
    formats.render_dot(to_dot(*tensors, names=names, backward=backward, saved=saved, grads=grads), path, format)
    return os.fspath(path)


def capture_grads(*tensors: Any) -> GradCapture:
    """Start recording the gradient through every node of the graph behind ``tensors``; pass the result
    as ``grads=`` once ``backward()`` has run."""
    return GradCapture(*tensors)
