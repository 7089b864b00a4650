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
from dataclasses import dataclass
from typing import Any

from .._runner import add_program_arguments, program_argv
from .compare import Divergence, TraceComparison, compare_traces, first_different_line, without_addresses

BACKENDS = ("torch", "minitorch")
_CHECKOUT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def last_error(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else "(nothing on stderr)"


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
    report = Report(args, runs, ops, stdout)
    print(json.dumps(report.as_json(), indent=2) if args.json else report.text())
    raise SystemExit(0 if report.agree else 1)


class Report:
    def __init__(self, args: argparse.Namespace, runs: dict[str, Run], ops: TraceComparison,
                 stdout: tuple[int, str, str] | None) -> None:
        self.args, self.runs, self.ops, self.stdout = args, runs, ops, stdout
        # a failing run ends with its exception's line: both runs must fail alike
        self.same_exit = len({(r.exit_code, r.exit_code and without_addresses(r.last_error()))
                              for r in runs.values()}) == 1
        self.agree = ops.divergence is None and stdout is None and self.same_exit

    def text(self) -> str:
        out = []
        d = self.ops.divergence
        if d is None and not self.agree:
            out.append("no op differs: %d ops compared%s" % (self.ops.compared, self._stopped()))
        if d is not None:
            out += ["first divergence at op %d, %s:%d: %s" % (d.position, _shown_path(d.torch.file), d.torch.line,
                                                               d.source),
                    "  op         %s" % _both(d.torch.op, d.minitorch.op),
                    "  inputs     %s" % _both(", ".join(d.torch.inputs), ", ".join(d.minitorch.inputs)),
                    "  torch      %s" % d.outcome(d.torch),
                    "  minitorch  %s" % d.outcome(d.minitorch),
                    "  why        %s" % d.reason]
        if self.stdout is not None:
            line, ref, mine = self.stdout
            out += ["first difference in standard output, line %d:" % line,
                    "  torch      %s" % ref, "  minitorch  %s" % mine]
        for backend in BACKENDS if not self.same_exit else ():
            run = self.runs[backend]
            out.append("%s exited with %d%s" % (backend, run.exit_code, run.exit_code and ": " + run.last_error()))
        if self.agree:
            run = self.runs["torch"]
            out.append("torch and minitorch agree: %d ops compared, %d lines of standard output%s%s" % (
                self.ops.compared, len(run.stdout.splitlines()), self._stopped(),
                "; both exited with %d: %s" % (run.exit_code, run.last_error()) if run.exit_code else ""))
        if any(self.ops.unpaired):
            out.append("(%d ops of the torch run and %d of the minitorch run could not be paired)" % self.ops.unpaired)
        return "\n".join(out)

    def _stopped(self) -> str:
        return " (both runs stopped after %d ops)" % self.args.stop_after if self.args.stop_after else ""

    def as_json(self) -> dict[str, Any]:
        d = self.ops.divergence
        return {
            "agree": self.agree,
            "ops_compared": self.ops.compared,
            "ops_unpaired": dict(zip(BACKENDS, self.ops.unpaired)),
            "divergence": None if d is None else _divergence_json(d),
            "stdout": None if self.stdout is None else dict(zip(("line", "torch", "minitorch"), self.stdout)),
            "exit_codes": {b: self.runs[b].exit_code for b in BACKENDS},
            "stop_after": self.args.stop_after,
            "rtol": self.args.rtol,
            "atol": self.args.atol,
        }


def _divergence_json(d: Divergence) -> dict[str, Any]:
    return {"position": d.position, "file": d.torch.file, "line": d.torch.line, "source": d.source,
            "reason": d.reason,
            **{b: {"op": r.op, "inputs": r.inputs, "outcome": d.outcome(r)}
               for b, r in zip(BACKENDS, (d.torch, d.minitorch))}}


def _shown_path(path: str) -> str:
    relative = os.path.relpath(path)
    return path if relative.startswith(os.pardir) else relative


def _both(torch_text: str, minitorch_text: str) -> str:
    return torch_text if torch_text == minitorch_text else "torch: %s | minitorch: %s" % (torch_text, minitorch_text)


if __name__ == "__main__":
    main(sys.argv[1:])
