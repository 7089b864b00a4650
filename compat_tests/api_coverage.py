"""Which torch names minitorch implements, and which of them the differential tests call.

A name of a torch namespace (``NAMESPACES``: ``torch``, ``torch.nn``, ``torch.linalg``...; its
``__all__``, or its public callables) is *implemented* when minitorch's namespace of the same name has
it; a ``Tensor`` method or operator when ``minitorch.Tensor`` has it. It is *covered* when test code
uses it: ``CallRecorder`` notes the implemented names that test code looks up (calls minitorch makes
internally do not count). The differential harness runs that same test code under torch, so a name
looked up is a name compared.

``test_coverage.py`` runs last: it fails when an implemented name was never used by a test, and when
``docs/COVERAGE.md`` (every public name with its status, per namespace) or the README's count line is
stale; ``python compat_tests/api_coverage.py --write`` rewrites both.
"""
from __future__ import annotations

import importlib
import pathlib
import sys
import types
from typing import Any

import torch

HERE = pathlib.Path(__file__).resolve().parent
README = HERE.parent / "README.md"
COVERAGE = HERE.parent / "docs" / "COVERAGE.md"
BEGIN, END = "<!-- coverage:begin -->", "<!-- coverage:end -->"

_OPERATORS = {"add", "radd", "iadd", "sub", "rsub", "isub", "mul", "rmul", "imul", "truediv", "rtruediv",
              "itruediv", "floordiv", "rfloordiv", "ifloordiv", "mod", "rmod", "imod", "pow", "rpow", "ipow",
              "matmul", "rmatmul", "neg", "abs", "invert", "and", "rand", "iand", "or", "ror", "ior", "xor",
              "rxor", "ixor", "lshift", "rlshift", "ilshift", "rshift", "rrshift", "irshift", "eq", "ne", "lt",
              "le", "gt", "ge", "getitem", "setitem", "len", "iter", "bool", "float", "int", "index"}


NAMESPACES = ("torch", "torch.nn", "torch.nn.functional", "torch.nn.init", "torch.nn.utils", "torch.nn.utils.rnn",
              "torch.nn.utils.parametrize", "torch.nn.utils.parametrizations", "torch.nn.utils.prune", "torch.optim",
              "torch.optim.lr_scheduler", "torch.optim.swa_utils", "torch.autograd", "torch.autograd.functional",
              "torch.autograd.forward_ad", "torch.linalg", "torch.fft", "torch.special", "torch.distributions",
              "torch.func", "torch.utils.data", "torch.testing")


def torch_names(namespace: str) -> list[str]:
    """The namespace's public names: its ``__all__``, or its callables defined in torch (not the helpers it
    imports: ``typing.Callable``, or ``torch.Tensor`` under ``torch.nn.functional``)."""
    module = importlib.import_module(namespace)
    if hasattr(module, "__all__"):
        return sorted(set(module.__all__))
    return sorted(n for n, v in vars(module).items()
                  if not n.startswith("_") and callable(v) and str(getattr(v, "__module__", "")).startswith("torch")
                  and not (isinstance(v, type) and not v.__module__.startswith(namespace)))


def minitorch_namespace(namespace: str) -> types.ModuleType | None:
    try:
        return importlib.import_module("minitorch" + namespace[len("torch"):])
    except ImportError:
        return None


def implemented_in(namespace: str) -> list[str]:
    module = minitorch_namespace(namespace)
    return [] if module is None else [n for n in torch_names(namespace) if n in vars(module) or hasattr(module, n)]


def implemented() -> dict[str, list[str]]:
    """Per namespace (and ``Tensor``), the full names minitorch implements."""
    import minitorch
    names = {ns: [ns + "." + n for n in implemented_in(ns)] for ns in NAMESPACES}
    names["Tensor"] = sorted(
        "Tensor." + n for n in dir(minitorch.Tensor)
        if (not n.startswith("_") or (n.startswith("__") and n[2:-2] in _OPERATORS))
        and hasattr(torch.Tensor, n))
    return names


def missing_names(called: set[str]) -> list[str]:
    """The implemented names no test used, of those ``called``."""
    return sorted({full for names in implemented().values() for full in names} - called)


def tensor_names() -> list[str]:
    return sorted(n for n in dir(torch.Tensor)
                  if (not n.startswith("_") or (n.startswith("__") and n[2:-2] in _OPERATORS)))


class CallRecorder:
    """Notes the implemented names that test code looks up on ``minitorch`` and on ``Tensor``.

    It records the lookup, not the call: the lookup returns the original function, so the call adds no
    frame of this module (stack traces, warnings' locations and anomaly mode stay as they are).
    """

    def __init__(self) -> None:
        self.called: set[str] = set()

    def install(self) -> None:
        import minitorch
        from minitorch._ops import lazy_ops
        lazy_ops.load_all()  # (the op modules loaded on first use: their Tensor methods are noted as the others)
        recorder = self
        names = implemented()
        for namespace in NAMESPACES:
            module = minitorch_namespace(namespace)
            if module is not None and names[namespace]:
                module.__class__ = _recording_module(namespace, set(names[namespace]), self)
        for full in names["Tensor"]:
            name = full[7:]
            attr = minitorch.Tensor.__dict__.get(name)
            if isinstance(attr, (types.FunctionType, property, types.MemberDescriptorType)):
                setattr(minitorch.Tensor, name, _Noted(attr, full, recorder))

    def note(self, full: str, depth: int) -> None:
        if full not in self.called:
            caller = sys._getframe(depth + 1).f_code.co_filename
            if caller.startswith(_TESTS) and caller != __file__:  # this module's own lookups are no test's
                self.called.add(full)


_TESTS = str(HERE)


def _recording_module(namespace: str, full_names: set[str], recorder: CallRecorder) -> type:
    """A module class noting test code's lookups of the namespace's implemented names."""
    prefix = namespace + "."

    class RecordingModule(types.ModuleType):
        def __getattribute__(self, name: str) -> Any:
            full = prefix + name
            if full in full_names:
                recorder.note(full, 1)
            return super().__getattribute__(name)
    return RecordingModule


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


def count_line() -> str:
    names = implemented()
    return ("%s\n%d `torch.*` names and %d `Tensor` methods and operators (%d names across %d torch namespaces "
            "and `Tensor`) "
            "are implemented, each used by the differential tests: [docs/COVERAGE.md](docs/COVERAGE.md) lists "
            "them, and what is missing, per namespace.\n%s"
            % (BEGIN, len(names["torch"]), len(names["Tensor"]), sum(map(len, names.values())), len(NAMESPACES), END))


def readme_with_section(text: str, new_section: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + new_section + text[end:]


def coverage_document() -> str:
    """docs/COVERAGE.md: per namespace, the names implemented and tested, and the names missing."""
    names = implemented()
    rows, sections = [], []
    for namespace in NAMESPACES + ("Tensor",):
        public = tensor_names() if namespace == "Tensor" else torch_names(namespace)
        have = {full.rsplit(".", 1)[1] for full in names[namespace]} if namespace != "Tensor" else {
            full[7:] for full in names["Tensor"]}
        missing = [n for n in public if n not in have]
        rows.append("| `%s` | %d | %d |" % (namespace, len(have), len(missing)))
        sections.append("## `%s`\n\n**Implemented and tested (%d):** %s\n\n**Missing (%d):** %s\n"
                        % (namespace, len(have), _listed(sorted(have)), len(missing), _listed(missing)))
    return ("# What minitorch implements\n\n"
            "Generated by the test suite (`compat_tests/api_coverage.py`; a test fails when this file is stale). "
            "A name is listed as implemented when minitorch has it, and every implemented name is used by the "
            "differential tests, which run the same code under torch 2.13 and compare. Touching a missing name "
            "raises an `AttributeError` that says minitorch does not implement it.\n\n"
            "| namespace | implemented and tested | missing |\n|---|---:|---:|\n%s\n\n%s"
            % ("\n".join(rows), "\n".join(sections)))


def _listed(names: list[str]) -> str:
    return ", ".join("`%s`" % n for n in names) if names else "none"


def write() -> None:
    README.write_text(readme_with_section(README.read_text(), count_line()))
    COVERAGE.parent.mkdir(exist_ok=True)
    COVERAGE.write_text(coverage_document())


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python compat_tests/api_coverage.py --write")
    write()
    print(README.read_text().split(BEGIN)[1].split(END)[0].strip())
