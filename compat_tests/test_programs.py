"""Whole torch programs (``compat_tests/programs``, written in the spirit of the notes this project grew
from) print under ``python -m minitorch`` what they print under real torch, which runs them here.

Each program runs in a fresh interpreter on each side; the two outputs are compared line by line:
numbers within 1e-4 relative, memory addresses ignored, all other text exact.
"""
import pathlib

import pytest

from script_runs import assert_same_printout, run_python

PROGRAMS = sorted((pathlib.Path(__file__).parent / "programs").glob("*.py"))
COVERS = ()


def test_the_programs_are_here():
    assert len(PROGRAMS) == 6


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_prints_what_torch_prints(program):
    expected = run_python([program.name], cwd=program.parent)
    assert expected.returncode == 0, expected.stderr
    got = run_python([program.name], cwd=program.parent, minitorch=True)
    assert got.returncode == 0, got.stderr[-2000:]
    assert_same_printout(expected.stdout, got.stdout)
