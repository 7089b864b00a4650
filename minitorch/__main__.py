"""``python -m minitorch script.py [args]``: run a torch script with minitorch serving ``import torch``."""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import runpy
import sys
import types
from typing import Any


class _TorchAlias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves ``torch`` and ``torch.X`` from ``minitorch`` and ``minitorch.X``."""

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
        except ModuleNotFoundError:
            parent, _, child = target.rpartition(".")
            obj = getattr(sys.modules.get(parent), child, None)
            if not isinstance(obj, types.ModuleType):
                raise ModuleNotFoundError("No module named %r (minitorch has no %r)" % (name, target),
                                          name=name) from None
            sys.modules[name] = obj


def main(argv: list[str]) -> None:
    if not argv:
        print("usage: python -m minitorch script.py [args...]", file=sys.stderr)
        raise SystemExit(2)
    sys.meta_path.insert(0, _TorchAlias())
    sys.argv = list(argv)
    sys.path.insert(0, os.path.dirname(os.path.abspath(argv[0])))  # as ``python script.py`` does
    runpy.run_path(argv[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
