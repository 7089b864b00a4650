"""Serving ``import torch`` from minitorch, for scripts and notebooks that were written for torch.

``install_as_torch()`` puts a finder first on ``sys.meta_path`` that answers ``torch`` and every
``torch.X`` with ``minitorch`` and ``minitorch.X``, and renames minitorch's classes as torch names
them, so that a script printing ``type(t)`` reads ``<class 'torch.Tensor'>`` as it does under torch.
"""
from __future__ import annotations

import importlib
import importlib.machinery
import sys
import types
from typing import Any

from ._missing import AFTER_LAZY_IMPORT
from .autograd.engine import Node
from .autograd.function import BackwardCFunction
from .autograd.recording import NODE_CLASS_MODULE

# top-level classes that torch defines in another module than ``torch`` itself
_TORCH_MODULE_OF = {"Generator": "torch._C"}


class _TorchAlias:
    """Serves ``torch`` and ``torch.X`` from ``minitorch`` and ``minitorch.X``: a meta path finder and
    its loader (duck-typed: ``importlib.abc``'s base classes would cost a tenth of ``import minitorch``)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname == "torch" or fullname.startswith("torch."):
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: Any) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        name = module.__name__
        target = "minitorch" + name[len("torch"):]
        try:
            sys.modules[name] = importlib.import_module(target)
        except ModuleNotFoundError as e:
            if e.name != target:  # the module exists but an import inside it failed: not ours to hide
                raise
            parent, _, child = target.rpartition(".")
            obj = getattr(sys.modules.get(parent), child, None)
            if not isinstance(obj, types.ModuleType):
                raise ModuleNotFoundError("No module named %r (minitorch has no %r)" % (name, target),
                                          name=name) from None
            sys.modules[name] = obj
        _rename_classes()


def install_as_torch() -> None:
    """Make ``import torch`` (and ``import torch.nn`` ...) import minitorch from now on.

    For notebooks: call it before the first ``import torch``. Calling it again does nothing; calling it
    after the real torch was imported raises, since objects made by the real torch would stay in use.
    """
    if any(isinstance(finder, _TorchAlias) for finder in sys.meta_path):
        return
    loaded = sys.modules.get("torch")
    if loaded is not None and not loaded.__name__.startswith("minitorch"):
        raise RuntimeError("install_as_torch() must run before the first `import torch`: the real torch is "
                           "already imported in this process (restart the kernel and call it first)")
    sys.meta_path.insert(0, _TorchAlias())
    AFTER_LAZY_IMPORT.append(_rename_classes)  # ``torch.optim``'s classes too, when first touched
    _rename_classes()


_renamed: set[str] = set()


def _rename_classes() -> None:
    """Give every class of the loaded minitorch modules the module path torch gives it.

    ``minitorch.nn.modules.linear.Linear`` becomes ``torch.nn.modules.linear.Linear``; classes that
    torch exports from ``torch`` itself (``Tensor``, ``dtype``, ``Size``...) and that minitorch keeps in
    private modules become ``torch.X``; graph nodes are C++ classes in torch (``<class 'AddBackward0'>``),
    except the nodes of ``autograd.Function`` subclasses.
    """
    top_level = {id(v): k for k, v in vars(sys.modules["minitorch"]).items() if isinstance(v, type)}
    NODE_CLASS_MODULE[0] = "builtins"  # (the op table's node classes not made yet)
    for cls in _subclasses(Node):  # the op table makes most of them: they are in no module's namespace
        if cls.__module__.startswith("minitorch") and not issubclass(cls, BackwardCFunction):
            cls.__module__ = "builtins"
    Node.__module__ = "torch.autograd.graph"
    for modname, module in list(sys.modules.items()):
        if modname in _renamed or not (modname == "minitorch" or modname.startswith("minitorch.")):
            continue
        _renamed.add(modname)
        for cls in list(vars(module).values()):
            if isinstance(cls, type) and cls.__module__ == modname:
                name = top_level.get(id(cls))
                if name in _TORCH_MODULE_OF:
                    cls.__module__ = _TORCH_MODULE_OF[name]
                elif name is not None and "._" in modname:
                    cls.__module__ = "torch"
                else:
                    cls.__module__ = "torch" + modname[len("minitorch"):]


def _subclasses(cls: type) -> list[type]:
    found, todo = [], [cls]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found
