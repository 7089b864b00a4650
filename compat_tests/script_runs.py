"""Running a program as ``python script.py`` (real torch) and as ``python -m minitorch script.py``, and
comparing what the two printed."""
from __future__ import annotations

import math
import os
import pathlib
import re
import subprocess
import sys
from typing import Sequence

ROOT = pathlib.Path(__file__).resolve().parents[1]
_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?(?:inf|nan)\b")


def run_python(args: Sequence[str], cwd: str | os.PathLike = ROOT, minitorch: bool = False,
               timeout: float = 120) -> subprocess.CompletedProcess:
    """``python *args`` (``python -m minitorch *args`` with ``minitorch=True``), this checkout importable."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
               OMP_NUM_THREADS="1", PYTHONHASHSEED="0")
    command = [sys.executable] + (["-m", "minitorch"] if minitorch else []) + list(args)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def assert_same_printout(expected: str, got: str, rtol: float = 1e-4, atol: float = 1e-5) -> None:
    """Line by line: memory addresses ignored, numbers equal within tolerance (an integer never equals
    a float: ``1`` vs ``1.`` is a dtype difference), all other text exact."""
    ref, mine = expected.splitlines(), got.splitlines()
    for i, (e, g) in enumerate(zip(ref, mine), 1):
        assert _same_line(e, g, rtol, atol), "line %d:\n torch:     %s\n minitorch: %s" % (i, e, g)
    assert len(mine) == len(ref), "torch printed %d lines, minitorch %d:\n%s" % (len(ref), len(mine), got)


def _same_line(expected: str, got: str, rtol: float, atol: float) -> bool:
    expected, got = _ADDRESS.sub("0x?", expected), _ADDRESS.sub("0x?", got)
    if _NUMBER.split(expected) != _NUMBER.split(got):
        return False
    return all(_same_number(e, g, rtol, atol) for e, g in zip(_NUMBER.findall(expected), _NUMBER.findall(got)))


def _same_number(expected: str, got: str, rtol: float, atol: float) -> bool:
    is_int = [not re.search(r"[.eEna]", s) for s in (expected, got)]
    if is_int[0] or is_int[1]:
        return expected == got
    e, g = float(expected), float(got)
    return math.isclose(e, g, rel_tol=rtol, abs_tol=atol) or (math.isnan(e) and math.isnan(g))
