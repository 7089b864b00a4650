"""Where minitorch wins and where it sits on the NumPy floor: the MLP training step of ``bench_mlp.py``
(forward, CrossEntropyLoss, backward, SGD momentum) against batch size at hidden width 128, and against
hidden width at batch 64, for torch, minitorch and the hand-written NumPy step.

    python benchmarks/bench_sweep.py [--rounds 5]
"""
from __future__ import annotations


from timing import command_line, configure_threads, Row

configure_threads()  # before NumPy and torch are imported

from bench_mlp import SIZES, step_times  # noqa: E402

BATCHES = (1, 4, 16, 64, 256, 1024, 4096)
WIDTHS = (16, 64, 256, 1024, 2048)


def measure(rounds: int) -> list[Row]:
    rows = [Row("sweep: step time vs batch (784-128-10)", "batch %d" % b, "s", step_times(b, rounds),
                notes={"batch": b, "hidden": SIZES[1]}) for b in BATCHES]
    rows += [Row("sweep: step time vs hidden width (batch 64)", "hidden %d" % w, "s",
                 step_times(64, rounds, (SIZES[0], w, SIZES[2])), notes={"batch": 64, "hidden": w})
             for w in WIDTHS]
    return rows


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=5)
