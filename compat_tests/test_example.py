"""The main example (examples/train_mlp.py), shortened, under both backends: the same seed gives
the same initial weights and shuffle order, so both print the same model and the same losses."""
from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys

import pytest

EXAMPLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples", "train_mlp.py")
EPOCH_LINE = re.compile(r"epoch +(\d+) +loss ([\d.]+) +test accuracy ([\d.]+)%")

pytestmark = pytest.mark.skipif(importlib.util.find_spec("sklearn") is None,
                                reason="the example's default data needs scikit-learn (in the `test` extra)")


THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def run(backend: str) -> str:
    cmd = [sys.executable, EXAMPLE, "--backend", backend, "--epochs", "3", "--limit", "600", "--no-progress",
           "--plot", ""]
    env = dict(os.environ, **{v: "1" for v in THREAD_VARS})  # tiny matrices: threads only add contention
    return subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=300, env=env).stdout


def epochs(out: str) -> list[tuple[float, float]]:
    return [(float(loss), float(acc)) for _, loss, acc in EPOCH_LINE.findall(out)]


def test_same_output_under_both_backends():
    expected, got = run("torch"), run("minitorch")
    model_lines = [line for line in expected.splitlines() if not line.startswith(("backend", "epoch", "done"))]
    assert [line for line in got.splitlines() if not line.startswith(("backend", "epoch", "done"))] == model_lines
    ref, mine = epochs(expected), epochs(got)
    assert len(ref) == len(mine) == 3
    for (ref_loss, ref_acc), (loss, acc) in zip(ref, mine):
        assert loss == pytest.approx(ref_loss, rel=1e-4)
        assert acc == pytest.approx(ref_acc, abs=0.3)  # at most one of the 360 test images may flip
