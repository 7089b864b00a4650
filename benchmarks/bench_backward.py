"""Backward of large graphs: minitorch vs torch, as ratios in one run.

* a chain of 100,000 ops (``y = y * 1.0``) on a 10-element leaf, then ``y.sum().backward()``;
* 10,000 summed slices: ``sum(x[i] for i in range(10_000))`` of a 10,000-element leaf, then backward.

Only ``backward()`` is timed (the graph is built before the clock starts). Contenders alternate
(A B A B ...) and medians are reported: this machine is shared and noisy.
Run: python benchmarks/bench_backward.py [--rounds N]
"""
from __future__ import annotations

import statistics
import time
from typing import Any, Callable

from timing import command_line, configure_threads, Row, set_torch_threads

configure_threads()  # before NumPy and torch are imported

CHAIN_OPS = 100_000
SLICES = 10_000


def chain(T: Any) -> Any:
    y = T.ones(10, requires_grad=True)
    for _ in range(CHAIN_OPS):
        y = y * 1.0
    return y.sum()


def summed_slices(T: Any) -> Any:
    x = T.ones(SLICES, requires_grad=True)
    return sum(x[i] for i in range(SLICES))


CASES: dict[str, Callable[[Any], Any]] = {
    "100,000-op chain": chain,
    "10,000 summed slices": summed_slices,
}


def backward_seconds(T: Any, build: Callable[[Any], Any]) -> float:
    loss = build(T)
    start = time.perf_counter()
    loss.backward()
    return time.perf_counter() - start


def measure(rounds: int) -> list[Row]:
    import torch

    import minitorch
    set_torch_threads(torch)
    rows = []
    for name, build in CASES.items():
        samples: dict[str, list[float]] = {"torch": [], "minitorch": []}
        for r in range(rounds):  # (each sample builds its own graph: the timing helper's loop does not fit)
            for lib, T in (("torch", torch), ("minitorch", minitorch))[::1 if r % 2 == 0 else -1]:
                samples[lib].append(backward_seconds(T, build))
        rows.append(Row("backward of a large graph", name, "s",
                        {lib: statistics.median(s) for lib, s in samples.items()}, "<= 1.0x"))
    return rows


if __name__ == "__main__":
    command_line(measure, __doc__, rounds=5)
