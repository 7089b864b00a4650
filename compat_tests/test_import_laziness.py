"""``import minitorch`` stays cheap: what a script's first lines do not need is loaded or compiled on first use
(benchmarks/bench_import.py measures the time; this checks the mechanisms, so the gain cannot silently go)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import minitorch
from minitorch._ops import registry

ROOT = Path(__file__).resolve().parent.parent

# after ``import minitorch``: the lazily loaded submodules imported, the generated callables compiled and the
# parsers whose signatures were parsed (none of each)
_PROBE = """
import sys
import minitorch
from minitorch._ops import registry
generated = [f for f in [*registry.FUNCTIONS.values(), *registry.METHODS.values()] if hasattr(f, "parser")]
print(sum(m in sys.modules for m in ("minitorch.optim", "minitorch.distributions", "minitorch.hub",
                                      "minitorch.serialization", "minitorch.testing", "minitorch.func")),
      sum("_source" not in f.__globals__ for f in generated), sum(f.parser._signatures is not None for f in generated))
"""


def test_import_loads_and_compiles_lazily() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "0", "0"], out.stdout


def test_first_call_compiles_in_place() -> None:
    """The callable keeps its identity: its first call swaps the compiled fast path in as its code."""
    fn = minitorch.atan2
    x = minitorch.tensor([1.0, -2.0])
    assert fn(x, x).tolist() == x.atan2(x).tolist()
    assert minitorch.atan2 is fn is registry.FUNCTIONS["atan2"]
    assert "_source" not in fn.__globals__ and "n" in fn.__code__.co_varnames  # the fast path's local
    assert registry.compiled(fn) is fn
