"""Which torch names minitorch implements, and which differential tests cover them.

A name is *implemented* when minitorch exposes it (``minitorch.X`` callable or ``Tensor.X``) and
torch has it too. It is *covered* when an op-table case lists it in ``covers`` or a test module
lists it in a module-level ``COVERS`` tuple. ``python compat_tests/api_coverage.py --write`` rewrites
the README's coverage section; the test suite fails when that section is stale or a name is not
covered.
"""
from __future__ import annotations

import importlib
import pathlib
import sys
import types

import torch

HERE = pathlib.Path(__file__).resolve().parent
README = HERE.parent / "README.md"
BEGIN, END = "<!-- coverage:begin -->", "<!-- coverage:end -->"


def implemented() -> tuple[list[str], list[str]]:
    import minitorch
    functions = sorted(
        "torch." + n for n in dir(minitorch)
        if not n.startswith("_") and hasattr(torch, n) and callable(getattr(minitorch, n))
        and not isinstance(getattr(minitorch, n), (types.ModuleType, minitorch.dtype)))
    methods = sorted(
        "Tensor." + n for n in dir(minitorch.Tensor)
        if (not n.startswith("_") or (n.startswith("__") and n[2:-2] in _OPERATORS))
        and hasattr(torch.Tensor, n))
    return functions, methods


_OPERATORS = {"add", "radd", "iadd", "sub", "rsub", "isub", "mul", "rmul", "imul", "truediv", "rtruediv",
              "itruediv", "floordiv", "rfloordiv", "ifloordiv", "mod", "rmod", "imod", "pow", "rpow", "ipow",
              "matmul", "rmatmul", "neg", "abs", "invert", "and", "rand", "iand", "or", "ror", "ior", "xor",
              "rxor", "ixor", "lshift", "rlshift", "ilshift", "rshift", "rrshift", "irshift", "eq", "ne", "lt",
              "le", "gt", "ge", "getitem", "setitem", "len", "iter", "bool", "float", "int", "index"}


def covered() -> set[str]:
    sys.path.insert(0, str(HERE))
    from op_table import all_cases
    names: set[str] = set()
    for case in all_cases():
        names.update(case.covers)
    for path in sorted(HERE.glob("test_*.py")):
        names.update(getattr(importlib.import_module(path.stem), "COVERS", ()))
    return names


def section() -> str:
    functions, methods = implemented()
    return ("%s\n%d `torch.*` functions and %d `Tensor` methods and operators are implemented, each with a "
            "differential test against torch (counted by `compat_tests/api_coverage.py`).\n%s"
            % (BEGIN, len(functions), len(methods), END))


def readme_with_section(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + section() + text[end:]


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))  # the checkout, when run as a script
    if "--write" in sys.argv:
        README.write_text(readme_with_section(README.read_text()))
    functions, methods = implemented()
    missing = sorted(set(functions + methods) - covered())
    print(section())
    print("not covered (%d): %s" % (len(missing), ", ".join(missing)))
