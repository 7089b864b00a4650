"""Which torch names minitorch implements, and which of them the differential tests call.

A name is *implemented* when minitorch exposes it (``minitorch.X`` callable or ``Tensor.X``) and
torch has it too. It is *covered* when test code calls it: ``CallRecorder`` wraps every implemented
function and method for the test session and notes the names called from a frame of a
``compat_tests`` file (calls minitorch makes internally do not count). The differential harness
runs that same test code under torch, so a called name is a compared name.
``test_coverage.py`` runs last: it fails when an implemented name was never called, and when the
README's count (``python compat_tests/api_coverage.py --write``, which runs the suite) is stale.
"""
from __future__ import annotations

import json
import pathlib
import subprocess
import sys
import types
from typing import Any

import torch

HERE = pathlib.Path(__file__).resolve().parent
README = HERE.parent / "README.md"
CALLED_FILE = HERE.parent / ".pytest_called_names.json"
BEGIN, END = "<!-- coverage:begin -->", "<!-- coverage:end -->"

_OPERATORS = {"add", "radd", "iadd", "sub", "rsub", "isub", "mul", "rmul", "imul", "truediv", "rtruediv",
              "itruediv", "floordiv", "rfloordiv", "ifloordiv", "mod", "rmod", "imod", "pow", "rpow", "ipow",
              "matmul", "rmatmul", "neg", "abs", "invert", "and", "rand", "iand", "or", "ror", "ior", "xor",
              "rxor", "ixor", "lshift", "rlshift", "ilshift", "rshift", "rrshift", "irshift", "eq", "ne", "lt",
              "le", "gt", "ge", "getitem", "setitem", "len", "iter", "bool", "float", "int", "index"}


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


class CallRecorder:
    """Notes the implemented names that test code looks up on ``minitorch`` and on ``Tensor``.

    It records the lookup, not the call: the lookup returns the original function, so the call adds no
    frame of this module (stack traces, warnings' locations and anomaly mode stay as they are).
    """

    def __init__(self) -> None:
        self.called: set[str] = set()

    def install(self) -> None:
        import minitorch
        functions, methods = implemented()
        recorder = self
        names = {full[6:] for full in functions}

        class RecordingModule(types.ModuleType):
            def __getattribute__(self, name: str) -> Any:
                if name in names:
                    recorder.note("torch." + name, 1)
                return super().__getattribute__(name)
        minitorch.__class__ = RecordingModule
        for full in methods:
            name = full[7:]
            attr = minitorch.Tensor.__dict__.get(name)
            if isinstance(attr, (types.FunctionType, property, types.MemberDescriptorType)):
                setattr(minitorch.Tensor, name, _Noted(attr, full, self))

    def note(self, full: str, depth: int) -> None:
        if full not in self.called and sys._getframe(depth + 1).f_code.co_filename.startswith(_TESTS):
            self.called.add(full)


_TESTS = str(HERE)


class _Noted:
    """A Tensor attribute that notes test code's lookups, then behaves as the original."""

    def __init__(self, original: Any, full: str, recorder: CallRecorder) -> None:
        self.original = original
        self.full = full
        self.recorder = recorder

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        self.recorder.note(self.full, 1)
        return self.original.__get__(obj, cls)

    def __set__(self, obj: Any, value: Any) -> None:
        if isinstance(self.original, types.FunctionType):
            raise AttributeError(self.full)
        self.original.__set__(obj, value)

    def __delete__(self, obj: Any) -> None:
        self.original.__delete__(obj)


RECORDER = CallRecorder()


def section(count_functions: int, count_methods: int) -> str:
    return ("%s\n%d `torch.*` functions and %d `Tensor` methods and operators are implemented, each called by "
            "the differential tests (counted by `compat_tests/api_coverage.py`).\n%s"
            % (BEGIN, count_functions, count_methods, END))


def covered_section() -> str:
    functions, methods = implemented()
    return section(len(functions), len(methods))


def readme_with_section(text: str, new_section: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + new_section + text[end:]


if __name__ == "__main__":
    # the count needs a whole run: the last test (test_coverage) writes the names called
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", str(HERE)], cwd=HERE.parent, check=False,
                   env={**__import__("os").environ, "MINITORCH_WRITE_README": "1"})
    print(README.read_text().split(BEGIN)[1].split(END)[0].strip())
    if CALLED_FILE.exists():
        print("not called:", ", ".join(json.loads(CALLED_FILE.read_text())["missing"]))
