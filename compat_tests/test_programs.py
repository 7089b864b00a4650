"""Whole torch programs (``compat_tests/programs``, written in the spirit of the notes this project grew
from) print under minitorch what they print under real torch, which runs them here.

One interpreter per library runs the programs one after the other as ``__main__`` (minitorch's with
``install_as_torch()``, so that their ``import torch`` is minitorch); the two outputs of each program are
compared line by line: numbers within 1e-4 relative, memory addresses ignored, all other text exact.
"""
import json
import pathlib

import pytest

from script_runs import assert_same_printout, run_python

PROGRAMS = sorted((pathlib.Path(__file__).parent / "programs").glob("*.py"))

RUN_ALL = """\
import contextlib, io, json, runpy, sys, traceback
if sys.argv[1] == "minitorch":
    import minitorch
    minitorch.install_as_torch()
printed = {}
for path in sys.argv[2:]:
    sys.argv = [path]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            runpy.run_path(path, run_name="__main__")
        except BaseException:
            print("FAILED:", traceback.format_exc())
    printed[path] = out.getvalue()
json.dump(printed, sys.stdout)
"""


@pytest.fixture(scope="module")
def printed():
    """{library: {program: what it printed}}."""
    found = {}
    for library in ("torch", "minitorch"):
        done = run_python(["-c", RUN_ALL, library, *map(str, PROGRAMS)], cwd=PROGRAMS[0].parent)
        assert done.returncode == 0, done.stderr
        found[library] = json.loads(done.stdout)
    return found


def test_the_programs_are_here():
    assert len(PROGRAMS) == 6


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.stem for p in PROGRAMS])
def test_program_prints_what_torch_prints(program, printed):
    expected, got = printed["torch"][str(program)], printed["minitorch"][str(program)]
    assert "FAILED:" not in expected, expected
    assert_same_printout(expected, got)
