"""``import minitorch`` stays cheap: what a script's first lines do not need is loaded or compiled on first use
(benchmarks/bench_import.py measures the time; this checks the mechanisms, so the gain cannot silently go)."""
from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

import minitorch
from minitorch._ops import registry
from minitorch.autograd.recording import OpDef, UnbuiltOpDef, defop, record
from script_runs import assert_same_printout, run_python

ROOT = Path(__file__).resolve().parent.parent

# after ``import minitorch``: the lazily loaded submodules imported, the generated callables compiled, the
# parsers whose signatures were parsed, the ops whose VJPs and node class were built, and the standard or NumPy
# modules only a first draw, another platform or a thread needs (none of each)
_PROBE = """
import gc
import sys
import minitorch
from minitorch._ops import registry
from minitorch.autograd.recording import OpDef
lazy = ("minitorch.optim", "minitorch.distributions", "minitorch.hub", "minitorch.serialization", "minitorch.testing",
        "minitorch.func", "minitorch.nn.modules", "minitorch.nn.utils")
not_needed = ("numpy.random", "ctypes.util", "threading")
generated = [f for f in [*registry.FUNCTIONS.values(), *registry.METHODS.values()] if hasattr(f, "parser")]
print(sum(m in sys.modules for m in lazy), sum("_source" not in f.__globals__ for f in generated),
      sum(f.parser._signatures is not None for f in generated), sum(type(o) is OpDef for o in gc.get_objects()),
      sum(m in sys.modules for m in not_needed))
"""


def test_import_loads_and_compiles_lazily() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0", "0", "0", "0"], out.stdout


def test_first_record_builds_the_op_once() -> None:
    """An op's VJPs and node class are built on its first record, once: the grad_fn's class is one class per op."""
    square = defop("lazy_square", grads={"self": lambda grad, self: grad * self * 2})
    assert type(square) is UnbuiltOpDef
    x = minitorch.tensor([1.0, 3.0], requires_grad=True)
    first = record(square, x.detach()._data ** 2, (x,))
    assert type(square) is OpDef and type(first.grad_fn) is square.node_class
    assert type(record(square, x.detach()._data ** 2, (x,)).grad_fn) is type(first.grad_fn)
    assert repr(first).endswith("grad_fn=<LazySquareBackward0>)") and first.grad_fn._saved_self is x
    first.sum().backward()
    assert x.grad.tolist() == [2.0, 6.0]


def test_node_classes_made_under_the_torch_alias_print_as_torch(tmp_path: Path) -> None:
    """A node class made after ``import torch`` (served by minitorch) prints as torch's C++ class."""
    (tmp_path / "first_record.py").write_text("import torch\n"
                                              "y = torch.special.erfcx(torch.ones(2, requires_grad=True) * 2)\n"
                                              "print(type(y.grad_fn), type(y.grad_fn.next_functions[0][0]))\n")
    expected = run_python(["first_record.py"], tmp_path)
    got = run_python(["first_record.py"], tmp_path, minitorch=True)
    assert got.returncode == 0, got.stderr
    assert_same_printout(expected.stdout, got.stdout)


def test_ops_built_by_another_thread_stay_one_class() -> None:
    """Threads recording an op for the first time at once build it once."""
    ops = [defop("thread_probe_%d" % i, grads={"self": lambda grad, self: grad * self}) for i in range(20)]
    classes: list = []

    def record_all() -> None:
        classes.append([op.node_class for op in ops])
    threads = [threading.Thread(target=record_all) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(row == classes[0] for row in classes) and all(type(op) is OpDef for op in ops)
    assert [c.__name__ for c in classes[0]] == ["ThreadProbe%dBackward0" % i for i in range(20)]


@pytest.mark.parametrize("first", [
    "names = dir(minitorch.nn)",
    "namespace = {}; exec('from minitorch.nn import *', namespace); names = list(namespace)",
    "names = ['Linear'] if minitorch.nn.Linear is minitorch.nn.modules.linear.Linear else []",
])
def test_nn_layers_load_on_first_use(first: str) -> None:
    """``minitorch.nn``'s layers and ``utils`` load when first asked for, by name, ``dir`` or a star import."""
    probe = "import minitorch\n%s\nprint('Linear' in names, 'utils' in names or hasattr(minitorch.nn, 'utils'))" % first
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"], out.stdout + out.stderr


# (the passes counted are those from minitorch's first line, once _collector is loaded: compiling its __init__
# without a bytecode cache may take one before)
_COLLECTOR_PROBE = """
import gc
import sys
passes = []
started = lambda: hasattr(sys.modules.get("minitorch._collector"), "resume")
gc.callbacks.append(lambda phase, info: passes.append(info["generation"]) if phase == "start" and started() else None)
{before}
import minitorch
print(len(passes), gc.isenabled(), gc.get_count()[0] < 100, gc.get_freeze_count() > 0)
"""


@pytest.mark.parametrize("before, expected", [
    ("", ["0", "True", "True", "False"]),  # no collection during the import; its objects counted as old
    ("gc.disable()", ["0", "False", "True", "False"]),  # the collector left as it was found
    # a process's own frozen objects stay frozen (the import's stay young: a collection may follow at once)
    ("gc.freeze()", [None, "True", None, "True"]),
])
def test_import_pauses_the_collector(before: str, expected: list) -> None:
    out = subprocess.run([sys.executable, "-c", _COLLECTOR_PROBE.format(before=before)], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    assert [e if e is None else o for o, e in zip(out, expected)] == expected, out


def test_a_failed_import_leaves_the_collector_on() -> None:
    """An import that fails half-way (here: NumPy missing) must not leave the process without its collector."""
    probe = ("import gc, sys\nsys.modules['numpy'] = None\ntry:\n    import minitorch\n"
             "except ImportError:\n    print(gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True"], out


def test_first_call_compiles_in_place() -> None:
    """The callable keeps its identity: its first call swaps the compiled fast path in as its code."""
    fn = minitorch.atan2
    x = minitorch.tensor([1.0, -2.0])
    assert fn(x, x).tolist() == x.atan2(x).tolist()
    assert minitorch.atan2 is fn is registry.FUNCTIONS["atan2"]
    assert "_source" not in fn.__globals__ and "n" in fn.__code__.co_varnames  # the fast path's local
    assert registry.compiled(fn) is fn
