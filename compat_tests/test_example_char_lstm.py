"""The char-level LSTM example (examples/char_lstm.py), shortened, three ways: on real torch, on
minitorch (``--backend minitorch``) and as ``python -m minitorch`` answering the script's ``import
torch``. The same seed gives the same weights, batches and draws: the same model printout, the same
losses (to float rounding) and the same generated sample, character for character."""
from __future__ import annotations

import pytest

from script_runs import ROOT, assert_same_printout, run_python

EXAMPLE = str(ROOT / "examples" / "char_lstm.py")
SHORT = ["--steps", "12", "--log-every", "4", "--hidden", "48", "--sample-len", "60", "--no-progress"]


def printout(backend: str, as_torch: bool = False) -> str:
    out = run_python([EXAMPLE, "--backend", backend, *SHORT], minitorch=as_torch, timeout=300)
    assert out.returncode == 0, out.stderr
    # the run's own backend and timing are the lines that may differ
    return "\n".join(line for line in out.stdout.splitlines() if not line.startswith(("backend:", "trained in")))


@pytest.fixture(scope="module")
def torch_printout() -> str:
    return printout("torch")


@pytest.mark.parametrize("as_torch", [False, True], ids=["backend_minitorch", "python_m_minitorch"])
def test_same_printout_as_torch(torch_printout: str, as_torch: bool):
    got = printout("torch" if as_torch else "minitorch", as_torch)
    assert_same_printout(torch_printout, got)
    sample = torch_printout.split("a sample at temperature 0.8:\n", 1)[1]
    assert got.endswith(sample) and len(sample) > 60


def test_a_text_it_cannot_read(tmp_path):
    out = run_python([EXAMPLE, "--text", str(tmp_path / "missing.txt")])
    assert (out.returncode, out.stderr) == (1, "--text %s: No such file or directory\n" % (tmp_path / "missing.txt"))
