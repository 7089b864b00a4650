"""Running a program as ``python script.py`` (real torch) and as ``python -m minitorch script.py``, and
comparing what the two printed."""
from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from typing import Sequence

from minitorch.difftest.compare import first_different_line

ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_python(args: Sequence[str], cwd: str | os.PathLike = ROOT, minitorch: bool = False,
               extra_path: Sequence[str] = (), timeout: float = 120) -> subprocess.CompletedProcess:
    """``python *args`` (``python -m minitorch *args`` with ``minitorch=True``), this checkout and the
    folders of ``extra_path`` importable."""
    path = [str(ROOT), *extra_path, os.environ.get("PYTHONPATH", "")]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path), OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    command = [sys.executable] + (["-m", "minitorch"] if minitorch else []) + list(args)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def assert_same_printout(expected: str, got: str, rtol: float = 1e-4, atol: float = 1e-5) -> None:
    """Line by line: memory addresses ignored, numbers equal within tolerance (an integer never equals
    a float: ``1`` vs ``1.`` is a dtype difference), all other text exact."""
    difference = first_different_line(expected, got, rtol, atol)
    assert difference is None, "line %d:\n torch:     %s\n minitorch: %s" % difference
