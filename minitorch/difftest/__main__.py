"""``python -m minitorch.difftest [options] script.py [args]``: where does minitorch first part from torch?

Runs the script twice, each in its own interpreter, as ``python script.py args`` would: once on the
real torch, once with ``import torch`` served by minitorch. Each run records every op the script
calls (torch functions, Tensor methods and operators, ``nn.functional``, module calls) with its
outputs. The first op whose outputs differ in dtype, shape or value (beyond the tolerance), or that
raises in one run only, is reported with its file and line, both outcomes and its inputs; then the
first line of standard output that differs. Exit status: 0 when the runs agree, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

from .._runner import add_program_arguments, program_argv
from .compare import compare_traces, first_different_line
from .report import BACKENDS, Report, Run

_CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m minitorch.difftest", description=__doc__.split("\n")[0],
                                epilog="Values compare as numpy.isclose(minitorch, torch, rtol, atol); integers, "
                                       "booleans, dtypes and shapes exactly.")
    p.add_argument("--rtol", type=float, default=1e-4, help="relative tolerance for floats (default 1e-4)")
    p.add_argument("--atol", type=float, default=1e-5, help="absolute tolerance for floats (default 1e-5)")
    p.add_argument("--stop-after", type=int, metavar="N", help="end both runs once they have recorded N ops")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    add_program_arguments(p)
    args = p.parse_args(argv)
    args.script = program_argv(p, args)
    return args


def run_traced(backend: str, trace: str, args: argparse.Namespace) -> Run:
    command = [sys.executable, "-m", "minitorch.difftest.record", backend, trace,
               "-" if args.stop_after is None else str(args.stop_after)] + args.script
    # this checkout importable from the script's folder; both runs hash strings alike
    env = dict(os.environ, PYTHONHASHSEED="0",
               PYTHONPATH=os.pathsep.join(p for p in (_CHECKOUT, os.environ.get("PYTHONPATH")) if p))
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    return Run(done.returncode, done.stdout, done.stderr)


def main(argv: list[str]) -> None:
    args = parse(argv)
    with tempfile.TemporaryDirectory(prefix="difftest-") as folder:
        traces = {b: os.path.join(folder, b + ".trace") for b in BACKENDS}
        runs = {b: run_traced(b, traces[b], args) for b in BACKENDS}
        ops = compare_traces(traces["torch"], traces["minitorch"], args.rtol, args.atol)
    stdout = first_different_line(runs["torch"].stdout, runs["minitorch"].stdout, args.rtol, args.atol)
    report = Report(runs, ops, stdout, args.stop_after, args.rtol, args.atol)
    print(json.dumps(report.as_json(), indent=2) if args.json else report.text())
    raise SystemExit(0 if report.agree else 1)


if __name__ == "__main__":
    main(sys.argv[1:])
