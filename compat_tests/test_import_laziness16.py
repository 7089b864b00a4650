"""The op modules ``import minitorch`` leaves to first use (``_ops/lazy_ops.py``): which modules the import does not
load, the index of their names kept current with the eager table, and every way of reaching a name (the tables,
``Tensor``'s methods, ``minitorch.X``, ``torch.linalg.X``, ``torch.nn.functional``, ``dir``, star imports, pickling,
docs, ``python -m minitorch``) seeing what the eager table shows."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from minitorch._ops import op_index, op_index_writer
from script_runs import assert_same_printout, run_python

ROOT = Path(__file__).resolve().parent.parent

# kept for first use: the families the index names, and the modules that load only with them
_NOT_LOADED = ("minitorch.nn.functional", "minitorch._ops.nn_ops.activation", "minitorch._ops.nn_ops.pool",
               "minitorch._ops.nn_ops.normalization", "minitorch._ops.nn_ops.upsample", "minitorch._ops.nn_ops.rnn",
               "minitorch._ops.nn_ops.loss", "minitorch._ops.linalg.decompositions", "minitorch._ops.linalg.lu",
               "minitorch._ops.linalg.matrix_functions", "minitorch._ops.linalg.eig", "minitorch._ops.linalg.einsum")


def _python(code: str, eager: bool = False) -> str:
    env = {k: v for k, v in os.environ.items() if k != "MINITORCH_EAGER_OPS"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), env.get("PYTHONPATH"))))
    if eager:
        env["MINITORCH_EAGER_OPS"] = "1"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_import_leaves_the_indexed_modules_unloaded() -> None:
    loaded = set(json.loads(_python("import json, sys\nimport minitorch\nprint(json.dumps(list(sys.modules)))")))
    assert op_index.MODULES, "the index is empty"
    assert not loaded & {*op_index.MODULES, *_NOT_LOADED}, sorted(loaded & {*op_index.MODULES, *_NOT_LOADED})


def test_the_index_is_the_eager_tables() -> None:
    """``op_index.py`` is what ``op_index_writer`` derives from the eager table today (it cannot go stale)."""
    assert op_index_writer.render(op_index_writer.build_index()) == op_index_writer.INDEX_FILE.read_text(), (
        "run: python -m minitorch._ops.op_index_writer --write")


# Every entry of every table, every attribute of Tensor and the public names of the namespaces that show the table,
# described by kind, names, module, signatures (a generated callable's parser texts; an OpRecord's variants and
# parsers) and doc. Lazily: the names listed before anything is loaded, then each reached by its own path.
_DESCRIBE = """
import inspect, json, re
import minitorch
import minitorch.linalg, minitorch.special, minitorch.fft
from minitorch._ops import registry

TABLES = ("FUNCTIONS", "METHODS", "OPS", "LINALG", "NN", "SPECIAL", "FFT")
NAMESPACES = {"minitorch": minitorch, "linalg": minitorch.linalg, "special": minitorch.special, "fft": minitorch.fft}


def texts(parser):
    return None if parser is None else list(parser.texts)


def describe(v):
    if isinstance(v, dict):  # (minitorch.linalg.LINALG: the table, which records its writers in eager mode)
        return ["table"]
    if isinstance(v, registry.OpRecord):
        return ["OpRecord", v.name, v.variants(), texts(v.function), texts(v.method), texts(v.inplace),
                texts(v.inplace_function), v.impl.__qualname__]
    try:
        # (a default's repr without its address)
        signature = re.sub(" at 0x[0-9a-f]+", "", str(inspect.signature(v))) if callable(v) else None
    except (TypeError, ValueError):
        signature = None
    return [type(v).__name__, getattr(v, "__name__", None), getattr(v, "__qualname__", None),
            getattr(v, "__module__", None), texts(getattr(v, "parser", None)), signature, getattr(v, "__doc__", None)]


listed = {"tables": {t: sorted({*dict.keys(getattr(registry, t)), *getattr(registry, t).index}) for t in TABLES},
          "Tensor": dir(minitorch.Tensor),
          "namespaces": {n: [k for k in dir(m) if not k.startswith("_")] for n, m in NAMESPACES.items()}}
seen = {"Tensor": {"Tensor": {k: describe(getattr(minitorch.Tensor, k)) for k in listed["Tensor"]}},
        "namespaces": {n: {k: describe(getattr(m, k)) for k in names} for n, (m, names) in
                       ((n, (NAMESPACES[n], names)) for n, names in listed["namespaces"].items())},
        "tables": {t: {k: describe(getattr(registry, t)[k]) for k in keys} for t, keys in listed["tables"].items()}}
print(json.dumps({"listed": listed, "seen": seen}))
"""


def test_lazy_names_are_the_eager_tables_names() -> None:
    eager, lazy = json.loads(_python(_DESCRIBE, eager=True)), json.loads(_python(_DESCRIBE))
    assert lazy["listed"]["tables"] == eager["listed"]["tables"]
    assert lazy["listed"]["Tensor"] == eager["listed"]["Tensor"]
    assert lazy["listed"]["namespaces"] == eager["listed"]["namespaces"]
    for part in ("tables", "Tensor", "namespaces"):
        for group, entries in eager["seen"][part].items():
            different = [k for k, v in entries.items() if lazy["seen"][part][group][k] != v]
            assert not different, (part, group, different[:10])


def test_star_import_sees_every_name() -> None:
    code = ("namespace = {}\nexec('from minitorch import *', namespace)\n"
            "import minitorch\nprint(sorted(k for k in namespace if not k.startswith('_')) == "
            "sorted(k for k in dir(minitorch) if not k.startswith('_')), 'einsum' in namespace, 'addbmm' in namespace)")
    assert _python(code).split() == ["True", "True", "True"]
    assert _python(code, eager=True).split()[1:] == ["True", "True"]


_FIRST_USES = """
import pickle
import torch
x = torch.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
print(hasattr(torch, "einsum"), "einsum" in dir(torch), "svd" in dir(torch.linalg), hasattr(x, "addbmm"))
print(torch.Tensor.inner.__name__, torch.inner.__name__, callable(torch.Tensor.addr))
print(torch.linalg.eigvalsh(x), torch.linalg.svdvals(x))
print(torch.einsum("ij,ij->i", x, x))
print(x.inner(x), x.addr(x[0], x[1]))
import torch.nn.functional as F
print(F.gelu(x), F.softplus(x), F.mse_loss(x, x * 2))
y = torch.linalg.det(x) + torch.linalg.cholesky(x @ x.T).sum() + torch.cdist(x, x * 2).sum()
y.backward()
print(y, x.grad)
print(pickle.loads(pickle.dumps(torch.einsum)) is torch.einsum)
print(pickle.loads(pickle.dumps(torch.linalg.inv(x.detach()))))
print(x.detach().sort(1), torch.return_types.sort is type(x.detach().sort(1)), "topk" in dir(torch.return_types))
from torch import lu_unpack
print(callable(lu_unpack), torch.Tensor.addbmm is torch.Tensor.addbmm)
"""


@pytest.mark.parametrize("eager", [False, True])
def test_first_uses_print_as_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, eager: bool) -> None:
    """Each name reached first through one of its paths, in a ``python -m minitorch`` script (and with the eager table),
    prints what torch prints."""
    (tmp_path / "first_uses.py").write_text(_FIRST_USES)
    expected = run_python(["first_uses.py"], tmp_path)
    assert expected.returncode == 0, expected.stderr
    if eager:
        monkeypatch.setenv("MINITORCH_EAGER_OPS", "1")
    got = run_python(["first_uses.py"], tmp_path, minitorch=True)
    assert got.returncode == 0, got.stderr
    assert_same_printout(expected.stdout, got.stdout)


_THREADS = """
import threading
import minitorch
from minitorch._ops import lazy_ops
barrier = threading.Barrier(6)
seen, errors = [], []


def first_uses():
    try:
        barrier.wait()
        seen.append((minitorch.Tensor.addbmm, minitorch.einsum, minitorch.linalg.svd, minitorch.nn.functional.gelu,
                     minitorch.fft.rfft, minitorch.special.bessel_j0, minitorch.ones(2).inner(minitorch.ones(2))))
    except Exception as e:  # noqa: BLE001 - reported below
        errors.append(repr(e))
threads = [threading.Thread(target=first_uses) for _ in range(6)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(errors, all(row[:6] == seen[0][:6] for row in seen), len(seen), sorted(set(lazy_ops.PENDING) & {
    "minitorch._ops.linalg.accumulated_products", "minitorch._ops.linalg.einsum", "minitorch._ops.fft"}))
"""


def test_threads_loading_at_once_see_one_object() -> None:
    """Threads reaching lazy names together load each module once and see the same objects."""
    assert _python(_THREADS).strip() == "[] True 6 []"


def test_pending_names_shadow_nothing() -> None:
    """A pending name is answered by its namespace's ``__getattr__`` only while the namespace has no attribute of that
    name: one set by the import (a submodule, a helper) would hide the op that the eager import put over it."""
    code = ("import minitorch, minitorch.linalg, minitorch.special, minitorch.fft\n"
            "from minitorch._ops import lazy_ops\n"
            "spaces = {'FUNCTIONS': minitorch, 'LINALG': minitorch.linalg, 'SPECIAL': minitorch.special, "
            "'FFT': minitorch.fft}\n"
            "print(sorted(n for t, m in spaces.items() for n in set(lazy_ops.TABLES[t].index) & set(vars(m))))")
    assert _python(code).strip() == "[]"


_PATCHES = """
import minitorch
from minitorch._ops import registry
minitorch.Tensor.addbmm = lambda self, *args: "patched method"
minitorch.einsum = "patched function"
minitorch.linalg.svd = "patched linalg"
len(registry.OPS)  # (every module loaded)
print(minitorch.ones(1).addbmm(), minitorch.einsum, minitorch.linalg.svd, minitorch.ones(1).inner(minitorch.ones(1)))
"""


@pytest.mark.parametrize("eager", [False, True])
def test_a_patch_stays_over_a_later_load(eager: bool) -> None:
    """A script's replacement of a name (``torch.Tensor.X = ...``) stays when the name's module loads later, as it
    stays over the eager import's."""
    assert _python(_PATCHES, eager).strip() == "patched method patched function patched linalg tensor(1.)"


_FIRST_CALLS = """
import sys, threading, warnings
import minitorch
from minitorch._ops import registry
warnings.simplefilter("ignore")
sys.setswitchinterval(1e-6)  # (threads switch inside a stub's compile)
names = sorted(n for n in dict.keys(registry.METHODS) if not n.startswith("_") and not n.endswith("_"))
x = minitorch.ones(3)
barrier = threading.Barrier(4)
recursions = []


def first_calls():
    barrier.wait()
    for name in names:
        try:
            getattr(x, name)()
        except RecursionError:
            recursions.append(name)
        except Exception:  # noqa: BLE001 - only the stub's recursion counts (most calls lack arguments)
            pass
threads = [threading.Thread(target=first_calls) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(recursions)
"""


def test_first_calls_from_threads_wait_for_the_compile() -> None:
    """Threads calling a generated callable for the first time together: the second waits for the first's compile
    (it used to find the source taken and the stub's code still in place, and called itself until a RecursionError)."""
    assert _python(_FIRST_CALLS).strip() == "[]"
