"""Names scripts reach for that minitorch does not have fail with a message saying so.

``import minitorch.X`` (or ``import torch.X`` through the alias) for a submodule that does not
exist raises ModuleNotFoundError naming ``torch.X`` as not implemented, and ``minitorch.X`` for an
attribute the package lacks first tries to import a submodule of that name (as torch lazily
imports some), then raises AttributeError naming ``torch.X``.
"""
from __future__ import annotations

import importlib
import importlib.abc
import sys
from typing import Any, Callable

_PACKAGE = __name__.rpartition(".")[0]


def _torch_name(fullname: str) -> str:
    return "torch" + fullname[len(_PACKAGE):]


class _NotImplementedFinder(importlib.abc.MetaPathFinder):
    """Last on ``sys.meta_path``: reached only when no other finder found a ``minitorch.*`` module."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.startswith(_PACKAGE + "."):
            raise ModuleNotFoundError(f"No module named '{fullname}' (minitorch does not implement "
                                      f"{_torch_name(fullname)})", name=fullname)


def install_finder() -> None:
    if not any(isinstance(f, _NotImplementedFinder) for f in sys.meta_path):
        sys.meta_path.append(_NotImplementedFinder())


def package_getattr(package: str) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: its submodules on first use, else an AttributeError
    naming the torch attribute minitorch does not implement."""
    def __getattr__(name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"module '{package}' has no attribute '{name}'")
        try:
            return importlib.import_module(f"{package}.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"{package}.{name}":
                raise  # the submodule exists but failed to import something else
        raise AttributeError(f"module '{package}' has no attribute '{name}' (minitorch does not implement "
                             f"{_torch_name(package)}.{name})")
    return __getattr__


def missing_names_getattr(module: str, torch_names: frozenset[str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that names the torch functions of ``module`` minitorch lacks."""
    def __getattr__(name: str) -> Any:
        detail = f" (minitorch does not implement {_torch_name(module)}.{name})" if name in torch_names else ""
        raise AttributeError(f"module '{module}' has no attribute '{name}'{detail}")
    return __getattr__
