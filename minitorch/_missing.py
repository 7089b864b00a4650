"""Names scripts reach for that minitorch does not have fail with a message saying so.

``import minitorch.X`` (or ``import torch.X`` through the alias) for a submodule that does not
exist raises ModuleNotFoundError naming ``torch.X`` as not implemented, and ``minitorch.A.X`` for an
attribute a public module lacks (a package first tries to import a submodule of that name, as torch
lazily imports some) raises ``NotImplementedByMinitorch``, an AttributeError (``hasattr`` keeps
working) naming ``torch.A.X`` and pointing to the table of what is implemented.
"""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable

_PACKAGE = __name__.rpartition(".")[0]


def _torch_name(fullname: str) -> str:
    return "torch" + fullname[len(_PACKAGE):]


def _not_implemented(fullname: str) -> str:
    return f"minitorch does not implement {_torch_name(fullname)} yet: see docs/COVERAGE.md"


class NotImplementedByMinitorch(AttributeError):
    """A torch name minitorch lacks. Its class name is torch's (``AttributeError``), for scripts and
    differential tests that print or compare ``type(e).__name__``."""


NotImplementedByMinitorch.__name__ = NotImplementedByMinitorch.__qualname__ = "AttributeError"


class _NotImplementedFinder:
    """Last on ``sys.meta_path``: reached only when no other finder found a ``minitorch.*`` module. (A meta
    path finder needs only ``find_spec``; ``importlib.abc``'s base class would cost a tenth of the import.)"""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> None:
        if fullname.startswith(_PACKAGE + "."):
            raise ModuleNotFoundError(f"No module named '{fullname}' ({_not_implemented(fullname)})", name=fullname)


def install_finder() -> None:
    if not any(isinstance(f, _NotImplementedFinder) for f in sys.meta_path):
        sys.meta_path.append(_NotImplementedFinder())


# Called after a submodule was imported on first use: the torch alias renames the new classes.
AFTER_LAZY_IMPORT: list[Callable[[], None]] = []


def missing_attribute(module: str, is_package: bool, lazy: dict[str, str] | None = None) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``module``: a package's submodules on first use (and the names in
    ``lazy``, from the submodule it names), else ``NotImplementedByMinitorch`` naming the torch attribute
    minitorch does not implement."""
    def __getattr__(name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"module '{module}' has no attribute '{name}'")
        if lazy and name in lazy:
            return getattr(import_on_first_use(f"{module}.{lazy[name]}"), name)
        if is_package:
            try:
                return import_on_first_use(f"{module}.{name}")
            except ModuleNotFoundError as e:
                if e.name != f"{module}.{name}":
                    raise  # the submodule exists but failed to import something else
        raise NotImplementedByMinitorch(f"module '{module}' has no attribute '{name}' "
                                        f"({_not_implemented(module + '.' + name)})")
    return __getattr__


def import_on_first_use(name: str) -> Any:
    imported = name not in sys.modules
    module = importlib.import_module(name)
    if imported:
        install_missing_attributes()  # the modules it brought in answer missing names as the others do
        for callback in AFTER_LAZY_IMPORT:
            callback()
    return module


def install_missing_attributes(lazy: dict[str, str] | None = None) -> None:
    """Give every loaded public minitorch module (``minitorch.nn.functional``, not ``minitorch._ops``)
    without a ``__getattr__`` of its own the one above; ``lazy``: the package's names loaded on first use."""
    for name, module in list(sys.modules.items()):
        public = name == _PACKAGE or (name.startswith(_PACKAGE + ".") and "._" not in name)
        if public and module is not None and "__getattr__" not in vars(module):
            module.__getattr__ = missing_attribute(name, hasattr(module, "__path__"),
                                                   lazy if name == _PACKAGE else None)
