"""``python -m minitorch script.py args`` behaves as ``python script.py args`` does under real torch:
the same sys.argv, sys.path[0], __main__, exit status, messages and tracebacks, and torch's class names;
``minitorch.install_as_torch()`` does the same inside a running interpreter (a notebook)."""
from __future__ import annotations

import textwrap
import tomllib

import pytest

import minitorch
from script_runs import ROOT, assert_same_printout, run_python


PROGRAM = """\
import os, sys
print(sys.argv[1:], os.path.basename(sys.argv[0]), __name__, __file__ == os.path.abspath(sys.argv[0]))
print(sys.path[0] == os.path.dirname(os.path.realpath(sys.argv[0])), __spec__, type(__loader__).__name__)
import helper  # beside the script: its folder is sys.path[0]
if sys.argv[1:] == ["fail"]:
    helper.fail()
sys.exit(int(sys.argv[1]) if sys.argv[1:] else 0)
"""

HELPER = """\
def fail():
    raise ValueError("raised in a helper module")
"""


@pytest.fixture
def program(tmp_path):
    folder = tmp_path / "prog"
    folder.mkdir()
    (folder / "script.py").write_text(PROGRAM)
    (folder / "helper.py").write_text(HELPER)
    return tmp_path


def same_run(args: list[str], cwd) -> None:
    expected, got = run_python(args, cwd), run_python(args, cwd, minitorch=True)
    assert got.returncode == expected.returncode, got.stderr
    assert got.stdout == expected.stdout
    assert got.stderr == expected.stderr


@pytest.mark.parametrize("args", [["prog/script.py", "3", "x y"], ["prog/script.py", "fail"], ["missing.py", "a"],
                                  ["-m", "helper"], ["-m", "no_such_module"], ["-m"]],
                         ids=["argv-and-exit-status", "traceback", "missing-file", "module", "missing-module",
                              "no-module-name"])
def test_runs_as_python_does(program, args):
    cwd = program / "prog" if args[0] == "-m" else program
    same_run(args, cwd)


def test_dash_m_runs_a_module_as_main(program):
    (program / "prog" / "entry.py").write_text("import sys\nprint(__name__, sys.argv[1:])\nraise SystemExit(4)\n")
    same_run(["-m", "entry", "--flag"], program / "prog")


def test_syntax_error_is_reported_as_python_reports_it(tmp_path):
    (tmp_path / "broken.py").write_text("x = (\n")
    same_run(["broken.py"], tmp_path)


CLASS_NAMES = """\
import torch
import torch.nn as nn

w = torch.ones(2, requires_grad=True)
y = (w + 1).sum()
objects = [torch.ones(1), torch.float32, torch.ones(1).shape, torch.device("cpu"), torch.Generator(),
           nn.Parameter(torch.ones(1)), nn.Linear(1, 1), nn.Sequential(), nn.CrossEntropyLoss(),
           torch.optim.SGD([w], lr=0.1), torch.utils.data.DataLoader([1]), torch.utils.data.TensorDataset(w),
           torch.no_grad(), y.grad_fn, y.grad_fn.next_functions[0][0],
           y.grad_fn.next_functions[0][0].next_functions[0][0], torch.ones(1).long()]
for obj in objects:
    print(type(obj))
print(torch.Tensor, nn.Module, torch.autograd.Function, isinstance(torch.ones(1), torch.Tensor))
"""


def test_class_names_print_as_torch_prints_them(tmp_path):
    (tmp_path / "show_types.py").write_text(CLASS_NAMES)
    expected, got = run_python(["show_types.py"], tmp_path), run_python(["show_types.py"], tmp_path, minitorch=True)
    assert got.returncode == 0, got.stderr
    assert_same_printout(expected.stdout, got.stdout)


def test_install_as_torch_in_a_running_interpreter(tmp_path):
    (tmp_path / "notebook.py").write_text(textwrap.dedent("""\
        import minitorch
        minitorch.install_as_torch()
        minitorch.install_as_torch()  # a cell run twice
        import torch, torch.nn.functional as F
        print(torch is minitorch, F is minitorch.nn.functional, type(torch.zeros(1)))
        """))
    out = run_python(["notebook.py"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == "True True <class 'torch.Tensor'>\n"


def test_install_as_torch_after_the_real_torch_raises():
    out = run_python(["-c", "import torch, minitorch\nminitorch.install_as_torch()"])
    assert out.returncode == 1
    assert out.stderr.splitlines()[-1] == (
        "RuntimeError: install_as_torch() must run before the first `import torch`: the real torch is already "
        "imported in this process (restart the kernel and call it first)")


def test_versions():
    assert minitorch.__version__ == minitorch.version.__version__ == "2.13.0"  # what scripts compare
    # pip reports the version pyproject.toml declares, which is read from minitorch.version.minitorch
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "minitorch.version.minitorch"}


def test_usage_without_arguments():
    out = run_python([], minitorch=True)
    assert out.returncode == 2
    assert out.stderr == "usage: python -m minitorch script.py [args...] | -m module [args...]\n"
