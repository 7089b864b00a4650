"""The main example's checkpoints: a run stopped after epoch 2 with ``--save`` and continued with
``--resume`` prints the epochs the uninterrupted run prints, and real torch resumes the same
checkpoint (files from torch resuming on minitorch: test_serialization's optimizer tests)."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest

from test_example import EXAMPLE, THREAD_VARS, epochs, pytestmark  # noqa: F401  (same data requirement)

COMMON = ["--epochs", "3", "--limit", "600", "--no-progress", "--plot", ""]


def run(backend: str, *extra: str) -> str:
    env = dict(os.environ, **{v: "1" for v in THREAD_VARS})
    cmd = [sys.executable, EXAMPLE, "--backend", backend, *COMMON, *extra]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, "%s exited with %d:\n%s" % (" ".join(cmd), done.returncode, done.stderr[-3000:])
    return done.stdout


def epoch_lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith("epoch")]


def test_resume_continues_the_run(tmp_path: pathlib.Path) -> None:
    checkpoint = str(tmp_path / "ckpt.pt")
    uninterrupted = epoch_lines(run("minitorch"))
    first = run("minitorch", "--save", checkpoint, "--stop-after", "2")
    resumed = run("minitorch", "--resume", checkpoint)
    assert len(uninterrupted) == 3
    assert epoch_lines(first) == uninterrupted[:2]
    assert "resumed from %s after epoch 2" % checkpoint in resumed
    assert epoch_lines(resumed) == uninterrupted[2:]
    # real torch resumes the same file: it continues as minitorch did, to float rounding
    [(loss, _)] = epochs(run("torch", "--resume", checkpoint))
    assert loss == pytest.approx(epochs("\n".join(uninterrupted))[2][0], rel=1e-4)
