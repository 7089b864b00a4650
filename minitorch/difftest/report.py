"""The difftest report: the first op that differs, the first line of output that differs, how the runs
ended; as text for people or JSON for tools."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from .compare import Divergence, TraceComparison, without_addresses

BACKENDS = ("torch", "minitorch")


@dataclass
class Run:
    """How one run ended: its exit status and what it printed."""

    exit_code: int
    stdout: str
    stderr: str

    def last_error(self) -> str:
        lines = self.stderr.strip().splitlines()
        return lines[-1] if lines else "(nothing on stderr)"


class Report:
    """What the two runs did alike and where they parted, as text or JSON."""

    def __init__(self, runs: dict[str, Run], ops: TraceComparison, stdout: tuple[int, str, str] | None,
                 stop_after: int | None, rtol: float, atol: float) -> None:
        self.runs, self.ops, self.stdout = runs, ops, stdout
        self.stop_after, self.rtol, self.atol = stop_after, rtol, atol
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
            error = ": " + run.last_error() if run.exit_code else ""
            out.append("%s exited with %d%s" % (backend, run.exit_code, error))
        if self.agree:
            run = self.runs["torch"]
            out.append("torch and minitorch agree: %d ops compared, %d lines of standard output%s%s" % (
                self.ops.compared, len(run.stdout.splitlines()), self._stopped(),
                "; both exited with %d: %s" % (run.exit_code, run.last_error()) if run.exit_code else ""))
        if any(self.ops.unpaired):
            out.append("(%d ops of the torch run and %d of the minitorch run could not be paired)" % self.ops.unpaired)
        return "\n".join(out)

    def _stopped(self) -> str:
        return " (both runs stopped after %d ops)" % self.stop_after if self.stop_after else ""

    def as_json(self) -> dict[str, Any]:
        d = self.ops.divergence
        return {
            "agree": self.agree,
            "ops_compared": self.ops.compared,
            "ops_unpaired": dict(zip(BACKENDS, self.ops.unpaired)),
            "divergence": None if d is None else _divergence_json(d),
            "stdout": None if self.stdout is None else dict(zip(("line", "torch", "minitorch"), self.stdout)),
            "exit_codes": {b: self.runs[b].exit_code for b in BACKENDS},
            "stop_after": self.stop_after,
            "rtol": self.rtol,
            "atol": self.atol,
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

